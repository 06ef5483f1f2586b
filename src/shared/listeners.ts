/** A set of listeners with the one error policy (call-each.ts). */
import { callEach, type Listener } from './call-each.js';

export type { Listener };

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

  emit(payload: T): void {
    callEach(this.#listeners, payload);
  }

  clear(): void {
    this.#listeners.clear();
  }
}
