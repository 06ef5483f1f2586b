/**
 * JSON text for any value a page tool may return, without throwing: tool
 * results are untrusted, and a circular object, a BigInt or a getter that
 * throws must become a readable answer, not a crash of the turn.
 * `undefined` (or a bare function) gives `"undefined"`, as native WebMCP does.
 */
export function safeJsonStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    const text = JSON.stringify(value, function (_key, item: unknown) {
      if (typeof item === 'bigint') return item.toString();
      if (typeof item === 'object' && item !== null) {
        if (seen.has(item)) return '[Circular]';
        seen.add(item);
      }
      return item;
    });
    return text ?? 'undefined';
  } catch (error) {
    // A throwing getter or toJSON: say so instead of failing.
    return JSON.stringify({ unserializable: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The text of anything a tool threw: an Error's message, a string as is, any
 * other value as JSON (a thrown `{code}` object says more than "[object Object]").
 */
export function describeThrown(error: unknown): string {
  // (A DOMException is an Error too, in browsers and in Node.)
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return typeof error === 'object' && error !== null ? safeJsonStringify(error) : String(error);
}
