/**
 * Typed tools for SPA code: a Standard Schema (zod, valibot, arktype…) gives
 * both the JSON Schema the agent sees and the check the arguments pass before
 * `execute` runs, and types `execute`'s input.
 *
 * zod is never imported here: a zod schema converts itself (Standard JSON
 * Schema's `~standard.jsonSchema.input`, or zod's own `toJSONSchema`), so the
 * widget's bundle stays zod-free. Other libraries need that converter or an
 * explicit `jsonSchema`.
 *
 * Errors (bad arguments, a throwing `execute`) come back as MCP content with
 * `isError`, not as a throw: native WebMCP replaces a thrown message with a
 * generic one, and the model needs the real one to correct itself.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ModelContext, ModelContextTool, ToolAnnotations } from './model-context.js';
import { installPolyfill } from './polyfill.js';
import { sleep } from '../shared/sleep.js';
import { errorMessage } from '../shared/error-message.js';

export interface DefineToolOptions<Schema extends StandardSchemaV1> {
  name: string;
  title?: string;
  description: string;
  input: Schema;
  /** JSON Schema for `input` when the schema cannot convert itself. */
  jsonSchema?: Record<string, unknown>;
  annotations?: ToolAnnotations;
  execute(input: StandardSchemaV1.InferOutput<Schema>, context: { signal?: AbortSignal }): unknown;
}

export interface DefineToolSettings {
  /** Where to register; default `document.modelContext` (our polyfill is installed if there is none). */
  modelContext?: ModelContext;
  /** Passed to `registerTool` as `exposedTo`. */
  exposedTo?: readonly string[];
}

/** Unregisters the tool; `ready` settles when registration has finished (or failed). */
export type Unregister = (() => void) & { ready: Promise<void> };

interface Live {
  controller: AbortController;
  settled: Promise<void>;
}

/**
 * Our live registrations by context and name. Kept on globalThis so a hot
 * reload (the module evaluated again) still finds the old one and replaces it
 * instead of failing on the duplicate name.
 */
const REGISTRY_KEY = Symbol.for('webmcp-chat.defineTool.registry');
function registry(context: object): Map<string, Live> {
  const root = globalThis as unknown as Record<symbol, WeakMap<object, Map<string, Live>> | undefined>;
  let all = root[REGISTRY_KEY];
  if (!all) {
    all = new WeakMap();
    root[REGISTRY_KEY] = all;
  }
  let byName = all.get(context);
  if (!byName) {
    byName = new Map();
    all.set(context, byName);
  }
  return byName;
}

type JsonSchemaConverter = { input?: (options: { target: string }) => Record<string, unknown> };

/** The JSON Schema for a Standard Schema, without importing its library. */
export function jsonSchemaOf(schema: StandardSchemaV1, explicit?: Record<string, unknown>): Record<string, unknown> {
  let converted: Record<string, unknown> | undefined = explicit;
  const standard = schema['~standard'] as StandardSchemaV1['~standard'] & { jsonSchema?: JsonSchemaConverter };
  if (!converted && typeof standard.jsonSchema?.input === 'function') {
    converted = standard.jsonSchema.input({ target: 'draft-2020-12' });
  }
  const own = (schema as { toJSONSchema?: (options?: object) => Record<string, unknown> }).toJSONSchema;
  if (!converted && standard.vendor === 'zod' && typeof own === 'function') {
    converted = own.call(schema, { io: 'input' });
  }
  if (!converted) {
    throw new TypeError(`defineTool: cannot derive a JSON Schema from a "${standard.vendor}" schema; pass \`jsonSchema\``);
  }
  // `$schema` costs bytes on every turn and tells the model nothing.
  const { $schema: _ignored, ...rest } = converted;
  return rest;
}

/** "path.to.field: message" per issue, as one sentence list. */
export function formatIssues(name: string, issues: readonly StandardSchemaV1.Issue[]): string {
  const lines = issues.slice(0, 8).map((issue) => {
    const path = (issue.path ?? [])
      .map((part) => (typeof part === 'object' && part !== null ? part.key : part))
      .map(String)
      .join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  if (issues.length > 8) lines.push(`… and ${issues.length - 8} more`);
  return `Invalid arguments for tool "${name}": ${lines.join('; ')}. Fix the arguments and call it again.`;
}

function errorContent(text: string) {
  return { content: [{ type: 'text', text }], isError: true };
}

function findContext(settings: DefineToolSettings): ModelContext {
  if (settings.modelContext) return settings.modelContext;
  const doc = globalThis.document as (Document & { modelContext?: ModelContext }) | undefined;
  if (!doc?.modelContext) installPolyfill();
  if (!doc?.modelContext) throw new Error('defineTool: this page has no document.modelContext');
  return doc.modelContext;
}

function isDuplicate(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'InvalidStateError' && /duplicate|already/i.test(error.message);
}

export function defineTool<Schema extends StandardSchemaV1>(
  definition: DefineToolOptions<Schema>,
  settings: DefineToolSettings = {},
): Unregister {
  const controller = new AbortController();
  const unregister = (() => controller.abort()) as Unregister;
  unregister.ready = register(definition, settings, controller);
  // `ready` is for callers who care; an unobserved failure must not be an unhandled rejection.
  unregister.ready.catch(() => {});
  return unregister;
}

async function register<Schema extends StandardSchemaV1>(
  definition: DefineToolOptions<Schema>,
  settings: DefineToolSettings,
  controller: AbortController,
): Promise<void> {
  const context = findContext(settings);
  const { name, input } = definition;
  const tool: ModelContextTool = {
    name,
    ...(definition.title ? { title: definition.title } : {}),
    description: definition.description,
    inputSchema: jsonSchemaOf(input, definition.jsonSchema),
    ...(definition.annotations ? { annotations: definition.annotations } : {}),
    async execute(raw: unknown, executeContext?: { signal?: AbortSignal }) {
      const parsed = await input['~standard'].validate(raw ?? {});
      if (parsed.issues) return errorContent(formatIssues(name, parsed.issues));
      try {
        return await definition.execute(parsed.value as StandardSchemaV1.InferOutput<Schema>, {
          ...(executeContext?.signal ? { signal: executeContext.signal } : {}),
        });
      } catch (error) {
        return errorContent(errorMessage(error));
      }
    },
  };
  const options = { signal: controller.signal, ...(settings.exposedTo ? { exposedTo: settings.exposedTo } : {}) };
  const live = registry(context);
  const previous = live.get(name);
  const mine: Live = { controller, settled: Promise.resolve() };
  live.set(name, mine);
  controller.signal.addEventListener(
    'abort',
    () => {
      if (live.get(name) === mine) live.delete(name);
    },
    { once: true },
  );
  // StrictMode and hot reload register the same name again: ours replaces ours.
  if (previous && previous !== mine) {
    previous.controller.abort();
    await previous.settled.catch(() => {});
  }
  const attempt = async () => {
    try {
      await context.registerTool(tool, options);
    } catch (error) {
      if (controller.signal.aborted) return; // unregistered before it finished: nothing to report
      throw error;
    }
  };
  mine.settled = attempt().catch(async (error: unknown) => {
    // An unregister just before may still be settling in the implementation: retry once.
    if (!isDuplicate(error) || controller.signal.aborted) throw error;
    await sleep(0);
    if (!controller.signal.aborted) await attempt();
  });
  await mine.settled.catch((error: unknown) => {
    if (live.get(name) === mine) live.delete(name);
    throw error;
  });
}
