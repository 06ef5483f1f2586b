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
 *   asks again at the start of each job, so closed tabs stop counting.
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

/** Long enough for a tab checking the store to let go; a real run elsewhere is refused at once. */
const OWN_TIMEOUT_MS = 5_000;
const HELLO: TabMessage = { type: 'hello', changes: true };
/** State goes to the other tabs at most this often (a stream can change it per token). */
const MIRROR_INTERVAL_MS = 30;

/** `shared`: the conversation lives where other tabs see it (IndexedDB); otherwise there is nothing to coordinate. */
export function coordinateTabs(host: TabHost, shared: boolean): Tabs {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!shared || !locks) return alone(host.loop);
  return new Coordinator(host, locks, openTabChannel(host.name));
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

class Coordinator implements Tabs {
  readonly #host: TabHost;
  readonly #locks: LockManager;
  readonly #channel: TabChannel;
  readonly #lockName: string;
  readonly #stop = new AbortController();
  #owner = false;
  #queued = false;
  /** A cancel or clear still telling the server and the store. */
  #ending: Promise<void> = Promise.resolve();
  /** The status another tab last reported while it owned the run. */
  #remoteStatus: ChatState['status'] = 'idle';
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Another tab of this conversation said it is open (since the owner last asked): only then is there anyone to mirror to. */
  #peers = false;
  /** A tab of an older widget is open: it reads whole states only. */
  #olderPeer = false;
  /** As owner: what the last post showed, and its id (the next change builds on it). */
  #sent: { state: MirroredState; id: string } | undefined;
  /** As a mirror: the owner's state as last received, and the id of that post. */
  #received: { state: MirroredState; id: string | undefined } | undefined;
  /** Names this tab's posts, so a change is applied only on top of the post it follows. */
  readonly #tabId = Math.random().toString(36).slice(2);
  #posts = 0;

