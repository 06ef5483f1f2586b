/**
 * Splits decoded `text/event-stream` text into frames, following the WHATWG
 * HTML "event stream interpretation" rules: lines end with CRLF, LF or CR
 * (a CR at the end of one chunk and an LF at the start of the next are one
 * line end), `:` starts a comment, a line without a colon is a field with an
 * empty value, one space after the colon is dropped, `data` lines join with
 * LF, an `id` holding NUL is ignored, and a blank line ends the frame; a frame
 * without data is dropped, and so is an unfinished one when the stream ends.
 *
 * Each frame reports its own `id` (ours all carry one): nothing here
 * reconnects, so neither a last event id nor `retry` is kept. The BOM is the
 * decoder's to strip (TextDecoder does by default).
 */

export interface SseFrame {
  /** The `event` field; undefined when absent or empty. */
  event: string | undefined;
  id: string | undefined;
  data: string;
}

const LF = 10;
const COLON = 58;
const SPACE = 32;
const D = 100; // d
const E = 101; // e
const I = 105; // i

/** `data:`, `event:` or `id:` at `start` (whose first letter the caller has checked). */
function isData(text: string, at: number): boolean {
  return (
    text.charCodeAt(at + 1) === 97 && text.charCodeAt(at + 2) === 116 && text.charCodeAt(at + 3) === 97 && text.charCodeAt(at + 4) === COLON
  );
}
function isEvent(text: string, at: number): boolean {
  return (
    text.charCodeAt(at + 1) === 118 &&
    text.charCodeAt(at + 2) === 101 &&
    text.charCodeAt(at + 3) === 110 &&
    text.charCodeAt(at + 4) === 116 &&
    text.charCodeAt(at + 5) === COLON
  );
}
function isId(text: string, at: number): boolean {
  return text.charCodeAt(at + 1) === 100 && text.charCodeAt(at + 2) === COLON;
}

export interface SseFrames {
  feed(chunk: string): void;
  /** The stream ended: an unfinished line or frame is dropped, as the rules say. */
  end(): void;
}

/** A framer; plain closures rather than a class with private fields: this runs once per line of every stream. */
export function sseFrames(onFrame: (frame: SseFrame) => void): SseFrames {
  /** Text after the last line end, when it arrived in pieces: joined once its line ends, not per chunk. */
  let pending: string[] = [];
  /** The last chunk ended with CR: an LF opening the next one belongs to it. */
  let afterCr = false;
  let data = '';
  let hasData = false;
  let event: string | undefined;
  let id: string | undefined;

  const reset = () => {
    data = '';
    hasData = false;
    event = undefined;
    id = undefined;
  };

  const line = (text: string, start: number, end: number): void => {
    if (start === end) {
      if (hasData) onFrame({ event, id, data });
      reset();
      return;
    }
    const first = text.charCodeAt(start);
    if (first === COLON) return; // a comment (keep-alives)
    // The fields every frame has are matched in place, by their letters; any other is sliced out.
    let field: number;
    let valueStart: number;
    if (first === D && isData(text, start)) {
      field = D;
      valueStart = start + 5;
    } else if (first === E && isEvent(text, start)) {
      field = E;
      valueStart = start + 6;
    } else if (first === I && isId(text, start)) {
      field = I;
      valueStart = start + 3;
    } else {
      let colon = start;
      while (colon < end && text.charCodeAt(colon) !== COLON) colon += 1;
      const name = text.slice(start, colon);
      field = name === 'data' ? D : name === 'event' ? E : name === 'id' ? I : 0;
      valueStart = colon < end ? colon + 1 : end;
    }
    if (field === 0) return; // `retry` and unknown fields: nothing to do
    if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart += 1;
    const value = text.slice(valueStart, end);
    if (field === D) {
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (field === E) {
      event = value || undefined;
    } else if (!value.includes('\0')) {
      id = value;
    }
  };

  return {
    feed(chunk) {
      let start = 0;
      if (afterCr) {
        afterCr = false;
        if (chunk.charCodeAt(0) === LF) start = 1;
      }
      let lf = chunk.indexOf('\n', start);
      let cr = chunk.indexOf('\r', start);
      if (lf === -1 && cr === -1) {
        // No line ends here: keep the piece; a huge line costs one join, not one per chunk.
        if (start < chunk.length) pending.push(start ? chunk.slice(start) : chunk);
        return;
      }
      let text = chunk;
      if (pending.length > 0) {
        pending.push(chunk);
        text = pending.join('');
        pending = [];
        lf = text.indexOf('\n');
        cr = text.indexOf('\r');
      }
      for (;;) {
        // Each index is searched again only once passed, so a stream without CR costs one search for it.
        if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
        if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
        const end = lf === -1 ? cr : cr === -1 || lf < cr ? lf : cr;
        if (end === -1) break;
        line(text, start, end);
        start = end + 1;
        if (end === cr) {
          if (start === text.length) afterCr = true;
          else if (text.charCodeAt(start) === LF) start += 1;
        }
      }
      if (start < text.length) pending.push(text.slice(start));
    },
    end() {
      pending = [];
      afterCr = false;
      reset();
    },
  };
}
