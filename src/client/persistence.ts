/**
 * What survives a reload, in one small key-value store per client token and
 * API origin: the session and its expiry, the conversation, the run that
 * waits on tools here, and the ids of every tool call this page started
 * (so none is ever run twice). IndexedDB through idb-keyval; plain memory
 * when IndexedDB is missing or refuses (private modes, sandboxed frames).
 *
 * The two records a tool call waits for (the pending run and the started
 * ids) go to localStorage where it works: a synchronous write that survives
 * a reload or a closed tab as IndexedDB does, at a small fraction of an
 * IndexedDB transaction's cost, so a tool starts without waiting on a disk
 * round trip.
 */
import { createStore, del, get, set, update, type UseStore } from 'idb-keyval';
import type { ToolOutput } from '../bridge/types.js';
import type { MessageState, ToolCallState } from './state.js';
import { mergeConversation } from './tabs/merge.js';

export { storeName } from './store-name.js';

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** Read-modify-write as one step where the store can (an IndexedDB transaction); get then set otherwise. */
  update?<T>(key: string, change: (old: T | undefined) => T): Promise<void>;
}

export interface StoredSession {
  sessionId: string;
  /** ISO 8601, as the server sent it. */
  expiresAt: string;
  /** The surface's texts from init, shown again after a reload. */
  welcomeMessage?: string;
  placeholder?: string;
}

export interface StoredConversation {
  messages: readonly MessageState[];
  toolCalls: Readonly<Record<string, ToolCallState>>;
  /**
   * The run still streaming when this was saved, and the last frame these
   * messages reflect: a page that comes after replays the rest from there.
   */
  run?: { executionId: string; sessionId: string; lastSeq?: number };
}

export interface PendingCall {
  toolCallId: string;
  toolName: string;
  parameters: unknown;
  /** Set just before the bridge runs it. */
  startedAt?: number;
  /** Set when it finished; posted with the round's resume. */
  output?: ToolOutput;
  /** The path of the form the page submitted while this call ran (the page may have moved on because of it). */
  submittedTo?: string;
}

/** A run paused on tools of this page whose outputs are not yet posted. */
export interface PendingRun {
  executionId: string;
  sessionId: string;
  lastSeq?: number;
  calls: PendingCall[];
}

/**
 * The records' keys, written out where used (checked against this type): a
 * table of them would travel as an object the minifier cannot drop.
 */
type RecordKey = 'session' | 'conversation' | 'pending' | 'started';
/** Started ids kept; far more than one conversation's calls. */
const MAX_STARTED = 1000;

/** Typed access to one conversation's records. */
export class ConversationStore {
  readonly #writes = new Set<Promise<unknown>>();
  constructor(readonly kv: KeyValueStore) {}

  loadSession = () => this.kv.get<StoredSession>('session' satisfies RecordKey);
  saveSession = (value: StoredSession) => this.kv.set('session' satisfies RecordKey, value);
  loadConversation = () => this.kv.get<StoredConversation>('conversation' satisfies RecordKey);
  /** Merged with what is stored, so a message another tab wrote is never lost. */
  saveConversation = (value: StoredConversation) =>
    this.#track(updateBy<StoredConversation>(this.kv, 'conversation' satisfies RecordKey, (stored) => mergeConversation(stored, value)));
  loadPending = () => this.kv.get<PendingRun>('pending' satisfies RecordKey);
  savePending = (value: PendingRun | undefined) =>
    this.#track(value ? this.kv.set('pending' satisfies RecordKey, value) : this.kv.del('pending' satisfies RecordKey));
  loadStarted = async () => (await this.kv.get<string[]>('started' satisfies RecordKey)) ?? [];
  saveStarted = (ids: Iterable<string>) => this.kv.set('started' satisfies RecordKey, [...ids].slice(-MAX_STARTED));
  clear = () => Promise.all([this.kv.del('conversation' satisfies RecordKey), this.kv.del('pending' satisfies RecordKey)]);

  /** Resolves when every write started so far has landed: a tab hands the run over only then. */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  #track<T>(write: Promise<T>): Promise<T> {
    this.#writes.add(write);
    const done = () => void this.#writes.delete(write);
    write.then(done, done);
    return write;
  }
}

export type StorageKind = 'indexeddb' | 'memory';

export function openStore(kind: StorageKind, name: string): KeyValueStore {
  if (kind === 'indexeddb' && typeof indexedDB !== 'undefined') {
    const slow = fallbackStore(idbStore(name), memoryStore(name));
    const local = localRecords(name);
    return local ? fastKeysStore(fallbackStore(local, slow), slow) : slow;
  }
  return memoryStore(name);
}

/**
 * Every request opens its transaction a task after it is made. Opening one
 * costs more than the rest of a tool round, and the conversation written as a
 * tool starts would otherwise sit between the `await` frame and the tool's
 * execute(). Reads wait too, so transactions still open in the order asked
 * (a read sees every write asked for before it). Nothing is less durable for
 * it: IndexedDB commits a task or more later in any case, and `settled()`
 * still waits for the write.
 */
