/**
 * The tool-set fingerprint: the same tools in any key order give the same
 * string, and the string stays far under the contract's 128 characters.
 *
 * Synchronous on purpose: crypto.subtle is missing on plain-http pages and
 * async on every path. Two independent 53-bit hashes over canonical JSON give
 * ~106 bits, so an accidental collision is out of reach; a deliberate one buys
 * nothing, because the page that could forge it already chooses its own tools.
 */
import type { ClientTool } from './tools.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** A 53-bit string hash (the cyrb53 construction: two multiplied 32-bit lanes). */
export function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** `ct1-<count>-<hash>-<hash>`: the count makes a mismatch readable in logs. */
export function toolsFingerprint(tools: readonly ClientTool[]): string {
  const text = canonicalJson([...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  return `ct1-${tools.length}-${hash53(text, 1).toString(36)}-${hash53(text, 2).toString(36)}`;
}
