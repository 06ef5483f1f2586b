/**
 * Reads a `text/event-stream` Response into typed protocol events.
 *
 * Framing is eventsource-parser's, which follows the WHATWG EventSource parsing
 * rules exactly (LF/CRLF/CR, joined `data:` lines, comments, `id:`); we only
 * decode bytes, so a multi-byte character split across chunks arrives whole
 * (TextDecoder in streaming mode holds the partial sequence back).
 *
 * A frame we cannot understand is a value in the stream, not a throw: the
 * conversation keeps the frames before and after it, and the error names it.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { parseStreamEvent, type StreamEvent } from '../protocol/index.js';
import { formatDuration } from './duration.js';

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

export async function* readEventStream(response: Response, signal?: AbortSignal, options: ReadOptions = {}): AsyncGenerator<StreamItem> {
  if (!response.body) throw new TypeError('the response has no body to read events from');
  const reader = response.body.getReader();
  const idleMs = options.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const decoder = new TextDecoder();
  const ready: StreamItem[] = [];
  let frameNumber = 0;
  let lastChar = '';
  const parser = createParser({
    onEvent(message) {
      frameNumber += 1;
      ready.push(toItem(message, frameNumber));
    },
  });
  const abort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await readWithin(reader, idleMs);
      signal?.throwIfAborted();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (text) {
        parser.feed(text);
        lastChar = text[text.length - 1]!;
      }
      // A lone CR at the very end is a whole line end, but the parser waits to
      // see if LF follows; an LF makes it CRLF, the same single line end.
      // A frame with no closing blank line is still discarded, as the spec says.
      if (done && lastChar === '\r') parser.feed('\n');
      while (ready.length > 0) yield ready.shift()!;
      if (done) return;
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    // Stops the network read when the consumer leaves early (break, throw, abort).
    reader.cancel().catch(() => {});
  }
}

/** One read, or a StreamIdleError when nothing arrives in time (the caller's `finally` cancels the reader). */
function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (!(idleMs > 0 && Number.isFinite(idleMs))) return reader.read();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StreamIdleError(idleMs)), idleMs);
  });
  return Promise.race([reader.read(), silence]).finally(() => clearTimeout(timer));
}

function toItem(message: EventSourceMessage, frameNumber: number): StreamItem {
  const id = message.id;
  const name = message.event;
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return protocolError(message, frameNumber, 'data is not valid JSON');
  }
  const parsed = parseStreamEvent(name, data);
  if (!parsed.ok) return protocolError(message, frameNumber, parsed.message);
  return { kind: 'event', event: parsed.event, id };
}

function protocolError(message: EventSourceMessage, frameNumber: number, why: string): StreamItem {
  const excerpt = message.data.length > FRAME_EXCERPT ? `${message.data.slice(0, FRAME_EXCERPT)}…` : message.data;
  const label = [`frame ${frameNumber}`, message.event && `event ${message.event}`, message.id && `id ${message.id}`]
    .filter(Boolean)
    .join(', ');
  return { kind: 'protocol_error', frame: label, message: `${label}: ${why}: ${excerpt}`, id: message.id };
}
