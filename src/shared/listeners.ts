/**
 * A set of listeners with one error policy: a listener that throws does not
 * stop the others or the caller; the throw goes to the page's global error
 * handler (`reportError`), where a host's own monitoring sees it.
 */
export type Listener<T> = (payload: T) => void;

export class ListenerSet<T> {
  readonly #listeners = new Set<Listener<T>>();

  /** Adds a listener; returns the function that removes it. */
  add(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.delete(listener);
  }

  delete(listener: Listener<T>): void {
    this.#listeners.delete(listener);
  }

  /** Calls every listener present when it starts (one added or removed meanwhile does not change this call). */
  emit(payload: T): void {
    for (const listener of [...this.#listeners]) {
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

  clear(): void {
    this.#listeners.clear();
  }
}
