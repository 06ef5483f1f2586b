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
import { sessionHandshake } from './handshake.js';
import type { Run, TurnLoopHost } from './loop-host.js';
import { readRun } from './read-run.js';
import { withRecovery } from './retry-policy.js';
import { forgetPending, loadSaved, saveConversation, savePending } from './run-store.js';
import { messageText } from './state.js';
import { CANCELLED_OUTPUT, type ToolRound, toolRound } from './tool-round.js';
import { toWireMessages } from './transcript.js';

export type { TurnLoopHost } from './loop-host.js';

/** What `retry()` does after a failure: send the message again, post the lost resume, or replay the cut stream. */
type RetryPlan = 'chat' | 'resume' | 'replay';

/** The turn loop's verbs, as the session and the tab coordinator use them. */
export interface TurnLoop {
  /** The job in progress (for tests and `await session.idle()`); the same object until a new job starts. */
  readonly idle: Promise<void>;
  readonly busy: boolean;
  /** Loads what a previous page left; a run paused on this page's tools continues. */
  restore(): Promise<void>;
  send(text: string): void;
  retry(): void;
  /** Aborts the stream and running tools; posts `cancelled by the user` for unfinished calls. */
  cancel(): Promise<void>;
  approve(toolCallId: string, decision: ApprovalDecision): boolean;
  clear(): Promise<void>;
  /** The session (and with it the panel's welcome text and placeholder) before the first message. */
  connect(signal?: AbortSignal): Promise<string>;
  dispose(): void;
}

