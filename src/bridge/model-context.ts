/**
 * The WebMCP surfaces the bridge talks to, typed loosely on purpose: every
 * implementation (native Chromium, MCP-B, older Chromium, our polyfill) gets a
 * slightly different shape, and everything read from them is untrusted input.
 */

/** Annotation hints. Native keeps the WebMCP ones; MCP-B also knows MCP's. */
export interface ToolAnnotations {
  readOnlyHint?: boolean;
  untrustedContentHint?: boolean;
  consequentialHint?: boolean;
  /** MCP's hint; MCP-B keeps it (in `listTools()`), native drops it. */
  destructiveHint?: boolean;
  [hint: string]: unknown;
}

export interface ExecuteContext {
  /** Aborted on cancel or timeout where the implementation passes it (native ≥153, our polyfill). */
  signal?: AbortSignal;
}

/** What a page passes to `registerTool`. */
export interface ModelContextTool {
  name: string;
  title?: string;
  description: string;
  inputSchema?: object;
  annotations?: ToolAnnotations;
  // biome-ignore lint/suspicious/noExplicitAny: a page's execute destructures its own input shape ({ query }) without a cast, as with WebMCP's own typings; `unknown` would break that code.
  execute(input: any, context?: ExecuteContext): unknown;
}

export interface RegisterToolOptions {
  signal?: AbortSignal;
  exposedTo?: readonly string[];
}

/** What `getTools()` hands back: the handle `executeTool` wants. */
export interface RegisteredTool {
  name: string;
  title?: string;
  description: string;
  inputSchema?: unknown;
  annotations?: ToolAnnotations;
  origin?: string;
  window?: unknown;
}

export interface ModelContext extends EventTarget {
  registerTool(tool: ModelContextTool, options?: RegisterToolOptions): Promise<void>;
  getTools(options?: { fromOrigins?: readonly string[] }): Promise<RegisteredTool[]>;
  executeTool(tool: RegisteredTool, input?: unknown, options?: { signal?: AbortSignal }): Promise<string>;
  ontoolchange?: ((event: Event) => void) | null;
}

/** Chromium 146–151's testing API (`navigator.modelContextTesting`). */
export interface LegacyModelContextTesting {
  listTools():
    | Array<{ name: string; description: string; inputSchema?: unknown }>
    | Promise<Array<{ name: string; description: string; inputSchema?: unknown }>>;
  executeTool(name: string, inputJson: string, options?: { signal?: AbortSignal }): Promise<unknown>;
  addEventListener?: EventTarget['addEventListener'];
  removeEventListener?: EventTarget['removeEventListener'];
  registerToolsChangedCallback?: (callback: () => void) => void;
}

/** The window fields the bridge reads; a parameter so tests can pass a fake. */
export interface BridgeWindow {
  document?: { modelContext?: unknown };
  navigator?: { modelContext?: unknown; modelContextTesting?: unknown };
  location?: { origin: string };
}
