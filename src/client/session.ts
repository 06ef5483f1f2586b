/**
 * ChatSession: the conversation a host (or our UI) holds. State is one signal
 * of immutable `ChatState` plus a computed signal per field; hosts that do
 * not use signals listen to `message`, `toolcall`, `toolresult`, `error`
 * and `status` instead.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals-core';
import type { FeedbackRequest, FeedbackResponse } from '../protocol/index.js';
import type { ApprovalDecision, ApproveFn, WebMcpBridge } from '../bridge/types.js';
import { createApiClient } from './api-client.js';
import { Emitter, type Listener } from './emitter.js';
import { badRequest } from './errors.js';
import { ConversationStore, openStore, storeName, type KeyValueStore, type StorageKind } from './persistence.js';
import { reduce, type ChatAction } from './reducer.js';
import { initialChatState, type ChatState } from './state.js';
import { checkRequestOptions } from './request-options.js';
import { buildTranscript, type TranscriptEntry } from './transcript.js';
import { chatEvents, type ChatEvents } from './chat-events.js';
import { sleep } from '../shared/sleep.js';
import { coordinateTabs, settled } from './tabs/coordinator.js';
import { turnLoop } from './turn-loop.js';

export interface ChatSessionOptions {
  /** Base URL of the agent API. */
  apiUrl: string;
  /** The public client token (`ct_live_…` / `ct_test_…`). */
  clientToken: string;
  /** The page's tools; without one the agent gets no client tools. */
  bridge?: WebMcpBridge;
  /** Where the conversation survives reloads (default `indexeddb`, memory when unavailable), or your own store. */
  storage?: StorageKind | KeyValueStore;
  fetch?: typeof fetch;
  /** Asks the person before a tool runs; without it, approvals wait for `session.approve()`. */
  approve?: ApproveFn;
  /** Longest `Retry-After` worth waiting once for (default 30 s); longer fails at once with a clear error. */
  maxRetryAfterMs?: number;
  /**
   * A stream that sends nothing (not even a keep-alive) for this long counts
   * as cut: the answer is replayed from the last frame, or fails with a
   * retryable `stream_cut`. Default 45 s, three of the reference server's 15 s keep-alives.
   */
  streamIdleTimeoutMs?: number;
  /** Sent with every chat request as `metadata`: a JSON object (your page's context, e.g. a cart id). */
  metadata?: Record<string, unknown>;
  /** The flow to start, when the surface offers several: sent to init as `flowId`. */
  flowId?: string;
}

export interface ChatSignals {
  status: ReadonlySignal<ChatState['status']>;
  messages: ReadonlySignal<ChatState['messages']>;
  toolCalls: ReadonlySignal<ChatState['toolCalls']>;
  pendingApprovals: ReadonlySignal<ChatState['pendingApprovals']>;
  error: ReadonlySignal<ChatState['error']>;
  draft: ReadonlySignal<ChatState['draft']>;
  welcomeMessage: ReadonlySignal<string | undefined>;
  placeholder: ReadonlySignal<string | undefined>;
  admission: ReadonlySignal<ChatState['admission']>;
  droppedTools: ReadonlySignal<ChatState['droppedTools']>;
}

/** One computed signal per field a host may watch on its own. */
const SIGNAL_FIELDS = [
  'status',
  'messages',
  'toolCalls',
  'pendingApprovals',
  'error',
  'draft',
  'welcomeMessage',
  'placeholder',
  'admission',
  'droppedTools',
] as const satisfies readonly (keyof ChatSignals & keyof ChatState)[];
// Fails to compile when ChatSignals gains a field the list does not have.
true satisfies [Exclude<keyof ChatSignals, (typeof SIGNAL_FIELDS)[number]>] extends [never] ? true : never;

