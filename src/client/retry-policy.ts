/**
 * The retry policy for one request, each recovery at most once: an expired
 * session (chat only: a new session cannot resume an old run) → re-init;
 * a fingerprint the server no longer holds (409) → resend the full tools;
 * 429 → wait `Retry-After` if it is short enough.
 */
import { ChatError } from './errors.js';

export interface Force {
  /** Open a new session instead of reusing the current one. */
  reinit: boolean;
  /** Send the full tool list whatever the fingerprint. */
  tools: boolean;
}

export interface RetryLimits {
  maxRetryAfterMs: number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Assumed when a 429 names no wait. */
const DEFAULT_RETRY_AFTER_MS = 1000;

export async function withRecovery(
  kind: 'chat' | 'resume',
  signal: AbortSignal,
  limits: RetryLimits,
  attempt: (force: Force) => Promise<Response>,
): Promise<Response> {
  const force: Force = { reinit: false, tools: false };
  let waited = false;
  for (;;) {
    try {
      return await attempt(force);
    } catch (error) {
      if (!(error instanceof ChatError) || signal.aborted) throw error;
      const { code } = error;
      // A 429's hint says how long to wait (errors.ts): thrown as it is when the wait is not ours to take.
      const wait = error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      if (code === 'session_expired' && kind === 'chat' && !force.reinit) force.reinit = force.tools = true;
      else if (code === 'tools_resend_required' && !force.tools) force.tools = true;
      else if (code === 'rate_limited' && !waited && wait <= limits.maxRetryAfterMs) {
        waited = true;
        await limits.sleep(wait, signal);
      } else throw error;
    }
  }
}
