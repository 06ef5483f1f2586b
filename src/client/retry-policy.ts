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
      if (error.code === 'session_expired' && kind === 'chat' && !force.reinit) {
        force.reinit = true;
        force.tools = true;
        continue;
      }
      if (error.code === 'tools_resend_required' && !force.tools) {
        force.tools = true;
        continue;
      }
      if (error.code === 'rate_limited' && !waited) {
        const wait = error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
        if (wait <= limits.maxRetryAfterMs) {
          waited = true;
          await limits.sleep(wait, signal);
          continue;
        }
      }
      if (error.code === 'rate_limited') throw rateLimited(error);
      throw error;
    }
  }
}

/** The same error with a hint that says how long to wait. */
function rateLimited(error: ChatError): ChatError {
  const seconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
  // Its own fields (code, status, serverCode, retryAfterMs) carry over; `message` is not enumerable.
  return new ChatError({
    ...error,
    hint: seconds ? `Too many messages right now. Try again in ${seconds} s.` : error.hint,
    message: error.message,
    retryable: true,
  });
}
