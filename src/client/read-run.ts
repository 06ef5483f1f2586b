/**
 * Reads one response of a run into the state, frame by frame, and says how
 * it ended: the run completed or failed, it paused on this page's tools, or
 * the stream was cut (silence past the idle timeout counts as cut).
 */
import type { EventOf } from '../protocol/index.js';
import { errorMessage } from '../shared/error-message.js';
import { type ChatError, executionError, protocolError } from './errors.js';
import { StreamIdleError, type StreamItem } from './event-stream.js';
import { heldDeltas, isDelta } from './held-deltas.js';
import type { Run, TurnLoopHost } from './loop-host.js';
import { taskBudget } from './task-budget.js';

/** Frames read between looks at the task budget: a few dozen microseconds' worth. */
const CLOCK_EVERY = 16;

export type StreamOutcome =
  | { kind: 'complete' }
  | { kind: 'awaits' }
  | { kind: 'cut'; detail: string }
  | { kind: 'failed'; error: ChatError };

export interface ReadHooks {
  /** An `await` for this page, after its frame was applied. */
  onAwait(event: EventOf<'await'>): void;
  /** The first frame naming the run: worth saving, so a page opened mid-answer can replay the rest. */
  onRunStart(): void;
  /** Whether calls of this page are waiting for a resume. */
  awaiting(): boolean;
}

export async function readRun(
  host: TurnLoopHost,
  run: Run,
  response: Response,
  signal: AbortSignal,
  hooks: ReadHooks,
): Promise<StreamOutcome> {
  let ended = false;
  let failure: ChatError | undefined;
  let frames = 0;
  let badFrames = 0;
  // A chunk's deltas of one part reach the state as one frame (held-deltas.ts); every
  // await below lets out what is held first, so no one ever reads a state behind `run.lastSeq`.
  const held = heldDeltas();
  const release = () => {
    const folded = held.take();
    if (folded) host.dispatch({ type: 'frame', event: folded, at: host.now() });
  };
  /** Applies one frame; true once the run has ended or failed, so nothing after it counts. */
  const apply = (item: StreamItem): boolean => {
    if (item.kind === 'protocol_error') {
      release();
      badFrames += 1;
      host.dispatch({ type: 'protocol_error', message: item.message });
      return false;
    }
    const event = item.event;
    if (event.type === 'unknown') return false;
    // A frame seen before (a replay overlap, a duplicated frame) changes nothing.
    if (
      event.seq !== undefined &&
      run.lastSeq !== undefined &&
      event.seq <= run.lastSeq &&
      (event.executionId ?? run.executionId) === run.executionId
    )
      return false;
    const runStarts = !run.executionId && !!event.executionId;
    if (event.executionId) run.executionId = event.executionId;
    if (event.seq !== undefined) run.lastSeq = event.seq;
    frames += 1;
    if (isDelta(event) && !runStarts) {
      const before = held.hold(event);
      if (before) host.dispatch({ type: 'frame', event: before, at: host.now() });
      return false;
    }
    release();
    host.dispatch({ type: 'frame', event, at: host.now() });
    if (runStarts) hooks.onRunStart();
    if (event.type === 'await') hooks.onAwait(event);
    else if (event.type === 'execution_complete') ended = true;
    else if (event.type === 'execution_error')
      failure = executionError(errorMessage(event.error), typeof event.error === 'object' ? event.error.code : undefined);
    else if (event.type === 'error' && event.recoverable === false) failure = executionError(errorMessage(event.error));
    return ended || failure !== undefined;
  };
  const stream = host.api.events(response, signal);
  const budget = taskBudget();
  try {
    // A chunk's frames at a time: one promise per network read, not one per frame;
    // a backlog of chunks yields the main thread every slice (task-budget.ts).
    reading: for (;;) {
      const batch = await stream.batch();
      if (batch.length === 0) break;
      for (let i = 0; i < batch.length; i++) {
        // The clock every few frames, not each: reading a frame costs about as much as reading the clock.
        if (i % CLOCK_EVERY === 0 && budget.spent(stream.waitedMs)) {
          release();
          await budget.pause();
          // Stop pressed during the pause: the frames still buffered belong to a cancelled run.
          signal.throwIfAborted();
        }
        if (apply(batch[i] as StreamItem)) break reading;
      }
      release();
    }
  } catch (error) {
    if (signal.aborted) return { kind: 'cut', detail: 'cancelled' };
    if (error instanceof StreamIdleError) return { kind: 'cut', detail: error.message };
    return { kind: 'cut', detail: `the stream broke: ${errorMessage(error)}` };
  } finally {
    // Stops the network read when the run ended before the body did.
    void stream.return(undefined);
  }
  if (failure) return { kind: 'failed', error: failure };
  if (ended) return { kind: 'complete' };
  if (hooks.awaiting()) return { kind: 'awaits' };
  if (badFrames > 0 && frames === 0)
    return { kind: 'failed', error: protocolError(host.getState().protocolErrors.at(-1) ?? 'unreadable stream') };
  return { kind: 'cut', detail: 'the stream ended before the answer did' };
}
