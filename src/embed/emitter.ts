/** The host-facing event hub: `on`/`off` work before the panel code has loaded. */
export type Listener = (detail: unknown) => void;

export class Emitter {
  #listeners = new Map<string, Set<Listener>>();

  on(name: string, listener: Listener): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => this.off(name, listener);
  }

  off(name: string, listener: Listener): void {
    this.#listeners.get(name)?.delete(listener);
  }

  emit(name: string, detail?: unknown): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      // A host's listener that throws must not break the chat or other listeners.
      try {
        listener(detail);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