export interface ChatSession {
  /** The whole state; prefer `signals.*` to re-render only what changed. */
  readonly state: ReadonlySignal<ChatState>;
  readonly signals: ChatSignals;
  /** Resolves when stored state is loaded (a run interrupted by a reload has been picked up). */
  readonly ready: Promise<void>;
  /** Sends what the person typed; the answer streams into `state`. */
  send(text: string): Promise<void>;
  /** Stops the answer and running tools; unfinished calls are answered `cancelled by the user`. */
  cancel(): Promise<void>;
  /** Retries what failed: the same question, the lost resume, or the cut stream. */
  retry(): Promise<void>;
  /** Forgets the conversation (the session stays). */
  clear(): Promise<void>;
  /** Answers a pending approval; false when there is none for that id. */
  approve(toolCallId: string, decision: ApprovalDecision): boolean;
  /** Fetches the session early, for the welcome message and placeholder. */
  connect(): Promise<void>;
  feedback(body: Omit<FeedbackRequest, 'token' | 'sessionId'>): Promise<FeedbackResponse>;
  /** The audit trail: every message with its tool calls and results. */
  transcript(): TranscriptEntry[];
  /** Resolves when no turn is in progress. */
  idle(): Promise<void>;
  on<K extends keyof ChatEvents>(event: K, listener: Listener<ChatEvents[K]>): () => void;
  off<K extends keyof ChatEvents>(event: K, listener: Listener<ChatEvents[K]>): void;
  dispose(): void;
}

export function createChatSession(options: ChatSessionOptions): ChatSession {
  checkRequestOptions(options);
  const api = createApiClient(options);
  const name = storeName(options.clientToken, options.apiUrl);
  const kv = typeof options.storage === 'object' ? options.storage : openStore(options.storage ?? 'indexeddb', name);
  const store = new ConversationStore(kv);
  const events = new Emitter<ChatEvents>();
  const state = signal<ChatState>({ ...initialChatState(), bridgeKind: options.bridge?.kind ?? 'none' });

  const dispatch = (action: ChatAction) => {
    const before = state.peek();
    const after = reduce(before, action);
    if (after === before) return;
    state.value = after;
    for (const [name, payload] of chatEvents(action, before, after)) events.emit(name, payload as never);
  };

  const host = { store, dispatch, getState: () => state.peek() };
  const loop = turnLoop({
    ...host,
    api,
    clientToken: options.clientToken,
    bridge: options.bridge,
    approve: options.approve,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    maxReplays: 2,
    now: () => Date.now(),
    sleep,
  });

  // Tabs share a conversation only through IndexedDB; with any other storage each tab is alone.
  const shared = (options.storage ?? 'indexeddb') === 'indexeddb' && typeof indexedDB !== 'undefined';
  const tabs = coordinateTabs({ ...host, name, loop, subscribe: (fn) => state.subscribe(fn) }, shared);
  const ready = tabs.restore();
  let disposed = false;

  return {
    state,
    signals: Object.fromEntries(SIGNAL_FIELDS.map((field) => [field, computed(() => state.value[field])])) as unknown as ChatSignals,
    ready,
    async send(text) {
      if (disposed) throw badRequest('This chat was closed.');
      const trimmed = text.trim();
      if (trimmed === '') return;
      await ready;
      await loop.idle;
      await tabs.run(() => loop.send(trimmed));
    },
    cancel: () => tabs.cancel(),
    async retry() {
      await ready;
      await tabs.run(() => loop.retry());
    },
    clear: () => tabs.clear(),
    approve: (toolCallId, decision) => tabs.approve(toolCallId, decision),
    async connect() {
      await ready;
      await loop.connect();
    },
    async feedback(body) {
      await ready;
      const sessionId = state.peek().sessionId ?? (await loop.connect());
      return api.feedback({ ...body, token: options.clientToken, sessionId } as FeedbackRequest);
    },
    transcript: () => buildTranscript(state.peek()),
    async idle() {
      await ready;
      // A job may start another (a retry inside a listener): wait until none runs.
      await settled(loop);
    },
    on: (event, listener) => events.on(event, listener),
    off: (event, listener) => events.off(event, listener),
    dispose() {
      disposed = true;
      tabs.dispose();
      loop.dispose();
      events.clear();
    },
  };
}
