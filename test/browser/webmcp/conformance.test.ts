/**
 * WebMCP conformance: the same checks on native Chromium (`native` group),
 * our polyfill (`polyfill`) and @mcp-b/global (`mcpb`). Where an
 * implementation differs, the test says which answer each one gives; those
 * are the differences the bridge copes with.
 */
import { installPolyfill, isPolyfill } from '../../../src/bridge/index.js';
import {
  contains,
  context,
  deepEq,
  eq,
  impl,
  listedNames,
  nextToolChange,
  ok,
  register,
  rejection,
  unregisterAll,
  until,
} from './support.js';

const tools = async () => (await context.getTools()).filter((t) => t.window === window);
const find = async (name: string) => (await tools()).find((t) => t.name === name);

describe(`WebMCP conformance (${impl})`, () => {
  afterEach(unregisterAll);

  it('exposes document.modelContext, and the polyfill stays off real implementations', () => {
    ok(['native', 'mcp-b', 'polyfill'].includes(impl), `unexpected implementation ${impl}`);
    eq(typeof context, 'object');
    eq(installPolyfill(), false);
    eq(isPolyfill(context), impl === 'polyfill');
    if (impl === 'native') eq(typeof Object.getOwnPropertyDescriptor(Document.prototype, 'modelContext')?.get, 'function');
  });

  it('registers a tool and lists it as a RegisteredTool', async () => {
    await register({
      name: 'conf.list',
      title: 'List',
      description: 'Lists',
      inputSchema: { type: 'object', properties: { a: { type: 'string' } } },
      execute: () => 1,
    });
    const tool = await find('conf.list');
    deepEq([tool?.name, tool?.description, tool?.origin], ['conf.list', 'Lists', location.origin]);
    eq(tool?.window, window);
    deepEq(tool?.inputSchema, { type: 'object', properties: { a: { type: 'string' } } });
    // native keeps the given title; MCP-B too; all answer a string.
    eq(typeof tool?.title, 'string');
  });

  it('rejects a bad name with InvalidStateError', async () => {
    for (const name of ['has space', '', 'x'.repeat(129), 'ünïcode']) {
      const error = await rejection(context.registerTool({ name, description: 'd', execute: () => 1 }));
      eq(error?.name, 'InvalidStateError', name);
    }
  });

  it('rejects a duplicate name with InvalidStateError', async () => {
    await register({ name: 'conf.dup', description: 'one', execute: () => 1 });
    const error = await rejection(context.registerTool({ name: 'conf.dup', description: 'two', execute: () => 2 }));
    eq(error?.name, 'InvalidStateError');
  });

  it('rejects an empty description with InvalidStateError', async () => {
    const error = await rejection(context.registerTool({ name: 'conf.nodesc', description: '', execute: () => 1 }));
    eq(error?.name, 'InvalidStateError');
  });

  it('rejects an inputSchema that is a string (all three want an object)', async () => {
    const error = await rejection(
      context.registerTool({
        name: 'conf.strschema',
        description: 'd',
        inputSchema: '{"type":"object"}' as unknown as object,
        execute: () => 1,
      }),
    );
    eq(error?.name, 'TypeError');
  });

  it('unregisters on abort and fires toolchange', async () => {
    const changed = nextToolChange();
    const controller = await register({ name: 'conf.abort', description: 'd', execute: () => 1 });
    await changed;
    ok(await find('conf.abort'), 'registered tool missing');
    const changedAgain = nextToolChange();
    controller.abort();
    await changedAgain;
    eq(await find('conf.abort'), undefined);
  });

  it('fires ontoolchange too', async () => {
    let fired = 0;
    context.ontoolchange = () => fired++;
    await register({ name: 'conf.handler', description: 'd', execute: () => 1 });
    await until(() => fired > 0, 'ontoolchange called');
    context.ontoolchange = null;
  });

  it('accepts exposedTo (MCP-B without native refuses it: NotSupportedError)', async () => {
    const error = await rejection(
      register({ name: 'conf.exposed', description: 'd', execute: () => 1 }, { exposedTo: ['https://partner.example'] }),
    );
    if (impl === 'mcp-b') eq(error?.name, 'NotSupportedError');
    else eq(error, undefined);
  });

  it('lists tools sorted by name', async () => {
    await register({ name: 'conf.sort.b', description: 'd', execute: () => 1 });
    await register({ name: 'conf.sort.a', description: 'd', execute: () => 1 });
    const names = (await tools()).map((t) => t.name).filter((n) => n.startsWith('conf.sort.'));
    deepEq(names, ['conf.sort.a', 'conf.sort.b']);
  });

  describe('executeTool', () => {
    it('takes an object (native, polyfill) or only a JSON string (MCP-B without native)', async () => {
      await register({ name: 'conf.echo', description: 'd', execute: (input: unknown) => ({ got: input }) });
      const tool = (await find('conf.echo'))!;
      const asObject = await rejection(context.executeTool(tool, { a: 'x' }));
      const asString = await rejection(context.executeTool(tool, '{"a":"y"}'));
      if (impl === 'native') {
        eq(asObject, undefined);
        eq(asString?.name, 'TypeError');
        contains(asString?.message, 'invalid input object');
        eq(await context.executeTool(tool, { a: 'x' }), '{"got":{"a":"x"}}');
      } else if (impl === 'mcp-b') {
        contains(asObject?.message, 'Failed to parse input arguments');
        eq(await context.executeTool(tool, '{"a":"y"}'), '{"got":{"a":"y"}}');
      } else {
        eq(asObject, undefined);
        eq(asString, undefined);
        eq(await context.executeTool(tool, { a: 'x' }), '{"got":{"a":"x"}}');
      }
    });

    const input = () => (impl === 'mcp-b' ? '{}' : {});

    it('answers a returned string raw, undefined as "undefined", null and numbers as JSON', async () => {
      await register({ name: 'conf.r.str', description: 'd', execute: () => 'plain' });
      await register({ name: 'conf.r.undef', description: 'd', execute: () => undefined });
      await register({ name: 'conf.r.null', description: 'd', execute: () => null });
      await register({ name: 'conf.r.num', description: 'd', execute: () => 42 });
      const run = async (name: string) => context.executeTool((await find(name))!, input());
      eq(await run('conf.r.str'), 'plain');
      eq(await run('conf.r.undef'), 'undefined');
      eq(await run('conf.r.num'), '42');
      // MCP-B answers String(null) for null: "null" either way.
      eq(await run('conf.r.null'), 'null');
    });

    it('rejects with UnknownError when the tool throws; native loses the message', async () => {
      await register({
        name: 'conf.throw',
        description: 'd',
        execute: () => {
          throw new Error('boom');
        },
      });
      const error = await rejection(context.executeTool((await find('conf.throw'))!, input()));
      eq(error?.name, 'UnknownError');
      if (impl === 'native') ok(!String(error?.message).includes('boom'), 'native kept the message');
      else contains(error?.message, 'boom');
    });

    it('passes {signal} to execute (native, polyfill; MCP-B never does) and rejects on abort', async () => {
      let started = false;
      let seen: AbortSignal | undefined;
      await register({
        name: 'conf.hang',
        description: 'd',
        execute: (_input, ctx) => {
          started = true;
          seen = ctx?.signal;
          return new Promise(() => {});
        },
      });
      const controller = new AbortController();
      const pending = rejection(context.executeTool((await find('conf.hang'))!, input(), { signal: controller.signal }));
      // Abort once the tool runs (not after a guessed delay: on a busy machine it may not have started yet).
      await until(() => started, 'the tool started');
      controller.abort();
      const error = await pending;
      eq(error?.name, 'AbortError');
      if (impl === 'mcp-b') eq(seen, undefined);
      // Native rejects executeTool first and aborts the tool's signal a task later: wait for that.
      else await until(() => seen?.aborted === true, "the tool's signal aborted");
    });

    it('refuses a handle whose tool was unregistered', async () => {
      const controller = await register({ name: 'conf.stale', description: 'd', execute: () => 1 });
      const tool = (await find('conf.stale'))!;
      controller.abort();
      await until(async () => !(await listedNames()).includes('conf.stale'), 'conf.stale unregistered');
      const error = await rejection(context.executeTool(tool, input()));
      ok(error, 'a stale handle ran');
      // native: UnknownError "…unknown transient reason…"; polyfill: NotFoundError; MCP-B: UnknownError "Tool not found".
    });
  });
});
