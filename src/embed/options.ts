/**
 * The widget's contract, defined once: its options, the events it emits with
 * their payloads, and its commands. Few options, with defaults that suit a
 * storefront; the same names work as `createChat()` options, `<webmcp-chat>`
 * attributes (kebab-case) and script-tag `data-*` attributes.
 *
 * The element implements `ChatCommands`; `createChat()` returns them; the
 * standalone `widget.d.ts` for script-tag users is checked against these
 * types by test/types/widget-usage.ts (`npm run typecheck`).
 */
import type { ChatError } from '../client/errors.js';
import type { ChatSession } from '../client/session.js';
import type { ChatStatus, MessageState, ToolCallState } from '../client/state.js';
import type { StringKey } from '../ui/strings.js';
import type { Corner } from '../ui/theme.js';

import type { ApprovalRequest } from '../bridge/types.js';

export type { Corner };
export type ColorScheme = 'light' | 'dark' | 'auto';

export interface ChatOptions {
  /** The public client token (`ct_live_…` / `ct_test_…`). Required. */
  clientToken: string;
  /** Base URL of the agent API. Default: the page's origin. */
  apiUrl?: string;
  /** Heading of the panel. */
  title?: string;
  /** Colour scheme: follow the system (default), or force one. */
  colorScheme?: ColorScheme;
  /** Accent colour (any CSS colour). */
  accentColor?: string;
  /** Further CSS custom properties, e.g. `{ '--wmc-radius': '4px' }`. */
  theme?: Record<string, string>;
  /** Where the floating launcher sits. Default `bottom-right`. */
  corner?: Corner;
  /** Render inside this element instead of floating (no launcher; always open). */
  mount?: HTMLElement | string;
  /** Start with the panel open. */
  open?: boolean;
  /** Load the panel code when the page is idle instead of on first open. */
  preload?: boolean;
  /** Overrides the surface's welcome message from init. */
  welcomeMessage?: string;
  /** Overrides the surface's composer placeholder from init. */
  placeholder?: string;
  /** Override any user-visible string by its key (`ChatStringKey`; defaults in src/ui/strings.ts). */
  strings?: Partial<Record<ChatStringKey, string>>;
  /** Let model markdown load images: `true` for any https image, or a list of allowed origins. Default: none. */
  allowImages?: boolean | string[];
  /** Client-side allowlist of page tool names (exact or trailing `*`); tools outside it are never sent. */
  toolAllowlist?: string[];
  /** Ask the person before these tools run, beyond tools marked consequential. Patterns as above, or `'all'`. */
  confirmTools?: string[] | 'all';
  /** Per-call time limit in ms. Default 30 000. */
  toolTimeoutMs?: number;
  /** Where the conversation is kept across reloads. Default `indexeddb` (memory when unavailable). */
  storage?: 'indexeddb' | 'memory';
  /** Sent with every chat request as `metadata` (a JSON object). */
  metadata?: Record<string, unknown>;
  /** The flow to start, when the surface offers several: sent to init as `flowId`. */
  flowId?: string;
  /** One line for the person on a call's approval card, e.g. `Pay $12.90 to Northbound Coffee`; undefined for none. */
  approvalSummary?: (request: ApprovalRequest) => string | undefined;
  /** Offer "Always allow" for consequential and destructive tools too. Default false: they ask every time. */
  alwaysAllowConsequential?: boolean;
}

/** The key of every user-visible string. */
export type ChatStringKey = StringKey;

/** A message as the `message` event reports it: the state's message plus its plain text. */
export interface ChatMessageEvent extends MessageState {
  /** The text parts joined (reasoning and tool calls left out). */
  readonly text: string;
}

/** Every event the widget emits, with its payload. */
export interface ChatEventMap {
  /** The panel became visible (once per opening; not when `close()` ran while it loaded). */
  open: undefined;
  /** The panel was hidden after an `open`. */
  close: undefined;
  /** The panel loaded; its headless session is ready for use. */
  ready: { session: ChatSession };
  /** A message was sent (user) or finished (assistant). */
  message: ChatMessageEvent;
  /** The agent asked for a page tool, or ran one of its own. */
  toolcall: ToolCallState;
  /** A tool call finished; `approval` says who let a page tool run. */
  toolresult: ToolCallState;
  /** Something failed: a stable `code` and a `hint` for people. */
  error: ChatError;
  /** The conversation's status changed. */
  status: ChatStatus;
}

export type ChatEventName = keyof ChatEventMap;

/** What a host can do with a chat: the `<webmcp-chat>` element's verbs, as `createChat()` returns them. */
export interface ChatCommands {
  readonly isOpen: boolean;
  /** The headless session (see `webmcp-chat/core`), once the panel has loaded. */
  readonly session: ChatSession | undefined;
  open(): Promise<void>;
  close(): void;
  toggle(): Promise<void> | void;
  /** Sends a message as if the person typed it; opens the panel. */
  send(text: string): void;
  /** Forgets the conversation. */
  clear(): Promise<void>;
  /** Removes the widget, its listeners and its session. */
  destroy(): void;
  on<K extends ChatEventName>(name: K, listener: (detail: ChatEventMap[K]) => void): () => void;
  off<K extends ChatEventName>(name: K, listener: (detail: ChatEventMap[K]) => void): void;
}

/**
 * The options that can be given as attributes, in attribute spelling; each
 * option's name is its attribute in camelCase (`client-token` → `clientToken`).
 * One string per kind, split at load: the loader carries them, and a string
 * is fewer bytes than an array literal.
 */
const TEXT_OPTIONS = 'client-token api-url title color-scheme accent-color corner welcome-message placeholder flow-id storage'.split(' ');
const BOOLEAN_OPTIONS = 'open preload always-allow-consequential'.split(' ');
const LIST_OPTIONS = 'tool-allowlist allow-images confirm-tools'.split(' ');
const TIMEOUT_OPTION = 'tool-timeout-ms';

export const OPTION_ATTRIBUTES = [...TEXT_OPTIONS, ...BOOLEAN_OPTIONS, ...LIST_OPTIONS, TIMEOUT_OPTION];

/** What one attribute's value means, or undefined for a value that sets nothing (an empty text, a time limit that is not positive). */
function parse(attribute: string, value: string): unknown {
  const list = value.split(/[\s,]+/).filter(Boolean);
  if (TEXT_OPTIONS.includes(attribute)) return value || undefined;
  if (BOOLEAN_OPTIONS.includes(attribute)) return value !== 'false';
  if (attribute === TIMEOUT_OPTION) return Number(value) > 0 ? Number(value) : undefined;
  // `allow-images` alone (or "true") allows any https image; `confirm-tools="all"` asks for every tool.
  if (attribute === 'allow-images' && (!list.length || value === 'true')) return true;
  return attribute === 'confirm-tools' && value === 'all' ? value : list;
}

/**
 * Reads options from attributes, `read(name)` giving an attribute's value or
 * null. Lists are comma- or space-separated; `allow-images` alone means true.
 */
export function optionsFromAttributes(read: (name: string) => string | null): Partial<ChatOptions> {
  const options: Record<string, unknown> = {};
  for (const attribute of OPTION_ATTRIBUTES) {
    const value = read(attribute);
    const parsed = value === null ? undefined : parse(attribute, value);
    if (parsed !== undefined) options[attribute.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase())] = parsed;
  }
  return options as Partial<ChatOptions>;
}
