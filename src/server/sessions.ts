/**
 * Sessions: what init trades a token for. Each is bound to its token and the
 * origin that created it, expires, and remembers the last full tool set so a
 * client may send only its fingerprint. Bounded in entries (`maxSessions`)
 * and in bytes (the memory budget): expired sessions are swept, and when room
 * is needed the least recently used idle sessions go first. A session with a
 * run that streams or waits for a tool result is never evicted (it still
 * expires: then nobody could resume it anyway).
 */
import type { ClientTool } from '../protocol/index.js';
import { newId } from './http.js';
import { type MemoryBudget, busy } from './memory.js';
import { SlidingWindow } from './rate-limit.js';

export interface Session {
  id: string;
  token: string;
  origin: string;
  expiresAt: number;
  tools: { fingerprint: string; tools: ClientTool[]; bytes: number } | undefined;
  turns: SlidingWindow | undefined;
}

export type SessionLookup = { ok: true; session: Session } | { ok: false; reason: 'not_found' | 'expired' };

/** Sweeping on every call would make each request O(sessions); every Nth is enough. */
const SWEEP_EVERY = 256;
/** Estimated heap of a session without its tools: the record, its ids and its turn window. */
export const SESSION_BYTES = 1_024;

export interface SessionStoreOptions {
  ttlMs: number;
  maxSessions: number;
  now: () => number;
  rateLimit: { turns: number; perSeconds: number } | undefined;
  budget: MemoryBudget;
  /** Whether a session has live work, which keeps it from eviction. */
  hasLive: (sessionId: string) => boolean;
  /** Called when a session is gone, so its runs go too. */
  forgotten: (sessionId: string) => void;
}

export class SessionStore {
  /** Map order doubles as recency order for eviction. */
  readonly #sessions = new Map<string, Session>();
  /** Recently expired ids, so a client hears "expired" rather than "unknown". */
  readonly #expired = new Set<string>();
  #calls = 0;

  constructor(private readonly options: SessionStoreOptions) {
    options.budget.addReclaimer((bytes) => this.#reclaim(bytes));
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Makes room for one more session (evicting the least recently used idle one), or refuses with 503. */
  makeRoom(): void {
    this.#maybeSweep();
    if (this.#sessions.size < this.options.maxSessions) return;
    for (const [id] of this.#sessions) {
      if (!this.options.hasLive(id)) {
        this.#forget(id);
        return;
      }
    }
    throw busy('maxSessions', 'sessions');
  }

  create(token: string, origin: string): Session {
    const limit = this.options.rateLimit;
    const session: Session = {
      id: newId('cs'),
      token,
      origin,
      expiresAt: this.options.now() + this.options.ttlMs,
      tools: undefined,
      turns: limit ? new SlidingWindow(limit.turns, limit.perSeconds * 1000) : undefined,
    };
    this.#sessions.set(session.id, session);
    this.options.budget.grow(SESSION_BYTES);
    return session;
  }

  get(id: string): SessionLookup {
    this.#maybeSweep();
    const session = this.#sessions.get(id);
    if (!session) return { ok: false, reason: this.#expired.has(id) ? 'expired' : 'not_found' };
    if (session.expiresAt <= this.options.now()) {
      this.#forget(id);
      return { ok: false, reason: 'expired' };
    }
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    return { ok: true, session };
  }

  /** Continuing a session through init renews its lifetime. */
  renew(session: Session): void {
    session.expiresAt = this.options.now() + this.options.ttlMs;
  }

  /** Remembers the session's full tool set, counting its serialized size against the budget. */
  setTools(session: Session, fingerprint: string, tools: ClientTool[], bytes: number): void {
    if (session.tools) this.options.budget.shrink(session.tools.bytes);
    session.tools = { fingerprint, tools, bytes };
    this.options.budget.grow(bytes);
  }

  #forget(id: string): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    this.#sessions.delete(id);
    this.options.budget.shrink(SESSION_BYTES + (session.tools?.bytes ?? 0));
    this.options.forgotten(id);
    // An evicted session answers like an expired one: the client re-inits either way.
    this.#expired.add(id);
    if (this.#expired.size > this.options.maxSessions) this.#expired.delete(this.#expired.values().next().value!);
  }

  /** Evicts idle sessions, least recently used first, until `bytes` are freed. */
  #reclaim(bytes: number): number {
    let freed = 0;
    for (const [id, session] of this.#sessions) {
      if (freed >= bytes) break;
      if (this.options.hasLive(id)) continue;
      freed += SESSION_BYTES + (session.tools?.bytes ?? 0);
      this.#forget(id);
    }
    return freed;
  }

  #maybeSweep(): void {
    if (++this.#calls % SWEEP_EVERY !== 0) return;
    const now = this.options.now();
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#forget(id);
  }
}
