/**
 * A tool that submits a form can take the page with it: the next page loads
 * before the call could answer. So while a call runs, a form submission is
 * noted in the round's durable record (synchronously, before the browser
 * leaves), and the next page of the site reports what truly happened:
 * "submitted; the page moved to <path>", not "interrupted", and picks the
 * conversation up without the person reopening the chat.
 */
import type { PendingRun } from './persistence.js';
import { storeName } from './store-name.js';

/** Calls `noted` when the page submits a form (in the capture phase, before any page handler can stop it). */
export function watchSubmissions(noted: () => void): () => void {
  if (typeof addEventListener !== 'function') return () => {};
  const listener = () => noted();
  addEventListener('submit', listener, true);
  return () => removeEventListener('submit', listener, true);
}

/** What a call whose form submission moved the page is reported as, from the page it moved to. */
export function submittedOutput(): { result: string } {
  return { result: `submitted; the page moved to ${location.pathname}` };
}

/**
 * Read by the launcher before any of the chat loads: an earlier page of this
 * site left a round whose form submission moved the page here (the record is
 * kept in localStorage by openStore).
 */
export function leftBySubmission(clientToken: string, apiUrl: string): boolean {
  try {
    const text = localStorage.getItem(`${storeName(clientToken, apiUrl)}:pending`);
    const pending = text ? (JSON.parse(text) as PendingRun) : undefined;
    return !!pending?.calls?.some((call) => call.submittedAt !== undefined && call.output === undefined);
  } catch {
    return false;
  }
}
