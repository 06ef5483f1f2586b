/**
 * One tool round: every `await` of a stream runs in parallel here, each at
 * most once, with approvals asked through the host. The outcomes live in the
 * state (`toolCalls`), the one record of them; the resume reads them back
 * with `outputs()`.
 *
 * Never twice: a call is recorded as started (persisted) before the bridge
 * runs it, and a started call is never started again; after a reload its
 * output, if never saved, is an "interrupted" error.
 */
import { bareToolName, type AdmissionEventData, type EventOf } from '../protocol/index.js';
import type { ApprovalDecision, ApprovalRequest, ToolOutput, ToolRunOutcome, ToolSnapshot } from '../bridge/types.js';
import { errorMessage } from '../shared/error-message.js';
import { noteMoved, saysNothing, submittedOutput, watchSubmissions } from './form-navigation.js';
import { idRecord } from './id-record.js';
import type { TurnLoopHost } from './loop-host.js';
import type { PendingCall } from './persistence.js';
import { isToolCallFinished, type ToolCallState } from './state.js';

export const CANCELLED_OUTPUT = { error: 'cancelled by the user' } as const;
export const INTERRUPTED_OUTPUT = { error: 'interrupted: the page reloaded before the tool finished; it may have run' } as const;

/** A call of this round: what a reload needs (its output is read from the state), and when it is done. */
export interface RoundCall extends Omit<PendingCall, 'output'> {
  done: Promise<void>;
}

export interface RoundHooks {
  /** The tools the model was offered; a call runs against them. */
  snapshot(): ToolSnapshot | undefined;
  /** Saves the round a reload needs to finish it: the one durable record a call waits for before it runs. */
  record(): Promise<void>;
  /** Saves the conversation (what the person sees after a reload). */
  save(): Promise<void>;
}

/** The round's verbs, as the turn loop and the run's record use them. */
export interface ToolRound {
  readonly size: number;
  /** Ids started by earlier pages, loaded from the store. */
  remember(started: Iterable<string>): void;
  /** An `await` frame: runs the call unless it is already in the round or was ever started. */
  add(event: EventOf<'await'>, signal: AbortSignal): void;
  /** The round a previous page left: saved outputs go into the state, unsaved ones become "interrupted". */
  adopt(saved: readonly PendingCall[]): void;
  /** Resolves when every call of the round has an outcome. */
  settled(): Promise<void>;
  /** Every call has an outcome that the server has not been sent yet. */
  readonly answered: boolean;
  /** The resume's `toolOutputs`, from the state; a call without an outcome gets `fallback`. */
  outputs(fallback?: ToolOutput): Record<string, ToolOutput>;
  /** The record a reload needs to finish the round. */
  pending(): PendingCall[];
  /** Ends the round (posted or abandoned): later outcomes of its calls are not announced. */
  close(): void;
  approve(toolCallId: string, decision: ApprovalDecision): boolean;
  declineAll(): void;
}

