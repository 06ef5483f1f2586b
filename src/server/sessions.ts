/**
 * Sessions: what init trades a token for. Each is bound to its token and the
 * origin that created it, expires, and remembers the last full tool set so a
 * client may send only its fingerprint. The store is bounded: expired sessions
 * are swept, and past `maxSessions` the least recently used go first.
 */
import type { ClientTool } from '../protocol/index.js';
import { newId } from './http.js';
import { SlidingWindow } from './rate-limit.js';

export interface Session {
  id: string;
  token: string;
  origin: string;
  expiresAt: number;
  tools: { fingerprint: string; tools: ClientTool[] } | undefined;
  turns: SlidingWindow | undefined;
}

export type SessionLookup = { ok: true; session: Session } | { ok: false; reason: 'not_found' | 'expired' };

/** Sweeping on every call would make each request O(sessions); every Nth is enough. */
const SWEEP_EVERY = 256;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  /** Recently expired ids, so a client hears "expired" rather than "unknown". */
  private readonly expired = new Set<string>();
  private calls = 0;

  constructor(
    private readonly options: {
      ttlMs: number;
      maxSessions: number;
      now: () => number;
      rateLimit: { turns: number; perSeconds: number } | undefined;
    },
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  create(token: string, origin: string): Session {
    this.maybeSweep();
    const limit = this.options.rateLimit;
    const session: Session = {
      id: newId('cs'),
      token,
      origin,
      expiresAt: this.options.now() + this.options.ttlMs,
      tools: undefined,
      turns: limit ? new SlidingWindow(limit.turns, limit.perSeconds * 1000) : undefined,
    };
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.options.maxSessions) {
      const oldest = this.sessions.keys().next().value!;
      this.forget(oldest);
    }
    return session;
  }

  get(id: string): SessionLookup {
    this.maybeSweep();
    const session = this.sessions.get(id);
    if (!session) return { ok: false, reason: this.expired.has(id) ? 'expired' : 'not_found' };
    if (session.expiresAt <= this.options.now()) {
      this.forget(id);
      return { ok: false, reason: 'expired' };
    }
    // Map order doubles as recency order for eviction.
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return { ok: true, session };
  }

  /** Continuing a session through init renews its lifetime. */
  renew(session: Session): void {
    session.expiresAt = this.options.now() + this.options.ttlMs;
  }

  private forget(id: string): void {
    this.sessions.delete(id);
    this.expired.add(id);
    if (this.expired.size > this.options.maxSessions) this.expired.delete(this.expired.values().next().value!);
  }

  private maybeSweep(): void {
    if (++this.calls % SWEEP_EVERY !== 0) return;
    const now = this.options.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.forget(id);
  }
}
