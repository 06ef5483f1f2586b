/**
 * Turns an execution's event log into a `text/event-stream` response that
 * follows the log live. The response never drives the run: a reader that
 * leaves early only stops reading, and the run goes on into the log.
 */
import type { EventLog } from './event-log.js';

const encoder = new TextEncoder();

export function formatFrame(type: string, seq: number, data: unknown): string {
  return `event: ${type}\nid: ${seq}\ndata: ${JSON.stringify(data)}\n\n`;
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

export function followLog(log: EventLog, options: FollowOptions): Response {
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  let cursor = options.after;
  let closed = false;
  let wake: (() => void) | undefined;

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
          return;
        }
        if ((until !== undefined && cursor >= until) || (until === undefined && log.state !== 'running')) {
          closed = true;
          controller.close();
          return;
        }
        const changed = await waitForChange(log, keepAliveMs, (resolve) => (wake = resolve));
        if (!changed && !closed) {
          controller.enqueue(encoder.encode(': keep-alive\n\n'));
          return;
        }
      }
    },
    cancel() {
      closed = true;
      wake?.();
    },
  });
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}

/** Resolves true when the log changes, false after `ms` of quiet. */
function waitForChange(log: EventLog, ms: number, expose: (resolve: () => void) => void): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (changed: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(changed);
    };
    const unsubscribe = log.subscribe(() => done(true));
    const timer = setTimeout(() => done(false), ms);
    expose(() => done(true));
  });
}