/** A closure over the round's state (the variables below) rather than a class: the same verbs, in fewer bytes. */
export function toolRound(host: TurnLoopHost, hooks: RoundHooks): ToolRound {
  const started = new Set<string>();
  let calls = new Map<string, RoundCall>();
  /** Each settle takes itself out of here (`askApproval`). */
  const approvals = new Map<string, (decision: ApprovalDecision) => void>();
  /** Calls whose tool is running now: a form submitted meanwhile is theirs. */
  const running = new Set<RoundCall>();
  /** Stops noting form submissions (form-navigation.ts); set while a round is open. */
  let stopWatching: (() => void) | undefined;

  const interrupted = (toolCallId: string): void => {
    host.dispatch({ type: 'tool_interrupted', toolCallId, error: INTERRUPTED_OUTPUT.error, at: host.now() });
  };

  const dispatchOutcome = (toolCallId: string, outcome: ToolRunOutcome): void => {
    host.dispatch({ type: 'tool_outcome', toolCallId, outcome, at: host.now() });
  };

  /** An output learned after the call's card (saved by an earlier page, or its form's submission), with what the card says. */
  const answer = (toolCallId: string, output: ToolOutput, durationMs: number): void => {
    const known = host.getState().toolCalls[toolCallId];
    if (!known) return;
    const status = 'result' in output ? 'done' : 'failed';
    const { untrusted, truncated, approval = 'not-required' } = known;
    dispatchOutcome(toolCallId, { output, status, durationMs, approval, untrusted, truncated });
  };

  /**
   * A form was submitted while tools ran. Only when one call runs is it surely
   * that call's doing; it is written down at once, before the page can leave.
   */
  const submitted = (path: string): void => {
    // The one call running; or, when none runs, the round's only call, which answered already.
    const candidates = running.size > 0 ? [...running] : [...calls.values()];
    const [call] = candidates;
    if (candidates.length !== 1 || !call || call.submittedTo !== undefined) return;
    call.submittedTo = path;
    const known = host.getState().toolCalls[call.toolCallId];
    // It answered nothing of its own before its form went: the submission is its answer.
    if (running.size === 0 && known?.status === 'done' && saysNothing(known.result)) {
      answer(call.toolCallId, submittedOutput(path), known.durationMs ?? 0);
    }
    void hooks.record().catch(() => {});
    noteMoved(host.clientToken);
  };

  const unwatch = (): void => {
    stopWatching?.();
    stopWatching = undefined;
  };

  const run = async (call: RoundCall, signal: AbortSignal): Promise<void> => {
    // Recorded before it runs, so a reload can never start it a second time.
    started.add(call.toolCallId);
    call.startedAt = host.now();
    // Only the round's record is waited for: a reload finds this call started and never runs it again.
    await hooks.record().catch(() => {});
    const saveStarted = saveStartedLater();
    // What the person sees so far, for the next page if this one goes while the tool runs.
    const save = () => void hooks.save();
    if (signal.aborted) {
      save();
      return saveStarted();
    }
    running.add(call);
    const invoked = invoke(call, signal);
    // Asked once the bridge has made the call (it gets there without waiting
    // when nothing needs asking), so its work is not on the way to the tool;
    // the write itself waits for a later task either way.
    queueMicrotask(save);
    let outcome = await invoked;
    saveStarted();
    running.delete(call);
    if (call.submittedTo !== undefined && outcome.status === 'done' && 'result' in outcome.output && saysNothing(outcome.output.result)) {
      outcome = { ...outcome, output: submittedOutput(call.submittedTo) };
    }
    if (signal.aborted && !calls.has(call.toolCallId)) return; // cancelled: already answered
    dispatchOutcome(call.toolCallId, outcome);
    await Promise.all([hooks.record(), hooks.save()]).catch(() => {});
  };

  /**
   * The started ids, written once the tool has been handed to the page (a
   * task later; the way there is microtasks), or when it answers if sooner:
   * they are needed only once the round is posted and forgotten, and the
   * round's record already says this call started. The function returned
   * writes them at once if the timer has not yet.
   */
  const saveStartedLater = (): (() => void) => {
    let done = false;
    const save = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void host.store.saveStarted(started).catch(() => {});
    };
    const timer = setTimeout(save, 0);
    return save;
  };

  const invoke = async (call: RoundCall, signal: AbortSignal): Promise<ToolRunOutcome> => {
    const { bridge } = host;
    const snapshot = hooks.snapshot();
    if (!bridge || !snapshot) return failedOutcome(`not available: this page offers no tool named ${call.toolName}`);
    try {
      // The round's call is the request: the bridge reads its id, name and parameters.
      return await bridge.run(call, snapshot, {
        signal,
        approve: askApproval,
        onPhase: (phase) => {
          if (phase === 'running') host.dispatch({ type: 'tool_phase', toolCallId: call.toolCallId, phase, at: host.now() });
        },
      });
    } catch (error) {
      // The seam promises never to throw; a bridge that does still yields an answer.
      return failedOutcome(errorMessage(error));
    }
  };

  const askApproval = (request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> =>
    new Promise<ApprovalDecision>((resolve) => {
      const settle = (decision: ApprovalDecision) => {
        if (approvals.get(request.toolCallId) === settle) approvals.delete(request.toolCallId);
        signal.removeEventListener('abort', onAbort);
        resolve(decision);
      };
      const onAbort = () => settle('decline');
      approvals.set(request.toolCallId, settle);
      signal.addEventListener('abort', onAbort, { once: true });
      host.dispatch({
        type: 'tool_phase',
        toolCallId: request.toolCallId,
        phase: 'awaiting-approval',
        at: host.now(),
        approval: request,
      });
      host.approve?.(request, signal).then(settle, () => settle('decline'));
    });

  return {
    get size() {
      return calls.size;
    },

    remember(ids) {
      for (const id of ids) started.add(id);
    },

    add(event, signal) {
      const id = event.toolCallId;
      if (calls.has(id)) return;
      const call: RoundCall = { toolCallId: id, toolName: event.toolName, parameters: event.parameters ?? {}, done: Promise.resolve() };
      calls.set(id, call);
      // Until the round is posted: a form tool may submit after its call answered (native does).
      stopWatching ??= watchSubmissions(submitted);
      const refusal = notAdmitted(host.getState().admission, bareToolName(event.toolName));
      // Started by an earlier page or stream: never again.
      if (started.has(id)) interrupted(id);
      // The server's own verdict at the top of this stream said no: a later await cannot overrule it.
      else if (refusal) dispatchOutcome(id, failedOutcome(refusal));
      else call.done = run(call, signal);
    },

    adopt(saved) {
      calls = new Map();
      const at = host.now();
      for (const { output: savedOutput, ...call } of saved) {
        const id = call.toolCallId;
        calls.set(id, { ...call, done: Promise.resolve() });
        // The conversation is saved after a call starts, not before: the page may have left first.
        // The round's record has what the card needs, so the card is drawn from it.
        if (!host.getState().toolCalls[id]) host.dispatch({ type: 'frame', event: awaitFrom(call), at });
        // The call's form was submitted and this page is where it led: that is its result.
        const output =
          savedOutput ??
          (call.submittedTo !== undefined
            ? submittedOutput(typeof location === 'undefined' ? call.submittedTo : location.pathname)
            : undefined);
        // Saved, but the page went before the conversation caught up: the reducer keeps a finished call's own.
        if (output) answer(id, output, call.startedAt === undefined ? 0 : Math.max(0, at - call.startedAt));
        else interrupted(id);
      }
    },

    async settled() {
      await Promise.all([...calls.values()].map((call) => call.done));
    },

    get answered() {
      const { toolCalls } = host.getState();
      return calls.size > 0 && [...calls.keys()].every((id) => outputOf(toolCalls[id]) !== undefined);
    },

    outputs(fallback = INTERRUPTED_OUTPUT) {
      // What is read here goes to the server: a later submission changes nothing that was said.
      unwatch();
      const { toolCalls } = host.getState();
      const outputs = idRecord<ToolOutput>();
      for (const id of calls.keys()) outputs[id] = outputOf(toolCalls[id]) ?? fallback;
      return outputs;
    },

    pending() {
      const { toolCalls } = host.getState();
      return [...calls.values()].map(({ done, ...call }) => ({ ...call, output: outputOf(toolCalls[call.toolCallId]) }));
    },

    close() {
      calls = new Map();
      unwatch();
    },

    approve(toolCallId, decision) {
      const settle = approvals.get(toolCallId);
      settle?.(decision);
      return !!settle;
    },

    declineAll() {
      for (const settle of approvals.values()) settle('decline');
    },
  };
}

