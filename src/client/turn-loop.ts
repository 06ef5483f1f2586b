/**
 * The turn loop, where the effects live: chat → frames → every `await` runs in
 * parallel → ONE resume keyed by `toolCallId` → frames → … until the run ends.
 *
 * Its parts: `handshake.ts` (session and tool list), `read-run.ts` (one
 * response into the state), `tool-round.ts` (the calls and approvals),
 * `retry-policy.ts` (401 / 409 / 429), `run-store.ts` (what a reload picks
 * up). This file follows a run across responses and recovers it: a cut
 * stream → replay from the last `seq`; a resume whose answer was lost →
 * resend it (the server answers a repeated resume from its log) or replay.
 */
import type { ResumeRequest } from '../protocol/index.js';
import type { ApprovalDecision } from '../bridge/types.js';
import { ChatError, badRequest, streamCutError, toChatError } from './errors.js';
import { Handshake } from './handshake.js';
import type { Run, TurnLoopHost } from './loop-host.js';
import { readRun } from './read-run.js';
import { withRecovery } from './retry-policy.js';
import { forgetPending, loadSaved, saveConversation, savePending } from './run-store.js';
import { messageText } from './state.js';
import { CANCELLED_OUTPUT, ToolRound } from './tool-round.js';
import { toWireMessages } from './transcript.js';

export type { TurnLoopHost } from './loop-host.js';

/** What `retry()` does after a failure: send the message again, post the lost resume, or replay the cut stream. */
type RetryPlan = 'chat' | 'resume' | 'replay';

export class TurnLoop {
  readonly #host: TurnLoopHost;
  readonly #handshake: Handshake;
  readonly #round: ToolRound;
  #run: Run | undefined;
  #controller: AbortController | undefined;
  /** The job in progress or the last one; one settled promise before any, so `idle` is stable. */
  #job: Promise<void> = Promise.resolve();
  #retryPlan: RetryPlan | undefined;

  constructor(host: TurnLoopHost) {
    this.#host = host;
    this.#handshake = new Handshake(host);
    this.#round = new ToolRound(host, {
      snapshot: () => this.#handshake.snapshot,
      record: () => savePending(host, this.#run, this.#round),
      save: () => this.#save(),
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
    const saved = await loadSaved(this.#host);
    this.#round.remember(saved.started);
    if (saved.session) this.#handshake.adopt(saved.session);
    const { conversation, pending, streaming } = saved;
    const live = pending ?? streaming;
    if (conversation || live) {
      // Without a run to continue, nothing streams any more.
      const messages = (conversation?.messages ?? []).map((message) =>
        message.streaming && !live ? { ...message, streaming: false } : message,
      );
      this.#host.dispatch({
        type: 'restore',
        snapshot: { messages, toolCalls: conversation?.toolCalls ?? {}, executionId: live?.executionId },
      });
    }
    if (!live) return;
    this.#run = { ...live, ended: false };
    if (pending) {
      // The page went while tools of this run ran here: post what is known, the rest as interrupted.
      this.#round.adopt(pending.calls);
      this.#start('resume');
    } else {
      // The page left mid-answer: the rest comes from the server's log, from the last saved frame.
      this.#host.dispatch({ type: 'request_start' });
      this.#start('replay', 'the page changed mid-answer');
    }
  }

