/**
 * Reads a `text/event-stream` Response into typed protocol events.
 *
 * Framing is sse-frames.ts (the WHATWG rules: LF/CRLF/CR, joined `data:`
 * lines, comments, `id:`); here bytes are decoded, so a multi-byte character
 * split across chunks arrives whole (TextDecoder in streaming mode holds the
 * partial sequence back, and drops a leading BOM).
 *
 * A frame we cannot understand is a value in the stream, not a throw: the
 * conversation keeps the frames before and after it, and the error names it.
 */
import { readStreamEvent, type StreamEvent } from '../protocol/index.js';
import { formatDuration } from '../shared/duration.js';
import { type SseFrame, type SseFrames, sseFrames } from './sse-frames.js';

export type StreamItem =
  | { kind: 'event'; event: StreamEvent; id: string | undefined }
  | { kind: 'protocol_error'; frame: string; message: string; id: string | undefined };

/** Longest excerpt of a bad frame kept in the error, so a huge frame cannot flood logs. */
const FRAME_EXCERPT = 120;

/**
 * How long a stream may send nothing at all (no frame, no keep-alive comment)
 * before it counts as cut. The reference server comments every 15 s while it
 * waits, so three missed keep-alives in a row mean the connection is gone.
 */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 45_000;

export interface ReadOptions {
  /** Silence longer than this ends the read with a `StreamIdleError`; 0 or Infinity waits forever. */
  idleTimeoutMs?: number;
}

/** A stream that went silent without closing: treat it as cut (replay or retry). */
export class StreamIdleError extends Error {
  constructor(readonly idleMs: number) {
    super(`the stream sent nothing for ${formatDuration(idleMs)}`);
    this.name = 'StreamIdleError';
  }
}

/**
 * The frames of `response`, in order. A hand-written iterator rather than an
 * async generator: a frame already parsed is handed out with one resolved
 * promise, where a generator's `yield` costs several microtask hops per frame,
 * and one idle timer serves the whole stream instead of a timer and a race per
 * read. Leaving early (break, throw, abort) cancels the network read.
 */
export function readEventStream(response: Response, signal?: AbortSignal, options: ReadOptions = {}): EventStream {
  if (!response.body) throw new TypeError('the response has no body to read events from');
  return new EventReader(response.body.getReader(), signal, options.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS);
}

/** The frames one by one (`for await`), or as they arrive, a chunk's worth at a time (`batch()`). */
export interface EventStream extends AsyncGenerator<StreamItem> {
  /**
   * The frames received and not yet taken (at most 256); when none waits,
   * those of the next chunk that holds any. Empty once the stream has ended.
   * One promise per network chunk (or 256 frames) instead of one per frame:
   * what the widget reads with.
   * Leaving early is `return()`, as with `for await`.
   */
  batch(): Promise<readonly StreamItem[]>;
  /** Milliseconds spent so far waiting for the network: the rest of the reader's time is work. */
  readonly waitedMs: number;
}

const STREAM = { stream: true };
const DONE: IteratorReturnResult<void> = { done: true, value: undefined };
const NONE: readonly StreamItem[] = [];
/** Frames parsed per `batch()`: enough to amortise the promise, few enough to stay well inside a task budget. */
const BATCH_MAX = 256;

