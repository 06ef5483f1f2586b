/**
 * Finds the page's WebMCP and wraps it in one small interface, so snapshot
 * and run never ask which implementation they are on. Order: MCP-B (it sits on
 * `document.modelContext` too and marks itself), our polyfill (marked), any
 * other `document.modelContext` with `getTools`/`executeTool` (native), the
 * older `navigator.modelContextTesting`, or none.
 */
import type { BridgeWindow, LegacyModelContextTesting, ModelContext, RegisteredTool, ToolAnnotations } from './model-context.js';
import { isPolyfill, STILL_REGISTERED } from './polyfill-marker.js';
import { legacyBackend } from './legacy.js';
import { isTrustworthyOrigin } from './origins.js';
import { isMcpB } from './registrations.js';
import type { RawTool } from './snapshot.js';
import type { WebMcpKind } from './types.js';

export interface Backend {
  readonly kind: WebMcpKind;
  listTools(): Promise<RawTool[]>;
  /** Runs the tool behind `raw.handle`; answers whatever the implementation answers. */
  callTool(raw: RawTool, args: Record<string, unknown>, signal: AbortSignal): Promise<unknown>;
  /** True only when the implementation vouches that `raw` is still its registered tool, unchanged (our polyfill); else list. */
  stillRegistered?(raw: RawTool): boolean;
  onChange(listener: () => void): () => void;
}

function hasModernShape(value: unknown): value is ModelContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ModelContext).getTools === 'function' &&
    typeof (value as ModelContext).executeTool === 'function'
  );
}

export function discover(win: BridgeWindow | undefined): Backend | undefined {
  const documentContext = win?.document?.modelContext;
  if (hasModernShape(documentContext)) {
    const kind: WebMcpKind = isMcpB(documentContext) ? 'mcp-b' : isPolyfill(documentContext) ? 'polyfill' : 'native';
    return modernBackend(kind, documentContext, win);
  }
  const navigatorContext = win?.navigator?.modelContext;
  if (hasModernShape(navigatorContext)) {
    return modernBackend(isMcpB(navigatorContext) ? 'mcp-b' : 'native', navigatorContext, win);
  }
  const testing = win?.navigator?.modelContextTesting as LegacyModelContextTesting | undefined;
  if (testing && typeof testing.listTools === 'function' && typeof testing.executeTool === 'function') {
    return legacyBackend(testing, win);
  }
  return undefined;
}

/**
 * An error that says the implementation refused the *form* of the input (so
 * the tool did not run): Chromium 156 refuses a JSON string ("invalid input
 * object"), MCP-B and Chromium 149–153 refuse an object ("Failed to parse
 * input arguments"). Anything about the tool's own failure is not one.
 */
function isInputFormError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  if (/invocation failed|script function threw/i.test(message)) return false;
  return /invalid input|not an object|parse input|input arguments|parse.*json|json.*parse/i.test(message);
}

function modernBackend(kind: WebMcpKind, context: ModelContext, win: BridgeWindow | undefined): Backend {
  // The form that worked last; MCP-B without native wants a JSON string.
  let inputForm: 'object' | 'string' = 'object';
  const topWindow = win as unknown;

  /**
   * Native lists a cross-origin iframe's tools (shared with us through
   * `exposedTo`) only when asked with `fromOrigins`: ask for every such frame
   * the page embeds with `allow="tools"`. Elsewhere frames are same-origin only.
   */
  const getTools = () => {
    const fromOrigins = kind === 'native' ? toolFrameOrigins(win) : [];
    return context.getTools(fromOrigins.length ? { fromOrigins } : undefined);
  };

  async function listTools(): Promise<RawTool[]> {
    const tools = await getTools();
    // MCP-B's getTools() keeps only readOnly/untrusted hints; its own
    // listTools() still has MCP's destructiveHint for the top page's tools.
    const mcpAnnotations = new Map<string, ToolAnnotations>();
    const listed = kind === 'mcp-b' ? (context as unknown as { listTools?: () => unknown }).listTools : undefined;
    if (typeof listed === 'function') {
      try {
        const items = listed.call(context);
        if (Array.isArray(items)) {
          for (const item of items as Array<{ name?: unknown; annotations?: ToolAnnotations }>) {
            if (typeof item?.name === 'string' && item.annotations) mcpAnnotations.set(item.name, item.annotations);
          }
        }
      } catch {
        // Diagnostics only: the tool list itself came from getTools().
      }
    }
    return (Array.isArray(tools) ? tools : []).map((tool: RegisteredTool) => {
      const fromFrame = topWindow !== undefined && tool.window !== undefined && tool.window !== topWindow;
      const extra = !fromFrame ? mcpAnnotations.get(tool.name) : undefined;
      const annotations = extra || tool.annotations ? { ...extra, ...tool.annotations } : undefined;
      return {
        name: tool.name,
        ...(tool.title ? { title: tool.title } : {}),
        description: tool.description,
        inputSchema: tool.inputSchema,
        ...(annotations ? { annotations } : {}),
        ...(tool.origin ? { origin: tool.origin } : {}),
        ...(fromFrame ? { fromFrame: true, source: frameSource(tool) } : {}),
        handle: tool,
      };
    });
  }

  async function callTool(raw: RawTool, args: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const handle = raw.handle as RegisteredTool;
    const attempt = (form: 'object' | 'string') => context.executeTool(handle, form === 'object' ? args : JSON.stringify(args), { signal });
    try {
      return await attempt(inputForm);
    } catch (error) {
      if (signal.aborted || !isInputFormError(error)) throw error;
      const other = inputForm === 'object' ? 'string' : 'object';
      const answer = await attempt(other);
      inputForm = other;
      return answer;
    }
  }

  // Asked of our polyfill only: it keeps an unchanging copy per registration. An older polyfill bundle lacks it.
  const vouch = kind === 'polyfill' ? (context as unknown as Record<symbol, unknown>)[STILL_REGISTERED] : undefined;
  function stillRegistered(raw: RawTool): boolean {
    return typeof vouch === 'function' && !raw.fromFrame && vouch.call(context, raw.handle) === true;
  }

  function onChange(listener: () => void): () => void {
    const handler = () => listener();
    context.addEventListener('toolchange', handler);
    return () => context.removeEventListener('toolchange', handler);
  }

  return { kind, listTools, callTool, stillRegistered, onChange };
}

/** Origins of the cross-origin iframes that may share tools with this page (`allow="tools"`). */
function toolFrameOrigins(win: BridgeWindow | undefined): string[] {
  const doc = win?.document as Document | undefined;
  if (!doc) return [];
  const origins = new Set<string>();
  for (const frame of doc.querySelectorAll?.<HTMLIFrameElement>('iframe[allow]') ?? []) {
    if (!/(^|[;\s])tools([;\s]|$)/.test(frame.getAttribute('allow') ?? '')) continue;
    try {
      const { origin } = new URL(frame.src, doc.baseURI);
      if (origin !== win?.location?.origin && isTrustworthyOrigin(origin)) origins.add(origin);
    } catch {
      // no usable src: nothing to ask for
    }
  }
  return [...origins];
}

function frameSource(tool: RegisteredTool): string {
  try {
    const href = (tool.window as { location?: { href?: string } } | undefined)?.location?.href;
    if (href) return `iframe ${href}`;
  } catch {
    // A cross-origin window: its location is not ours to read.
  }
  return `iframe (${tool.origin ?? 'unknown origin'})`;
}
