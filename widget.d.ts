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
  strings?: Partial<Record<WebMCPChatStringKey, string>>;
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
  /** Sent with every chat request as `metadata` (a JSON object). */
  metadata?: Record<string, unknown>;
  /** The flow to start, when the surface offers several: sent to init as `flowId`. */
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
  /** Why the person is asked; `unverified`: the browser's listing may have dropped the tool's hints and it does not say it only reads. */
  reason: 'consequential' | 'destructive' | 'policy' | 'unverified';
}

/** The key of every user-visible string the `strings` option can override. */
export type WebMCPChatStringKey =
  | 'launcherLabel'
  | 'title'
  | 'close'
  | 'transcriptLabel'
  | 'placeholder'
  | 'inputLabel'
  | 'send'
  | 'stop'
  | 'retry'
  | 'dismiss'
  | 'errorTitle'
  | 'you'
  | 'assistant'
  | 'thinking'
  | 'reasoning'
  | 'imageLabel'
  | 'toolArguments'
  | 'toolResult'
  | 'toolError'
  | 'toolFrom'
  | 'untrusted'
  | 'untrustedHint'
  | 'truncated'
  | 'status_pending'
  | 'status_awaiting-approval'
  | 'status_running'
  | 'status_done'
  | 'status_failed'
  | 'status_declined'
  | 'status_timed-out'
  | 'status_cancelled'
  | 'status_interrupted'
  | 'approvalOn'
  | 'approvalNeeded'
  | 'typing'
  | 'errorUnavailable'
  | 'allowOnce'
  | 'alwaysAllow'
  | 'decline'
  | 'reason_consequential'
  | 'reason_destructive'
  | 'reason_policy'
  | 'reason_unverified';

/** The stable codes of `WebMCPChatError` (README: Troubleshooting). */
export type WebMCPChatErrorCode =
  | 'network'
  | 'origin_not_allowed'
  | 'invalid_token'
  | 'session_expired'
  | 'rate_limited'
  | 'stream_cut'
  | 'protocol'
  | 'server'
  | 'tools_rejected'
  | 'tools_resend_required'
  | 'bad_request'
  | 'payload_too_large'
  | 'execution_not_found'
  | 'execution_not_awaiting'
  | 'execution_failed'
  | 'model_unreachable'
  | 'model_error'
  | 'model_stream_error'
  | 'model_bad_arguments'
  | 'interrupted'
  | 'storage'
  | 'panel_load_failed';

/** A failure as the widget reports it: an `Error` with a stable code and a hint for people. */
export interface WebMCPChatError extends Error {
  readonly code: WebMCPChatErrorCode;
  /** What to do, in words a person understands (the server's own hint when it sent one). */
  readonly hint: string;
  /** The HTTP status, when an answer had one. */
  readonly status: number | undefined;
  /** Trying again may work. */
  readonly retryable: boolean;
  /** The server's own `error` code, verbatim. */
  readonly serverCode: string | undefined;
  /** How long the server asked to wait (429 `Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined;
}

export type WebMCPChatStatus = 'idle' | 'connecting' | 'streaming' | 'running-tools' | 'awaiting-approval' | 'error';

export interface WebMCPChatTextPart {
  readonly type: 'text';
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
  readonly rewrites: number;
}

export interface WebMCPChatReasoningPart {
  readonly type: 'reasoning';
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
  readonly rewrites: number;
}

/** Where a tool call happened in the flow of an answer; the call itself is in `toolcall`/`toolresult`. */
export interface WebMCPChatToolCallPart {
  readonly type: 'tool-call';
  readonly toolCallId: string;
}

export type WebMCPChatMessagePart = WebMCPChatTextPart | WebMCPChatReasoningPart | WebMCPChatToolCallPart;

/** The `message` event: a message the person sent, or an answer that finished. */
export interface WebMCPChatMessage {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  /** The text parts joined (reasoning and tool calls left out). */
  readonly text: string;
  readonly parts: readonly WebMCPChatMessagePart[];
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Assistant: the run it belongs to. */
  readonly executionId?: string;
  /** Assistant: true while frames may still add to it. */
  readonly streaming: boolean;
  /** User: the request carrying it failed before the server took it. */
  readonly failed?: boolean;
}

export type WebMCPChatToolStatus =
  | 'pending'
  | 'awaiting-approval'
  | 'running'
  | 'done'
  | 'failed'
  | 'declined'
  | 'timed-out'
  | 'cancelled'
  | 'interrupted';

/** Who let a page tool run. */
export type WebMCPChatApproval = 'not-required' | 'allowed-once' | 'always-allowed' | 'remembered' | 'declined';

/** The `toolcall` and `toolresult` events: one tool call as the widget tracks it. */
export interface WebMCPChatToolCall {
  /** The `toolCallId`. */
  readonly id: string;
  /** Bare name (no `webmcp:` prefix). */
  readonly name: string;
  readonly title?: string;
  readonly arguments: unknown;
  /** `client`: ran in this page; `server`: the agent ran it. */
  readonly kind: 'client' | 'server';
  readonly status: WebMCPChatToolStatus;
  readonly origin?: string;
  readonly pageOrigin?: string;
  readonly executionId?: string;
  readonly messageId?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly durationMs?: number;
  readonly result?: unknown;
  readonly error?: string;
  /** The tool declared `untrustedContentHint`. */
  readonly untrusted: boolean;
  /** The result was cut to the size limit. */
  readonly truncated: boolean;
  readonly approval?: WebMCPChatApproval;
}

/** The headless session behind the panel (the part a script-tag page uses; `webmcp-chat/core` types all of it). */
export interface WebMCPChatSession {
  /** Resolves when stored state is loaded. */
  readonly ready: Promise<void>;
  send(text: string): Promise<void>;
  cancel(): Promise<void>;
  retry(): Promise<void>;
  clear(): Promise<void>;
  approve(toolCallId: string, decision: 'allow-once' | 'always-allow' | 'decline'): boolean;
  /** Resolves when no turn is in progress. */
  idle(): Promise<void>;
}

export interface WebMCPChatEvents {
  /** The panel became visible (once per opening; not when `close()` ran while it loaded). */
  open: undefined;
  /** The panel was hidden after an `open`. */
  close: undefined;
  /** The panel loaded; its session is ready. */
  ready: { session: WebMCPChatSession };
  /** A message was sent (user) or finished (assistant). */
  message: WebMCPChatMessage;
  /** The agent asked for a page tool, or ran one of its own. */
  toolcall: WebMCPChatToolCall;
  /** A tool call finished; `approval` says who let a page tool run. */
  toolresult: WebMCPChatToolCall;
  error: WebMCPChatError;
  status: WebMCPChatStatus;
}

export type WebMCPChatEventName = keyof WebMCPChatEvents;

export interface WebMCPChatCommands {
  (command: 'init', options: WebMCPChatOptions): WebMCPChatElement;
  (command: 'open'): Promise<void>;
  (command: 'close'): void;
  (command: 'toggle'): Promise<void> | void;
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
  /** The headless session, once the panel has loaded. */
  readonly session: WebMCPChatSession | undefined;
  open(): Promise<void>;
  close(): void;
  toggle(): Promise<void> | void;
  /** Sends a message as if the person typed it; opens the panel. */
  send(text: string): void;
  /** Forgets the conversation. */
  clear(): Promise<void>;
  /** Removes the widget, its listeners and its session. Listeners otherwise last the element's whole life. */
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
