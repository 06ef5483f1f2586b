/**
 * The one error policy for listeners: a listener that throws does not stop
 * the others or the caller; the throw goes to the page's global error handler
 * (`reportError`), where a host's own monitoring sees it.
 */
export type Listener<T> = (payload: T) => void;

/** Calls every listener present when it starts (one added or removed meanwhile does not change this call). */
export function callEach<T>(listeners: Iterable<Listener<T>>, payload: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(payload);
    } catch (error) {
      // Node (the reference API) has no reportError: a throw from a microtask is its equivalent.
      (
        globalThis.reportError ??
        ((e: unknown) =>
          queueMicrotask(() => {
            throw e;
          }))
      )(error);
    }
  }
}
