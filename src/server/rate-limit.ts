/** A sliding-window turn counter: at most `turns` in any `perSeconds` window. */
export class SlidingWindow {
  private readonly stamps: number[] = [];

  constructor(
    private readonly turns: number,
    private readonly windowMs: number,
  ) {}

  /** Records a turn and returns 0, or returns the seconds to wait without recording. */
  take(now: number): number {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.windowMs) this.stamps.shift();
    if (this.stamps.length >= this.turns) {
      return Math.max(1, Math.ceil((this.stamps[0]! + this.windowMs - now) / 1000));
    }
    this.stamps.push(now);
    return 0;
  }
}

/**
 * Token buckets by key (a client address, a token): each holds up to
 * `requests` and refills at `requests / perSeconds` per second, so a burst
 * of a whole window is allowed and a steady flood is held to the rate.
 * O(1) per key; full buckets are forgotten, so idle keys cost nothing.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #capacity: number;
  readonly #perMs: number;
  #calls = 0;

  constructor(window: { requests: number; perSeconds: number }) {
    this.#capacity = window.requests;
    this.#perMs = window.requests / (window.perSeconds * 1000);
  }

  /** Takes one token for `key` and returns 0, or returns the whole seconds to wait. */
  take(key: string, now: number): number {
    if (++this.#calls % 1024 === 0) this.#forgetFull(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, at: now };
    // A clock that steps back (a test's, or a wall clock being corrected) refills nothing rather than draining.
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }

  get size(): number {
    return this.#buckets.size;
  }

  #forgetFull(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#perMs >= this.#capacity) this.#buckets.delete(key);
    }
  }
}
