/**
 * The tabs' party line: one BroadcastChannel per conversation store. Every
 * message is checked on arrival (another script of the same origin may post
 * on the same name), and a browser without BroadcastChannel gets a silent
 * line, so tabs simply do not update each other live.
 */
import type { ApprovalDecision } from '../../bridge/types.js';
import type { ChatState } from '../state.js';

/** What the owner shows every other tab. */
export type MirroredState = Pick<ChatState, 'messages' | 'toolCalls' | 'pendingApprovals' | 'status'>;

/**
 * What changed since the post named `base`: the messages from `start` on
 * (the ones before it are unchanged), the tool calls that changed, and the
 * approvals and status whole.
 */
export interface MirroredChange extends MirroredState {
  base: string;
  start: number;
}

export type TabMessage =
  /** The owner's whole state; `id` names it, for the changes that follow. */
  | { type: 'state'; state: MirroredState; id?: string }
  | { type: 'change'; change: MirroredChange; id: string }
  /**
   * A tab opened (or lost track, or an owner asks who is open): the owner
   * answers with its whole state, the others with `here`. `changes`: the tab
   * applies `change` posts; a tab of an older widget, still open across a
   * site's upgrade, says hello without it and is sent whole states only.
   */
  | { type: 'hello'; changes?: true }
  /** Another tab is open: an owner has someone to show its state to. */
  | { type: 'here' }
  | { type: 'approve'; toolCallId: string; decision: ApprovalDecision }
  | { type: 'cancel' }
  | { type: 'clear' };

export interface TabChannel {
  post(message: TabMessage): void;
  listen(listener: (message: TabMessage) => void): void;
  close(): void;
}

const DECISIONS: ReadonlySet<unknown> = new Set(['allow-once', 'always-allow', 'decline']);
const STATUSES: ReadonlySet<unknown> = new Set(['idle', 'connecting', 'streaming', 'running-tools', 'awaiting-approval', 'error']);

export function openTabChannel(name: string): TabChannel {
  if (typeof BroadcastChannel === 'undefined') return { post() {}, listen() {}, close() {} };
  const channel = new BroadcastChannel(name);
  return {
    post(message) {
      try {
        channel.postMessage(message);
      } catch {
        // Not cloneable or closed: the other tabs catch up from storage instead.
      }
    },
    listen(listener) {
      channel.onmessage = (event: MessageEvent) => {
        if (isTabMessage(event.data)) listener(event.data);
      };
    },
    close: () => channel.close(),
  };
}

function isTabMessage(data: unknown): data is TabMessage {
  if (!data || typeof data !== 'object') return false;
  const message = data as Record<string, unknown>;
  switch (message.type) {
    case 'state':
      return (message.id === undefined || typeof message.id === 'string') && isMirrored(message.state);
    case 'change': {
      const change = message.change as Record<string, unknown>;
      return (
        typeof message.id === 'string' &&
        isMirrored(change) &&
        typeof change.base === 'string' &&
        Number.isInteger(change.start) &&
        (change.start as number) >= 0
      );
    }
    case 'approve':
      return typeof message.toolCallId === 'string' && DECISIONS.has(message.decision);
    case 'hello':
    case 'here':
    case 'cancel':
    case 'clear':
      return true;
    default:
      return false;
  }
}

function isMirrored(value: unknown): boolean {
  const state = value as Record<string, unknown> | null;
  return (
    !!state &&
    typeof state === 'object' &&
    Array.isArray(state.messages) &&
    !!state.toolCalls &&
    typeof state.toolCalls === 'object' &&
    Array.isArray(state.pendingApprovals) &&
    STATUSES.has(state.status)
  );
}