  send(text: string): void {
    if (this.busy) throw badRequest('Wait for the answer, or cancel it, before sending again.');
    const id = `u_${this.#host.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    this.#host.dispatch({ type: 'user_message', id, text, at: this.#host.now() });
    void this.#save();
    this.#start('chat');
  }

  retry(): void {
    if (this.busy) return;
    const plan = this.#retryPlan;
    if (!plan) return;
    this.#host.dispatch({ type: 'request_start' });
    this.#start(plan);
  }

  /** Aborts the stream and running tools; posts `cancelled by the user` for unfinished calls. */
  async cancel(): Promise<void> {
    const controller = this.#controller;
    if (!controller) return;
    controller.abort(new DOMException('cancelled by the user', 'AbortError'));
    this.#controller = undefined;
    this.#round.declineAll();
    const run = this.#run;
    // Forgotten before saving: a cancelled answer must not resume on the next page.
    this.#run = undefined;
    this.#retryPlan = undefined;
    this.#host.dispatch({ type: 'cancelled', at: this.#host.now() });
    const toolOutputs = this.#round.size > 0 ? this.#round.outputs(CANCELLED_OUTPUT) : undefined;
    this.#round.close();
    await forgetPending(this.#host);
    await this.#save();
    if (!run?.executionId || !toolOutputs) return;
    // The run on the server must not hang on calls nobody will answer. Best effort: the person
    // asked to stop, and the server will expire the run.
    await this.#host.api
      .resume({ sessionId: run.sessionId, executionId: run.executionId, toolOutputs })
      .then((response) => response.body?.cancel())
      .catch(() => {});
  }

  approve(toolCallId: string, decision: ApprovalDecision): boolean {
    return this.#round.approve(toolCallId, decision);
  }

  async clear(): Promise<void> {
    await this.cancel();
    this.#retryPlan = undefined;
    this.#host.dispatch({ type: 'clear' });
    await this.#host.store.clear().catch(() => {});
  }

  /** The session (and with it the panel's welcome text and placeholder) before the first message. */
  connect(signal = new AbortController().signal): Promise<string> {
    return this.#handshake.ensureSession(signal);
  }

  dispose(): void {
    void this.cancel();
  }

  // ── jobs ────────────────────────────────────────────────────────────────

  /** Starts a job: a new chat, the resume of the run (its tool answers), or a replay of it (`why` it was cut). */
  #start(job: RetryPlan, why?: string): void {
    const controller = new AbortController();
    const { signal } = controller;
    this.#controller = controller;
    this.#retryPlan = undefined;
    const run = async () => {
      try {
        if (job === 'chat') await this.#chat(signal);
        else await this.#follow(await (job === 'resume' ? this.#postResume(signal) : this.#replay(signal, why)), signal);
      } catch (error) {
        if (signal.aborted) return;
        this.#fail(toChatError(error));
      } finally {
        if (this.#controller === controller) this.#controller = undefined;
      }
    };
    this.#job = run();
  }

  #fail(error: ChatError): void {
    const run = this.#run;
    const live = run !== undefined && !run.ended && run.executionId !== undefined;
    // Answers already given are resent; a cut stream is replayed; anything else asks again.
    const plan: RetryPlan =
      live && this.#round.answered ? 'resume' : live && error.retryable && error.code !== 'execution_not_found' ? 'replay' : 'chat';
    this.#retryPlan = plan;
    let draft: string | undefined;
    if (plan === 'chat') {
      // When the server never took the message, its text goes back to the person.
      const last = this.#host.getState().messages.at(-1);
      if (!run?.executionId && last?.role === 'user') draft = messageText(last);
      this.#run = undefined;
    }
    this.#host.dispatch({ type: 'error', error, draft, keepRun: plan !== 'chat' });
    void this.#save();
  }

  async #chat(signal: AbortSignal): Promise<void> {
    this.#run = undefined;
    const messages = toWireMessages(this.#host.getState().messages);
    if (messages.length === 0) throw badRequest('There is nothing to send.');
    let sessionId: string | undefined;
    const response = await withRecovery('chat', signal, this.#host, async (force) => {
      sessionId = await this.#handshake.ensureSession(signal, force.reinit ? sessionId : undefined);
      const tools = await this.#handshake.tools(force.tools);
      const answer = await this.#host.api.chat({ sessionId, messages, ...tools }, signal);
      this.#handshake.sent(tools);
      this.#run = { sessionId, ended: false };
      return answer;
    });
    await this.#follow(response, signal);
  }

  /** Reads responses until the run ends: tool rounds and resumes, replays on cuts. */
  async #follow(response: Response, signal: AbortSignal): Promise<void> {
    let replays = 0;
    for (;;) {
      const run = this.#following();
      const outcome = await readRun(this.#host, run, response, signal, {
        onAwait: (event) => this.#round.add(event, signal),
        onRunStart: () => void this.#save(),
        awaiting: () => this.#round.size > 0,
      });
      if (signal.aborted) return;
      if (outcome.kind === 'complete') {
        run.ended = true;
        this.#run = undefined;
        await this.#save();
        return;
      }
      if (outcome.kind === 'failed') {
        run.ended = true;
        throw outcome.error;
      }
      if (outcome.kind === 'awaits') {
        replays = 0;
        await this.#round.settled();
        if (signal.aborted) return;
        response = await this.#postResume(signal);
        continue;
      }
      replays += 1;
      if (replays > this.#host.maxReplays) throw streamCutError(outcome.detail);
      response = await this.#replay(signal, outcome.detail);
    }
  }

  async #postResume(signal: AbortSignal): Promise<Response> {
    const run = this.#following();
    const executionId = run.executionId;
    if (!executionId) throw streamCutError('the answer stopped before its run began, and there is no run to resume');
    const toolOutputs = this.#round.outputs();
    let resent = false;
    const response = await withRecovery('resume', signal, this.#host, async (force) => {
      const tools = await this.#handshake.tools(force.tools, true);
      const body: ResumeRequest = { sessionId: run.sessionId, executionId, toolOutputs, streamResponse: true, ...tools };
      const post = () => this.#host.api.resume(body, signal);
      try {
        const answer = await post().catch((error: unknown) => {
          // The answer was lost: the same resume again is safe (answered from the log).
          if (resent || !(error instanceof ChatError && error.code === 'network')) throw error;
          resent = true;
          return post();
        });
        this.#handshake.sent(tools);
        return answer;
      } catch (error) {
        // Someone (an earlier page, a lost answer) already resumed it: read on from the log.
        if (error instanceof ChatError && error.code === 'execution_not_awaiting') return this.#replay(signal);
        throw error;
      }
    });
    this.#round.close();
    await forgetPending(this.#host);
    this.#host.dispatch({ type: 'tools_resumed' });
    void this.#save();
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

  /** The run a response belongs to: the chat, the reload or the retry that started the job set it. */
  #following(): Run {
    if (!this.#run) throw badRequest('There is no answer in progress to continue.');
    return this.#run;
  }

  #save(): Promise<void> {
    return saveConversation(this.#host, this.#run);
  }
}
