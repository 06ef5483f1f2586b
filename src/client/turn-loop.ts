/**
 * The turn loop, where the effects live: chat → frames → every `await` runs in
 * parallel → ONE resume keyed by `toolCallId` → frames → … until the run ends.
 *
 * A stream silent past the idle timeout (event-stream.ts) counts as cut.
 *
 * Recovery, each at most once per request: 401 → re-init and retry (chat
 * only: a new session cannot resume an old run); 409 fingerprint → resend
 * with the full tools; 429 → wait `Retry-After` and retry. A cut stream →
 * replay from the last `seq`; a resume whose answer was lost → resend it
 * (the server answers a repeated resume from its log) or replay.
 *
 * Never twice: every `toolCallId` is recorded as started (persisted) before
 * the bridge runs it, and a started call is never started again; after a
 * reload its output, if never posted, is an "interrupted" error.
 */
import type { ChatRequest, EventOf, ResumeRequest } from '../protocol/index.js';
import type {
  ApprovalDecision,
  ApprovalRequest,
  ApproveFn,
  ToolOutput,
  ToolRunOutcome,
  ToolSnapshot,
  WebMcpBridge,
} from '../bridge/types.js';
import type { ApiClient } from './api-client.js';
import { ChatError, defaultHint, protocolError, streamCutError, toChatError } from './errors.js';
import type { Emitter } from './emitter.js';
import { StreamIdleError } from './event-stream.js';
import type { ConversationStore, PendingRun, StoredSession } from './persistence.js';
import type { ChatAction } from './reducer.js';
import { errorText } from './reducer.js';
import type { ChatState, ChatStatus, MessageState, ToolCallState } from './state.js';
import { toWireMessages } from './transcript.js';
import { isToolCallFinished, messageText } from './state.js';

export interface ChatEvents {
  message: MessageState;
  toolcall: ToolCallState;
  toolresult: ToolCallState;
  error: ChatError;
  status: ChatStatus;
}

export const CANCELLED_OUTPUT = { error: 'cancelled by the user' } as const;
export const INTERRUPTED_OUTPUT = { error: 'interrupted: the page reloaded before the tool finished; it may have run' } as const;

export interface TurnLoopHost {
  api: ApiClient;
  clientToken: string;
  bridge: WebMcpBridge | undefined;
  store: ConversationStore;
  getState(): ChatState;
  dispatch(action: ChatAction): void;
  events: Emitter<ChatEvents>;
  /** The host's approval UI; without one, approvals wait for `approve()`. */
  approve: ApproveFn | undefined;
  /** Longest `Retry-After` worth waiting for before giving up at once. */
  maxRetryAfterMs: number;
  /** Replays allowed in a row without the run moving on. */
  maxReplays: number;
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

type AwaitEvent = EventOf<'await'>;

interface RoundCall {
  toolCallId: string;
  toolName: string;
  parameters: unknown;
  startedAt?: number;
  output?: ToolOutput;
  done: Promise<void>;
}

interface Run {
  sessionId: string;
  executionId?: string;
  lastSeq?: number;
  ended: boolean;
}

type StreamOutcome = { kind: 'complete' } | { kind: 'awaits' } | { kind: 'cut'; detail: string } | { kind: 'failed'; error: ChatError };

type RetryPlan = 'chat' | 'resume' | 'replay';

export class TurnLoop {
  readonly #host: TurnLoopHost;
  #session: StoredSession | undefined;
  /** The fingerprint whose full tool set the server holds for this session. */
  #sentFingerprint: string | undefined;
  #snapshot: ToolSnapshot | undefined;
  #toolsChanged = false;
  readonly #started = new Set<string>();
  #run: Run | undefined;
  #round = new Map<string, RoundCall>();
  #controller: AbortController | undefined;
  /** The job in progress or the last one; one settled promise before any, so `idle` is stable. */
  #job: Promise<void> = Promise.resolve();
  #retryPlan: RetryPlan | undefined;
  readonly #approvals = new Map<string, (decision: ApprovalDecision) => void>();
  readonly #unsubscribe: (() => void) | undefined;

