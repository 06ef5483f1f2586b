import { describe, expect, it, vi } from 'vitest';
import { createBridge } from '../../../src/bridge/create-bridge.js';
import { discover } from '../../../src/bridge/discover.js';
import { ModelContextPolyfill } from '../../../src/bridge/polyfill.js';
import type { ApproveFn } from '../../../src/bridge/types.js';

const call = (toolName: string, parameters: unknown = {}) => ({ toolCallId: 'c1', toolName, parameters });

/** A stand-in for MCP-B without native: string input only, annotations trimmed in getTools(). */
function fakeMcpB(win: object) {
  const context = Object.assign(new EventTarget(), {
    __isBrowserMcpServer: true,
    getTools: async () => [
      {
        name: 'wipe',
        title: '',
        description: 'Wipes',
        annotations: { readOnlyHint: false, untrustedContentHint: false },
        origin: 'https://a.example',
        window: win,
      },
    ],
    listTools: () => [{ name: 'wipe', description: 'Wipes', inputSchema: { type: 'object' }, annotations: { destructiveHint: true } }],
    executeTool: vi.fn(async (_tool: unknown, input: unknown) => {
      if (typeof input !== 'string') throw new DOMException('Failed to parse input arguments', 'UnknownError');
      return JSON.stringify({ got: JSON.parse(input) });
    }),
  });
  return context;
}

