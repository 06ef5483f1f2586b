/**
 * A small `document.modelContext` that follows the WebMCP draft, for browsers
 * without it. It mirrors native Chromium where a page could tell the two apart:
 * - names, titles and descriptions are WebIDL strings (42 becomes "42", a
 *   Symbol is a TypeError); a bad name, a duplicate or an empty description
 *   rejects with `InvalidStateError`; an `inputSchema` that JSON cannot hold
 *   (circular, BigInt, a throwing getter) rejects as native's does;
 * - `exposedTo` / `fromOrigins` accept only secure origins (SecurityError);
 * - aborting the `signal` given to `registerTool` unregisters and fires
 *   `toolchange`, also when it aborts while `registerTool` is still pending;
 * - `getTools()` answers RegisteredTool-like records sorted by name, then the
 *   tools of same-origin iframes that run this polyfill too;
 * - `executeTool` hands `execute` a per-call `{signal}` (aborted when the
 *   caller's is), fires `toolactivated` once the tool runs and `toolcancel`
 *   when the caller aborts, and answers a JSON string, or the raw string when
 *   the tool returns one (`"undefined"` for nothing);
 * - a detached document answers `InvalidStateError`, as native does.
 * Where it is kinder than native, on purpose: `executeTool` also takes a JSON
 * string (MCP-B's form), and a throwing tool's message is kept.
 * Installing it, and stepping aside for a page's own WebMCP, is install-polyfill.ts.
 */
import { TOOL_NAME_PATTERN } from '../protocol/limits.js';
import { describeThrown, safeJsonStringify } from './json-safe.js';
import type { ModelContext, ModelContextTool, RegisterToolOptions, RegisteredTool } from './model-context.js';
import type { PolyfillExtras } from './polyfill-extras.js';

export type ExtrasLoader = (force: boolean) => Promise<PolyfillExtras | undefined> | undefined;

import { POLYFILL_MARKER, STILL_REGISTERED } from './polyfill-marker.js';

export { isPolyfill, POLYFILL_MARKER } from './polyfill-marker.js';

interface Registration {
  tool: ModelContextTool;
  /** The inputSchema as JSON, taken at registration like native does. */
  schema: string | undefined;
  exposedTo: string[];
  signal: AbortSignal | undefined;
}

/** Which registration a listed record stands for; which frame's polyfill runs a frame tool. */
const registrationOf = new WeakMap<object, Registration>();
const ownerOf = new WeakMap<object, ModelContext>();

const EVENTS = ['toolchange', 'toolactivated', 'toolcancel'] as const;
type Handler = ((event: Event) => void) | null;

/**
 * Our errors. `DOMException` is taken once, at load: a detached iframe's
 * global loses it, and that is just when we must still answer one.
 */
const Exception = DOMException;
const fail = (message: string, name = 'InvalidStateError') => new Exception(message, name);

/** WebIDL `DOMString`: a template literal converts like native (and throws on a Symbol). */
function text(value: unknown, member: string): string {
  if (value === undefined) throw new TypeError(`${member} is required`);
  return `${value as string}`;
}

export class ModelContextPolyfill extends EventTarget implements ModelContext {
  readonly [POLYFILL_MARKER] = true;
  readonly #tools = new Map<string, Registration>();
  readonly #window: Window | undefined;
  /** The page's own WebMCP once it installed one after us: every call goes there. */
  #next: ModelContext | undefined;
  /** Loads the part only some pages need (polyfill-extras.ts): always when `force`, else when the page has iframes or form tools. */
  #extras: ExtrasLoader | undefined;
  /** The `on…` attributes: accessors on the prototype (as on native), each called by a listener added first. */
  readonly #on: Record<string, Handler> = {};
  // Written out, not defined in a static block: a class with a static block is
  // code a bundler must keep, and it would carry the whole polyfill into every
  // app that imports the widget without using it.
  get ontoolchange(): Handler {
    return this.#on.toolchange ?? null;
  }
  set ontoolchange(handler: Handler) {
    this.#on.toolchange = handler;
  }
  get ontoolactivated(): Handler {
    return this.#on.toolactivated ?? null;
  }
  set ontoolactivated(handler: Handler) {
    this.#on.toolactivated = handler;
  }
  get ontoolcancel(): Handler {
    return this.#on.toolcancel ?? null;
  }
  set ontoolcancel(handler: Handler) {
    this.#on.toolcancel = handler;
  }

