/**
 * A tiny typed event emitter for hosts: one listener set per event name, each
 * with the listener-set error policy (a throwing listener is reported, and
 * does not stop the others or the conversation).
 */
import { ListenerSet, type Listener } from '../shared/listeners.js';

export type { Listener };

export class Emitter<Events extends object> {
  readonly #sets = new Map<keyof Events, ListenerSet<unknown>>();

  #set<K extends keyof Events>(event: K): ListenerSet<Events[K]> {
    const set = this.#sets.get(event) ?? new ListenerSet();
    this.#sets.set(event, set);
    return set as ListenerSet<Events[K]>;
  }

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    return this.#set(event).add(listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#set(event).delete(listener);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    this.#set(event).emit(payload);
  }

  clear(): void {
    this.#sets.clear();
  }
}