describe('discover', () => {
  it('tells native, MCP-B, polyfill, legacy and none apart', () => {
    const native = Object.assign(new EventTarget(), { getTools: async () => [], executeTool: async () => '' });
    expect(discover({ document: { modelContext: native } })?.kind).toBe('native');
    expect(discover({ document: { modelContext: fakeMcpB({}) } })?.kind).toBe('mcp-b');
    expect(discover({ document: { modelContext: new ModelContextPolyfill() } })?.kind).toBe('polyfill');
    expect(discover({ document: {}, navigator: { modelContextTesting: { listTools: () => [], executeTool: async () => '' } } })?.kind).toBe(
      'legacy',
    );
    expect(discover({ document: {}, navigator: {} })).toBeUndefined();
    expect(discover(undefined)).toBeUndefined();
  });

  it('on MCP-B: retries with a JSON string once, then keeps using it; reads destructiveHint from listTools()', async () => {
    const win = { location: { origin: 'https://a.example' } } as Record<string, unknown>;
    const context = fakeMcpB(win);
    win.document = { modelContext: context };
    const bridge = createBridge({ window: win });
    expect(bridge.kind).toBe('mcp-b');
    const snap = await bridge.snapshot();
    const approve = vi.fn<ApproveFn>(async () => 'allow-once');
    expect((await bridge.run(call('wipe', { a: 1 }), snap, { approve })).output).toEqual({ result: { got: { a: 1 } } });
    expect(approve.mock.calls[0]?.[0]).toMatchObject({ reason: 'destructive' });
    expect(context.executeTool).toHaveBeenCalledTimes(2);
    await bridge.run(call('wipe', { a: 2 }), snap, { approve });
    expect(context.executeTool).toHaveBeenCalledTimes(3);
  });

  it('does not retry when the tool itself failed (it must not run twice)', async () => {
    const win = {} as Record<string, unknown>;
    const executeTool = vi.fn(async () => {
      throw new DOMException(
        'Tool was executed but the invocation failed. For example, the script function threw an error: JSON parse failed',
        'UnknownError',
      );
    });
    win.document = {
      modelContext: Object.assign(new EventTarget(), {
        getTools: async () => [{ name: 't', description: 'd', annotations: { readOnlyHint: true }, window: win }],
        executeTool,
      }),
    };
    const bridge = createBridge({ window: win });
    expect((await bridge.run(call('t'), await bridge.snapshot())).output).toEqual({ error: 'Tool "t" failed: JSON parse failed' });
    expect(executeTool).toHaveBeenCalledTimes(1);
  });

  it("says when native lost the tool's message", async () => {
    const win = {} as Record<string, unknown>;
    const executeTool = async () => {
      throw new DOMException(
        'Tool was executed but the invocation failed. For example, the script function threw an error',
        'UnknownError',
      );
    };
    win.document = {
      modelContext: Object.assign(new EventTarget(), {
        getTools: async () => [{ name: 't', description: 'd', annotations: { readOnlyHint: true }, window: win }],
        executeTool,
      }),
    };
    const bridge = createBridge({ window: win });
    expect((await bridge.run(call('t'), await bridge.snapshot())).output).toEqual({
      error: 'Tool "t" failed. The browser did not pass on the tool\'s own error message.',
    });
  });

  it('lists iframe tools with their source and lets the top page win', async () => {
    const frame = { location: { href: 'https://a.example/frame.html' } };
    const win = { location: { origin: 'https://a.example' } } as Record<string, unknown>;
    const getTools = async () => [
      { name: 'dup', description: 'frame', window: frame, origin: 'https://a.example' },
      { name: 'dup', description: 'top', window: win, origin: 'https://a.example' },
      { name: 'only_frame', description: 'frame', window: frame, origin: 'https://a.example' },
    ];
    win.document = { modelContext: Object.assign(new EventTarget(), { getTools, executeTool: async () => '1' }) };
    const snap = await createBridge({ window: win }).snapshot();
    expect(snap.tools.map((t) => [t.name, t.description])).toEqual([
      ['dup', 'top'],
      ['only_frame', 'frame'],
    ]);
    expect(snap.dropped).toEqual([
      {
        name: 'dup',
        reason: 'name_collision',
        detail: '"dup" is already provided by the top page',
        source: 'iframe https://a.example/frame.html',
      },
    ]);
    const excluded = await createBridge({ window: win, frames: 'exclude' }).snapshot();
    expect(excluded.tools.map((t) => t.name)).toEqual(['dup']);
    expect(excluded.dropped.map((d) => d.reason)).toEqual(['frame_excluded', 'frame_excluded']);
  });

  it('reports a listing failure instead of hiding it', async () => {
    const getTools = async () => {
      throw new DOMException('tools disabled', 'NotAllowedError');
    };
    const win = { document: { modelContext: Object.assign(new EventTarget(), { getTools, executeTool: async () => '' }) } };
    const snap = await createBridge({ window: win }).snapshot();
    expect(snap.dropped).toEqual([{ name: '*', reason: 'listing_failed', detail: 'NotAllowedError: tools disabled' }]);
  });

  it('legacy: lists with string schemas and runs by name with a JSON string', async () => {
    const executeTool = vi.fn(async (_name: string, json: string) => JSON.stringify({ echo: JSON.parse(json) }));
    const testing = Object.assign(new EventTarget(), {
      listTools: () => [{ name: 'old', description: 'Old tool', inputSchema: '{"type":"object","properties":{"a":{"type":"number"}}}' }],
      executeTool,
    });
    const bridge = createBridge({
      window: { document: {}, navigator: { modelContextTesting: testing }, location: { origin: 'https://o.example' } },
    });
    expect(bridge.kind).toBe('legacy');
    const snap = await bridge.snapshot();
    expect(snap.tools[0]).toEqual({
      name: 'old',
      description: 'Old tool',
      parametersSchema: { type: 'object', properties: { a: { type: 'number' } } },
      origin: 'webmcp',
      pageOrigin: 'https://o.example',
    });
    // The testing API lists no hints, so a tool there is never known to only read: the person is asked.
    const approve = vi.fn<ApproveFn>(async () => 'allow-once');
    expect((await bridge.run(call('old', { a: 1 }), snap, { approve })).output).toEqual({ result: { echo: { a: 1 } } });
    expect(approve.mock.calls[0]?.[0].reason).toBe('unverified');
    expect(executeTool).toHaveBeenCalledWith('old', '{"a":1}', expect.objectContaining({ signal: expect.any(AbortSignal) }));
    const listener = vi.fn();
    bridge.onToolsChanged(listener);
    testing.dispatchEvent(new Event('toolchange'));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('picks up a WebMCP that appears after the bridge was created', async () => {
    const win: Record<string, unknown> = { document: {} };
    const bridge = createBridge({ window: win });
    expect(bridge.kind).toBe('none');
    (win.document as Record<string, unknown>).modelContext = new ModelContextPolyfill();
    expect(bridge.kind).toBe('polyfill');
  });
});