  constructor(win: Window | undefined = globalThis.window, extras?: ExtrasLoader) {
    super();
    this.#window = win;
    this.#extras = extras;
    for (const type of EVENTS) this.addEventListener(type, (event) => this.#on[type]?.call?.(this, event));
  }

  async registerTool(tool: ModelContextTool, options: RegisterToolOptions = {}): Promise<void> {
    this.#checkActive();
    if (this.#next) return this.#next.registerTool(tool, options);
    // Read in WebIDL's dictionary order, so the first bad member is the one reported
    // (a tool that is not an object fails here too, with a TypeError).
    const description = text(tool.description, 'description');
    const { execute, inputSchema } = tool;
    if (typeof execute !== 'function') throw new TypeError('Invalid execute');
    if (inputSchema !== undefined && (typeof inputSchema !== 'object' || inputSchema === null)) throw new TypeError('Invalid schema');
    // Plain JSON.stringify on purpose: circular, BigInt and throwing getters fail as on native.
    const schema = inputSchema === undefined ? undefined : JSON.stringify(inputSchema);
    const name = text(tool.name, 'name');
    const title = `${tool.title ?? ''}`;
    const exposedTo = await this.#origins(options.exposedTo, 'exposedTo');
    if (!TOOL_NAME_PATTERN.test(name)) throw fail('Invalid name');
    if (!description) throw fail('Invalid description');
    if (this.#tools.has(name)) throw fail('Duplicate name');
    const { signal } = options;
    signal?.throwIfAborted();
    // A copy as converted (the schema as its JSON gives it): later changes to the page's object do not change the tool.
    // The hints too (read once, as native converts them at registration): a registration never changes after this.
    const annotations = tool.annotations && { ...tool.annotations };
    const copy = { ...tool, name, title, description, inputSchema: (schema && JSON.parse(schema)) as object | undefined, annotations };
    const registration: Registration = { tool: copy, schema, exposedTo, signal };
    this.#tools.set(name, registration);
    signal?.addEventListener('abort', () => this.#tools.get(name) === registration && this.#remove(name), { once: true });
    this.#changed();
    // Native rejects when the signal aborts before registerTool settles; the listener above already removed the tool.
    await 0;
    signal?.throwIfAborted();
  }

  async getTools(options: { fromOrigins?: readonly string[] } = {}): Promise<RegisteredTool[]> {
    this.#checkActive();
    await this.#origins(options.fromOrigins, 'fromOrigins');
    if (this.#next) return this.#next.getTools(options);
    // First, so form tools found on the way are in the list.
    const extras = await this.#extras?.(false);
    const origin = this.#window?.location?.origin ?? '';
    const mine = [...this.#tools.values()]
      .map((registration) => {
        const { tool, schema } = registration;
        const record: RegisteredTool = {
          name: tool.name,
          title: tool.title as string,
          description: tool.description,
          inputSchema: schema && (JSON.parse(schema) as object),
          annotations: tool.annotations && { ...tool.annotations },
          origin,
          window: this.#window,
        };
        registrationOf.set(record, registration);
        return record;
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1)); // names are unique
    return extras ? [...mine, ...(await extras.frameTools(this.#window, ownerOf))] : mine;
  }

  async executeTool(handle: RegisteredTool, input: unknown = {}, options: { signal?: AbortSignal } = {}): Promise<string> {
    this.#checkActive();
    // (WeakMap.get answers undefined for a non-object, so no type check first.)
    const owner = this.#next ?? ownerOf.get(handle);
    if (owner) return owner.executeTool(handle, input, options);
    const registration = registrationOf.get(handle);
    // Only the registration the handle was taken from runs: a tool unregistered
    // (or replaced under the same name) since `getTools()` does not.
    if (!registration || this.#tools.get(registration.tool.name) !== registration) {
      throw fail('Unknown tool', 'NotFoundError');
    }
    const args = parseInput(input);
    const outer = options.signal;
    outer?.throwIfAborted();
    const { name, execute } = registration.tool;
    // Every call gets its own signal, as on native, even when the caller passes none.
    const controller = new AbortController();
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        const reason = outer?.reason;
        controller.abort(reason);
        this.#fire('toolcancel', name);
        reject(reason);
      };
      outer?.addEventListener('abort', onAbort, { once: true });
      Promise.resolve()
        .then(() => {
          try {
            return execute(args, { signal: controller.signal });
          } finally {
            this.#fire('toolactivated', name);
          }
        })
        .then(
          (value) => resolve(typeof value === 'string' ? value : safeJsonStringify(value)),
          // Native loses the message (UnknownError); we keep it, the bridge shows it.
          (error) => reject(fail(describeThrown(error), 'UnknownError')),
        )
        .finally(() => outer?.removeEventListener('abort', onAbort));
    });
  }

  /**
   * True when `handle` (a record `getTools()` gave) still stands for the
   * registered tool under its name. A registration is a copy that never
   * changes, so this says the tool is the one listed, as listing every tool
   * and comparing would, without cloning every schema. False for anything it
   * cannot vouch for (a frame's tool, a handed-over or detached context):
   * the caller then lists.
   */
  [STILL_REGISTERED](handle: unknown): boolean {
    try {
      // As a listing would: a page that replaced us hands over here.
      this.#checkActive();
    } catch {
      return false;
    }
    if (this.#next) return false;
    const registration = registrationOf.get(handle as object);
    return registration !== undefined && this.#tools.get(registration.tool.name) === registration;
  }

  /**
   * The page installed its own WebMCP after us: hand it the tools registered
   * here (with their signals, so unregistering still works) and forward
   * everything from now on. Its `toolchange` reaches our listeners too.
   */
  handOver(next: ModelContext): void {
    if (this.#next || !next || next === this) return;
    this.#next = next;
    for (const { tool, exposedTo, signal } of this.#tools.values()) next.registerTool(tool, { signal, exposedTo }).catch(() => {});
    this.#tools.clear();
    next.addEventListener('toolchange', () => this.#changed());
  }

  /**
   * `exposedTo` / `fromOrigins` as native checks them (SecurityError for
   * anything but secure origins), by the lazily loaded part: only pages that
   * pass such lists load it. Without a loader the list is taken as given.
   */
  async #origins(list: unknown, member: string): Promise<string[]> {
    const extras = list === undefined ? undefined : await this.#extras?.(true);
    return extras ? extras.originList(list, member) : [...((list as string[]) ?? [])];
  }

  #remove(name: string): void {
    this.#tools.delete(name);
    this.#changed();
  }

  /**
   * Before every call: native answers a document that left its frame with
   * InvalidStateError; and a page that replaced us with
   * `Object.defineProperty(document, 'modelContext', …)` gets our tools now.
   */
  #checkActive(): void {
    const doc = this.#window?.document as (Document & { modelContext?: ModelContext }) | undefined;
    if (doc?.defaultView === null) throw fail('Inactive');
    // (Only the installed one, which is the one given an extras loader.)
    const next = doc?.modelContext;
    if (this.#extras && next) this.handOver(next);
  }

  #fire(type: string, toolName: string): void {
    this.dispatchEvent(Object.assign(new Event(type), { toolName }));
  }

  /** Async, like native: the event fires after `registerTool` has stored the tool. */
  #changed(): void {
    queueMicrotask(() => this.dispatchEvent(new Event('toolchange')));
  }
}

/** An object, or a JSON text of one (MCP-B's form), as a structured copy: the tool cannot reach the caller's object. */
function parseInput(input: unknown): unknown {
  let value = input;
  try {
    if (typeof input === 'string') value = JSON.parse(input);
  } catch {
    // the same error as a non-object, below
  }
  if (value === null || typeof value !== 'object') throw new TypeError('invalid input object');
  return JSON.parse(safeJsonStringify(value));
}

export { installPolyfill } from './install-polyfill.js';
