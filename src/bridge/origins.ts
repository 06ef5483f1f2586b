/**
 * WebMCP's origin lists (`exposedTo` on registerTool, `fromOrigins` on
 * getTools) as native Chromium reads them: a sequence of strings, each a URL
 * whose origin is potentially trustworthy (https/wss, or http/ws on a loopback
 * host). Anything else (`*`, a path, `ftp:`, plain http) is a SecurityError.
 */
const TRUSTWORTHY = /^(https|wss):|^(http|ws):\/\/(localhost|127\.[\d.]+|\[::1\]|[^/:]*\.localhost)[:/]/;

/** True for an origin a page may share tools with (or take tools from). */
export function isTrustworthyOrigin(text: string): boolean {
  try {
    return TRUSTWORTHY.test(new URL(text).href);
  } catch {
    return false;
  }
}

/** The list as WebIDL `sequence<USVString>`, each checked; `undefined` stays empty. */
export function originList(value: unknown, member: string): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${member} must be a sequence of origins`);
  }
  return [...(value as Iterable<unknown>)].map((item) => {
    const text = `${item}`;
    if (!isTrustworthyOrigin(text)) throw new DOMException(`Only secure origins are allowed in the ${member} list.`, 'SecurityError');
    return new URL(text).origin;
  });
}
