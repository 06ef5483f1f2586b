/**
 * Tool misbehaviour, end to end in Chromium: a page tool that throws, hangs,
 * answers nonsense or leaves; a model that asks for what it may not have.
 * Every case is contained (the turn goes on to `execution_complete`), the
 * model is told something it can act on, and no call runs twice.
 */
import { createBridge } from '../../../src/bridge/index.js';
import type { ToolCallState } from '../../../src/client/state.js';
import {
  assertRunCompleted,
  contains,
  deepEq,
  eq,
  impl,
  ok,
  register,
  runTurn,
  uid,
  unregisterAll,
  type TurnOptions,
  type TurnResult,
} from './support.js';

const FINAL = 'Handled.';
/**
 * What the bridge can say when the WebMCP lost the tool's own error: native
 * Chromium always. (MCP-B keeps only an Error's message; the widget's watch on
 * its registerTool makes anything else thrown an Error first.)
 */
const NATIVE_LOST = (name: string) => `Tool "${name}" failed. The browser did not pass on the tool's own error message.`;

interface CaseResult extends TurnResult {
  id: string;
  /** What the server received for the call (`{result}` or `{error}`). */
  output: { result?: unknown; error?: string } | undefined;
  call: ToolCallState;
  /** How many times the page's function was entered. */
  runs: number;
}

/**
 * Registers `name`, lets the model call it once with `args`, then finish.
 * Asserts what every case shares: one resume, accepted once, the run completed.
 */
async function oneCall(
  name: string,
  execute: (input: Record<string, unknown>, controller: AbortController) => unknown,
  options: { args?: Record<string, unknown>; inputSchema?: object; bridge?: TurnOptions['bridge'] } = {},
): Promise<CaseResult> {
  const id = uid(name);
  let runs = 0;
  const controller: AbortController = await register({
    name,
    description: `The ${name} tool`,
    inputSchema: options.inputSchema ?? { type: 'object', properties: {} },
    execute: (input: Record<string, unknown>) => {
      runs += 1;
      return execute(input, controller);
    },
  });
  const result = await runTurn({
    turns: [[{ toolCall: { name: `webmcp:${name}`, id, arguments: options.args ?? {} } }], FINAL],
    ...(options.bridge ? { bridge: options.bridge } : {}),
  });
  assertRunCompleted(result, FINAL);
  eq(result.resumes.length, 1, 'resumes posted');
  const output = result.resumes[0]!.toolOutputs?.[id] as CaseResult['output'];
  eq(result.log.acceptedToolOutputs[id], 1, `times the server accepted ${id}`);
  const call = result.state.toolCalls[id];
  ok(call, `no tool call ${id} in the session state`);
  return { ...result, id, output, call: call!, runs };
}

afterEach(unregisterAll);

