/**
 * A stream fault as a transform over a finished SSE body: the production
 * stream writes frames, and this layer (mounted only with test hooks) cuts,
 * stalls, duplicates or corrupts them on the way out. Frames are split at the
 * blank line that ends each one; our frames carry JSON on one `data:` line,
 * so a blank line never occurs inside one.
 */
import type { StreamFault } from './faults.js';

/** How long a `reset` fault lets already-written frames leave before it drops the connection. */
const RESET_FLUSH_MS = 150;

const encoder = new TextEncoder();

export function hasStreamFault(fault: StreamFault): boolean {
  return (
    fault.crlf === true ||
    fault.cutAfterFrames !== undefined ||
    fault.stallAfterFrames !== undefined ||
    fault.malformedAfterFrames !== undefined ||
    fault.unknownEventAfterFrames !== undefined ||
    fault.duplicateAfterFrames !== undefined
  );
}

export function faultStream(fault: StreamFault): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let pending = '';
  let written = 0;
  let done = false;
  const out = (controller: TransformStreamDefaultController<Uint8Array>, text: string) =>
    controller.enqueue(encoder.encode(fault.crlf ? text.replaceAll('\n', '\r\n') : text));

  return new TransformStream({
    async transform(chunk, controller) {
      if (done) return;
      pending += decoder.decode(chunk, { stream: true });
      let end = pending.indexOf('\n\n');
      while (end >= 0 && !done) {
        const frame = pending.slice(0, end + 2);
        pending = pending.slice(end + 2);
        end = pending.indexOf('\n\n');
        // Keep-alive comments pass through and do not count as frames.
        if (frame.startsWith(':')) {
          out(controller, frame);
          continue;
        }
        if (fault.cutAfterFrames !== undefined && written >= fault.cutAfterFrames) {
          done = true;
          if (fault.cutMode === 'reset') {
            // Erroring drops what is still queued; a reset "after N frames" means those got through.
            await delay(RESET_FLUSH_MS);
            controller.error(new Error('fault: stream reset'));
          } else controller.terminate();
          return;
        }
        out(controller, frame);
        written += 1;
        if (written === fault.duplicateAfterFrames) out(controller, frame);
        if (written === fault.malformedAfterFrames) out(controller, 'event: text_delta\ndata: {"type":"text_delta","delta":\n\n');
        if (written === fault.unknownEventAfterFrames) {
          const data = { type: 'mystery_event', executionId: executionIdOf(frame), note: 'an event type no client knows' };
          out(controller, `event: mystery_event\ndata: ${JSON.stringify(data)}\n\n`);
        }
        if (written === fault.stallAfterFrames) await delay(fault.stallMs ?? 5_000);
      }
    },
  });
}

function executionIdOf(frame: string): string | undefined {
  return /"executionId":"([^"]+)"/.exec(frame)?.[1];
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
