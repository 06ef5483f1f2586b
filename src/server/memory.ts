/**
 * The memory budget: one total, in bytes, that every store counts against.
 * Stores report what they hold (`grow`, `shrink`); new work asks first
 * (`makeRoom`), which frees what may be freed, oldest first and never live
 * work, and refuses when that is not enough. Sizes are estimates of the
 * retained heap (serialized text plus a fixed overhead per entry), so the
 * budget is kept with some margin rather than to the byte: the stores keep
 * to three quarters of it, and the rest is headroom for work in flight
 * (bodies being parsed, frames being written).
 */
import { HttpError, LIMIT_ERROR } from './http.js';

/** Frees up to `bytes` of evictable entries; returns what it freed. */
export type Reclaimer = (bytes: number) => number;

/** How long a refused client should wait: long enough for runs to finish or sessions to expire. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/** The share of the budget the stores may hold; the rest is for requests in flight. */
export const STORE_SHARE = 0.75;

export class MemoryBudget {
  #used = 0;
  readonly #reclaimers: Reclaimer[] = [];
  /** What the stores may hold together. */
  readonly limit: number;

  /** `total` is `memoryBudgetBytes`: the heap the whole server should stay under. */
  constructor(readonly total: number) {
    this.limit = Math.floor(total * STORE_SHARE);
  }

  get used(): number {
    return this.#used;
  }

  /** Reclaimers run in the order added: the least valuable store first. */
  addReclaimer(reclaimer: Reclaimer): void {
    this.#reclaimers.push(reclaimer);
  }

  grow(bytes: number): void {
    this.#used += bytes;
    // A run writing its log cannot be refused halfway; make the room afterwards.
    if (this.#used > this.limit) this.#reclaim(this.#used - this.limit);
  }

  shrink(bytes: number): void {
    this.#used -= bytes;
  }

  /** Makes room for `bytes` of new work, or refuses it with 503 + Retry-After. */
  makeRoom(bytes: number, what: string): void {
    const over = this.#used + bytes - this.limit;
    if (over > 0 && this.#reclaim(over) < over) {
      throw new HttpError(
        503,
        LIMIT_ERROR.serverBusy,
        `The server's memory budget is full of live conversations, so it cannot take ${what} now; retry in ${BUSY_RETRY_AFTER_SECONDS} s.`,
        { limit: 'memoryBudgetBytes', retryAfter: BUSY_RETRY_AFTER_SECONDS },
        { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) },
      );
    }
  }

  #reclaim(bytes: number): number {
    let freed = 0;
    for (const reclaimer of this.#reclaimers) {
      if (freed >= bytes) break;
      freed += reclaimer(bytes - freed);
    }
    return freed;
  }
}

/** A refusal for an entry cap (maxSessions, maxExecutions) that only live work fills. */
export function busy(limit: string, what: string): HttpError {
  return new HttpError(
    503,
    LIMIT_ERROR.serverBusy,
    `The server holds its most ${what} (${limit}), all of them live; retry in ${BUSY_RETRY_AFTER_SECONDS} s.`,
    { limit, retryAfter: BUSY_RETRY_AFTER_SECONDS },
    { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) },
  );
}
