/**
 * What the turn loop's parts share: the host's effects (API, bridge, store,
 * clock) and the run they work on. Kept apart so each part names only these
 * types, not each other.
 */
import type { ApproveFn, WebMcpBridge } from '../bridge/types.js';
import type { ApiClient } from './api-client.js';
import type { ConversationStore } from './persistence.js';
import type { ChatAction } from './reducer.js';
import type { ChatState } from './state.js';

export interface TurnLoopHost {
  api: ApiClient;
  clientToken: string;
  bridge: WebMcpBridge | undefined;
  store: ConversationStore;
  getState(): ChatState;
  /** Applies an action; the session derives the public events from the change it makes. */
  dispatch(action: ChatAction): void;
  /** The host's approval UI; without one, approvals wait for `approve()`. */
  approve: ApproveFn | undefined;
  /** Longest `Retry-After` worth waiting for before giving up at once. */
  maxRetryAfterMs: number;
  /** Replays allowed in a row without the run moving on. */
  maxReplays: number;
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * The run being followed. The one record of its position: `lastSeq` is the
 * last frame applied, what a replay asks to continue after and what a saved
 * conversation reflects.
 */
export interface Run {
  sessionId: string;
  executionId?: string;
  lastSeq?: number;
  /** The server said it is over (complete or failed): nothing to resume or replay. */
  ended: boolean;
}
