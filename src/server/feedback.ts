/**
 * Feedback, kept only so tests and the demo can look at it: bounded in
 * entries and in bytes, and the first thing the memory budget lets go of.
 */
import type { MemoryBudget } from './memory.js';

export interface FeedbackRecord {
  feedbackId: string;
  token: string;
  sessionId: string;
  type: string;
  messageId?: string | undefined;
  rating?: number | undefined;
  comment?: string | undefined;
  receivedAt: string;
}

/** Feedback entries kept at most; old entries go first. */
export const MAX_FEEDBACK = 1_000;
/** Longer comments are refused (400), not cut: what a person wrote is not silently changed. */
export const MAX_FEEDBACK_COMMENT_CHARS = 4_000;

export class FeedbackStore {
  readonly #records: { record: FeedbackRecord; bytes: number }[] = [];

  constructor(private readonly budget: MemoryBudget) {
    budget.addReclaimer((bytes) => this.#reclaim(bytes));
  }

  /** Estimated heap of a record: its JSON plus the object around it. */
  static sizeOf(record: FeedbackRecord): number {
    return 128 + JSON.stringify(record).length;
  }

  add(record: FeedbackRecord): void {
    const bytes = FeedbackStore.sizeOf(record);
    this.#records.push({ record, bytes });
    this.budget.grow(bytes);
    if (this.#records.length > MAX_FEEDBACK) this.#dropOldest();
  }

  list(): FeedbackRecord[] {
    return this.#records.map((entry) => entry.record);
  }

  #dropOldest(): number {
    const oldest = this.#records.shift();
    if (oldest) this.budget.shrink(oldest.bytes);
    return oldest?.bytes ?? 0;
  }

  #reclaim(bytes: number): number {
    let freed = 0;
    while (freed < bytes && this.#records.length > 0) freed += this.#dropOldest();
    return freed;
  }
}
