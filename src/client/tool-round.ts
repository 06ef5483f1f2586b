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

export class ToolRound {
  readonly #host: TurnLoopHost;
  readonly #hooks: RoundHooks;
  readonly #started = new Set<string>();
  #calls = new Map<string, RoundCall>();
  readonly #approvals = new Map<string, (decision: ApprovalDecision) => void>();
  /** Calls whose tool is running now: a form submitted meanwhile is theirs. */
  readonly #running = new Set<RoundCall>();
  /** Stops noting form submissions (form-navigation.ts); set while a round is open. */
  #stopWatching: (() => void) | undefined;

  constructor(host: TurnLoopHost, hooks: RoundHooks) {
    this.#host = host;
    this.#hooks = hooks;
  }

  get size(): number {
    return this.#calls.size;
  }

  /** Ids started by earlier pages, loaded from the store. */
  remember(started: Iterable<string>): void {
    for (const id of started) this.#started.add(id);
  }

  /** An `await` frame: runs the call unless it is already in the round or was ever started. */
  add(event: EventOf<'await'>, signal: AbortSignal): void {
    const id = event.toolCallId;
    if (this.#calls.has(id)) return;
    const call: RoundCall = { toolCallId: id, toolName: event.toolName, parameters: event.parameters ?? {}, done: Promise.resolve() };
    this.#calls.set(id, call);
    // Until the round is posted: a form tool may submit after its call answered (native does).
    this.#stopWatching ??= watchSubmissions((path) => this.#submitted(path));
    const refusal = notAdmitted(this.#host.getState().admission, bareToolName(event.toolName));
    // Started by an earlier page or stream: never again.
    if (this.#started.has(id)) this.#interrupted(id);
    // The server's own verdict at the top of this stream said no: a later await cannot overrule it.
    else if (refusal) this.#outcome(id, failedOutcome(refusal));
    else call.done = this.#run(call, signal);
  }

  /** The round a previous page left: saved outputs go into the state, unsaved ones become "interrupted". */
  adopt(saved: readonly PendingCall[]): void {
    this.#calls = new Map();
    const at = this.#host.now();
    for (const { output: savedOutput, ...call } of saved) {
      const id = call.toolCallId;
      this.#calls.set(id, { ...call, done: Promise.resolve() });
      // The conversation is saved after a call starts, not before: the page may have left first.
      // The round's record has what the card needs, so the card is drawn from it.
      if (!this.#host.getState().toolCalls[id]) this.#host.dispatch({ type: 'frame', event: awaitFrom(call), at });
      // The call's form was submitted and this page is where it led: that is its result.
      const output =
        savedOutput ??
        (call.submittedTo !== undefined
          ? submittedOutput(typeof location === 'undefined' ? call.submittedTo : location.pathname)
          : undefined);
      // Saved, but the page went before the conversation caught up: the reducer keeps a finished call's own.
      if (output) this.#answer(id, output, call.startedAt === undefined ? 0 : Math.max(0, at - call.startedAt));
      else this.#interrupted(id);
    }
  }

  #interrupted(toolCallId: string): void {
    this.#host.dispatch({ type: 'tool_interrupted', toolCallId, error: INTERRUPTED_OUTPUT.error, at: this.#host.now() });
  }

  #outcome(toolCallId: string, outcome: ToolRunOutcome): void {
    this.#host.dispatch({ type: 'tool_outcome', toolCallId, outcome, at: this.#host.now() });
  }

  /** An output learned after the call's card (saved by an earlier page, or its form's submission), with what the card says. */
  #answer(toolCallId: string, output: ToolOutput, durationMs: number): void {
    const known = this.#host.getState().toolCalls[toolCallId];
    if (!known) return;
    const status = 'result' in output ? 'done' : 'failed';
    const { untrusted, truncated, approval = 'not-required' } = known;
    this.#outcome(toolCallId, { output, status, durationMs, approval, untrusted, truncated });
  }

  /**
   * A form was submitted while tools ran. Only when one call runs is it surely
   * that call's doing; it is written down at once, before the page can leave.
   */
  #submitted(path: string): void {
    // The one call running; or, when none runs, the round's only call, which answered already.
    const candidates = this.#running.size > 0 ? [...this.#running] : [...this.#calls.values()];
    const [call] = candidates;
    if (candidates.length !== 1 || !call || call.submittedTo !== undefined) return;
    call.submittedTo = path;
    const known = this.#host.getState().toolCalls[call.toolCallId];
    // It answered nothing of its own before its form went: the submission is its answer.
    if (this.#running.size === 0 && known?.status === 'done' && saysNothing(known.result)) {
      this.#answer(call.toolCallId, submittedOutput(path), known.durationMs ?? 0);
    }
    void this.#hooks.record().catch(() => {});
    noteMoved(this.#host.clientToken);
  }

  /** Resolves when every call of the round has an outcome. */
  async settled(): Promise<void> {
    await Promise.all([...this.#calls.values()].map((call) => call.done));
  }

  /** Every call has an outcome that the server has not been sent yet. */
  get answered(): boolean {
    const { toolCalls } = this.#host.getState();
    return this.#calls.size > 0 && [...this.#calls.keys()].every((id) => outputOf(toolCalls[id]) !== undefined);
  }

  /** The resume's `toolOutputs`, from the state; a call without an outcome gets `fallback`. */
  outputs(fallback: ToolOutput = INTERRUPTED_OUTPUT): Record<string, ToolOutput> {
    // What is read here goes to the server: a later submission changes nothing that was said.
    this.#unwatch();
    const { toolCalls } = this.#host.getState();
    const outputs = idRecord<ToolOutput>();
    for (const id of this.#calls.keys()) outputs[id] = outputOf(toolCalls[id]) ?? fallback;
    return outputs;
  }

  /** The record a reload needs to finish the round. */
  pending(): PendingCall[] {
    const { toolCalls } = this.#host.getState();
    return [...this.#calls.values()].map(({ done, ...call }) => ({ ...call, output: outputOf(toolCalls[call.toolCallId]) }));
  }

  /** Ends the round (posted or abandoned): later outcomes of its calls are not announced. */
  close(): void {
    this.#calls = new Map();
    this.#unwatch();
  }

  #unwatch(): void {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
  }

  /** Each settle takes itself out of `#approvals` (`#askApproval`). */
  approve(toolCallId: string, decision: ApprovalDecision): boolean {
    const settle = this.#approvals.get(toolCallId);
    settle?.(decision);
    return !!settle;
  }

  declineAll(): void {
    for (const settle of this.#approvals.values()) settle('decline');
  }

  async #run(call: RoundCall, signal: AbortSignal): Promise<void> {
    // Recorded before it runs, so a reload can never start it a second time.
    this.#started.add(call.toolCallId);
    call.startedAt = this.#host.now();
    // Only the round's record is waited for: a reload finds this call started and never runs it again.
    await this.#hooks.record().catch(() => {});
    const saveStarted = this.#saveStartedLater();
    // What the person sees so far, for the next page if this one goes while the tool runs.
    const save = () => void this.#hooks.save();
    if (signal.aborted) {
      save();
      return saveStarted();
    }
    this.#running.add(call);
    const invoked = this.#invoke(call, signal);
    // Asked once the bridge has made the call (it gets there without waiting
    // when nothing needs asking), so its work is not on the way to the tool;
    // the write itself waits for a later task either way.
    queueMicrotask(save);
    let outcome = await invoked;
    saveStarted();
    this.#running.delete(call);
    if (call.submittedTo !== undefined && outcome.status === 'done' && 'result' in outcome.output && saysNothing(outcome.output.result)) {
      outcome = { ...outcome, output: submittedOutput(call.submittedTo) };
    }
    if (signal.aborted && !this.#calls.has(call.toolCallId)) return; // cancelled: already answered
    this.#outcome(call.toolCallId, outcome);
    await Promise.all([this.#hooks.record(), this.#hooks.save()]).catch(() => {});
  }

  /**
   * The started ids, written once the tool has been handed to the page (a
   * task later; the way there is microtasks), or when it answers if sooner:
   * they are needed only once the round is posted and forgotten, and the
   * round's record already says this call started. The function returned
   * writes them at once if the timer has not yet.
   */
  #saveStartedLater(): () => void {
    let done = false;
    const save = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void this.#host.store.saveStarted(this.#started).catch(() => {});
    };
    const timer = setTimeout(save, 0);
    return save;
  }

  async #invoke(call: RoundCall, signal: AbortSignal): Promise<ToolRunOutcome> {
    const { bridge } = this.#host;
    const snapshot = this.#hooks.snapshot();
    if (!bridge || !snapshot) return failedOutcome(`not available: this page offers no tool named ${call.toolName}`);
    try {
      // The round's call is the request: the bridge reads its id, name and parameters.
      return await bridge.run(call, snapshot, {
        signal,
        approve: (request, approvalSignal) => this.#askApproval(request, approvalSignal),
        onPhase: (phase) => {
          if (phase === 'running') this.#host.dispatch({ type: 'tool_phase', toolCallId: call.toolCallId, phase, at: this.#host.now() });
        },
      });
    } catch (error) {
      // The seam promises never to throw; a bridge that does still yields an answer.
      return failedOutcome(errorMessage(error));
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
