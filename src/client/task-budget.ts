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
 * `spent()` says whether the current task has run past the budget since the
 * loop first looked in it. Each new task is noticed, so a stream that arrives
 * a frame at a time never pauses: only a backlog does. A hidden page neither
 * paints nor takes input, so it reads straight through.
 */
export function taskBudget(): { spent(): boolean; pause(): Promise<void> } {
  let start = 0;
  let fresh = true;
  return {
    spent() {
      if (typeof document === 'undefined' || document.hidden) return false;
      if (fresh) {
        fresh = false;
        start = performance.now();
        nextTask(() => {
          fresh = true;
        });
        return false;
      }
      return performance.now() - start > SLICE_MS;
    },
    pause: () => new Promise((resolve) => nextTask(resolve)),
  };
}
