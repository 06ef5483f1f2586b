/**
 * One execution's frames, in order, kept so a broken stream can be replayed
 * and a repeated resume answered without running anything again. Every HTTP
 * stream is a reader of this log; the run writes to it whether or not anyone
 * is still reading. Frames are kept only as their serialized text: the
 * compact form a reader needs, never the object trees they were made from.
 */
import { formatFrame } from './sse.js';

export type RunState = 'running' | 'awaiting' | 'complete' | 'failed';

/** Estimated heap per frame beyond its text: the array slot and the seq. */
const FRAME_OVERHEAD_BYTES = 48;

/** What the store that owns a log learns from it: growth for the memory budget, and the end of the run. */
export interface LogObserver {
  grew(bytes: number): void;
  ended(): void;
}

export class EventLog {
  readonly #texts: string[] = [];
  readonly #listeners = new Set<() => void>();
  #state: RunState = 'running';

  constructor(
    readonly executionId: string,
    private readonly observer?: LogObserver,
  ) {}

  get lastSeq(): number {
    return this.#texts.length;
  }

  get state(): RunState {
    return this.#state;
  }

  append(type: string, fields: Record<string, unknown> = {}): void {
    const seq = this.#texts.length + 1;
    const text = formatFrame(type, this.executionId, seq, fields);
    this.#texts.push(text);
    this.observer?.grew(text.length + FRAME_OVERHEAD_BYTES);
    this.#notify();
  }

  setState(state: RunState): void {
    const wasLive = this.#state === 'running' || this.#state === 'awaiting';
    this.#state = state;
    if (wasLive && (state === 'complete' || state === 'failed')) this.observer?.ended();
    this.#notify();
  }

  /**
   * The serialized frames with `seq` greater than `after` and at most `until`,
   * as one string (seqs start at 1 and have no gaps); undefined when none.
   */
  textAfter(after: number, until = Number.POSITIVE_INFINITY): { text: string; lastSeq: number } | undefined {
    const end = Math.min(this.#texts.length, until);
    if (end <= after) return undefined;
    let text = '';
    for (let i = Math.max(0, after); i < end; i++) text += this.#texts[i];
    return { text, lastSeq: end };
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(): void {
    if (this.#listeners.size === 0) return;
    // A copy, since a listener may unsubscribe while being called.
    for (const listener of [...this.#listeners]) listener();
  }
}