describe(`tool misbehaviour (${impl})`, () => {
  it('throws an Error: the model gets the message (or a plain "failed" where the browser drops it), status failed', async () => {
    const r = await oneCall('throws_error', () => {
      throw new Error('Out of stock: SKU 42');
    });
    eq(r.runs, 1, 'runs');
    eq(r.call.status, 'failed');
    // Native Chromium reports UnknownError and loses the text; say so instead of guessing.
    if (impl === 'native') deepEq(r.output, { error: NATIVE_LOST('throws_error') });
    else deepEq(r.output, { error: 'Tool "throws_error" failed: Out of stock: SKU 42' });
    eq(r.call.error, r.output!.error, 'the person sees what the model was told');
  });

  it('throws a non-Error (a plain object): the model gets its JSON, not "[object Object]"', async () => {
    const r = await oneCall('throws_object', () => {
      throw { code: 'E_STOCK', sku: 42 };
    });
    eq(r.call.status, 'failed');
    if (impl === 'native') deepEq(r.output, { error: NATIVE_LOST('throws_object') });
    else deepEq(r.output, { error: 'Tool "throws_object" failed: {"code":"E_STOCK","sku":42}' });
  });

  it('throws a string: the string is the message', async () => {
    const r = await oneCall('throws_string', () => {
      throw 'cart is locked';
    });
    eq(r.call.status, 'failed');
    deepEq(r.output, { error: impl === 'native' ? NATIVE_LOST('throws_string') : 'Tool "throws_string" failed: cart is locked' });
  });

  it('rejects: the rejection reason reaches the model, status failed', async () => {
    const r = await oneCall('rejects', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new TypeError('payment service unavailable');
    });
    eq(r.call.status, 'failed');
    deepEq(r.output, { error: impl === 'native' ? NATIVE_LOST('rejects') : 'Tool "rejects" failed: payment service unavailable' });
  });

  it('hangs past its timeout: stopped, the model is told it may or may not have taken effect, status timed-out', async () => {
    const r = await oneCall('hangs', () => new Promise(() => {}), { bridge: { toolTimeouts: { hangs: 300 } } });
    eq(r.runs, 1, 'runs');
    eq(r.call.status, 'timed-out');
    deepEq(r.output, { error: 'Tool "hangs" did not finish within 300 ms and was stopped. It may or may not have taken effect.' });
  });

  it('returns undefined: an honest null result, status done', async () => {
    const r = await oneCall('returns_undefined', () => undefined);
    eq(r.call.status, 'done');
    deepEq(r.output, { result: null });
  });

  // MCP-B serialises results itself (String(value) where JSON.stringify fails or
  // gives nothing); the widget's watch on its registerTool answers ours first.
  it('returns a circular object: serialised with the cycle marked (native: a failed call)', async () => {
    const r = await oneCall('returns_circular', () => {
      const node: Record<string, unknown> = { name: 'lamp' };
      node.self = node;
      return node;
    });
    if (impl === 'native') {
      // Native serialises inside the browser, fails the call and keeps no message.
      eq(r.call.status, 'failed');
      deepEq(r.output, { error: NATIVE_LOST('returns_circular') });
    } else {
      eq(r.call.status, 'done');
      deepEq(r.output, { result: { name: 'lamp', self: '[Circular]' } });
    }
  });

  it('returns a BigInt: the digits as a string (native: a failed call)', async () => {
    const r = await oneCall('returns_bigint', () => ({ stock: 12345678901234567890n }));
    if (impl === 'native') {
      eq(r.call.status, 'failed');
      deepEq(r.output, { error: NATIVE_LOST('returns_bigint') });
    } else {
      eq(r.call.status, 'done');
      deepEq(r.output, { result: { stock: '12345678901234567890' } });
    }
  });

  it('returns a function: no value (null), never the source text', async () => {
    const r = await oneCall(
      'returns_function',
      () =>
        function secret() {
          return 'source';
        },
    );
    eq(r.call.status, 'done');
    deepEq(r.output, { result: null });
  });

  it('returns megabytes: cut to the 32 KB cap with a visible mark, status done and marked truncated', async () => {
    const r = await oneCall('returns_megabytes', () => 'x'.repeat(3 * 1024 * 1024));
    eq(r.call.status, 'done');
    eq(r.call.truncated, true, 'truncated');
    const result = r.output?.result;
    ok(typeof result === 'string', `result is ${typeof result}`);
    contains(result as string, "[truncated: the tool's result was 3145728 bytes; only the first 32768 are shown]");
    ok((result as string).length < 33 * 1024, `posted ${(result as string).length} characters`);
  });

  it('unregisters itself mid-call: its answer still counts (it ran), and the page no longer lists it', async function () {
    // MCP-B rejects a call whose tool is unregistered while it runs ("Tool
    // unregistered") and drops the answer, so the bridge only learns it failed.
    if (impl === 'mcp-b') this.skip();
    const r = await oneCall('leaves_midway', async (_input, controller) => {
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { removed: true };
    });
    eq(r.runs, 1, 'runs');
    eq(r.call.status, 'done');
    deepEq(r.output, { result: { removed: true } });
    const after = await createBridge().snapshot();
    ok(!after.tools.some((tool) => tool.name === 'leaves_midway'), 'still listed after unregistering');
  });

  it('invalid arguments: not run; the model is told which argument is wrong and to call again', async () => {
    const r = await oneCall('set_quantity', () => 'set', {
      args: { quantity: 'many' },
      inputSchema: { type: 'object', properties: { quantity: { type: 'integer', minimum: 1 } }, required: ['quantity'] },
    });
    eq(r.runs, 0, 'runs');
    eq(r.call.status, 'failed');
    contains(r.output?.error, 'Invalid arguments for tool "set_quantity"');
    contains(r.output!.error, 'arguments.quantity');
    contains(r.output!.error, 'call it again');
  });

  it('twenty calls in parallel: one resume with twenty outputs, each the right one, each run and accepted once', async () => {
    const counts = new Map<number, number>();
    await register({
      name: 'stock_of',
      description: 'Stock of one item',
      inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
      // Later calls answer first, so outputs arrive out of order.
      execute: async ({ n }: Record<string, unknown>) => {
        counts.set(n as number, (counts.get(n as number) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 60 - 3 * (n as number)));
        return { n, stock: (n as number) * 10 };
      },
    });
    const ids = Array.from({ length: 20 }, (_, n) => uid(`par${n}`));
    const result = await runTurn({
      turns: [[{ toolCalls: ids.map((id, n) => ({ name: 'webmcp:stock_of', id, arguments: { n } })) }], FINAL],
    });
    assertRunCompleted(result, FINAL);
    eq(result.resumes.length, 1, 'resumes');
    const outputs = result.resumes[0]!.toolOutputs!;
    eq(Object.keys(outputs).length, 20, 'outputs in the resume');
    ids.forEach((id, n) => {
      deepEq(outputs[id], { result: { n, stock: n * 10 } }, `output of call ${n}`);
      eq(result.log.acceptedToolOutputs[id], 1, `accepted ${id}`);
      eq(result.state.toolCalls[id]?.status, 'done', `status of call ${n}`);
      eq(counts.get(n), 1, `runs of call ${n}`);
    });
  });
});

