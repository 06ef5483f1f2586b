/**
 * A small `document.modelContext` that follows the WebMCP draft, for browsers
 * without it. It mirrors native Chromium where the two could differ, so a page
 * behaves the same with or without the flag:
 * - names follow WebMCP's rule; a bad name or a duplicate rejects with
 *   `InvalidStateError`, an empty description too;
 * - aborting the `signal` given to `registerTool` unregisters and fires `toolchange`;
 * - `getTools()` answers RegisteredTool-like records sorted by name;
 * - `executeTool` hands `execute` its `{signal}` and answers a JSON string, or
 *   the raw string when the tool returns one (`"undefined"` for nothing).
 * Where it is kinder than native, on purpose: `executeTool` also takes a JSON
 * string (MCP-B's form), and a throwing tool's message is kept.
 * It never installs over an existing `document.modelContext` (or the older
 * `navigator.modelContext`): a real implementation always wins.
 */
import { TOOL_NAME_PATTERN } from '../protocol/limits.js';
import { describeThrown, safeJsonStringify } from './json-safe.js';
import type { ModelContext, ModelContextTool, RegisterToolOptions, RegisteredTool } from './model-context.js';
import { captureRegistrations } from './registrations.js';

/** Marks our object, so the bridge reports `polyfill` rather than `native`. */
export const POLYFILL_MARKER = '__isWebMcpChatPolyfill';

interface Registration {
  tool: ModelContextTool;
  exposedTo: readonly string[];
  stop: () => void;
}

const registrationOf = new WeakMap<object, Registration>();

function invalidState(message: string): DOMException {
  return new DOMException(message, 'InvalidStateError');
}

export class ModelContextPolyfill extends EventTarget implements ModelContext {
  readonly #tools = new Map<string, Registration>();
  readonly #window: Window | undefined;
  #handler: ((event: Event) => void) | null = null;

  constructor(win: Window | undefined = globalThis.window) {
    super();
    this.#window = win;
    Object.defineProperty(this, POLYFILL_MARKER, { value: true });
  }

  get ontoolchange(): ((event: Event) => void) | null {
    return this.#handler;
  }

  set ontoolchange(handler: ((event: Event) => void) | null) {
    if (this.#handler) this.removeEventListener('toolchange', this.#handler);
    this.#handler = typeof handler === 'function' ? handler : null;
    if (this.#handler) this.addEventListener('toolchange', this.#handler);
  }

  async registerTool(tool: ModelContextTool, options: RegisterToolOptions = {}): Promise<void> {
    if (!tool || typeof tool !== 'object') throw new TypeError('registerTool(tool) needs a tool object');
    const { name, description, execute } = tool;
    if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) throw invalidState('Invalid tool name');
    if (typeof description !== 'string' || description === '') throw invalidState('Description is required');
    if (typeof execute !== 'function') throw new TypeError('Tool "execute" must be a function');
    if (tool.inputSchema !== undefined && (typeof tool.inputSchema !== 'object' || tool.inputSchema === null)) {
      throw new TypeError('inputSchema must be an object');
    }
    if (this.#tools.has(name)) throw invalidState(`Duplicate tool name: ${name}`);
    const signal = options.signal;
    signal?.throwIfAborted();
    const registration: Registration = {
      // A copy: later changes to the page's object do not change the tool.
      tool: { ...tool },
      exposedTo: [...(options.exposedTo ?? [])],
      stop: () => {},
    };
    this.#tools.set(name, registration);
    if (signal) {
      const onAbort = () => {
        if (this.#tools.get(name) === registration) {
          this.#tools.delete(name);
          this.#changed();
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      registration.stop = () => signal.removeEventListener('abort', onAbort);
    }
    this.#changed();
  }

  async getTools(): Promise<RegisteredTool[]> {
    const origin = this.#window?.location?.origin ?? '';
    return [...this.#tools.values()]
      .map((registration) => {
        const { tool } = registration;
        const record: RegisteredTool = {
          name: tool.name,
          title: tool.title ?? '',
          description: tool.description,
          ...(tool.inputSchema ? { inputSchema: JSON.parse(safeJsonStringify(tool.inputSchema)) as object } : {}),
          ...(tool.annotations ? { annotations: { ...tool.annotations } } : {}),
          origin,
          window: this.#window,
        };
        registrationOf.set(record, registration);
        return record;
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async executeTool(handle: RegisteredTool, input: unknown = {}, options: { signal?: AbortSignal } = {}): Promise<string> {
    const registration = handle && typeof handle === 'object' ? registrationOf.get(handle) : undefined;
    // Only the registration the handle was taken from runs: a tool unregistered
    // (or replaced under the same name) since `getTools()` does not.
    if (!registration || this.#tools.get(registration.tool.name) !== registration) {
      throw new DOMException(`Tool "${String(handle?.name)}" is not registered`, 'NotFoundError');
    }
    const args = parseInput(input);
    const signal = options.signal;
    signal?.throwIfAborted();
    const run = Promise.resolve().then(() => registration.tool.execute(args, { ...(signal ? { signal } : {}) }));
    let value: unknown;
    try {
      value = await (signal ? raceAbort(run, signal) : run);
    } catch (error) {
      if (signal?.aborted && error === signal.reason) throw error;
      // Native loses the message (UnknownError); we keep it, the bridge shows it.
      throw new DOMException(describeThrown(error), 'UnknownError');
    }
    return typeof value === 'string' ? value : safeJsonStringify(value);
  }

  /** Async, like native: the event fires after `registerTool` has stored the tool. */
  #changed(): void {
    queueMicrotask(() => this.dispatchEvent(new Event('toolchange')));
  }
}

function parseInput(input: unknown): unknown {
  if (typeof input !== 'string') {
    if (input === null || typeof input !== 'object') throw new TypeError('invalid input object: value is not an object');
    // A structured copy, as native gives: the tool cannot reach the caller's object.
    return JSON.parse(safeJsonStringify(input));
  }
  try {
    const value: unknown = JSON.parse(input);
    if (value !== null && typeof value === 'object') return value;
  } catch {
    // fall through to the same error as a non-object
  }
  throw new TypeError('invalid input object: value is not an object');
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Puts the polyfill on `document.modelContext` unless the page already has a
 * WebMCP (native, MCP-B, or the older `navigator.modelContext`).
 * Returns whether it installed.
 */
export function installPolyfill(win: Window | undefined = globalThis.window): boolean {
  captureRegistrations(win); // native keeps only some hints: see registrations.ts
  const doc = win?.document as (Document & { modelContext?: unknown }) | undefined;
  if (!win || !doc) return false;
  if (doc.modelContext || (win.navigator as { modelContext?: unknown } | undefined)?.modelContext) return false;
  Object.defineProperty(doc, 'modelContext', {
    value: new ModelContextPolyfill(win),
    configurable: true,
    enumerable: true,
    writable: false,
  });
  return true;
}

/** True when `value` is our polyfill (by marker, so it works across bundles). */
export function isPolyfill(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[POLYFILL_MARKER] === true;
}