  constructor(host: TurnLoopHost) {
    this.#host = host;
    this.#unsubscribe = host.bridge?.onToolsChanged(() => {
      this.#toolsChanged = true;
    });
  }

  /** The job in progress (for tests and `await session.idle()`). */
  get idle(): Promise<void> {
    // The same object until a new job starts: session.idle() compares them to know it is done.
    return this.#job;
  }

  get busy(): boolean {
    return this.#controller !== undefined;
  }

  // ── public verbs ─────────────────────────────────────────────────────────

  /** Loads what a previous page left; a run paused on this page's tools continues. */
  async restore(): Promise<void> {
    const { store } = this.#host;
    const [session, conversation, pending, started] = await Promise.all([
      store.loadSession(),
      store.loadConversation(),
      store.loadPending(),
      store.loadStarted(),
    ]).catch(() => [undefined, undefined, undefined, [] as string[]] as const);
    for (const id of started) this.#started.add(id);
    if (session) {
      this.#session = session;
      // The surface's welcome and placeholder come back with it: a reload does not fall back to the defaults.
      this.#host.dispatch({
        type: 'session',
        sessionId: session.sessionId,
        welcomeMessage: session.welcomeMessage,
        placeholder: session.placeholder,
      });
    }
    const streaming = !pending && conversation?.run?.sessionId === session?.sessionId ? conversation?.run : undefined;
    if (conversation) {
      const messages =
        pending || streaming
          ? conversation.messages
          : conversation.messages.map((message) => (message.streaming ? { ...message, streaming: false } : message));
      this.#host.dispatch({ type: 'restore', state: { messages, toolCalls: conversation.toolCalls } });
    }
    if (pending) this.#continueAfterReload(pending);
    else if (streaming) this.#continueStream(streaming);
  }

  send(text: string): void {
    if (this.busy) throw new ChatError({ code: 'bad_request', hint: 'Wait for the answer, or cancel it, before sending again.' });
    const id = `u_${this.#host.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    this.#host.dispatch({ type: 'user_message', id, text, at: this.#host.now() });
    const message = this.#host.getState().messages.at(-1);
    if (message) this.#host.events.emit('message', message);
    void this.#saveConversation();
    this.#start((signal) => this.#chat(signal));
  }

  retry(): void {
    if (this.busy) return;
    const plan = this.#retryPlan;
    if (!plan) return;
    this.#host.dispatch({ type: 'request_start' });
    if (plan === 'resume') this.#start((signal) => this.#resumeAndFollow(signal));
    else if (plan === 'replay') this.#start(async (signal) => this.#follow(await this.#replay(signal), signal));
    else this.#start((signal) => this.#chat(signal));
  }

  /** Aborts the stream and running tools; posts `cancelled by the user` for unfinished calls. */
  async cancel(): Promise<void> {
    const controller = this.#controller;
    if (!controller) return;
    controller.abort(new DOMException('cancelled by the user', 'AbortError'));
    this.#controller = undefined;
    for (const resolve of this.#approvals.values()) resolve('decline');
    this.#approvals.clear();
    const run = this.#run;
    const round = this.#round;
    this.#round = new Map();
    // Forgotten before saving: a cancelled answer must not resume on the next page.
    this.#run = undefined;
    this.#host.dispatch({ type: 'cancelled', at: this.#host.now() });
    this.#retryPlan = undefined;
    await this.#host.store.savePending(undefined).catch(() => {});
    await this.#saveConversation();
    if (run?.executionId && round.size > 0) {
      const toolOutputs: Record<string, ToolOutput> = {};
      for (const call of round.values()) toolOutputs[call.toolCallId] = call.output ?? CANCELLED_OUTPUT;
      // The run on the server must not hang on calls nobody will answer.
      try {
        const response = await this.#host.api.resume({ sessionId: run.sessionId, executionId: run.executionId, toolOutputs });
        await response.body?.cancel().catch(() => {});
      } catch {
        // Best effort: the person asked to stop, and the server will expire the run.
      }
    }
    this.#run = undefined;
  }

  approve(toolCallId: string, decision: ApprovalDecision): boolean {
    const resolve = this.#approvals.get(toolCallId);
    if (!resolve) return false;
    this.#approvals.delete(toolCallId);
    resolve(decision);
    return true;
  }

  async clear(): Promise<void> {
    await this.cancel();
    this.#retryPlan = undefined;
    this.#host.dispatch({ type: 'clear' });
    await this.#host.store.clear().catch(() => {});
  }

  dispose(): void {
    void this.cancel();
    this.#unsubscribe?.();
  }

  // ── jobs ────────────────────────────────────────────────────────────────

  #start(job: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    this.#controller = controller;
    this.#retryPlan = undefined;
    const run = async () => {
      try {
        await job(controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        this.#fail(toChatError(error));
      } finally {
        if (this.#controller === controller) this.#controller = undefined;
      }
    };
    this.#job = run();
  }

  #fail(error: ChatError): void {
    const run = this.#run;
    const unposted = this.#round.size > 0 && [...this.#round.values()].every((call) => call.output !== undefined);
    if (run && !run.ended && run.executionId && unposted) {
      this.#retryPlan = 'resume';
      this.#host.dispatch({ type: 'error', error, keepRun: true });
    } else if (run && !run.ended && run.executionId && error.retryable && error.code !== 'execution_not_found') {
      this.#retryPlan = 'replay';
      this.#host.dispatch({ type: 'error', error, keepRun: true });
    } else if (!run?.executionId) {
      // The server never took the message: give the text back to the person.
      this.#retryPlan = 'chat';
      const last = this.#host.getState().messages.at(-1);
      const draft = last?.role === 'user' ? messageText(last) : undefined;
      this.#run = undefined;
      this.#host.dispatch({ type: 'error', error, draft });
    } else {
      this.#retryPlan = 'chat';
      this.#run = undefined;
      this.#host.dispatch({ type: 'error', error });
    }
    void this.#saveConversation();
    this.#host.events.emit('error', error);
  }

  async #chat(signal: AbortSignal): Promise<void> {
    this.#run = undefined;
    const messages = toWireMessages(this.#host.getState().messages);
    if (messages.length === 0) throw new ChatError({ code: 'bad_request', hint: 'There is nothing to send.' });
    const response = await this.#recover('chat', signal, async (force) => {
      const sessionId = await this.#ensureSession(signal, force.reinit);
      const snapshot = await this.#takeSnapshot();
      const body: ChatRequest = { sessionId, messages };
      if (snapshot) {
        body.clientToolsFingerprint = snapshot.fingerprint;
        if (force.tools || this.#sentFingerprint !== snapshot.fingerprint) body.clientTools = [...snapshot.tools];
      }
      const answer = await this.#host.api.chat(body, signal);
      if (snapshot) this.#sentFingerprint = snapshot.fingerprint;
      this.#run = { sessionId, ended: false };
      return answer;
    });
    await this.#follow(response, signal);
  }

  /** Reads streams until the run ends: tools and resumes, replays on cuts. */
  async #follow(response: Response, signal: AbortSignal): Promise<void> {
    let replays = 0;
    for (;;) {
      const outcome = await this.#consume(response, signal);
      if (signal.aborted) return;
      if (outcome.kind === 'complete') {
        this.#run!.ended = true;
        this.#host.dispatch({ type: 'run_end' });
        const last = this.#host.getState().messages.at(-1);
        if (last?.role === 'assistant') this.#host.events.emit('message', last);
        this.#run = undefined;
        await this.#saveConversation();
        return;
      }
      if (outcome.kind === 'failed') {
        this.#run!.ended = true;
        throw outcome.error;
      }
      if (outcome.kind === 'awaits') {
        replays = 0;
        await Promise.all([...this.#round.values()].map((call) => call.done));
        if (signal.aborted) return;
        response = await this.#postResume(signal);
        continue;
      }
      replays += 1;
      if (replays > this.#host.maxReplays) throw streamCutError(outcome.detail);
      response = await this.#replay(signal, outcome.detail);
    }
  }

  async #consume(response: Response, signal: AbortSignal): Promise<StreamOutcome> {
    const run = this.#run!;
    let ended = false;
    let failure: ChatError | undefined;
    let frames = 0;
    let badFrames = 0;
    try {
      for await (const item of this.#host.api.events(response, signal)) {
        if (item.kind === 'protocol_error') {
          badFrames += 1;
          this.#host.dispatch({ type: 'protocol_error', message: item.message });
          continue;
        }
        const event = item.event;
        if (event.type === 'unknown') continue;
        // A frame seen before (a replay overlap, a duplicated frame) changes nothing.
        if (
          event.seq !== undefined &&
          run.lastSeq !== undefined &&
          event.seq <= run.lastSeq &&
          (event.executionId ?? run.executionId) === run.executionId
        )
          continue;
        const runStarts = !run.executionId && !!event.executionId;
        if (event.executionId) run.executionId = event.executionId;
        if (event.seq !== undefined) run.lastSeq = event.seq;
        frames += 1;
        this.#host.dispatch({ type: 'frame', event, at: this.#host.now() });
        // Once per answer, not per token: enough for a page opened mid-answer to replay the rest.
        if (runStarts) void this.#saveConversation();
        switch (event.type) {
          case 'await':
            this.#onAwait(event, signal);
            break;
          case 'tool_start': {
            const call = this.#host.getState().toolCalls[event.toolCallId];
            if (call) this.#host.events.emit('toolcall', call);
            break;
          }
          case 'tool_complete': {
            const call = this.#host.getState().toolCalls[event.toolCallId];
            if (call?.kind === 'server') this.#host.events.emit('toolresult', call);
            break;
          }
          case 'execution_complete':
            ended = true;
            break;
          case 'execution_error':
            failure = executionFailed(errorText(event.error), typeof event.error === 'object' ? event.error.code : undefined);
            break;
          case 'error':
            if (event.recoverable === false) failure = executionFailed(errorText(event.error));
            break;
        }
        if (ended || failure) break;
      }
    } catch (error) {
      if (signal.aborted) return { kind: 'cut', detail: 'cancelled' };
      if (error instanceof StreamIdleError) return { kind: 'cut', detail: error.message };
      return { kind: 'cut', detail: `the stream broke: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (failure) return { kind: 'failed', error: failure };
    if (ended) return { kind: 'complete' };
    if (this.#round.size > 0) return { kind: 'awaits' };
    if (badFrames > 0 && frames === 0)
      return { kind: 'failed', error: protocolError(this.#host.getState().protocolErrors.at(-1) ?? 'unreadable stream') };
    return { kind: 'cut', detail: 'the stream ended before the answer did' };
  }

  // ── tools ───────────────────────────────────────────────────────────────

  #onAwait(event: AwaitEvent, signal: AbortSignal): void {
    const id = event.toolCallId;
    if (this.#round.has(id)) return;
    const call: RoundCall = { toolCallId: id, toolName: event.toolName, parameters: event.parameters ?? {}, done: Promise.resolve() };
    this.#round.set(id, call);
    const state = this.#host.getState().toolCalls[id];
    if (state) this.#host.events.emit('toolcall', state);
    if (this.#started.has(id)) {
      // Started by an earlier page or stream: never again.
      call.output = INTERRUPTED_OUTPUT;
      this.#host.dispatch({ type: 'tool_interrupted', toolCallId: id, error: INTERRUPTED_OUTPUT.error, at: this.#host.now() });
      return;
    }
    call.done = this.#runTool(call, signal);
  }

  async #runTool(call: RoundCall, signal: AbortSignal): Promise<void> {
    // Recorded before it runs, so a reload can never start it a second time.
    this.#started.add(call.toolCallId);
    call.startedAt = this.#host.now();
    await Promise.all([this.#savePending(), this.#host.store.saveStarted(this.#started), this.#saveConversation()]).catch(() => {});
    if (signal.aborted) return;
    const outcome = await this.#invoke(call, signal);
    if (signal.aborted && !this.#round.has(call.toolCallId)) return; // cancelled: already answered
    call.output = outcome.output;
    this.#host.dispatch({ type: 'tool_outcome', toolCallId: call.toolCallId, outcome, at: this.#host.now() });
    const state = this.#host.getState().toolCalls[call.toolCallId];
    if (state) this.#host.events.emit('toolresult', state);
    await Promise.all([this.#savePending(), this.#saveConversation()]).catch(() => {});
  }

  async #invoke(call: RoundCall, signal: AbortSignal): Promise<ToolRunOutcome> {
    const { bridge } = this.#host;
    const snapshot = this.#snapshot;
    if (!bridge || !snapshot) {
      return failedOutcome(`not available: this page offers no tool named ${call.toolName}`);
    }
    try {
      return await bridge.run({ toolCallId: call.toolCallId, toolName: call.toolName, parameters: call.parameters }, snapshot, {
        signal,
        approve: (request, approvalSignal) => this.#askApproval(request, approvalSignal),
        onPhase: (phase) => {
          if (phase === 'running') this.#host.dispatch({ type: 'tool_phase', toolCallId: call.toolCallId, phase, at: this.#host.now() });
        },
      });
    } catch (error) {
      // The seam promises never to throw; a bridge that does still yields an answer.
      return failedOutcome(error instanceof Error ? error.message : String(error));
    }
  }

  #askApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    return new Promise<ApprovalDecision>((resolve) => {
      const settle = (decision: ApprovalDecision) => {
        if (this.#approvals.get(request.toolCallId) === settle) this.#approvals.delete(request.toolCallId);
        signal.removeEventListener('abort', onAbort);
        resolve(decision);
      };
      const onAbort = () => settle('decline');
      this.#approvals.set(request.toolCallId, settle);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#host.dispatch({
        type: 'tool_phase',
        toolCallId: request.toolCallId,
        phase: 'awaiting-approval',
        at: this.#host.now(),
        approval: request,
      });
      this.#host.approve?.(request, signal).then(settle, () => settle('decline'));
    });
  }

  // ── requests ────────────────────────────────────────────────────────────

  async #resumeAndFollow(signal: AbortSignal): Promise<void> {
    await this.#follow(await this.#postResume(signal), signal);
  }

  async #postResume(signal: AbortSignal): Promise<Response> {
    const run = this.#run!;
    const toolOutputs: Record<string, ToolOutput> = {};
    for (const call of this.#round.values()) toolOutputs[call.toolCallId] = call.output ?? INTERRUPTED_OUTPUT;
    let resent = false;
    const response = await this.#recover('resume', signal, async (force) => {
      const body: ResumeRequest = { sessionId: run.sessionId, executionId: run.executionId!, toolOutputs, streamResponse: true };
      if (this.#toolsChanged || force.tools) {
        const snapshot = await this.#takeSnapshot();
        if (snapshot && (force.tools || snapshot.fingerprint !== this.#sentFingerprint)) {
          body.clientTools = [...snapshot.tools];
          body.clientToolsFingerprint = snapshot.fingerprint;
        }
      }
      try {
        const answer = await this.#host.api.resume(body, signal);
        if (body.clientToolsFingerprint) this.#sentFingerprint = body.clientToolsFingerprint;
        return answer;
      } catch (error) {
        if (!(error instanceof ChatError)) throw error;
        // The answer was lost: the same resume again is safe (answered from the log).
        if (error.code === 'network' && !resent) {
          resent = true;
          return await this.#host.api.resume(body, signal).catch((again: unknown) => {
            if (again instanceof ChatError && again.code === 'execution_not_awaiting') return this.#replay(signal);
            throw again;
          });
        }
        // Someone (an earlier page, a lost answer) already resumed it: read on from the log.
        if (error.code === 'execution_not_awaiting') return this.#replay(signal);
        throw error;
      }
    });
    this.#round = new Map();
    await this.#host.store.savePending(undefined).catch(() => {});
    this.#host.dispatch({ type: 'tools_resumed' });
    void this.#saveConversation();
    return response;
  }

  async #replay(signal: AbortSignal, why = 'the stream was cut'): Promise<Response> {
    const run = this.#run;
    if (!run?.executionId) throw streamCutError(`${why}, and there is no run to pick up`);
    try {
      return await this.#host.api.replay(run.executionId, run.sessionId, run.lastSeq, signal);
    } catch (error) {
      if (error instanceof ChatError && (error.code === 'execution_not_found' || error.status === 405)) {
        throw streamCutError(`${why}, and the server cannot replay it (${error.message})`);
      }
      throw error;
    }
  }

  /** One retry for each of: expired session (chat only), fingerprint resend, rate limit. */
  async #recover(
    kind: 'chat' | 'resume',
    signal: AbortSignal,
    attempt: (force: { reinit: boolean; tools: boolean }) => Promise<Response>,
  ): Promise<Response> {
    const force = { reinit: false, tools: false };
    let waited = false;
    for (;;) {
      try {
        return await attempt(force);
      } catch (error) {
        if (!(error instanceof ChatError) || signal.aborted) throw error;
        if (error.code === 'session_expired' && kind === 'chat' && !force.reinit) {
          force.reinit = true;
          force.tools = true;
          continue;
        }
        if (error.code === 'tools_resend_required' && !force.tools) {
          force.tools = true;
          continue;
        }
        if (error.code === 'rate_limited' && !waited) {
          const wait = error.retryAfterMs ?? 1000;
          if (wait <= this.#host.maxRetryAfterMs) {
            waited = true;
            await this.#host.sleep(wait, signal);
            continue;
          }
        }
        if (error.code === 'rate_limited') throw rateLimited(error);
        throw error;
      }
    }
  }

  async #ensureSession(signal: AbortSignal, reinit: boolean): Promise<string> {
    const current = this.#session;
    if (current && !reinit && Date.parse(current.expiresAt) - this.#host.now() > 5_000) return current.sessionId;
    const answer = await this.#host.api.init(
      { token: this.#host.clientToken, ...(current && !reinit ? { sessionId: current.sessionId } : {}) },
      signal,
    );
    if (answer.sessionId !== current?.sessionId) this.#sentFingerprint = undefined;
    const { welcomeMessage, placeholder } = answer.config;
    this.#session = { sessionId: answer.sessionId, expiresAt: answer.expiresAt, welcomeMessage, placeholder };
    this.#host.dispatch({
      type: 'session',
      sessionId: answer.sessionId,
      welcomeMessage: answer.config.welcomeMessage,
      placeholder: answer.config.placeholder,
    });
    await this.#host.store.saveSession(this.#session).catch(() => {});
    return answer.sessionId;
  }

  /** Config for the panel before the first message (welcome text, placeholder). */
  async connect(signal?: AbortSignal): Promise<void> {
    await this.#ensureSession(signal ?? new AbortController().signal, false);
  }

  async #takeSnapshot(): Promise<ToolSnapshot | undefined> {
    const { bridge } = this.#host;
    if (!bridge) return undefined;
    this.#toolsChanged = false;
    try {
      this.#snapshot = await bridge.snapshot();
      this.#host.dispatch({ type: 'snapshot', dropped: this.#snapshot.dropped, bridgeKind: bridge.kind });
    } catch (error) {
      this.#snapshot = undefined;
      this.#host.dispatch({
        type: 'snapshot',
        dropped: [{ name: '*', reason: 'snapshot_failed', detail: error instanceof Error ? error.message : String(error) }],
        bridgeKind: bridge.kind,
      });
    }
    return this.#snapshot;
  }

  // ── persistence ─────────────────────────────────────────────────────────

  #continueAfterReload(pending: PendingRun): void {
    this.#run = { sessionId: pending.sessionId, executionId: pending.executionId, lastSeq: pending.lastSeq, ended: false };
    this.#round = new Map();
    const at = this.#host.now();
    for (const call of pending.calls) {
      const output = call.output ?? INTERRUPTED_OUTPUT;
      this.#round.set(call.toolCallId, { ...call, output, done: Promise.resolve() });
      const known = this.#host.getState().toolCalls[call.toolCallId];
      if (!call.output) {
        this.#host.dispatch({ type: 'tool_interrupted', toolCallId: call.toolCallId, error: INTERRUPTED_OUTPUT.error, at });
      } else if (known && !isToolCallFinished(known.status)) {
        // The output was saved but the page went before the conversation caught up.
        const ok = 'result' in call.output;
        this.#host.dispatch({
          type: 'tool_outcome',
          toolCallId: call.toolCallId,
          at,
          outcome: {
            output: call.output,
            status: ok ? 'done' : 'failed',
            durationMs: call.startedAt === undefined ? 0 : Math.max(0, at - call.startedAt),
            approval: known.approval ?? 'not-required',
            untrusted: known.untrusted,
            truncated: known.truncated,
          },
        });
      }
    }
    this.#host.dispatch({ type: 'restore', state: { executionId: pending.executionId, lastSeq: pending.lastSeq } });
    this.#start((signal) => this.#resumeAndFollow(signal));
  }

  /** The page left mid-answer: the rest comes from the server's log, from the last saved frame. */
  #continueStream(run: { executionId: string; sessionId: string; lastSeq?: number }): void {
    this.#run = { ...run, ended: false };
    this.#host.dispatch({ type: 'restore', state: { executionId: run.executionId, lastSeq: run.lastSeq } });
    this.#host.dispatch({ type: 'request_start' });
    this.#start(async (signal) => this.#follow(await this.#replay(signal, 'the page changed mid-answer'), signal));
  }

  #savePending(): Promise<void> {
    const run = this.#run;
    if (!run?.executionId || this.#round.size === 0) return Promise.resolve();
    return this.#host.store.savePending({
      executionId: run.executionId,
      sessionId: run.sessionId,
      lastSeq: run.lastSeq,
      calls: [...this.#round.values()].map(({ toolCallId, toolName, parameters, startedAt, output }) => ({
        toolCallId,
        toolName,
        parameters,
        startedAt,
        output,
      })),
    });
  }

  async #saveConversation(): Promise<void> {
    const { messages, toolCalls } = this.#host.getState();
    // Captured with the messages: they reflect exactly the frames up to lastSeq.
    const run = this.#run;
    const live =
      run?.executionId && !run.ended ? { executionId: run.executionId, sessionId: run.sessionId, lastSeq: run.lastSeq } : undefined;
    await this.#host.store.saveConversation({ messages, toolCalls, ...(live && { run: live }) }).catch(() => {});
  }
}

function failedOutcome(message: string): ToolRunOutcome {
  return { output: { error: message }, status: 'failed', durationMs: 0, approval: 'not-required', untrusted: false, truncated: false };
}

function executionFailed(message: string, serverCode?: string): ChatError {
  return new ChatError({
    code: 'execution_failed',
    hint: defaultHint('execution_failed'),
    message,
    serverCode,
    retryable: true,
  });
}

function rateLimited(error: ChatError): ChatError {
  const seconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
  return new ChatError({
    code: 'rate_limited',
    hint: seconds ? `Too many messages right now. Try again in ${seconds} s.` : error.hint,
    message: error.message,
    status: error.status,
    serverCode: error.serverCode,
    retryAfterMs: error.retryAfterMs,
    retryable: true,
  });
}
