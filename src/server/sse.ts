/**
 * Turns an execution's event log into a `text/event-stream` response that
 * follows the log live. The response never drives the run: a reader that
 * leaves early only stops reading, and the run goes on into the log.
 */
import type { EventLog } from './event-log.js';
import type { StreamFault } from './faults.js';

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
  fault?: StreamFault | undefined;
  /** A comment line keeps proxies from closing an idle stream. */
  keepAliveMs?: number;
}

/** How long a `reset` fault lets already-written frames leave before it drops the connection. */
const RESET_FLUSH_MS = 150;

export function followLog(log: EventLog, options: FollowOptions): Response {
  const fault = options.fault ?? {};
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  let cursor = options.after;
  let written = 0;
  let closed = false;
  /** A `reset` cut waits for the next pull: erroring now would drop the frames still queued. */
  let resetPending = false;
  let wake: (() => void) | undefined;

  const encode = (text: string) => encoder.encode(fault.crlf ? text.replaceAll('\n', '\r\n') : text);

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (resetPending) {
        // Destroying the socket drops what Node has not flushed yet; a reset
        // "after N frames" means those frames got through, so let them out first.
        await delay(RESET_FLUSH_MS);
        controller.error(new Error('fault: stream reset'));
        return;
      }
      for (;;) {
        if (closed) return;
        const until = options.until?.();
        const frames = log.framesAfter(cursor, until);
        if (frames.length > 0 && !hasFrameFaults(fault)) {
          // One write for everything ready: far fewer syscalls than a write per frame.
          controller.enqueue(encode(frames.map((frame) => frame.text).join('')));
          cursor = frames[frames.length - 1]!.seq;
          return;
        }
        if (frames.length > 0) {
          for (const frame of frames) {
            if (fault.cutAfterFrames !== undefined && written >= fault.cutAfterFrames) {
              closed = true;
              if (fault.cutMode === 'reset') resetPending = true;
              else controller.close();
              return;
            }
            controller.enqueue(encode(frame.text));
            written += 1;
            cursor = frame.seq;
            if (written === fault.duplicateAfterFrames) controller.enqueue(encode(frame.text));
            if (written === fault.malformedAfterFrames) {
              controller.enqueue(encode(`event: text_delta\ndata: {"type":"text_delta","delta":\n\n`));
            }
            if (written === fault.unknownEventAfterFrames) {
              const data = { type: 'mystery_event', executionId: log.executionId, note: 'an event type no client knows' };
              controller.enqueue(encode(`event: mystery_event\ndata: ${JSON.stringify(data)}\n\n`));
            }
            if (written === fault.stallAfterFrames) {
              await delay(fault.stallMs ?? 5_000);
              return;
            }
          }
          return;
        }
        if ((until !== undefined && cursor >= until) || (until === undefined && log.state !== 'running')) {
          closed = true;
          controller.close();
          return;
        }
        const changed = await waitForChange(log, keepAliveMs, (resolve) => (wake = resolve));
        if (!changed && !closed) {
          controller.enqueue(encode(': keep-alive\n\n'));
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

function hasFrameFaults(fault: StreamFault): boolean {
  return (
    fault.cutAfterFrames !== undefined ||
    fault.stallAfterFrames !== undefined ||
    fault.malformedAfterFrames !== undefined ||
    fault.unknownEventAfterFrames !== undefined ||
    fault.duplicateAfterFrames !== undefined
  );
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