/** What the server is told about a finished call, read from the state; undefined while it runs. */
export function outputOf(call: ToolCallState | undefined): ToolOutput | undefined {
  if (!call || !isToolCallFinished(call.status)) return undefined;
  return call.error !== undefined ? { error: call.error } : { result: call.result };
}

/** The `await` a saved call came from, enough to draw its card again. */
function awaitFrom(call: Omit<PendingCall, 'output'>): EventOf<'await'> {
  return {
    type: 'await',
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    origin: 'webmcp',
    parameters: call.parameters as Record<string, unknown>,
    awaitedAt: new Date(call.startedAt ?? Date.now()).toISOString(),
  };
}

/** Why the admission event of this stream (the server sends one at the top of each) dropped the tool, if it did. */
function notAdmitted(admission: AdmissionEventData | null, name: string): string | undefined {
  const dropped = admission?.dropped.find((tool) => tool.name === name);
  if (!dropped) return undefined;
  return `Tool "${name}" was not admitted for this chat (${dropped.reason}${dropped.detail ? `: ${dropped.detail}` : ''}); it was not run.`;
}

function failedOutcome(message: string): ToolRunOutcome {
  return { output: { error: message }, status: 'failed', durationMs: 0, approval: 'not-required', untrusted: false, truncated: false };
}
