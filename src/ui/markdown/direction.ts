/**
 * Which way an answer is written, as `dir="auto"` would find it: from its
 * first letter. Set once, by us: with `dir="auto"` the browser searches the
 * element from its start after every change, so an answer with no letter yet
 * (a megabyte of `*` and `[`) was searched whole on every slice.
 */
const LETTER = /\p{L}/u;
// Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms; the historic and
// newer right-to-left scripts of the SMP (Adlam, Hanifi Rohingya, Yezidi…).
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/** `rtl` or `ltr` from the first letter of `text`; undefined while it has none. */
export function direction(text: string): 'ltr' | 'rtl' | undefined {
  const at = text.search(LETTER);
  if (at < 0) return undefined;
  return RTL.test(String.fromCodePoint(text.codePointAt(at) ?? 0)) ? 'rtl' : 'ltr';
}
