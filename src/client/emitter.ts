/**
 * A tiny typed event emitter for hosts: one set of listeners per event name,
 * with the one error policy (a throwing listener is reported, and does not
 * stop the others or the conversation).
 */
import { callEach, type Listener } from '../shared/call-each.js';

export type { Listener };

export class Emitter<Events extends object> {
  readonly #sets = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    this.#sets.set(event, (this.#sets.get(event) ?? new Set()).add(listener));
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#sets.get(event)?.delete(listener);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    callEach((this.#sets.get(event) as Set<Listener<Events[K]>> | undefined) ?? [], payload);
  }

  clear(): void {
    this.#sets.clear();
  }
}
