/**
 * Saving and loading the run in progress, so a reload picks it up: the
 * conversation with the run it streams (replayed from its last frame on the
 * next page) and the tool round that waits on this page (resumed there).
 */
import type { TurnLoopHost, Run } from './loop-host.js';
import type { PendingRun, StoredConversation, StoredSession } from './persistence.js';
import type { ToolRound } from './tool-round.js';

/** What a new page finds: what it shows, and the run it continues, if any. */
export interface Saved {
  session?: StoredSession;
  conversation?: StoredConversation;
  started: readonly string[];
  /** A run paused on this page's tools: finish the round and resume it. */
  pending?: PendingRun;
  /** A run left mid-answer: replay the rest from its last frame. */
  streaming?: Required<Pick<Run, 'sessionId' | 'executionId'>> & Pick<Run, 'lastSeq'>;
}

export async function loadSaved(host: TurnLoopHost): Promise<Saved> {
  const { store } = host;
  const [session, conversation, round, started] = await Promise.all([
    store.loadSession(),
    store.loadConversation(),
    store.loadPending(),
    store.loadStarted(),
  ]).catch(() => [undefined, undefined, undefined, [] as string[]] as const);
  // The round's record lives in localStorage (fast), which reaches another tab's process a moment
  // after it is written: a tab taking over a finished run can still read the record its owner
  // removed. The conversation (IndexedDB, saved before the owner let the run go) says whether
  // that run went on past its round; resuming it again would replay its answer a second time.
  const pending = round && !endedIn(conversation, round.executionId) ? round : undefined;
  if (round && !pending) void store.savePending(undefined).catch(() => {});
  // A run streamed under another session cannot be replayed with this one.
  const streaming = !pending && conversation?.run?.sessionId === session?.sessionId ? conversation?.run : undefined;
  return { session, conversation, started, pending, streaming };
}

/** The run is not live in the conversation, and its answer there is finished (ended, failed or cancelled). */
function endedIn(conversation: StoredConversation | undefined, executionId: string): boolean {
  if (!conversation || conversation.run?.executionId === executionId) return false;
  return conversation.messages.some((message) => message.executionId === executionId && !message.streaming);
}

/** The conversation as it is now; with the run while it is live, and its position, taken together with the messages. */
export async function saveConversation(host: TurnLoopHost, run: Run | undefined): Promise<void> {
  const { messages, toolCalls } = host.getState();
  const live =
    run?.executionId && !run.ended ? { executionId: run.executionId, sessionId: run.sessionId, lastSeq: run.lastSeq } : undefined;
  await host.store.saveConversation({ messages, toolCalls, ...(live && { run: live }) }).catch(() => {});
}

/** The round still to be posted, or nothing once it is (or when there is none). */
export function savePending(host: TurnLoopHost, run: Run | undefined, round: ToolRound): Promise<void> {
  if (!run?.executionId || round.size === 0) return Promise.resolve();
  return host.store.savePending({ executionId: run.executionId, sessionId: run.sessionId, lastSeq: run.lastSeq, calls: round.pending() });
}

export function forgetPending(host: TurnLoopHost): Promise<void> {
  return host.store.savePending(undefined).catch(() => {});
}
