/**
 * Turns an execution's event log into a `text/event-stream` response that
 * follows the log live. The response never drives the run: a reader that
 * leaves early only stops reading, and the run goes on into the log.
 */
import type { EventLog } from './event-log.js';

const encoder = new TextEncoder();

/**
 * One frame: `event`, `id`, and `data` whose JSON repeats `type`, `executionId`
 * and `seq` before the event's own fields. The JSON is written around the
 * fields' own serialization instead of spreading them into a new object first:
 * this runs for every delta, and the spread was most of its cost.
 */
export function formatFrame(type: string, executionId: string, seq: number, fields: Record<string, unknown>): string {
  const rest = JSON.stringify(fields);
  const head = `{"type":${JSON.stringify(type)},"executionId":${JSON.stringify(executionId)},"seq":${seq}`;
  return `event: ${type}\nid: ${seq}\ndata: ${head}${rest === '{}' ? '}' : `,${rest.slice(1)}`}\n\n`;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
} as const;

/** A comment line this often while the log is quiet; clients treat much longer silence as a cut stream. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;

export interface FollowOptions {
  /** Send frames with seq greater than this. */
  after: number;
  /** Stop after this seq once it is known (the end of one chat or resume segment). */
  until?: () => number | undefined;
  /** A comment line keeps proxies from closing an idle stream. */
  keepAliveMs?: number;
}

/**
 * The response for one reader of `log`. A segment that is already complete
 * when the response is made (a fast agent, a replay, a repeated resume) goes
 * out as one body: headers and frames leave in a single write, with none of
 * a stream's per-chunk machinery. Anything still running is streamed live.
 */
export async function followLog(log: EventLog, options: FollowOptions): Promise<Response> {
  // One turn of the event loop lets a run that waits on nothing outside (the scripted agent) finish first.
  if (!isDone(log, options)) await new Promise((resolve) => setImmediate(resolve));
  if (isDone(log, options)) {
    const text = log.textAfter(options.after, options.until?.())?.text ?? '';
    // As bytes, not a string: a large answer waiting on a slow reader then sits outside the
    // heap the memory budget guards, as the streamed chunks do.
    return new Response(encoder.encode(text), { status: 200, headers: SSE_HEADERS });
  }
  return streamLog(log, options);
}

/** Whether every frame this reader will get is already in the log: its segment has ended, or the run has stopped. */
function isDone(log: EventLog, options: FollowOptions): boolean {
  const until = options.until?.();
  return until !== undefined ? log.lastSeq >= until : log.state !== 'running';
}

function streamLog(log: EventLog, options: FollowOptions): Response {
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  let cursor = options.after;
  let closed = false;
  /** Resolves the pull that waits for the log to change (or for the keep-alive to fall due). */
  let wake: ((changed: boolean) => void) | undefined;
  // One subscription and one timer per stream, not one per wait: a busy stream waits once per frame burst.
  const unsubscribe = log.subscribe(() => wake?.(true));
  const keepAlive: NodeJS.Timeout = setTimeout(() => {
    // Due while the reader is not asking (a slow consumer): try again a period later.
    if (wake) wake(false);
    else keepAlive.refresh();
  }, keepAliveMs);
  const stop = () => {
    closed = true;
    unsubscribe();
    clearTimeout(keepAlive);
  };

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (closed) return;
        const until = options.until?.();
        const text = log.textAfter(cursor, until);
        if (text) {
          // One write for everything ready: far fewer syscalls than a write per frame.
          controller.enqueue(encoder.encode(text.text));
          cursor = text.lastSeq;
          keepAlive.refresh();
          return;
        }
        if ((until !== undefined && cursor >= until) || (until === undefined && log.state !== 'running')) {
          stop();
          controller.close();
          return;
        }
        const changed = await new Promise<boolean>((resolve) => (wake = resolve));
        wake = undefined;
        if (!changed && !closed) {
          controller.enqueue(encoder.encode(': keep-alive\n\n'));
          keepAlive.refresh();
          return;
        }
      }
    },
    cancel() {
      const waiting = wake;
      stop();
      waiting?.(true);
    },
  });
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
