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
