import type { ChatError } from '../client/errors.js';
import type { Strings } from './strings.js';

/** The failure, its hint, and a Retry that sends again what was typed. */
export function ErrorBanner({ error, t, onRetry }: { error: ChatError; t: Strings; onRetry(): void }) {
  return (
    <div class="wmc-error" role="alert" data-code={error.code}>
      <p>{error.hint}</p>
      {error.retryable && (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}
