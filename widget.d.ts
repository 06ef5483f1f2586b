/**
 * webmcp-chat: the types a script-tag user needs.
 *
 *   /// <reference path="./node_modules/webmcp-chat/widget.d.ts" />
 *
 * Covers the `WebMCPChat` global, the `<webmcp-chat>` element, the options,
 * the events, and the WebMCP types a page uses to register tools.
 */

export type WebMCPChatCorner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

export interface WebMCPChatOptions {
  /** The public client token (`ct_live_…` / `ct_test_…`). Required. */
  clientToken: string;
  /** Base URL of the agent API. Default: the page's origin. */
  apiUrl?: string;
  /** Heading of the panel. */
  title?: string;
  /** Colour scheme: follow the system (default), or force one. */
  colorScheme?: 'light' | 'dark' | 'auto';
  /** Accent colour (any CSS colour). */
  accentColor?: string;
  /** Further CSS custom properties, e.g. `{ '--wmc-radius': '4px' }`. */
  theme?: Record<string, string>;
  /** Where the floating launcher sits. Default `bottom-right`. */
  corner?: WebMCPChatCorner;
  /** Render inside this element (or selector) instead of floating: no launcher, always open. */
  mount?: HTMLElement | string;
  /** Start with the panel open. */
  open?: boolean;
  /** Load the panel code when the page is idle instead of on first open. */
  preload?: boolean;
  /** Overrides the surface's welcome message. */
  welcomeMessage?: string;
  /** Overrides the surface's composer placeholder. */
  placeholder?: string;
  /** Override any user-visible string by its key. */
  strings?: Partial<Record<string, string>>;
  /** Let model markdown load images: `true` for any https image, or a list of allowed origins. Default: none. */
  allowImages?: boolean | string[];
  /** Client-side allowlist of page tool names (exact, or a prefix and one trailing `*`). */
  toolAllowlist?: string[];
  /** Ask before these tools run, beyond tools marked `consequentialHint`; or `'all'`. */
  confirmTools?: string[] | 'all';
  /** Per-call time limit in ms. Default 30000. */
  toolTimeoutMs?: number;
  /** Where the conversation is kept across reloads. Default `indexeddb`. */
  storage?: 'indexeddb' | 'memory';
  /** Sent with every chat request as `metadata`. */
  metadata?: Record<string, unknown>;
  /** The flow to start, when the surface offers several. */
  flowId?: string;
  /** One line for the person on a call's approval card, e.g. `Pay $12.90 to Northbound Coffee`; undefined for none. */
  approvalSummary?: (request: WebMCPChatApprovalRequest) => string | undefined;
  /** Offer "Always allow" for consequential and destructive tools too. Default false: they ask every time. */
  alwaysAllowConsequential?: boolean;
}

/** A page tool call waiting for the person (what `approvalSummary` receives). */
export interface WebMCPChatApprovalRequest {
  toolCallId: string;
  toolName: string;
  title?: string;
  /** The tool's description, written for the model: the card does not show it. */
  description: string;
  arguments: unknown;
  pageOrigin?: string;
  reason: 'consequential' | 'destructive' | 'policy';
}

/** A failure as the widget reports it: a stable code and a hint for people. */
export interface WebMCPChatError {
  code: string;
  hint: string;
  status?: number;
  retryable?: boolean;
}

export interface WebMCPChatEvents {
  open: undefined;
  close: undefined;
  ready: { session: unknown };
  /** A message finished (user or assistant). */
  message: { id: string; role: 'user' | 'assistant'; text: string };
  /** The agent asked for a page tool. */
  toolcall: { id: string; name: string; arguments: unknown };
  /** A page tool finished; `approval` says who let it run. */
  toolresult: { id: string; name: string; result?: unknown; error?: string; durationMs?: number; approval?: string };
  error: WebMCPChatError;
  status: string;
}

export type WebMCPChatEventName = keyof WebMCPChatEvents;

export interface WebMCPChatCommands {
  (command: 'init', options: WebMCPChatOptions): WebMCPChatElement;
  (command: 'open'): Promise<void>;
  (command: 'close'): void;
  (command: 'toggle'): void;
  (command: 'send', text: string): void;
  (command: 'clear'): Promise<void>;
  (command: 'destroy'): void;
  <K extends WebMCPChatEventName>(command: 'on', name: K, listener: (detail: WebMCPChatEvents[K]) => void): () => void;
  <K extends WebMCPChatEventName>(command: 'off', name: K, listener: (detail: WebMCPChatEvents[K]) => void): void;
  /** Calls made through the stub before the script loaded. */
  q?: ArrayLike<unknown>[];
  /** Set by the real script. */
  version?: string;
  /** The chat made from the script tag or `init`. */
  instance?: WebMCPChatElement;
}

export interface WebMCPChatElement extends HTMLElement {
  /** Options given as a property; attributes (`client-token`, `api-url`, …) are read too. */
  options: Partial<WebMCPChatOptions>;
  readonly isOpen: boolean;
  /** The headless session (see `webmcp-chat/core`), once the panel has loaded. */
  readonly session: unknown;
  open(): Promise<void>;
  close(): void;
  toggle(): Promise<void> | void;
  send(text: string): void;
  clear(): Promise<void>;
  destroy(): void;
  on<K extends WebMCPChatEventName>(name: K, listener: (detail: WebMCPChatEvents[K]) => void): () => void;
  off<K extends WebMCPChatEventName>(name: K, listener: (detail: WebMCPChatEvents[K]) => void): void;
}

// ---- WebMCP, as a page registers tools (W3C draft) ----

export interface ModelContextToolAnnotations {
  readOnlyHint?: boolean;
  /** The result may carry text the page does not vouch for (reviews, search results). */
  untrustedContentHint?: boolean;
  /** The tool changes something that matters (orders, payments): the widget asks first. */
  consequentialHint?: boolean;
}

export interface ModelContextTool<Input = Record<string, unknown>> {
  /** 1–128 of `[A-Za-z0-9_.-]`, unique in the page. */
  name: string;
  title?: string;
  description: string;
  /** A JSON Schema with `type: "object"`. */
  inputSchema?: object;
  annotations?: ModelContextToolAnnotations;
  execute(input: Input, context: { signal?: AbortSignal }): unknown | Promise<unknown>;
}

export interface RegisteredTool {
  name: string;
  title: string;
  description: string;
  inputSchema?: object | string;
  annotations?: ModelContextToolAnnotations;
  origin: string;
  window: Window;
}

export interface ModelContext extends EventTarget {
  registerTool<Input = Record<string, unknown>>(
    tool: ModelContextTool<Input>,
    options?: { signal?: AbortSignal; exposedTo?: string[] },
  ): Promise<void>;
  getTools(options?: { fromOrigins?: string[] }): Promise<RegisteredTool[]>;
  executeTool(tool: RegisteredTool, input?: unknown, options?: { signal?: AbortSignal }): Promise<string>;
  ontoolchange: ((event: Event) => void) | null;
}

declare global {
  interface Window {
    WebMCPChat: WebMCPChatCommands;
  }
  interface Document {
    readonly modelContext?: ModelContext;
  }
  interface HTMLElementTagNameMap {
    'webmcp-chat': WebMCPChatElement;
  }
}
