/**
 * Bounds how long a loop over buffered input keeps the main thread. Frames
 * that arrived while the page was busy are all ready at once, and reading
 * them is a chain of resolved promises: without a pause the whole backlog
 * (20,000 frames, a megabyte) is one task, and the page can neither paint nor
 * answer input until it ends.
 */
const SLICE_MS = 10;

// A message, not a timer: chained timers are held back to 4 ms each, and far longer in a background tab.
let channel: MessageChannel | undefined;
const queued: (() => void)[] = [];
function nextTask(run: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queued.shift()?.();
  }
  queued.push(run);
  channel.port2.postMessage(null);
}

/**
 * `spent(waitedMs)` says whether the loop has worked past the budget since
 * the page last rendered a frame or the loop last paused. Work is the time
 * between looks less what the loop spent waiting for input (`waitedMs`, its
 * running total), so a stream that arrives a chunk at a time never pauses:
 * only a backlog does. That costs two clock reads a look and no task of its
 * own (telling task from task with a message cost a task per network chunk).
 * A rendered frame shows in `document.timeline.currentTime`, which holds
 * still within a task. A hidden page neither paints nor takes input, so it
 * reads straight through.
 */
export function taskBudget(): { spent(waitedMs: number): boolean; pause(): Promise<void> } {
  let used = 0;
  let lastLook = 0;
  let lastWaited = 0;
  let frame: number | null | undefined;
  return {
    spent(waitedMs) {
      if (typeof document === 'undefined' || document.hidden) return false;
      const now = performance.now();
      const shown = document.timeline?.currentTime as number | null | undefined;
      if (shown !== frame) {
        frame = shown;
        used = 0;
      } else used += now - lastLook - (waitedMs - lastWaited);
      lastLook = now;
      lastWaited = waitedMs;
      return used > SLICE_MS;
    },
    pause: () =>
      new Promise((resolve) =>
        nextTask(() => {
          // The pause was other tasks' time, not the loop's.
          used = 0;
          lastLook = performance.now();
          resolve();
        }),
      ),
  };
}
