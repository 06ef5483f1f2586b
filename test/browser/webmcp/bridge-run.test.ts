/**
 * bridge.run end to end in Chromium, on whichever WebMCP this group has.
 */
import { createBridge, type ApproveFn } from '../../../src/bridge/index.js';
import { contains, deepEq, eq, impl, listedNames, register, unregisterAll, until } from './support.js';

const call = (toolName: string, parameters: unknown = {}) => ({ toolCallId: `c-${toolName}`, toolName, parameters });

describe(`bridge.run (${impl})`, () => {
  afterEach(unregisterAll);

  it('normalises object, string, undefined and MCP results', async () => {
    await register({
      name: 'run.obj',
      description: 'd',
      execute: (input: { n: number }) => ({ double: input.n * 2 }),
      inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    });
    await register({ name: 'run.str', description: 'd', execute: () => 'plain text' });
    await register({ name: 'run.undef', description: 'd', execute: () => undefined });
    await register({ name: 'run.mcp', description: 'd', execute: () => ({ content: [{ type: 'text', text: 'from MCP' }] }) });
    await register({
      name: 'run.mcperr',
      description: 'd',
      execute: () => ({ content: [{ type: 'text', text: 'no such product' }], isError: true }),
    });
    const bridge = createBridge();
    const snap = await bridge.snapshot();
    deepEq((await bridge.run(call('webmcp:run.obj', { n: 21 }), snap)).output, { result: { double: 42 } });
    deepEq((await bridge.run(call('run.str'), snap)).output, { result: 'plain text' });
    deepEq((await bridge.run(call('run.undef'), snap)).output, { result: null });
    deepEq((await bridge.run(call('run.mcp'), snap)).output, { result: 'from MCP' });
    const failed = await bridge.run(call('run.mcperr'), snap);
    deepEq([failed.status, failed.output], ['failed', { error: 'no such product' }]);
    // a second call after the input form was learnt still works
    deepEq((await bridge.run(call('run.obj', { n: 1 }), snap)).output, { result: { double: 2 } });
  });

  it('answers bad arguments precisely without running the tool', async () => {
    let ran = false;
    await register({
      name: 'run.typed',
      description: 'd',
      inputSchema: { type: 'object', properties: { qty: { type: 'integer' } }, required: ['qty'] },
      execute: () => {
        ran = true;
      },
    });
    const bridge = createBridge();
    const outcome = await bridge.run(call('run.typed', { qty: 'two' }), await bridge.snapshot());
    contains((outcome.output as { error: string }).error, 'arguments.qty: Instance type "string" is invalid. Expected "integer"');
    eq(ran, false);
  });

  it('reports a throwing tool (native loses the message, the others keep it)', async () => {
    await register({
      name: 'run.throw',
      description: 'd',
      execute: () => {
        throw new Error('out of stock');
      },
    });
    const bridge = createBridge();
    const outcome = await bridge.run(call('run.throw'), await bridge.snapshot());
    eq(outcome.status, 'failed');
    const error = (outcome.output as { error: string }).error;
    if (impl === 'native') eq(error, 'Tool "run.throw" failed. The browser did not pass on the tool\'s own error message.');
    else eq(error, 'Tool "run.throw" failed: out of stock');
  });

  it('times out a hanging tool', async () => {
    let signal: AbortSignal | undefined;
    await register({
      name: 'run.hang',
      description: 'd',
      execute: (_input, ctx) => {
        signal = ctx?.signal;
        return new Promise(() => {});
      },
    });
    const bridge = createBridge({ toolTimeouts: { 'run.hang': 150 } });
    const outcome = await bridge.run(call('run.hang'), await bridge.snapshot());
    eq(outcome.status, 'timed-out');
    eq(
      (outcome.output as { error: string }).error,
      'Tool "run.hang" did not finish within 150 ms and was stopped. It may or may not have taken effect.',
    );
    // Native aborts the tool's signal a task after executeTool rejects; wait for it, boundedly.
    if (impl !== 'mcp-b') await until(() => signal?.aborted === true, "the tool's signal aborted"); // MCP-B never passes a signal to execute
  });

  it("cancels through the caller's signal", async () => {
    let started = false;
    await register({
      name: 'run.slow',
      description: 'd',
      execute: () => {
        started = true;
        return new Promise(() => {});
      },
    });
    const bridge = createBridge();
    const controller = new AbortController();
    const pending = bridge.run(call('run.slow'), await bridge.snapshot(), { signal: controller.signal });
    await until(() => started, 'the tool started');
    controller.abort();
    eq((await pending).status, 'cancelled');
  });

  it('asks for approval on a consequential tool (MCP-B: only destructiveHint survives)', async () => {
    let runs = 0;
    await register({
      name: 'run.buy',
      description: 'Buys',
      annotations: { consequentialHint: true, destructiveHint: true },
      execute: () => ++runs,
    });
    const bridge = createBridge();
    const snap = await bridge.snapshot();
    const reasons: string[] = [];
    const decline: ApproveFn = async (request) => {
      reasons.push(request.reason);
      return 'decline';
    };
    eq((await bridge.run(call('run.buy'), snap, { approve: decline })).status, 'declined');
    eq(runs, 0);
    deepEq(reasons, [impl === 'mcp-b' ? 'destructive' : 'consequential']);
    const always: ApproveFn = async () => 'always-allow';
    deepEq((await bridge.run(call('run.buy'), snap, { approve: always })).output, { result: 1 });
    const again = await bridge.run(call('run.buy'), snap, { approve: decline });
    deepEq([again.approval, again.output], ['remembered', { result: 2 }]);
  });

  it('caps a large result with a visible mark', async () => {
    await register({ name: 'run.big', description: 'd', execute: () => 'x'.repeat(40_000) });
    const bridge = createBridge();
    const outcome = await bridge.run(call('run.big'), await bridge.snapshot());
    eq(outcome.truncated, true);
    contains(
      (outcome.output as { result: string }).result,
      "…[truncated: the tool's result was 40000 bytes; only the first 32768 are shown]",
    );
  });

  it('refuses a tool unregistered since the snapshot, and one registered after it', async () => {
    const controller = await register({ name: 'run.gone', description: 'd', execute: () => 1 });
    const bridge = createBridge();
    const snap = await bridge.snapshot();
    controller.abort();
    await until(async () => !(await listedNames()).includes('run.gone'), 'run.gone unregistered');
    await register({ name: 'run.late', description: 'd', execute: () => 1 });
    deepEq((await bridge.run(call('run.gone'), snap)).output, {
      error: 'Tool "run.gone" is no longer registered on the page; it cannot run now.',
    });
    contains(
      ((await bridge.run(call('run.late'), snap)).output as { error: string }).error,
      'is not registered on this page for this turn',
    );
  });

  it('fires onToolsChanged on toolchange', async () => {
    const bridge = createBridge();
    let changes = 0;
    bridge.onToolsChanged(() => changes++);
    await register({ name: 'run.change', description: 'd', execute: () => 1 });
    await until(() => changes > 0, 'a toolchange reaching the bridge');
    bridge.dispose();
  });
});
