/**
 * Which link and image addresses model text may use. Model text is untrusted:
 * only absolute http:, https: and mailto: survive; everything else (javascript:,
 * data:, vbscript:, relative and protocol-relative `//host` addresses, addresses
 * hiding control, space, bidi or zero-width characters, credentials) is refused
 * and the caller shows plain text instead.
 */

// C0/C1 controls, space, soft hyphen, zero-width and bidi controls, Hangul fillers, BOM.
const HIDDEN = /[\0- \x7f-\xa0\xad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufeff\uffa0]/;
// The scheme must be written out, literally, in ASCII: no `//host`, no `https:\\host`.
const WRITTEN = /^(?:https?:\/\/[^/\\?#]|mailto:[^/\\])/i;

/** The normalised href for `raw`, or `null` when it may not be a link. */
export function safeHref(raw: string): string | null {
  if (raw.length > 2048 || HIDDEN.test(raw) || !WRITTEN.test(raw)) return null;
  try {
    // WRITTEN lets through http:, https: and mailto: only. `https://shop.example@evil.example` reads
    // as one host and goes to another: no credentials.
    const url = new URL(raw);
    return url.protocol === 'mailto:' || (url.hostname && !url.username && !url.password) ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The src for an image, or `null` (show a placeholder, request nothing).
 * `allow`: `true` lets any https image load; a list allows those origins only.
 */
export function safeImageSrc(raw: string, allow: boolean | readonly string[] | undefined): string | null {
  if (!allow) return null;
  const href = safeHref(raw);
  return href?.startsWith('https:') && (allow === true || allow.includes(new URL(href).origin)) ? href : null;
}
