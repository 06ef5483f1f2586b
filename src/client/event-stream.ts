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
  return eventReader(response.body.getReader(), signal, options.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS);
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

/** A closure over the reader's state (the variables below) rather than a class: the same iterator, in fewer bytes. */
function eventReader(reader: ReadableStreamDefaultReader<Uint8Array>, signal: AbortSignal | undefined, timeoutMs: number): EventStream {
  const decoder = new TextDecoder();
  /**
   * Framed but not yet parsed, from `head` on: JSON and the shape check run
   * when a frame is taken, a batch at a time, so a network chunk of thousands
   * of frames is not one unbroken stretch before the reader can yield.
   */
  let ready: SseFrame[] = [];
  let head = 0;
  /** Frames taken so far: they are taken in order, so this numbers each for its error. */
  let taken = 0;
  /** The body has ended (frames may still wait in `ready`). */
  let ended = false;
  let closed = false;
  const idleMs = timeoutMs > 0 && Number.isFinite(timeoutMs) ? timeoutMs : 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending read began, or -1 while none is pending: only silence during a read counts. */
  let readSince = -1;
  let waitedMs = 0;
  let idle: StreamIdleError | undefined;
  const abort = () => void reader.cancel(signal?.reason).catch(() => {});
  const frames: SseFrames = sseFrames((frame) => ready.push(frame));

  /** Up to `max` of the waiting frames (at least one waits), parsed and checked. */
  const take = (max: number): StreamItem[] => {
    const from = head;
    const count = Math.min(ready.length - from, max);
    const items: StreamItem[] = new Array(count);
    for (let i = 0; i < count; i++) items[i] = toItem(ready[from + i] as SseFrame, taken + i + 1);
    taken += count;
    if (from + count === ready.length) {
      ready = [];
      head = 0;
    } else {
      head = from + count;
    }
    return items;
  };

  /** Reads until a chunk yields frames (true) or the stream ends (false). */
  const fill = async (): Promise<boolean> => {
    try {
      while (!ended && !closed) {
        signal?.throwIfAborted();
        readSince = performance.now();
        if (idleMs && timer === undefined) arm(idleMs);
        const { done, value } = await reader.read();
        waitedMs += performance.now() - readSince;
        readSince = -1;
        if (idle) throw idle;
        signal?.throwIfAborted();
        const text = done ? decoder.decode() : decoder.decode(value, STREAM);
        if (text) frames.feed(text);
        if (done) {
          frames.end();
          ended = true;
        }
        if (head < ready.length) return true;
      }
      close();
      return false;
    } catch (error) {
      close();
      throw error;
    }
  };

  /** Fires after `ms`; ends the read if it has waited the whole idle time, else waits out the rest. */
  const arm = (ms: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      if (closed) return;
      // No read pending: the next read arms the timer again.
      if (readSince < 0) return;
      const waited = performance.now() - readSince;
      if (waited < idleMs) return arm(idleMs - waited);
      idle = new StreamIdleError(idleMs);
      // A cancelled reader ends the pending read; `fill` then throws the idle error.
      reader.cancel(idle).catch(() => {});
    }, ms);
  };

  const close = () => {
    if (closed) return;
    closed = true;
    ready = [];
    head = 0;
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
    // Stops the network read when the consumer leaves early (break, throw, abort).
    reader.cancel().catch(() => {});
  };

  signal?.addEventListener('abort', abort, { once: true });

  const stream: EventStream = {
    [Symbol.asyncIterator]: () => stream,

    next() {
      if (head < ready.length) return Promise.resolve({ done: false, value: take(1)[0] as StreamItem });
      return fill().then((more) => (more ? { done: false, value: take(1)[0] as StreamItem } : DONE));
    },

    batch() {
      if (head < ready.length) return Promise.resolve(take(BATCH_MAX));
      return fill().then((more) => (more ? take(BATCH_MAX) : NONE));
    },

    get waitedMs() {
      return waitedMs;
    },

    return() {
      close();
      return Promise.resolve(DONE);
    },

    throw(error) {
      close();
      return Promise.reject(error);
    },
  };
  return stream;
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
