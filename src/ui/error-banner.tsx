import { useEffect } from 'preact/hooks';
import type { ChatError } from '../client/errors.js';
import type { Strings } from './strings.js';

/** Failures only the site owner can fix: their hint is for developers, not shoppers. */
const SETUP_ERRORS = new Set([
  'origin_not_allowed',
  'invalid_token',
  'tools_rejected',
  'tools_resend_required',
  'bad_request',
  'payload_too_large',
  'protocol',
]);

/**
 * The failure and a Retry that sends again what was typed. A setup problem
 * shows shoppers a plain sentence; its hint goes to the console (and, from
 * the session, to the host's `error` event).
 */
export function ErrorBanner({ error, t, onRetry }: { error: ChatError; t: Strings; onRetry(): void }) {
  const setup = SETUP_ERRORS.has(error.code);
  useEffect(() => {
    if (setup) console.warn(`webmcp-chat: ${error.code}: ${error.hint}`);
  }, [error]);
  return (
    <div class="wmc-error" role="alert" data-code={error.code}>
      <p>{setup ? t.errorUnavailable : error.hint}</p>
      {error.retryable && (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}
