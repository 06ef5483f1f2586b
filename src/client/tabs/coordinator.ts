/**
 * Several tabs of one site, one conversation: exactly one tab owns a run and
 * its tool calls, the others show it live and take over only when the owner
 * is really gone.
 *
 * - Ownership is a Web Lock named after the conversation's store. A tab holds
 *   it from the moment it starts a job (send, retry, recovery) until the job
 *   is over. The platform frees it when the tab closes, crashes or reloads,
 *   so a free lock is proof that nobody still holds the run's calls.
 * - A tab that opens while the lock is held only shows the stored
 *   conversation and queues for the lock. When it gets it, it runs the usual
 *   reload recovery (which finds nothing when the owner ended normally), so
 *   recovery happens exactly once, in whichever tab the lock picks.
 * - A BroadcastChannel carries the owner's state (messages, tool cards,
 *   pending approvals) to the others, and their approvals and cancels back.
 *   Every tab says `hello` when it opens and the others answer, so an owner
 *   that never heard of another tab posts nothing; one that has sends its
 *   whole state first, then only what changed (`mirror-change.ts`). An owner
 *   asks again at the start of each job; when no tab speaks during it, the
 *   next job posts nothing.
 *
 * Without Web Locks every tab acts alone, as before; without a
 * BroadcastChannel the others do not update live but still take over from
 * storage.
 */
import type { ApprovalDecision } from '../../bridge/types.js';
import { badRequest, type ChatError } from '../errors.js';
import type { ConversationStore } from '../persistence.js';
import type { ChatAction } from '../reducer.js';
import type { ChatState } from '../state.js';
import { mergeConversation } from './merge.js';
import { openTabChannel, type MirroredState, type TabChannel, type TabMessage } from './channel.js';
import { applyChange, changeSince } from './mirror-change.js';

/** What the coordinator needs of the turn loop: its public verbs only. */
export interface CoordinatedLoop {
  restore(): Promise<void>;
  approve(toolCallId: string, decision: ApprovalDecision): boolean;
  cancel(): Promise<void>;
  clear(): Promise<void>;
  /** The job in progress or the last one. */
  readonly idle: Promise<void>;
  readonly busy: boolean;
}

export interface TabHost {
  /** The conversation's store name: tabs with the same name share the run. */
  name: string;
  loop: CoordinatedLoop;
  store: ConversationStore;
  getState(): ChatState;
  dispatch(action: ChatAction): void;
  /** Calls `listener` after every state change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export interface Tabs {
  /** Loads what is stored; recovers a run left behind only when no live tab holds it. */
  restore(): Promise<void>;
  /** Runs `start` (which starts a job) as the run's owner; refused while another tab is answering. */
  run(start: () => void): Promise<void>;
  approve(toolCallId: string, decision: ApprovalDecision): boolean;
  cancel(): Promise<void>;
  clear(): Promise<void>;
  dispose(): void;
}

const HELLO: TabMessage = { type: 'hello', changes: true };
/** Long enough for a tab checking the store to let go; a real run elsewhere is refused at once. */
const OWN_TIMEOUT_MS = 5_000;
/** State goes to the other tabs at most this often (a stream can change it per token). */
const MIRROR_INTERVAL_MS = 30;

/** `shared`: the conversation lives where other tabs see it (IndexedDB); otherwise there is nothing to coordinate. */
export function coordinateTabs(host: TabHost, shared: boolean): Tabs {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!shared || !locks) return alone(host.loop);
  return coordinator(host, locks, openTabChannel(host.name));
}

/** Today's behaviour, for a browser without Web Locks. */
function alone(loop: CoordinatedLoop): Tabs {
  return {
    restore: () => loop.restore(),
    run: async (start) => start(),
    approve: (id, decision) => loop.approve(id, decision),
    cancel: () => loop.cancel(),
    clear: () => loop.clear(),
    dispose: () => {},
  };
}

