/** How two values of one field are compared when `===` is not the question. */
export type Same<T> = (a: T, b: T) => boolean;

/** The same own fields, each `===`, but `key` (when given), which `same` compares. */
export function sameFields<T extends object, K extends keyof T>(a: T, b: T, key?: K, same?: Same<T[K]>): boolean {
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((k) => (k === key && same ? same(a[key], b[key]) : a[k] === b[k]));
}
