/** A duration for people: whole seconds as "45 s", anything else as "1500 ms". */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A running or finished call's time at a glance, to a tenth of a second: "1.2 s". */
export function formatElapsed(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}
