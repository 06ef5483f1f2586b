/**
 * A tool that submits a form can take the page with it: the next page loads
 * before the call could answer. So while a call runs, a form submission is
 * noted in the round's durable record (synchronously, before the browser
 * leaves), and the next page of the site reports what truly happened:
 * "submitted; the page moved to <path>", not "interrupted", and picks the
 * conversation up without the person reopening the chat.
 */

/** Calls `noted` with the path the form goes to when the page submits one (capture phase, before a page handler can stop it). */
export function watchSubmissions(noted: (path: string) => void): () => void {
  if (typeof addEventListener !== 'function') return () => {};
  const listener = (event: Event) => noted(targetPath(event as SubmitEvent));
  addEventListener('submit', listener, true);
  return () => removeEventListener('submit', listener, true);
}

function targetPath(event: SubmitEvent): string {
  const form = event.target as HTMLFormElement | null;
  const submitter = event.submitter as HTMLButtonElement | HTMLInputElement | null;
  try {
    // `formAction` reads as the page's own URL when the button has no `formaction` of its own.
    const action = submitter?.hasAttribute('formaction') ? submitter.formAction : form?.action;
    return new URL(action || location.href, location.href).pathname;
  } catch {
    return location.pathname;
  }
}

/** What a call whose form submission moved the page is reported as. */
export function submittedOutput(path: string): { result: string } {
  return { result: `submitted; the page moved to ${path}` };
}

/** A tool that submitted a form and answered nothing of its own (native form tools answer null as the page leaves). */
export function saysNothing(result: unknown): boolean {
  return result === undefined || result === null || result === '' || result === 'null' || result === 'undefined';
}

/** One note per site (localStorage is per origin), naming the token, so another chat on the site is not opened by it. */
const MOVED_KEY = 'webmcp-chat:moved';
/** How long the note counts: the next page loads in seconds; a visit minutes later is a new visit. */
const MOVED_FRESH_MS = 120_000;

/** A form a call submitted is taking the person to another page of the site: the chat there opens by itself. */
export function noteMoved(clientToken: string): void {
  try {
    localStorage.setItem(MOVED_KEY, `${Date.now()} ${clientToken}`);
  } catch {
    // No localStorage (sandboxed): the person opens the chat on the next page, and it carries on.
  }
}

/** Read (and used up) by the launcher before any of the chat loads. */
export function takeMovedNote(clientToken: string): boolean {
  try {
    const [at, token] = (localStorage.getItem(MOVED_KEY) ?? '').split(' ');
    if (token !== clientToken) return false;
    localStorage.removeItem(MOVED_KEY);
    return Date.now() - Number(at) < MOVED_FRESH_MS;
  } catch {
    return false;
  }
}