class EventReader implements EventStream {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #signal: AbortSignal | undefined;
  readonly #decoder = new TextDecoder();
  readonly #frames: SseFrames;
  /**
   * Framed but not yet parsed, from `#head` on: JSON and the shape check run
   * when a frame is taken, a batch at a time, so a network chunk of thousands
   * of frames is not one unbroken stretch before the reader can yield.
   */
  #ready: SseFrame[] = [];
  #head = 0;
  /** Frames taken so far: they are taken in order, so this numbers each for its error. */
  #taken = 0;
  /** The body has ended (frames may still wait in `#ready`). */
  #ended = false;
  #closed = false;
  readonly #idleMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending read began, or -1 while none is pending: only silence during a read counts. */
  #readSince = -1;
  waitedMs = 0;
  #idle: StreamIdleError | undefined;
  readonly #abort = () => void this.#reader.cancel(this.#signal?.reason).catch(() => {});

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>, signal: AbortSignal | undefined, idleMs: number) {
    this.#reader = reader;
    this.#signal = signal;
    this.#idleMs = idleMs > 0 && Number.isFinite(idleMs) ? idleMs : 0;
    this.#frames = sseFrames((frame) => this.#ready.push(frame));
    signal?.addEventListener('abort', this.#abort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamItem, void>> {
    if (this.#head < this.#ready.length) return Promise.resolve({ done: false, value: this.#take(1)[0] as StreamItem });
    return this.#fill().then((more) => (more ? { done: false, value: this.#take(1)[0] as StreamItem } : DONE));
  }

  batch(): Promise<readonly StreamItem[]> {
    if (this.#head < this.#ready.length) return Promise.resolve(this.#take(BATCH_MAX));
    return this.#fill().then((more) => (more ? this.#take(BATCH_MAX) : NONE));
  }

  /** Up to `max` of the waiting frames (at least one waits), parsed and checked. */
  #take(max: number): StreamItem[] {
    const ready = this.#ready;
    const head = this.#head;
    const count = Math.min(ready.length - head, max);
    const items: StreamItem[] = new Array(count);
    for (let i = 0; i < count; i++) items[i] = toItem(ready[head + i] as SseFrame, this.#taken + i + 1);
    this.#taken += count;
    if (head + count === ready.length) {
      this.#ready = [];
      this.#head = 0;
    } else {
      this.#head = head + count;
    }
    return items;
  }

  return(): Promise<IteratorResult<StreamItem, void>> {
    this.#close();
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<IteratorResult<StreamItem, void>> {
    this.#close();
    return Promise.reject(error);
  }

  /** Reads until a chunk yields frames (true) or the stream ends (false). */
  async #fill(): Promise<boolean> {
    try {
      while (!this.#ended && !this.#closed) {
        this.#signal?.throwIfAborted();
        this.#readSince = performance.now();
        if (this.#idleMs && this.#timer === undefined) this.#arm(this.#idleMs);
        const { done, value } = await this.#reader.read();
        this.waitedMs += performance.now() - this.#readSince;
        this.#readSince = -1;
        if (this.#idle) throw this.#idle;
        this.#signal?.throwIfAborted();
        const text = done ? this.#decoder.decode() : this.#decoder.decode(value, STREAM);
        if (text) this.#frames.feed(text);
        if (done) {
          this.#frames.end();
          this.#ended = true;
        }
        if (this.#head < this.#ready.length) return true;
      }
      this.#close();
      return false;
    } catch (error) {
      this.#close();
      throw error;
    }
  }

  /** Fires after `ms`; ends the read if it has waited the whole idle time, else waits out the rest. */
  #arm(ms: number) {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#closed) return;
      // No read pending: the next read arms the timer again.
      if (this.#readSince < 0) return;
      const waited = performance.now() - this.#readSince;
      if (waited < this.#idleMs) return this.#arm(this.#idleMs - waited);
      this.#idle = new StreamIdleError(this.#idleMs);
      // A cancelled reader ends the pending read; `#fill` then throws the idle error.
      this.#reader.cancel(this.#idle).catch(() => {});
    }, ms);
  }

  #close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#ready = [];
    this.#head = 0;
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#abort);
    // Stops the network read when the consumer leaves early (break, throw, abort).
    this.#reader.cancel().catch(() => {});
  }
}

function toItem(message: SseFrame, frameNumber: number): StreamItem {
  const id = message.id;
  const name = message.event;
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return protocolError(message, frameNumber, 'data is not valid JSON');
  }
  const event = readStreamEvent(name, data);
  if (typeof event === 'string') return protocolError(message, frameNumber, event);
  return { kind: 'event', event, id };
}

function protocolError(message: SseFrame, frameNumber: number, why: string): StreamItem {
  const excerpt = message.data.length > FRAME_EXCERPT ? `${message.data.slice(0, FRAME_EXCERPT)}…` : message.data;
  const label = [`frame ${frameNumber}`, message.event && `event ${message.event}`, message.id && `id ${message.id}`]
    .filter(Boolean)
    .join(', ');
  return { kind: 'protocol_error', frame: label, message: `${label}: ${why}: ${excerpt}`, id: message.id };
}
