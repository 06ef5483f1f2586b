/**
 * How deeply a JSON text nests, found by one pass over the text before it is
 * parsed: JSON.parse copes with any depth, but everything after it that walks
 * the value (JSON.stringify, the schema checks, the agent) recurses and would
 * overflow the stack on a 50,000-deep array. Linear in the text, no allocation.
 */
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;

/** True when some array or object in `text` lies more than `max` levels deep. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) depth--;
  }
  return false;
}