function idbStore(name: string): KeyValueStore {
  let store: UseStore | undefined;
  const use = () => (store ??= createStore(name, 'kv'));
  const later = <T>(operation: (store: UseStore) => Promise<T>) =>
    new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => operation(use()));
  return {
    get: (key) => later((db) => get(key, db)),
    set: (key, value) => later((db) => set(key, value, db)),
    del: (key) => later((db) => del(key, db)),
    update: (key, change) => later((db) => update(key, change, db)),
  };
}

/** localStorage under `<name>:<key>`, as JSON; undefined where the page may not use it (sandboxed, disabled). */
function localRecords(name: string): KeyValueStore | undefined {
  let storage: Storage;
  try {
    storage = globalThis.localStorage;
    if (!storage) return undefined;
  } catch {
    return undefined;
  }
  const at = (key: string) => `${name}:${key}`;
  return {
    get: async <T>(key: string) => {
      const text = storage.getItem(at(key));
      return text === null ? undefined : (JSON.parse(text) as T);
    },
    // Throws on a full quota: the fallback then keeps the record in IndexedDB, and the older copy
    // here goes, so no later page can read it as the current one.
    set: async (key, value) => {
      try {
        storage.setItem(at(key), JSON.stringify(value));
      } catch (error) {
        storage.removeItem(at(key));
        throw error;
      }
    },
    del: async (key) => storage.removeItem(at(key)),
  };
}

/** The records a tool call waits for (`pending`, `started`) in `fast`, copied to `slow`; the rest, and anything older pages left there, in `slow`. */
function fastKeysStore(fast: KeyValueStore, slow: KeyValueStore): KeyValueStore {
  const isFast = (key: string) => key === ('pending' satisfies RecordKey) || key === ('started' satisfies RecordKey);
  return {
    get: async <T>(key: string) => (isFast(key) ? ((await fast.get<T>(key)) ?? slow.get<T>(key)) : slow.get<T>(key)),
    set: (key, value) => {
      if (!isFast(key)) return slow.set(key, value);
      // Also in IndexedDB, not waited for: localStorage reaches another tab's process a moment after
      // the write, and a tab taking over from one that crashed just then finds the record there.
      void slow.set(key, value).catch(() => {});
      return fast.set(key, value);
    },
    del: async (key) => {
      if (isFast(key)) await fast.del(key);
      // A record an older page kept in IndexedDB must not come back once answered.
      await slow.del(key);
    },
    update: (key, change) => updateBy(isFast(key) ? fast : slow, key, change),
  };
}

function updateBy<T>(store: KeyValueStore, key: string, change: (old: T | undefined) => T): Promise<void> {
  return store.update ? store.update(key, change) : store.get<T>(key).then((old) => store.set(key, change(old)));
}

/**
 * Memory stores live as long as the page (module), by name, so two sessions
 * with the same token share one, as they would share IndexedDB.
 */
const memory = new Map<string, Map<string, unknown>>();

export function memoryStore(name: string): KeyValueStore {
  const map = memory.get(name) ?? new Map<string, unknown>();
  memory.set(name, map);
  const read = <T>(key: string) => (map.has(key) ? (structuredClone(map.get(key)) as T) : undefined);
  return {
    get: async (key) => read(key),
    set: async (key, value) => void map.set(key, structuredClone(value)),
    del: async (key) => void map.delete(key),
    update: async (key, change) => void map.set(key, structuredClone(change(read(key)))),
  };
}

/** Uses `primary` (IndexedDB, localStorage) until it fails once, then `fallback` for the rest of the page's life. */
function fallbackStore(primary: KeyValueStore, fallback: KeyValueStore): KeyValueStore {
  let failed = false;
  const run = async <T>(operation: (store: KeyValueStore) => Promise<T>): Promise<T> => {
    if (!failed) {
      try {
        return await operation(primary);
      } catch {
        failed = true;
      }
    }
    return operation(fallback);
  };
  return {
    get: (key) => run((store) => store.get(key)),
    set: (key, value) => run((store) => store.set(key, value)),
    del: (key) => run((store) => store.del(key)),
    update: (key, change) => run((store) => updateBy(store, key, change)),
  };
}

/**
 * "Always allow on this site", remembered across reloads in the same store
 * (IndexedDB is per page origin; the store is per token and API), so a
 * remembered tool is trusted only for this site and this chat surface.
 */
export function persistedApprovalMemory(kv: KeyValueStore): { has(name: string): Promise<boolean>; remember(name: string): Promise<void> } {
  const key = 'always-allowed';
  return {
    has: async (name) => ((await kv.get<string[]>(key)) ?? []).includes(name),
    remember: async (name) => {
      const names = (await kv.get<string[]>(key)) ?? [];
      if (!names.includes(name)) await kv.set(key, [...names, name]);
    },
  };
}
