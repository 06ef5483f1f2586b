import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBridge } from '../../../src/bridge/create-bridge.js';
import type { ApproveFn, ApprovalRequest } from '../../../src/bridge/types.js';
import { fakePage, tool, ORIGIN } from './helpers.js';

const call = (toolName: string, parameters: unknown = {}) => ({ toolCallId: 'c1', toolName, parameters });

afterEach(() => vi.useRealTimers());

describe('bridge over the polyfill', () => {
  it('reports its kind and snapshots tools with fingerprint and origin', async () => {
    const { win, context } = fakePage();
    await context.registerTool(tool('search', () => 'x', { inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }));
    const bridge = createBridge({ window: win });
    expect(bridge.kind).toBe('polyfill');
    const snap = await bridge.snapshot();
    expect(snap.tools).toEqual([
      {
        name: 'search',
        description: 'search tool',
        parametersSchema: { type: 'object', properties: { q: { type: 'string' } } },
        origin: 'webmcp',
        pageOrigin: ORIGIN,
      },
    ]);
    expect(snap.fingerprint).toMatch(/^ct1-1-/);
  });

  it('reports none without any WebMCP and answers calls with an error', async () => {
    const bridge = createBridge({ window: { document: {}, navigator: {} } });
    expect(bridge.kind).toBe('none');
    const snap = await bridge.snapshot();
    expect(snap.tools).toEqual([]);
    const outcome = await bridge.run(call('x'), snap);
    expect(outcome.output).toEqual({ error: 'Tool "x" is not registered on this page for this turn; it was not run.' });
  });

  it('runs by bare name, stripping webmcp:, and normalises the result', async () => {
    const { win, context } = fakePage();
    await context.registerTool(
      tool('add', (input: { a: number; b: number }) => ({ sum: input.a + input.b }), {
        inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      }),
    );
    const bridge = createBridge({ window: win });
    const snap = await bridge.snapshot();
    const outcome = await bridge.run(call('webmcp:add', { a: 1, b: 2 }), snap);
    expect(outcome).toMatchObject({
      output: { result: { sum: 3 } },
      status: 'done',
      approval: 'not-required',
      untrusted: false,
      truncated: false,
    });
  });

  it('never runs a tool registered after the snapshot', async () => {
    const { win, context } = fakePage();
    const bridge = createBridge({ window: win });
    const snap = await bridge.snapshot();
    const execute = vi.fn(() => 'ran');
    await context.registerTool(tool('late', execute));
    const outcome = await bridge.run(call('late'), snap);
    expect(outcome.output).toEqual({ error: 'Tool "late" is not registered on this page for this turn; it was not run.' });
    expect(execute).not.toHaveBeenCalled();
  });

  it('says a tool unregistered since the snapshot is no longer registered', async () => {
    const { win, context } = fakePage();
    const controller = new AbortController();
    await context.registerTool(tool('gone'), { signal: controller.signal });
    const bridge = createBridge({ window: win });
    const snap = await bridge.snapshot();
    controller.abort();
    expect((await bridge.run(call('gone'), snap)).output).toEqual({
      error: 'Tool "gone" is no longer registered on the page; it cannot run now.',
    });
  });

  it('answers a blocked tool without running it', async () => {
    const { win, context } = fakePage();
    const execute = vi.fn();
    await context.registerTool(tool('admin.delete', execute));
    const bridge = createBridge({ window: win, allowlist: ['cart.*'] });
    const snap = await bridge.snapshot();
    expect(snap.dropped).toEqual([
      { name: 'admin.delete', reason: 'blocked_by_client_allowlist', detail: 'not matched by the client allowlist' },
    ]);
    expect((await bridge.run(call('admin.delete'), snap)).output).toEqual({
      error: 'Tool "admin.delete" is blocked by this site\'s client allowlist; it was not run.',
    });
    expect(execute).not.toHaveBeenCalled();
  });

  it('validates arguments before running', async () => {
    const { win, context } = fakePage();
    const execute = vi.fn();
    await context.registerTool(
      tool('buy', execute, { inputSchema: { type: 'object', properties: { qty: { type: 'integer' } }, required: ['qty'] } }),
    );
    const bridge = createBridge({ window: win });
    const outcome = await bridge.run(call('buy', { qty: 'many' }), await bridge.snapshot());
    expect(outcome.status).toBe('failed');
    expect(outcome.output).toEqual({
      error:
        'Invalid arguments for tool "buy": arguments.qty: Instance type "string" is invalid. Expected "integer". Fix the arguments to match the tool\'s parameters schema and call it again.',
    });
    expect(execute).not.toHaveBeenCalled();
  });

  it("keeps a throwing tool's own message (polyfill)", async () => {
    const { win, context } = fakePage();
    await context.registerTool(
      tool('boom', () => {
        throw new Error('out of stock');
      }),
    );
    const bridge = createBridge({ window: win });
    expect(await bridge.run(call('boom'), await bridge.snapshot())).toMatchObject({
      output: { error: 'Tool "boom" failed: out of stock' },
      status: 'failed',
    });
  });

  it('marks results of untrusted tools and caps them', async () => {
    const { win, context } = fakePage();
    await context.registerTool(tool('reviews', () => 'r'.repeat(5000), { annotations: { untrustedContentHint: true } }));
    const bridge = createBridge({ window: win, maxResultBytes: 100 });
    const snap = await bridge.snapshot();
    expect(snap.tools[0]?.untrustedContentHint).toBe(true);
    const outcome = await bridge.run(call('reviews'), snap);
    expect(outcome.untrusted).toBe(true);
    expect(outcome.truncated).toBe(true);
    expect((outcome.output as { result: string }).result).toBe(
      'r'.repeat(100) + "\n…[truncated: the tool's result was 5000 bytes; only the first 100 are shown]",
    );
  });

  it('handles circular and BigInt results from the polyfill path', async () => {
    const { win, context } = fakePage();
    await context.registerTool(
      tool('weird', () => {
        const o: Record<string, unknown> = { n: 1n };
        o.o = o;
        return o;
      }),
    );
    const bridge = createBridge({ window: win });
    expect((await bridge.run(call('weird'), await bridge.snapshot())).output).toEqual({ result: { n: '1', o: '[Circular]' } });
  });

  it('times out a hanging tool and aborts its signal', async () => {
    vi.useFakeTimers();
    const { win, context } = fakePage();
    let seen: AbortSignal | undefined;
    await context.registerTool(
      tool('hang', (_input, ctx) => {
        seen = ctx?.signal;
        return new Promise(() => {});
      }),
    );
    const bridge = createBridge({ window: win, timeoutMs: 1000, toolTimeouts: { hang: 5000 } });
    const snap = await bridge.snapshot();
    const pending = bridge.run(call('hang'), snap);
    await vi.advanceTimersByTimeAsync(4999);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const outcome = await pending;
    expect(outcome).toMatchObject({
      status: 'timed-out',
      output: { error: 'Tool "hang" did not finish within 5 s and was stopped. It may or may not have taken effect.' },
    });
    expect(seen?.aborted).toBe(true);
  });

  it("cancels a running call through the caller's signal", async () => {
    const { win, context } = fakePage();
    let seen: AbortSignal | undefined;
    await context.registerTool(
      tool('slow', (_input, ctx) => {
        seen = ctx?.signal;
        return new Promise(() => {});
      }),
    );
    const bridge = createBridge({ window: win });
    const controller = new AbortController();
    const phases: string[] = [];
    const pending = bridge.run(call('slow'), await bridge.snapshot(), { signal: controller.signal, onPhase: (p) => phases.push(p) });
    await vi.waitFor(() => expect(seen).toBeDefined());
    controller.abort();
    expect(await pending).toMatchObject({
      status: 'cancelled',
      output: { error: 'The call to "slow" was cancelled before it finished. It may or may not have taken effect.' },
    });
    expect(seen?.aborted).toBe(true);
    expect(phases).toEqual(['running']);
  });

  it('never throws, even for nonsense input', async () => {
    const { win } = fakePage();
    const bridge = createBridge({ window: win });
    const outcome = await bridge.run({ toolCallId: 'x', toolName: undefined as unknown as string, parameters: 1 }, {} as never);
    expect(outcome.status).toBe('failed');
    expect('error' in outcome.output).toBe(true);
  });

  it('notifies listeners on toolchange and stops after dispose', async () => {
    const { win, context } = fakePage();
    const bridge = createBridge({ window: win });
    const listener = vi.fn();
    bridge.onToolsChanged(listener);
    await context.registerTool(tool('a'));
    await vi.waitFor(() => expect(listener).toHaveBeenCalledTimes(1));
    bridge.dispose();
    await context.registerTool(tool('b'));
    await new Promise((r) => setTimeout(r, 5));
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('approval', () => {
  async function setup(extra: Parameters<typeof createBridge>[0] = {}) {
    const { win, context } = fakePage();
    const execute = vi.fn(() => 'done');
    await context.registerTool(tool('checkout', execute, { title: 'Checkout', annotations: { consequentialHint: true } }));
    await context.registerTool(tool('wipe', execute, { annotations: { destructiveHint: true } }));
    await context.registerTool(tool('search', execute));
    const bridge = createBridge({ window: win, ...extra });
    return { bridge, execute, snap: await bridge.snapshot() };
  }

  it('asks for consequential tools and runs on allow-once, asking again next time', async () => {
    const { bridge, execute, snap } = await setup();
    const requests: ApprovalRequest[] = [];
    const approve: ApproveFn = async (request) => {
      requests.push(request);
      return 'allow-once';
    };
    const phases: string[] = [];
    expect(await bridge.run(call('checkout', { id: 1 }), snap, { approve, onPhase: (p) => phases.push(p) })).toMatchObject({
      status: 'done',
      approval: 'allowed-once',
    });
    expect(await bridge.run(call('checkout'), snap, { approve })).toMatchObject({ approval: 'allowed-once' });
    expect(requests).toHaveLength(2);
    expect(requests[0]).toEqual({
      toolCallId: 'c1',
      toolName: 'checkout',
      title: 'Checkout',
      description: 'checkout tool',
      arguments: { id: 1 },
      pageOrigin: ORIGIN,
      reason: 'consequential',
    });
    expect(phases).toEqual(['awaiting-approval', 'running']);
    expect(execute).toHaveBeenCalledTimes(2);
  });

  it('asks for MCP destructiveHint tools too', async () => {
    const { bridge, snap } = await setup();
    const approve = vi.fn<ApproveFn>(async () => 'allow-once');
    await bridge.run(call('wipe'), snap, { approve });
    expect(approve.mock.calls[0]?.[0].reason).toBe('destructive');
  });

  it('remembers always-allow in the store and does not ask again', async () => {
    const remembered = new Set<string>();
    const store = { has: async (n: string) => remembered.has(n), remember: async (n: string) => void remembered.add(n) };
    const { bridge, snap } = await setup({ approvalMemory: store });
    const approve = vi.fn<ApproveFn>(async () => 'always-allow');
    expect(await bridge.run(call('checkout'), snap, { approve })).toMatchObject({ status: 'done', approval: 'always-allowed' });
    // Remembered by identity (name + hints + schema…), not by name alone.
    expect([...remembered]).toEqual([expect.stringMatching(/^checkout#/)]);
    expect(await bridge.run(call('checkout'), snap, { approve })).toMatchObject({ status: 'done', approval: 'remembered' });
    expect(approve).toHaveBeenCalledTimes(1);
  });

  it('declines without running', async () => {
    const { bridge, execute, snap } = await setup();
    const outcome = await bridge.run(call('checkout'), snap, { approve: async () => 'decline' });
    expect(outcome).toMatchObject({
      status: 'declined',
      approval: 'declined',
      output: { error: 'The person declined to run "checkout". Do not call it again unless they ask for it.' },
    });
    expect(execute).not.toHaveBeenCalled();
  });

  it('declines when approval is needed but there is no one to ask', async () => {
    const { bridge, execute, snap } = await setup();
    expect(await bridge.run(call('checkout'), snap)).toMatchObject({ status: 'declined' });
    expect(execute).not.toHaveBeenCalled();
  });

  it('follows the host policy for tools without hints', async () => {
    const { bridge, snap } = await setup({ requiresApproval: (t) => t.name === 'search' });
    const approve = vi.fn<ApproveFn>(async () => 'allow-once');
    await bridge.run(call('search'), snap, { approve });
    expect(approve.mock.calls[0]?.[0].reason).toBe('policy');
  });

  it('cancels while waiting for approval and tells the approver', async () => {
    const { bridge, execute, snap } = await setup();
    const controller = new AbortController();
    let approverSignal: AbortSignal | undefined;
    const approve: ApproveFn = (_request, signal) => {
      approverSignal = signal;
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve('decline')));
    };
    const pending = bridge.run(call('checkout'), snap, { approve, signal: controller.signal });
    await vi.waitFor(() => expect(approverSignal).toBeDefined());
    controller.abort();
    expect(await pending).toMatchObject({ status: 'cancelled' });
    expect(approverSignal?.aborted).toBe(true);
    expect(execute).not.toHaveBeenCalled();
  });

  it('asks (rather than lets through) when the host policy throws', async () => {
    const { bridge, snap } = await setup({
      requiresApproval: () => {
        throw new Error('bug');
      },
    });
    expect(await bridge.run(call('search'), snap)).toMatchObject({ status: 'declined' });
  });
});
