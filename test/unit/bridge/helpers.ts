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

/**
 * A stand-in for @mcp-b/global (its `BrowserMcpServer` without native WebMCP)
 * where it differs in ways the widget depends on: `registerTool` is its own
 * bound function (not the browser's) and keeps only the hints MCP-B knows
 * (no `consequentialHint`); `getTools()` lists only readOnly/untrusted hints and
 * `listTools()` MCP's; `executeTool` takes a JSON string and serialises the
 * answer itself: JSON where `JSON.stringify` gives text, else `String(value)`,
 * and of a throw only an Error's message.
 */
export function fakeMcpB() {
  const win = { location: { origin: ORIGIN }, navigator: {}, document: {} } as BridgeWindow & {
    document: { modelContext: EventTarget & Record<string, unknown> };
  };
  const tools = new Map<string, ModelContextTool>();
  const context = new EventTarget() as EventTarget & Record<string, unknown>;
  const kept = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint', 'untrustedContentHint'];
  const handed: object[] = [];
  context.__isBrowserMcpServer = true;
  context.registerTool = async (tool: ModelContextTool, options: { signal?: AbortSignal } = {}) => {
    if (!tool || typeof tool !== 'object') throw new TypeError('registerTool(tool) requires a tool object');
    if (tools.has(tool.name)) throw new DOMException(`Tool already registered: ${tool.name}`, 'InvalidStateError');
    handed.push(tool);
    const given = tool.annotations;
    const annotations = given
      ? Object.fromEntries(kept.filter((hint) => hint in given).map((hint) => [hint, Boolean(given[hint])]))
      : undefined;
    const stored = { ...tool, annotations, execute: tool.execute };
    tools.set(tool.name, stored);
    options.signal?.addEventListener('abort', () => tools.get(tool.name) === stored && tools.delete(tool.name));
  };
  context.getTools = async () =>
    [...tools.values()].map((tool) => ({
      name: tool.name,
      description: tool.description,
      ...(tool.inputSchema ? { inputSchema: JSON.parse(JSON.stringify(tool.inputSchema)) } : {}),
      annotations: {
        readOnlyHint: tool.annotations?.readOnlyHint ?? false,
        untrustedContentHint: tool.annotations?.untrustedContentHint ?? false,
      },
      origin: ORIGIN,
      window: win,
    }));
  context.listTools = () => [...tools.values()].map(({ name, description, annotations }) => ({ name, description, annotations }));
  context.executeTool = async (handle: { name: string }, input: unknown) => {
    if (typeof input !== 'string') throw new DOMException('Failed to parse input arguments', 'UnknownError');
    const tool = tools.get(handle.name);
    if (!tool) throw new DOMException(`Tool not found: ${handle.name}`, 'UnknownError');
    let value: unknown;
    try {
      value = await Reflect.apply(tool.execute, undefined, [JSON.parse(input)]);
    } catch (error) {
      const failed = 'Tool was executed but the invocation failed. For example, the script function threw an error';
      throw new DOMException(error instanceof Error ? `${failed}: ${error.message}` : failed, 'UnknownError');
    }
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      try {
        const text = JSON.stringify(value);
        if (text) return text;
      } catch {}
    }
    return String(value) || 'Operation succeeded';
  };
  win.document.modelContext = context;
  const register = (tool: ModelContextTool, signal?: AbortSignal) =>
    (context.registerTool as (t: ModelContextTool, o: { signal?: AbortSignal }) => Promise<void>)(tool, signal ? { signal } : {});
  return { win, context, register, handed };
}
