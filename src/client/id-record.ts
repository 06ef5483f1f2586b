/**
 * Records keyed by ids the server chose (tool-call ids) are data, not code:
 * without a prototype, `__proto__`, `constructor` or `toString` is just
 * another key, both to read (no inherited hit) and to write (no setter).
 */
export function idRecord<T>(...from: Readonly<Record<string, T>>[]): Record<string, T> {
  const record: Record<string, T> = Object.create(null);
  // A later source wins, as in a spread.
  for (const source of from) for (const [key, value] of Object.entries(source)) record[key] = value;
  return record;
}
