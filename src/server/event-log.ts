/**
 * One execution's frames, in order, kept so a broken stream can be replayed
 * and a repeated resume answered without running anything again. Every HTTP
 * stream is a reader of this log; the run writes to it whether or not anyone
 * is still reading.
 */
import { formatFrame } from './sse.js';

export type RunState = 'running' | 'awaiting' | 'complete' | 'failed';

export interface LoggedFrame {
  seq: number;
  type: string;
  /** The serialized SSE frame, built once however many readers replay it. */
  text: string;
}

export class EventLog {
  private readonly frames: LoggedFrame[] = [];
  private readonly listeners = new Set<() => void>();
  private currentState: RunState = 'running';

  constructor(readonly executionId: string) {}

  get lastSeq(): number {
    return this.frames.length;
  }

  get state(): RunState {
    return this.currentState;
  }

  append(type: string, fields: Record<string, unknown> = {}): LoggedFrame {
    const seq = this.frames.length + 1;
    const data = { type, executionId: this.executionId, seq, ...fields };
    const frame = { seq, type, text: formatFrame(type, seq, data) };
    this.frames.push(frame);
    this.notify();
    return frame;
  }

  setState(state: RunState): void {
    this.currentState = state;
    this.notify();
  }

  /**
   * The serialized frames with `seq` greater than `after` and at most `until`,
   * as one string (seqs start at 1 and have no gaps); undefined when none.
   */
  textAfter(after: number, until = Infinity): { text: string; lastSeq: number } | undefined {
    const end = Math.min(this.frames.length, until);
    if (end <= after) return undefined;
    let text = '';
    for (let i = Math.max(0, after); i < end; i++) text += this.frames[i]!.text;
    return { text, lastSeq: end };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
