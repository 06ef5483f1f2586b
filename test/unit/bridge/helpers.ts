import { ModelContextPolyfill } from '../../../src/bridge/polyfill.js';
import type { BridgeWindow, ModelContextTool } from '../../../src/bridge/model-context.js';

export const ORIGIN = 'https://shop.example';

/** A window-like object holding our polyfill, so bridge tests need no DOM. */
export function fakePage(): { win: BridgeWindow & { document: { modelContext: ModelContextPolyfill } }; context: ModelContextPolyfill } {
  const win = { location: { origin: ORIGIN }, navigator: {}, document: {} } as BridgeWindow & {
    document: { modelContext: ModelContextPolyfill };
  };
  const context = new ModelContextPolyfill(win as unknown as Window);
  win.document.modelContext = context;
  return { win, context };
}

export function tool(
  name: string,
  execute: ModelContextTool['execute'] = () => 'ok',
  extra: Partial<ModelContextTool> = {},
): ModelContextTool {
  return { name, description: `${name} tool`, execute, ...extra };
}

/**
 * A stand-in for Chromium's native WebMCP where it differs from our polyfill
 * in ways approval depends on: `getTools()` keeps only the hints native keeps
 * (no `destructiveHint`), and `executeTool` looks the tool up by name when it
 * gets to it, after firing `toolactivated` (where page code can run).
 * `registerTool` is a bound function, so it reads as the browser's own.
 */
export function fakeNative() {
  const win = { location: { origin: ORIGIN }, navigator: {}, document: {} } as BridgeWindow & {
    document: { modelContext: EventTarget & Record<string, unknown> };
  };
  const tools = new Map<string, ModelContextTool>();
  const context = new EventTarget() as EventTarget & Record<string, unknown>;
  const kept = ['readOnlyHint', 'consequentialHint', 'untrustedContentHint'];
  context.registerTool = (async (tool: ModelContextTool, options: { signal?: AbortSignal } = {}) => {
    if (tools.has(tool.name)) throw new DOMException(`Duplicate tool name: ${tool.name}`, 'InvalidStateError');
    // Native copies what it reads at registration.
    const stored = { ...tool, ...(tool.annotations ? { annotations: { ...tool.annotations } } : {}) };
    tools.set(tool.name, stored);
    options.signal?.addEventListener('abort', () => tools.get(tool.name) === stored && tools.delete(tool.name));
  }).bind(context);
  context.getTools = async () =>
    [...tools.values()].map((tool) => ({
      name: tool.name,
      title: tool.title ?? '',
      description: tool.description,
      ...(tool.inputSchema ? { inputSchema: JSON.parse(JSON.stringify(tool.inputSchema)) } : {}),
      annotations: Object.fromEntries(kept.map((hint) => [hint, tool.annotations?.[hint] === true])),
      origin: ORIGIN,
      window: win,
    }));
  context.executeTool = async (handle: { name: string }, input: unknown) => {
    context.dispatchEvent(new Event('toolactivated'));
    await Promise.resolve();
    const tool = tools.get(handle.name);
    if (!tool) throw new DOMException('Tool not found', 'NotFoundError');
    try {
      const value = await tool.execute(input, {});
      return typeof value === 'string' ? value : JSON.stringify(value);
    } catch {
      throw new DOMException(
        'Tool was executed but the invocation failed. For example, the script function threw an error',
        'UnknownError',
      );
    }
  };
  win.document.modelContext = context;
  const register = (tool: ModelContextTool, signal?: AbortSignal) =>
    (context.registerTool as (t: ModelContextTool, o: { signal?: AbortSignal }) => Promise<void>)(tool, signal ? { signal } : {});
  return { win, context, register };
}