  constructor(host: TabHost, locks: LockManager, channel: TabChannel) {
    this.#host = host;
    this.#locks = locks;
    this.#channel = channel;
    this.#lockName = `${host.name}:run`;
    channel.listen((message) => this.#receive(message));
  }

  restore(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#locks
        .request(this.#lockName, { ifAvailable: true }, async (lock) => {
          // After the stored state is shown: a live state answering this must not be overwritten by it.
          const shown = () => {
            this.#channel.post(HELLO);
            resolve();
          };
          if (lock) {
            return this.#hold(async () => {
              await this.#host.loop.restore();
              shown();
            });
          }
          // A live tab holds the run: show what it stored, ask it for the rest, and wait our turn.
          await this.#showStored().catch(() => {});
          shown();
          this.#queueTakeover();
        })
        .catch(reject);
    });
  }

  async run(start: () => void): Promise<void> {
    if (!this.#owner && busy(this.#remoteStatus)) throw anotherTabAnswers();
    const timeout = AbortSignal.timeout(OWN_TIMEOUT_MS);
    await new Promise<void>((resolve, reject) => {
      this.#locks
        .request(this.#lockName, { signal: AbortSignal.any([timeout, this.#stop.signal]) }, async () => {
          try {
            await this.#catchUp();
            start();
          } catch (error) {
            reject(error);
            return;
          }
          resolve();
          await this.#hold(async () => {});
        })
        .catch((error: unknown) => reject(timeout.aborted ? anotherTabAnswers() : error));
    });
  }

  approve(toolCallId: string, decision: ApprovalDecision): boolean {
    if (this.#host.loop.approve(toolCallId, decision)) return true;
    if (this.#owner || !this.#host.getState().pendingApprovals.some((approval) => approval.toolCallId === toolCallId)) return false;
    // The card is the owner's: the call runs there.
    this.#channel.post({ type: 'approve', toolCallId, decision });
    return true;
  }

  async cancel(): Promise<void> {
    if (!this.#owner && busy(this.#remoteStatus)) this.#channel.post({ type: 'cancel' });
    await this.#finishing(this.#host.loop.cancel());
  }

  async clear(): Promise<void> {
    this.#channel.post({ type: 'clear' });
    await this.#finishing(this.#host.loop.clear());
  }

  dispose(): void {
    this.#stop.abort();
    this.#stopMirroring();
    this.#channel.close();
  }

  // ── ownership ───────────────────────────────────────────────────────────

  /**
   * Inside the lock: runs `body`, then keeps the lock (and mirrors) until the loop has no job
   * left, a cancel has told the server, and every write has landed: the next tab to hold the
   * run reads exactly where this one stopped.
   */
  async #hold(body: () => Promise<void>): Promise<void> {
    this.#owner = true;
    this.#remoteStatus = 'idle';
    this.#received = undefined;
    // The other tabs may have followed another owner since this one last posted.
    this.#sent = undefined;
    // Ask who is still open: a tab that closed since the last job no longer
    // costs a copy of the answer every few milliseconds. The others answer `here`.
    if (this.#peers && !this.#olderPeer) {
      this.#peers = false;
      this.#channel.post(HELLO);
    }
    this.#unsubscribe ??= this.#host.subscribe(() => this.#scheduleMirror());
    try {
      await body();
      do {
        await settled(this.#host.loop);
        await this.#ending;
        await this.#host.store.settled();
      } while (this.#host.loop.busy);
    } finally {
      this.#owner = false;
      this.#stopMirroring();
      this.#publish();
    }
  }

  #finishing(work: Promise<void>): Promise<void> {
    const ending = work.catch(() => {});
    this.#ending = Promise.all([this.#ending, ending]).then(() => {});
    return work;
  }

  /** Waits for the lock; once it is ours, whatever the owner left undone is recovered here, once. */
  #queueTakeover(): void {
    if (this.#queued || this.#stop.signal.aborted) return;
    this.#queued = true;
    this.#locks
      .request(this.#lockName, { signal: this.#stop.signal }, () =>
        this.#hold(async () => {
          this.#queued = false;
          await this.#host.loop.restore();
          // The owner's last word may not have reached us (it closed): what the store says stands.
          const { messages, toolCalls, status } = this.#host.getState();
          if (busy(status) && !this.#host.loop.busy)
            this.#host.dispatch({ type: 'mirror', state: { messages, toolCalls, pendingApprovals: [], status: 'idle' } });
        }),
      )
      .catch(() => {
        this.#queued = false;
      });
  }

  /** Before sending: anything another tab stored that this one has not seen joins the conversation. */
  async #catchUp(): Promise<void> {
    const stored = await this.#host.store.loadConversation().catch(() => undefined);
    if (!stored) return;
    const { messages, toolCalls } = this.#host.getState();
    const merged = mergeConversation(stored, { messages, toolCalls });
    if (merged.messages !== messages) this.#host.dispatch({ type: 'restore', snapshot: merged });
  }

  async #showStored(): Promise<void> {
    const [session, conversation] = await Promise.all([this.#host.store.loadSession(), this.#host.store.loadConversation()]);
    if (session) this.#host.dispatch({ type: 'session', sessionId: session.sessionId });
    if (conversation) this.#host.dispatch({ type: 'restore', snapshot: conversation });
  }

  // ── mirroring ───────────────────────────────────────────────────────────

  #receive(message: TabMessage): void {
    this.#peers = true;
    switch (message.type) {
      case 'state':
        if (!this.#owner) this.#mirror(message.state, message.id);
        return;
      case 'change': {
        if (this.#owner) return;
        const received = this.#received;
        const state = received && received.id === message.change.base ? applyChange(received.state, message.change) : undefined;
        // Out of step (opened mid-post, or a post was lost): ask for the whole state again.
        if (state) this.#mirror(state, message.id);
        else this.#channel.post(HELLO);
        return;
      }
      case 'hello':
        // An older widget's tab never answers an owner's hello: it counts for good.
        if (!message.changes) this.#olderPeer = true;
        if (this.#owner) {
          this.#sent = undefined;
          this.#publish();
        } else this.#channel.post({ type: 'here' });
        return;
      case 'here':
        // Someone to show the state to, maybe only now: they get it whole.
        if (this.#owner) this.#scheduleMirror();
        return;
      case 'approve':
        if (this.#owner) this.#host.loop.approve(message.toolCallId, message.decision);
        return;
      case 'cancel':
        if (this.#owner) void this.#finishing(this.#host.loop.cancel());
        return;
      case 'clear':
        if (this.#owner) void this.#finishing(this.#host.loop.clear());
        else this.#host.dispatch({ type: 'clear' });
        return;
    }
  }

  #mirror(state: MirroredState, id: string | undefined): void {
    this.#received = { state, id };
    this.#remoteStatus = state.status;
    this.#host.dispatch({ type: 'mirror', state });
    if (busy(state.status)) this.#queueTakeover();
  }

  #scheduleMirror(): void {
    if (!this.#peers) return;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#publish();
    }, MIRROR_INTERVAL_MS);
  }

  /** The whole state to a tab that has none yet, afterwards what changed; nothing while no other tab is open. */
  #publish(): void {
    if (!this.#peers) return;
    const { messages, toolCalls, pendingApprovals, status } = this.#host.getState();
    const state: MirroredState = { messages, toolCalls, pendingApprovals, status };
    const id = `${this.#tabId}:${++this.#posts}`;
    const change = !this.#olderPeer && this.#sent && changeSince(this.#sent.state, state, this.#sent.id);
    this.#channel.post(change ? { type: 'change', change, id } : { type: 'state', state, id });
    this.#sent = { state, id };
  }

  #stopMirroring(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
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
