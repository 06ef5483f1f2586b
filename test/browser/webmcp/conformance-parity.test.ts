/**
 * Where a page can tell native WebMCP from our polyfill. Every test states
 * the answer native Chromium gives (measured, `native` group) and asserts it
 * unchanged on the polyfill (`polyfill` group): one expectation, no branch per
 * implementation, so a test passing in both groups is one point of agreement.
 * MCP-B is not the reference here; the suite skips it.
 */
import { context, eq, deepEq, impl, listedNames, ok, register, rejection, unregisterAll, until } from './support.js';
import type { ModelContext, RegisteredTool } from '../../../src/bridge/index.js';

const find = async (name: string): Promise<RegisteredTool> => {
  const tool = (await context.getTools()).find((t) => t.window === window && t.name === name);
  ok(tool, `${name} is not listed`);
  return tool!;
};

/** A tool that records the signal each call gets and never finishes on its own. */
async function hangingTool(name: string) {
  const calls: AbortSignal[] = [];
  await register({
    name,
    description: 'd',
    execute: (_input: unknown, ctx?: { signal?: AbortSignal }) => {
      calls.push(ctx?.signal as AbortSignal);
      return new Promise(() => {});
    },
  });
  return calls;
}

describe(`native parity (${impl})`, () => {
  before(function () {
    if (impl === 'mcp-b') this.skip();
  });
  afterEach(unregisterAll);

  it('has a ModelContext interface: document.modelContext instanceof ModelContext', () => {
    const global = (window as unknown as { ModelContext?: unknown }).ModelContext;
    eq(typeof global, 'function');
    eq(context instanceof (global as new () => unknown), true);
    for (const handler of ['ontoolchange', 'ontoolactivated', 'ontoolcancel']) ok(handler in context, `${handler} missing`);
  });

  it('hands execute a signal of its own even when the caller passes none', async () => {
    const calls = await hangingTool('par.sig');
    void context.executeTool(await find('par.sig'), {}).catch(() => {});
    await until(() => calls.length === 1, 'the tool ran');
    eq(calls[0] instanceof AbortSignal, true);
    eq(calls[0]!.aborted, false);
  });

  it('aborts the tool when the caller aborts right after executeTool()', async () => {
    const calls = await hangingTool('par.abortnow');
    const controller = new AbortController();
    const pending = rejection(context.executeTool(await find('par.abortnow'), {}, { signal: controller.signal }));
    controller.abort();
    eq((await pending)?.name, 'AbortError');
    // The call had already been handed to the tool: it runs, with its signal aborted.
    await until(() => calls[0]?.aborted === true, "the tool's signal aborted");
  });

  it('does not run the tool for a signal aborted before the call', async () => {
    const calls = await hangingTool('par.preaborted');
    const error = await rejection(context.executeTool(await find('par.preaborted'), {}, { signal: AbortSignal.abort() }));
    eq(error?.name, 'AbortError');
    eq(calls.length, 0);
  });

  it('rejects registerTool with AbortError, and lists nothing, when its signal aborts during the call', async () => {
    const controller = new AbortController();
    const pending = rejection(
      context.registerTool({ name: 'par.regabort', description: 'd', execute: () => 1 }, { signal: controller.signal }),
    );
    controller.abort();
    eq((await pending)?.name, 'AbortError');
    eq((await listedNames()).includes('par.regabort'), false);
  });

  it('rejects registerTool with AbortError for a signal aborted before the call', async () => {
    const error = await rejection(
      context.registerTool({ name: 'par.regpre', description: 'd', execute: () => 1 }, { signal: AbortSignal.abort() }),
    );
    eq(error?.name, 'AbortError');
  });

  const insecure = ['*', '/', 'ftp://files.example', 'http://example.com', 'not a url'];
  const secure = ['https://partner.example', 'http://localhost:8123', 'HTTPS://UPPER.EXAMPLE', 'https://partner.example/with/path'];

  it('accepts only secure origins in exposedTo (SecurityError otherwise) and wants a sequence', async () => {
    const answers: Record<string, string> = {};
    for (const [i, origin] of [...insecure, ...secure].entries()) {
      const controller = new AbortController();
      const tool = { name: `par.exposed.${i}`, description: 'd', execute: () => 1 };
      answers[origin] = (await rejection(context.registerTool(tool, { exposedTo: [origin], signal: controller.signal })))?.name ?? 'ok';
      controller.abort();
    }
    deepEq(answers, Object.fromEntries([...insecure.map((o) => [o, 'SecurityError']), ...secure.map((o) => [o, 'ok'])]));
    const notASequence = { name: 'par.exposed.str', description: 'd', execute: () => 1 };
    eq((await rejection(context.registerTool(notASequence, { exposedTo: 'https://a.example' as unknown as string[] })))?.name, 'TypeError');
  });

  it('accepts only secure origins in fromOrigins (SecurityError otherwise)', async () => {
    const answers: Record<string, string> = {};
    for (const origin of [...insecure, 'https://partner.example']) {
      answers[origin] = (await rejection(context.getTools({ fromOrigins: [origin] })))?.name ?? 'ok';
    }
    deepEq(answers, { ...Object.fromEntries(insecure.map((o) => [o, 'SecurityError'])), 'https://partner.example': 'ok' });
  });

  it('converts name, title and description as WebIDL strings (42 is "42")', async () => {
    const controller = new AbortController();
    const odd = { name: 42, title: 7, description: { toString: () => 'from toString' }, execute: () => 1 };
    await context.registerTool(odd as never, { signal: controller.signal });
    const tool = await find('42');
    deepEq([tool.name, tool.title, tool.description], ['42', '7', 'from toString']);
    controller.abort();
  });

  it('rejects a Symbol name, title or description with TypeError', async () => {
    for (const member of ['name', 'title', 'description']) {
      const tool = { name: 'par.sym', description: 'd', execute: () => 1, [member]: Symbol('x') };
      eq((await rejection(context.registerTool(tool as never)))?.name, 'TypeError', member);
    }
  });

  it('rejects an inputSchema JSON cannot hold: circular and BigInt with TypeError, a throwing getter with its own error', async () => {
    const circular: Record<string, unknown> = { type: 'object' };
    circular.self = circular;
    const schemas: Record<string, object> = {
      circular,
      bigint: { type: 'object', default: 1n },
      throwing: {
        get type(): string {
          throw new RangeError('schema getter');
        },
      },
    };
    const answers: Record<string, string> = {};
    for (const [label, inputSchema] of Object.entries(schemas)) {
      const error = await rejection(context.registerTool({ name: `par.schema.${label}`, description: 'd', inputSchema, execute: () => 1 }));
      answers[label] = error ? `${error.name}${label === 'throwing' ? `: ${error.message}` : ''}` : 'ok';
    }
    deepEq(answers, { circular: 'TypeError', bigint: 'TypeError', throwing: 'RangeError: schema getter' });
    eq(
      (await listedNames()).some((name) => name.startsWith('par.schema.')),
      false,
    );
  });

  it('takes the inputSchema as JSON at registration (toJSON honoured, later changes ignored)', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    await register({ name: 'par.json', description: 'd', inputSchema: { toJSON: () => ({ type: 'string' }) }, execute: () => 1 });
    await register({ name: 'par.copy', description: 'd', inputSchema: schema, execute: () => 1 });
    schema.properties.a.type = 'number';
    deepEq((await find('par.json')).inputSchema, { type: 'string' });
    deepEq((await find('par.copy')).inputSchema, { type: 'object', properties: { a: { type: 'string' } } });
  });

  it('takes the annotations at registration (later changes to the page object ignored)', async () => {
    const annotations = { readOnlyHint: true };
    await register({ name: 'par.hints', description: 'd', annotations, execute: () => 1 });
    annotations.readOnlyHint = false;
    eq((await find('par.hints')).annotations?.readOnlyHint, true);
  });

  it('fires toolactivated (with toolName) at modelContext when a tool runs', async () => {
    const seen: string[] = [];
    const onActivated = (event: Event) => seen.push(`${event.type}:${(event as Event & { toolName?: string }).toolName}`);
    context.addEventListener('toolactivated', onActivated);
    let handler = 0;
    (context as ModelContext & { ontoolactivated: unknown }).ontoolactivated = () => handler++;
    try {
      await register({ name: 'par.activated', description: 'd', execute: () => 'done' });
      eq(await context.executeTool(await find('par.activated'), {}), 'done');
      await until(() => seen.length === 1, 'toolactivated');
      deepEq(seen, ['toolactivated:par.activated']);
      eq(handler, 1);
    } finally {
      context.removeEventListener('toolactivated', onActivated);
      (context as ModelContext & { ontoolactivated: unknown }).ontoolactivated = null;
    }
  });

  it('fires toolcancel (with toolName) when the caller aborts a running tool', async () => {
    const seen: string[] = [];
    const onCancel = (event: Event) => seen.push(`${event.type}:${(event as Event & { toolName?: string }).toolName}`);
    context.addEventListener('toolcancel', onCancel);
    try {
      const calls = await hangingTool('par.cancel');
      const controller = new AbortController();
      const pending = rejection(context.executeTool(await find('par.cancel'), {}, { signal: controller.signal }));
      await until(() => calls.length === 1, 'the tool ran');
      controller.abort();
      eq((await pending)?.name, 'AbortError');
      await until(() => seen.length === 1, 'toolcancel');
      deepEq(seen, ['toolcancel:par.cancel']);
    } finally {
      context.removeEventListener('toolcancel', onCancel);
    }
  });

  it('answers InvalidStateError once its document is detached', async () => {
    const frame = document.createElement('iframe');
    const ready = new Promise((resolve) =>
      window.addEventListener('message', (e) => e.data === 'frame-tools-ready' && resolve(e), { once: true }),
    );
    frame.src = new URL('./frame.html', import.meta.url).pathname;
    document.body.append(frame);
    await ready;
    const frameContext = (frame.contentDocument as Document & { modelContext: ModelContext }).modelContext;
    ok(frameContext, 'the frame has no modelContext');
    frame.remove();
    const register = await rejection(frameContext.registerTool({ name: 'par.detached', description: 'd', execute: () => 1 }));
    const list = await rejection(frameContext.getTools());
    deepEq([register?.name, list?.name], ['InvalidStateError', 'InvalidStateError'], `${register?.message} | ${list?.message}`);
    // And the parent no longer lists the frame's tools.
    eq(
      (await context.getTools()).some((tool) => tool.name === 'frame.only'),
      false,
    );
  });
});
