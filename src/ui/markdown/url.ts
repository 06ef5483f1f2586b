/**
 * Which link and image addresses model text may use. Model text is untrusted:
 * only absolute http:, https: and mailto: survive; everything else (javascript:,
 * data:, vbscript:, relative and protocol-relative `//host` addresses, addresses
 * hiding control, space, bidi or zero-width characters, credentials) is refused
 * and the caller shows plain text instead.
 */

// C0/C1 controls, space, soft hyphen, zero-width and bidi controls, BOM. The class is built from
// code points because matching control characters is the point here, not a typo in a pattern.
const HIDDEN_RANGES: readonly (readonly [number, number])[] = [
  [0x0000, 0x0020],
  [0x007f, 0x00a0],
  [0x00ad, 0x00ad],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x206f],
  [0x3000, 0x3000],
  [0x3164, 0x3164],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
];
const escapeCodePoint = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
const HIDDEN = new RegExp(`[${HIDDEN_RANGES.map(([from, to]) => `${escapeCodePoint(from)}-${escapeCodePoint(to)}`).join('')}]`);
// The scheme must be written out, literally, in ASCII: no `//host`, no `https:\\host`.
const WRITTEN = /^(?:https?:\/\/[^/\\?#]|mailto:[^/\\])/i;

/** The normalised href for `raw`, or `null` when it may not be a link. */
export function safeHref(raw: string): string | null {
  if (raw.length > 2048 || HIDDEN.test(raw) || !WRITTEN.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const scheme = url.protocol;
  if (scheme === 'mailto:') return url.href;
  if (scheme !== 'http:' && scheme !== 'https:') return null;
  // `https://shop.example@evil.example` reads as one host and goes to another.
  if (url.username || url.password || !url.hostname) return null;
  return url.href;
}

/**
 * The src for an image, or `null` (show a placeholder, request nothing).
 * `allow`: `true` lets any https image load; a list allows those origins only.
 */
export function safeImageSrc(raw: string, allow: boolean | readonly string[] | undefined): string | null {
  if (!allow) return null;
  const href = safeHref(raw);
  if (!href) return null;
  const url = new URL(href);
  if (url.protocol !== 'https:') return null;
  return allow === true || allow.includes(url.origin) ? href : null;
}
