/** A duration for people: whole seconds as "45 s", anything else as "1500 ms". */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