describe(`the model asks for a tool it may not have (${impl})`, () => {
  /** The server answers such a call itself (tool_complete with an error); the page never runs anything. */
  function serverRefused(result: TurnResult, id: string, modelName: string): void {
    assertRunCompleted(result, FINAL);
    eq(result.resumes.length, 0, 'resumes');
    eq(result.log.acceptedToolOutputs[id], undefined, 'accepted outputs');
    const call = result.state.toolCalls[id];
    eq(call?.kind, 'server', 'answered by');
    eq(call?.status, 'failed');
    eq(call?.error, `no tool named "${modelName}" is available`);
  }

  it('an unknown tool: the model is told no such tool is available; nothing runs', async () => {
    const id = uid('unknown');
    const result = await runTurn({ turns: [[{ toolCall: { name: 'webmcp:no_such_tool', id } }], FINAL] });
    serverRefused(result, id, 'webmcp:no_such_tool');
  });

  it('a tool the server did not admit (token allowlist): dropped at admission, refused when called, never run', async () => {
    let runs = 0;
    await register({
      name: 'delete_account',
      description: 'Deletes the account',
      execute: () => {
        runs += 1;
        return 'deleted';
      },
    });
    await register({ name: 'search_items', description: 'Searches', execute: () => [] });
    const id = uid('unadmitted');
    const result = await runTurn({ token: 'ct_test_restricted', turns: [[{ toolCall: { name: 'webmcp:delete_account', id } }], FINAL] });
    serverRefused(result, id, 'webmcp:delete_account');
    eq(runs, 0, 'runs');
    ok(result.state.admission?.admitted.includes('search_items'), `admitted: ${JSON.stringify(result.state.admission)}`);
    ok(!result.state.admission?.admitted.includes('delete_account'), 'delete_account was admitted');
  });

  it('a tool the client allowlist blocks: never sent, refused by the server, and the bridge itself refuses it too', async () => {
    let runs = 0;
    await register({
      name: 'wipe_cart',
      description: 'Empties the cart',
      execute: () => {
        runs += 1;
        return 'wiped';
      },
    });
    await register({ name: 'search_catalog', description: 'Searches', execute: () => [] });
    const id = uid('blocked');
    const result = await runTurn({ bridge: { allowlist: ['search_*'] }, turns: [[{ toolCall: { name: 'webmcp:wipe_cart', id } }], FINAL] });
    serverRefused(result, id, 'webmcp:wipe_cart');
    const chat = result.log.requests.find((request) => request.endpoint === 'chat')!;
    deepEq(
      chat.body.clientTools?.map((tool) => tool.name),
      ['search_catalog'],
      'tools sent',
    );
    ok(
      result.state.droppedTools.some((tool) => tool.name === 'wipe_cart' && tool.reason === 'blocked_by_client_allowlist'),
      'not listed as dropped',
    );
    // Should a server await it anyway, the bridge answers without running it.
    const bridge = createBridge({ allowlist: ['search_*'] });
    const outcome = await bridge.run({ toolCallId: id, toolName: 'webmcp:wipe_cart', parameters: {} }, await bridge.snapshot());
    deepEq(outcome.output, { error: 'Tool "wipe_cart" is blocked by this site\'s client allowlist; it was not run.' });
    eq(runs, 0, 'runs');
  });
});