/** A closure over the loop's state (the variables below) rather than a class: the same verbs, in fewer bytes. */
export function turnLoop(host: TurnLoopHost): TurnLoop {
  const handshake = sessionHandshake(host);
  let run: Run | undefined;
  let controller: AbortController | undefined;
  /** The job in progress or the last one; one settled promise before any, so `idle` is stable. */
  let job: Promise<void> = Promise.resolve();
  let retryPlan: RetryPlan | undefined;

  const save = (): Promise<void> => saveConversation(host, run);
  const round: ToolRound = toolRound(host, {
    snapshot: () => handshake.snapshot,
    record: () => savePending(host, run, round),
    save,
  });

  // ── jobs ────────────────────────────────────────────────────────────────

  /** Starts a job: a new chat, the resume of the run (its tool answers), or a replay of it (`why` it was cut). */
  const start = (kind: RetryPlan, why?: string): void => {
    const mine = new AbortController();
    const { signal } = mine;
    controller = mine;
    retryPlan = undefined;
    const work = async () => {
      try {
        if (kind === 'chat') await chat(signal);
        else await follow(await (kind === 'resume' ? postResume(signal) : replay(signal, why)), signal);
      } catch (error) {
        if (signal.aborted) return;
        fail(toChatError(error));
      } finally {
        if (controller === mine) controller = undefined;
      }
    };
    job = work();
  };

  const fail = (error: ChatError): void => {
    const failed = run;
    const live = failed !== undefined && !failed.ended && failed.executionId !== undefined;
    // Answers already given are resent; a cut stream is replayed; anything else asks again.
    const plan: RetryPlan =
      live && round.answered ? 'resume' : live && error.retryable && error.code !== 'execution_not_found' ? 'replay' : 'chat';
    retryPlan = plan;
    let draft: string | undefined;
    if (plan === 'chat') {
      // When the server never took the message, its text goes back to the person.
      const last = host.getState().messages.at(-1);
      if (!failed?.executionId && last?.role === 'user') draft = messageText(last);
      run = undefined;
    }
    host.dispatch({ type: 'error', error, draft, keepRun: plan !== 'chat' });
    void save();
  };

  const chat = async (signal: AbortSignal): Promise<void> => {
    run = undefined;
    const messages = toWireMessages(host.getState().messages);
    if (messages.length === 0) throw badRequest('There is nothing to send.');
    let sessionId: string | undefined;
    const response = await withRecovery('chat', signal, host, async (force) => {
      sessionId = await handshake.ensureSession(signal, force.reinit ? sessionId : undefined);
      const tools = await handshake.tools(force.tools);
      const answer = await host.api.chat({ sessionId, messages, ...tools }, signal);
      handshake.sent(tools);
      run = { sessionId, ended: false };
      return answer;
    });
    await follow(response, signal);
  };

  /** Reads responses until the run ends: tool rounds and resumes, replays on cuts. */
  const follow = async (response: Response, signal: AbortSignal): Promise<void> => {
    let replays = 0;
    for (;;) {
      const current = following();
      const outcome = await readRun(host, current, response, signal, {
        onAwait: (event) => round.add(event, signal),
        onRunStart: () => void save(),
        awaiting: () => round.size > 0,
      });
      if (signal.aborted) return;
      if (outcome.kind === 'complete') {
        current.ended = true;
        run = undefined;
        await save();
        return;
      }
      if (outcome.kind === 'failed') {
        current.ended = true;
        throw outcome.error;
      }
      if (outcome.kind === 'awaits') {
        replays = 0;
        await round.settled();
        if (signal.aborted) return;
        response = await postResume(signal);
        continue;
      }
      replays += 1;
      if (replays > host.maxReplays) throw streamCutError(outcome.detail);
      response = await replay(signal, outcome.detail);
    }
  };

  const postResume = async (signal: AbortSignal): Promise<Response> => {
    const current = following();
    const executionId = current.executionId;
    if (!executionId) throw streamCutError('the answer stopped before its run began, and there is no run to resume');
    const toolOutputs = round.outputs();
    let resent = false;
    const response = await withRecovery('resume', signal, host, async (force) => {
      const tools = await handshake.tools(force.tools, true);
      const body: ResumeRequest = { sessionId: current.sessionId, executionId, toolOutputs, streamResponse: true, ...tools };
      const post = () => host.api.resume(body, signal);
      try {
        const answer = await post().catch((error: unknown) => {
          // The answer was lost: the same resume again is safe (answered from the log).
          if (resent || !(error instanceof ChatError && error.code === 'network')) throw error;
          resent = true;
          return post();
        });
        handshake.sent(tools);
        return answer;
      } catch (error) {
        // Someone (an earlier page, a lost answer) already resumed it: read on from the log.
        if (error instanceof ChatError && error.code === 'execution_not_awaiting') return replay(signal);
        throw error;
      }
    });
    round.close();
    await forgetPending(host);
    host.dispatch({ type: 'tools_resumed' });
    void save();
    return response;
  };

  const replay = async (signal: AbortSignal, why = 'the stream was cut'): Promise<Response> => {
    const current = run;
    if (!current?.executionId) throw streamCutError(`${why}, and there is no run to pick up`);
    try {
      return await host.api.replay(current.executionId, current.sessionId, current.lastSeq, signal);
    } catch (error) {
      if (error instanceof ChatError && (error.code === 'execution_not_found' || error.status === 405)) {
        throw streamCutError(`${why}, and the server cannot replay it (${error.message})`);
      }
      throw error;
    }
  };

  /** The run a response belongs to: the chat, the reload or the retry that started the job set it. */
  const following = (): Run => {
    if (!run) throw badRequest('There is no answer in progress to continue.');
    return run;
  };

  // ── public verbs ─────────────────────────────────────────────────────────

  const cancel = async (): Promise<void> => {
    const stopping = controller;
    if (!stopping) return;
    stopping.abort(new DOMException('cancelled by the user', 'AbortError'));
    controller = undefined;
    round.declineAll();
    const cancelled = run;
    // Forgotten before saving: a cancelled answer must not resume on the next page.
    run = undefined;
    retryPlan = undefined;
    host.dispatch({ type: 'cancelled', at: host.now() });
    const toolOutputs = round.size > 0 ? round.outputs(CANCELLED_OUTPUT) : undefined;
    round.close();
    await forgetPending(host);
    await save();
    if (!cancelled?.executionId || !toolOutputs) return;
    // The run on the server must not hang on calls nobody will answer. Best effort: the person
    // asked to stop, and the server will expire the run.
    await host.api
      .resume({ sessionId: cancelled.sessionId, executionId: cancelled.executionId, toolOutputs })
      .then((response) => response.body?.cancel())
      .catch(() => {});
  };

  return {
    get idle() {
      // The same object until a new job starts: session.idle() compares them to know it is done.
      return job;
    },

    get busy() {
      return controller !== undefined;
    },

    async restore() {
      const saved = await loadSaved(host);
      round.remember(saved.started);
      if (saved.session) handshake.adopt(saved.session);
      const { conversation, pending, streaming } = saved;
      const live = pending ?? streaming;
      if (conversation || live) {
        // Without a run to continue, nothing streams any more.
        const messages = (conversation?.messages ?? []).map((message) =>
          message.streaming && !live ? { ...message, streaming: false } : message,
        );
        host.dispatch({
          type: 'restore',
          snapshot: { messages, toolCalls: conversation?.toolCalls ?? {}, executionId: live?.executionId },
        });
      }
      if (!live) return;
      run = { ...live, ended: false };
      if (pending) {
        // The page went while tools of this run ran here: post what is known, the rest as interrupted.
        round.adopt(pending.calls);
        start('resume');
      } else {
        // The page left mid-answer: the rest comes from the server's log, from the last saved frame.
        host.dispatch({ type: 'request_start' });
        start('replay', 'the page changed mid-answer');
      }
    },

    send(text) {
      if (controller) throw badRequest('Wait for the answer, or cancel it, before sending again.');
      const id = `u_${host.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      host.dispatch({ type: 'user_message', id, text, at: host.now() });
      void save();
      start('chat');
    },

    retry() {
      const plan = retryPlan;
      if (controller || !plan) return;
      host.dispatch({ type: 'request_start' });
      start(plan);
    },

    cancel,

    approve: (toolCallId, decision) => round.approve(toolCallId, decision),

    async clear() {
      await cancel();
      retryPlan = undefined;
      host.dispatch({ type: 'clear' });
      await host.store.clear().catch(() => {});
    },

    connect: (signal = new AbortController().signal) => handshake.ensureSession(signal),

    dispose() {
      void cancel();
    },
  };
}
