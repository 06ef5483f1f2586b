/**
 * Watches `document.modelContext.registerTool` of native WebMCP and of MCP-B
 * (@mcp-b/global), for what they give us no other way to meet:
 * - their listings drop hints: native's `getTools()` drops `destructiveHint`,
 *   MCP-B drops `consequentialHint` at registration (neither its `getTools()`
 *   nor its `listTools()` has it), so the bridge keeps the annotations the
 *   page gave at registration;
 * - their `executeTool` runs whatever is registered under the name at call
 *   time, so each registered `execute` is guarded: while the bridge has a call
 *   armed for a name, only the registration the person approved may run;
 * - MCP-B serialises results and errors itself (a returned function's source
 *   text, "[object Object]" for a cycle, a thrown object's text lost), so
 *   once the bridge is there (mcpb-answers.ts) the tool's answer is first
 *   made what our polyfill would answer.
 *
 * Only registrations made after this is installed are seen, so it is installed
 * as early as the widget runs: by our polyfill script (loaded first; on native
 * it installs nothing else), by the script tag, and by the bridge. Our own
 * polyfill keeps every hint and is left alone. The registry sits on the
 * modelContext under a global symbol, so every bundle of ours shares it.
 * This file ships in the small loader: import only what is small and import-free.
 */
const REGISTRY = Symbol.for('webmcp-chat.registrations');
/** How MCP-B marks its modelContext (newer and older releases). */
const MCPB_MARKERS = ['__isBrowserMcpServer', '__isWebMCPPolyfill'];

/** What the page gave `registerTool`, read once, as the browser was given it. */
export interface CapturedRegistration {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  /** A JSON copy. */
  readonly inputSchema?: unknown;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/** A call the bridge is about to make: any of `accepts` may run under its name, nothing else. */
export interface CallTicket {
  readonly accepts: ReadonlySet<CapturedRegistration>;
  /** Set when another registration under the name tried to run and was stopped. */
  refused: boolean;
}

export interface RegistrationRegistry {
  /** Registrations not unregistered (nor refused by the browser) since. */
  readonly alive: Set<CapturedRegistration>;
  readonly armed: Map<string, Set<CallTicket>>;
  /**
   * Shapes an MCP-B tool's settling answer. The bridge sets it (mcpb-answers.ts),
   * so the small loader need not carry it; until then answers pass as MCP-B takes them.
   */
  shapeMcpB?: (answer: Promise<unknown>) => Promise<unknown>;
  /** Throws unless `record` may run now. Set by the first `armCall`: nothing is armed before, and the loader need not carry it. */
  check?: (record: CapturedRegistration) => void;
}

interface Registrar {
  registerTool(...args: unknown[]): unknown;
  [REGISTRY]?: RegistrationRegistry;
}

export function registryOf(context: unknown): RegistrationRegistry | undefined {
  return typeof context === 'object' && context !== null ? (context as Registrar)[REGISTRY] : undefined;
}

export function isMcpB(value: unknown): boolean {
  return typeof value === 'object' && value !== null && MCPB_MARKERS.some((marker) => (value as Record<string, unknown>)[marker] === true);
}

const JUDGED = ['name', 'title', 'description', 'inputSchema', 'annotations'] as const;

/** Reads the judged fields once, as JSON; undefined for a tool the browser would not store as given. */
function capture(tool: Record<string, unknown>): CapturedRegistration | undefined {
  try {
    const read: Record<string, unknown> = {};
    for (const key of JUDGED) read[key] = tool[key];
    // A non-string name, title or description is the browser's to convert or refuse (WebIDL); JSON would drop a Symbol.
    if (typeof read.name === 'string' && typeof read.description === 'string' && ['string', 'undefined'].includes(typeof read.title))
      return JSON.parse(JSON.stringify(read)) as CapturedRegistration;
  } catch {
    // a getter that throws, or an inputSchema that is not JSON
  }
  return undefined;
}

/** Installs the watch on the window's `document.modelContext` (native or MCP-B), once. */
export function captureRegistrations(win: { document?: object } | undefined = globalThis.window): void {
  const context = (win?.document as { modelContext?: Registrar } | undefined)?.modelContext;
  const original = context?.registerTool;
  const mcpB = isMcpB(context);
  // Only the browser's own implementation (and MCP-B) drops hints; a page's or library's function is left alone.
  if (
    typeof original !== 'function' ||
    registryOf(context) ||
    !(mcpB || /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(original)))
  )
    return;
  const registry: RegistrationRegistry = { alive: new Set(), armed: new Map() };
  Object.defineProperty(context, REGISTRY, { value: registry });

  function registerTool(this: unknown, ...args: unknown[]): unknown {
    const [tool, options] = args as [Record<string, unknown>, { signal?: AbortSignal } | undefined];
    // MCP-B's registerTool is bound to it (an arrow function), so any `this` is its own.
    const execute = ((this === context || mcpB) && tool?.execute) as ((...input: unknown[]) => unknown) | undefined;
    // A tool the browser would not store as given gets the browser's own error; ours would only differ.
    const record = typeof execute === 'function' && capture(tool);
    if (!record || !execute) return original?.apply(this, args);
    const guarded = (...input: unknown[]): unknown => {
      registry.check?.(record);
      const shape = mcpB && registry.shapeMcpB;
      return shape ? shape(Promise.resolve().then(() => execute.apply(tool, input))) : execute.apply(tool, input);
    };
    // The browser reads exactly what was recorded (defined, not assigned: the
    // page's fields may be getters); anything else still comes from the page's
    // object. MCP-B takes a plain object only, and reads one more field.
    const fields: PropertyDescriptorMap = { execute: { value: guarded, enumerable: true } };
    for (const key of JUDGED) fields[key] = { value: record[key], enumerable: true };
    const given = mcpB ? Object.defineProperties({ outputSchema: tool.outputSchema }, fields) : (Object.create(tool, fields) as object);

    registry.alive.add(record);
    const forget = () => registry.alive.delete(record);
    options?.signal?.addEventListener?.('abort', forget);
    // A refused registration (a duplicate name) is no registration; the page
    // still gets the rejection, unhandled if it ignores it, as before.
    return Promise.resolve(original?.call(this, given, ...args.slice(1))).catch((error: unknown) => {
      forget();
      throw error;
    });
  }
  Object.defineProperty(context, 'registerTool', { value: registerTool, configurable: true, writable: true });
}
