/**
 * Waits for a condition instead of a fixed sleep: polls `predicate` (sync or
 * async) until it holds, and fails naming what it waited for. Plain
 * TypeScript, so Node (vitest) and browser (wtr) suites share it.
 */
export interface UntilOptions {
  /** Give up after this long (default 5 s); a generous bound, not a speed claim. */
  timeoutMs?: number;
  /** Poll interval (default 5 ms). */
  everyMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
}

export async function until(predicate: () => boolean | Promise<boolean>, options: UntilOptions = {}): Promise<void> {
  const { timeoutMs = 5000, everyMs = 5, what = 'a condition' } = options;
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