/** One tab's part in the conversation's run: a closure, its state in the variables below. */
function coordinator(host: TabHost, locks: LockManager, channel: TabChannel): Tabs {
  const lockName = `${host.name}:run`;
  const stop = new AbortController();
  let owner = false;
  let queued = false;
  /** A cancel or clear still telling the server and the store. */
  let ending: Promise<void> = Promise.resolve();
  /** The status another tab last reported while it owned the run. */
  let remoteStatus: ChatState['status'] = 'idle';
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Another tab of this conversation said it is open (and spoke during the last job this tab owned): only then is there anyone to mirror to. */
  let peers = false;
  /** As owner: some tab spoke since this job began. */
  let heard = false;
  /** A tab of an older widget is open: it reads whole states only. */
  let olderPeer = false;
  /** As owner: what the last post showed, and its id (the next change builds on it). */
  let sent: { state: MirroredState; id: string } | undefined;
  /** As a mirror: the owner's state as last received, and the id of that post. */
  let received: { state: MirroredState; id: string | undefined } | undefined;
  /** Names this tab's posts, so a change is applied only on top of the post it follows. */
  const tabId = Math.random().toString(36).slice(2);
  let posts = 0;

  // ── ownership ───────────────────────────────────────────────────────────

  /**
   * Inside the lock: runs `body`, then keeps the lock (and mirrors) until the loop has no job
   * left, a cancel has told the server, and every write has landed: the next tab to hold the
   * run reads exactly where this one stopped.
   */
  const hold = async (body: () => Promise<void>): Promise<void> => {
    owner = true;
    remoteStatus = 'idle';
    received = undefined;
    // The other tabs may have followed another owner since this one last posted.
    sent = undefined;
    // Ask who is still open (the others answer `here`): when no tab has spoken by
    // the end of this job, the ones that closed stop costing a copy of every answer.
    // Until then the job mirrors as before, so a slow tab's late answer loses nothing.
    heard = olderPeer;
    if (peers && !olderPeer) channel.post(HELLO);
    unsubscribe ??= host.subscribe(scheduleMirror);
    try {
      await body();
      do {
        await settled(host.loop);
        await ending;
        await host.store.settled();
      } while (host.loop.busy);
    } finally {
      owner = false;
      stopMirroring();
      publish();
      peers &&= heard;
    }
  };

  const finishing = (work: Promise<void>): Promise<void> => {
    ending = Promise.all([ending, work.catch(() => {})]).then(() => {});
    return work;
  };

  /** Waits for the lock; once it is ours, whatever the owner left undone is recovered here, once. */
  const queueTakeover = (): void => {
    if (queued || stop.signal.aborted) return;
    queued = true;
    locks
      .request(lockName, { signal: stop.signal }, () =>
        hold(async () => {
          queued = false;
          await host.loop.restore();
          // The owner's last word may not have reached us (it closed): what the store says stands.
          const { messages, toolCalls, status } = host.getState();
          if (busy(status) && !host.loop.busy)
            host.dispatch({ type: 'mirror', state: { messages, toolCalls, pendingApprovals: [], status: 'idle' } });
        }),
      )
      .catch(() => {
        queued = false;
      });
  };

  /** Before sending: anything another tab stored that this one has not seen joins the conversation. */
  const catchUp = async (): Promise<void> => {
    const stored = await host.store.loadConversation().catch(() => undefined);
    if (!stored) return;
    const { messages, toolCalls } = host.getState();
    const merged = mergeConversation(stored, { messages, toolCalls });
    if (merged.messages !== messages) host.dispatch({ type: 'restore', snapshot: merged });
  };

  const showStored = async (): Promise<void> => {
    const [session, conversation] = await Promise.all([host.store.loadSession(), host.store.loadConversation()]);
    if (session) host.dispatch({ type: 'session', sessionId: session.sessionId });
    if (conversation) host.dispatch({ type: 'restore', snapshot: conversation });
  };

  // ── mirroring ───────────────────────────────────────────────────────────

  const receive = (message: TabMessage): void => {
    peers = heard = true;
    switch (message.type) {
      case 'state':
        if (!owner) mirror(message.state, message.id);
        return;
      case 'change': {
        if (owner) return;
        const state = received && received.id === message.change.base ? applyChange(received.state, message.change) : undefined;
        // Out of step (opened mid-post, or a post was lost): ask for the whole state again.
        if (state) mirror(state, message.id);
        else channel.post(HELLO);
        return;
      }
      case 'hello':
        // An older widget's tab never answers an owner's hello: it counts for good.
        if (!message.changes) olderPeer = true;
        if (owner) {
          sent = undefined;
          publish();
        } else channel.post({ type: 'here' });
        return;
      case 'here':
        // Someone is there: the state goes out now, not at the next change.
        if (owner) scheduleMirror();
        return;
      case 'approve':
        if (owner) host.loop.approve(message.toolCallId, message.decision);
        return;
      case 'cancel':
        if (owner) void finishing(host.loop.cancel());
        return;
      case 'clear':
        if (owner) void finishing(host.loop.clear());
        else host.dispatch({ type: 'clear' });
        return;
    }
  };

  const mirror = (state: MirroredState, id: string | undefined): void => {
    received = { state, id };
    remoteStatus = state.status;
    host.dispatch({ type: 'mirror', state });
    if (busy(state.status)) queueTakeover();
  };

  const scheduleMirror = (): void => {
    if (!peers) return;
    timer ??= setTimeout(() => {
      timer = undefined;
      publish();
    }, MIRROR_INTERVAL_MS);
  };

  /** The whole state to a tab that has none yet, afterwards what changed; nothing while no other tab is open. */
  const publish = (): void => {
    if (!peers) return;
    const { messages, toolCalls, pendingApprovals, status } = host.getState();
    const state: MirroredState = { messages, toolCalls, pendingApprovals, status };
    const id = `${tabId}:${++posts}`;
    const change = !olderPeer && sent && changeSince(sent.state, state, sent.id);
    channel.post(change ? { type: 'change', change, id } : { type: 'state', state, id });
    sent = { state, id };
  };

  const stopMirroring = (): void => {
    unsubscribe?.();
    unsubscribe = undefined;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  channel.listen(receive);

  return {
    restore: () =>
      new Promise<void>((resolve, reject) => {
        locks
          .request(lockName, { ifAvailable: true }, async (lock) => {
            // After the stored state is shown: a live state answering this must not be overwritten by it.
            const shown = () => {
              channel.post(HELLO);
              resolve();
            };
            if (lock) {
              return hold(async () => {
                await host.loop.restore();
                shown();
              });
            }
            // A live tab holds the run: show what it stored, ask it for the rest, and wait our turn.
            await showStored().catch(() => {});
            shown();
            queueTakeover();
          })
          .catch(reject);
      }),

    async run(start) {
      if (!owner && busy(remoteStatus)) throw anotherTabAnswers();
      const timeout = AbortSignal.timeout(OWN_TIMEOUT_MS);
      await new Promise<void>((resolve, reject) => {
        locks
          .request(lockName, { signal: AbortSignal.any([timeout, stop.signal]) }, async () => {
            try {
              await catchUp();
              start();
            } catch (error) {
              reject(error);
              return;
            }
            resolve();
            await hold(async () => {});
          })
          .catch((error: unknown) => reject(timeout.aborted ? anotherTabAnswers() : error));
      });
    },

    approve(toolCallId, decision) {
      if (host.loop.approve(toolCallId, decision)) return true;
      if (owner || !host.getState().pendingApprovals.some((approval) => approval.toolCallId === toolCallId)) return false;
      // The card is the owner's: the call runs there.
      channel.post({ type: 'approve', toolCallId, decision });
      return true;
    },

    async cancel() {
      if (!owner && busy(remoteStatus)) channel.post({ type: 'cancel' });
      await finishing(host.loop.cancel());
    },

    async clear() {
      channel.post({ type: 'clear' });
      await finishing(host.loop.clear());
    },

    dispose() {
      stop.abort();
      stopMirroring();
      channel.close();
    },
  };
}

function busy(status: ChatState['status']): boolean {
  return status !== 'idle' && status !== 'error';
}

function anotherTabAnswers(): ChatError {
  return badRequest('Another tab of this site is answering. Wait for it to finish, then send.');
}

/** Resolves when the loop runs no job (a job may start another: wait until none does). */
export async function settled(loop: { readonly idle: Promise<void> }): Promise<void> {
  for (let job = loop.idle; ; ) {
    await job;
    if (loop.idle === job) return;
    job = loop.idle;
  }
}
