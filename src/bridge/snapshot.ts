/**
 * Turns what the page registered into this turn's `clientTools`, applying the
 * contract's limits and the client allowlist deterministically, and recording
 * every tool left out with its reason (never silent).
 *
 * Order, so the same page always yields the same set:
 * 1. each tool on its own: name rule, description 1–1024, schema usable;
 * 2. the client allowlist;
 * 3. name collisions across frames: the top page wins, then frames in the
 *    order the browser lists them; a losing tool is dropped as `name_collision`;
 * 4. top page first, then frames, each by name (UTF-16 code units); keep the
 *    first 50, and keep each next tool only while the serialized set stays
 *    within 64 KB (a tool that does not fit is dropped as `over_size_limit`,
 *    smaller ones after it may still fit).
 */
import type { ClientTool } from '../protocol/tools.js';
import { toolLimitProblem } from '../protocol/tools.js';
import { MAX_CLIENT_TOOLS, MAX_CLIENT_TOOLS_BYTES, TOOL_NAME_PATTERN, utf8Length } from '../protocol/limits.js';
import { matchesAnyPattern } from '../protocol/allowlist.js';
import type { DropReason, DroppedTool } from './types.js';
import type { RegisteredTool } from './model-context.js';
import type { CapturedRegistration } from './registrations.js';
import { toolIdentity } from './tool-identity.js';
import { errorMessage } from '../shared/error-message.js';

/** One tool as an implementation listed it, before any checks. */
export interface RawTool extends Omit<RegisteredTool, 'window'> {
  /** True when it came from a (same-origin) iframe rather than the top page. */
  fromFrame?: boolean;
  /** Where a frame tool came from, for diagnostics. */
  source?: string;
  /** Whatever the implementation needs to run it (the RegisteredTool handle). */
  handle: unknown;
  /**
   * False when the listing may have dropped hints the page gave (native
   * without a seen registration, the older testing API): such a tool asks
   * unless it says `readOnlyHint: true`. Absent: the listing is complete.
   */
  hintsKnown?: boolean;
  /** Native: the seen registrations this listed tool is, for the call guard. */
  registrations?: ReadonlySet<CapturedRegistration>;
}

/** A tool that made it into the snapshot, with what `run` needs. */
export interface SnapshotEntry {
  tool: ClientTool;
  raw: RawTool;
  schema: Record<string, unknown>;
}

export interface SnapshotOptions {
  /** Client allowlist: exact names or `prefix*`. Absent: every tool passes. */
  allowlist?: readonly string[] | undefined;
  /** Used when a tool does not say its origin. */
  pageOrigin?: string | undefined;
  /** `exclude`: frames' tools are left out (`frame_excluded`). */
  frames?: 'include' | 'exclude' | undefined;
}

export interface BuiltSnapshot {
  tools: ClientTool[];
  dropped: DroppedTool[];
  entries: Map<string, SnapshotEntry>;
}

export const DEFAULT_PARAMETERS_SCHEMA = { type: 'object', properties: {} } as const;

/** The tool's schema as a fresh JSON object with `type:"object"`, or why not. */
export function parametersSchemaOf(inputSchema: unknown): { schema: Record<string, unknown> } | { problem: string } {
  const none = { schema: { ...DEFAULT_PARAMETERS_SCHEMA, properties: {} } };
  if (inputSchema === undefined || inputSchema === null || inputSchema === '') return none;
  let value: unknown;
  try {
    // A JSON round trip drops functions and getters: the schema is page data.
    value = JSON.parse(typeof inputSchema === 'string' ? inputSchema : JSON.stringify(inputSchema));
  } catch (error) {
    return { problem: `inputSchema is not JSON (${errorMessage(error)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'inputSchema is not a JSON object' };
  const schema = value as Record<string, unknown>;
  if (Object.keys(schema).length === 0) return none;
  if (schema.type === undefined) return { schema: { type: 'object', ...schema } };
  if (schema.type !== 'object') return { problem: `inputSchema type must be "object", not ${JSON.stringify(schema.type)}` };
  return { schema };
}

/** The identity of a tool as listed or registered; `undefined` when its schema is unusable. */
export function identityOf(tool: {
  name: string;
  title?: string | undefined;
  description: string;
  annotations?: Readonly<Record<string, unknown>> | undefined;
  inputSchema?: unknown;
}): string | undefined {
  const parsed = parametersSchemaOf(tool.inputSchema);
  return 'schema' in parsed ? toolIdentity(tool, parsed.schema) : undefined;
}

const identities = new WeakMap<SnapshotEntry, string>();

/** What approval of this snapshot entry is bound to; computed when a call needs it, not for every tool every turn. */
export function entryIdentity(entry: SnapshotEntry): string {
  let identity = identities.get(entry);
  if (identity === undefined) {
    // `raw` holds the checked name and description and the hints as copied at listing.
    identity = toolIdentity(entry.raw, entry.schema);
    identities.set(entry, identity);
  }
  return identity;
}

/** Which of toolLimitProblem's checks failed, as a reason code instead of a sentence. */
function dropReasonOf(tool: { name: string; description: string }): DropReason {
  return !TOOL_NAME_PATTERN.test(tool.name) ? 'invalid_name' : tool.description ? 'description_too_long' : 'empty_description';
}

function compareNames(a: SnapshotEntry, b: SnapshotEntry): number {
  const frameOrder = Number(a.raw.fromFrame ?? false) - Number(b.raw.fromFrame ?? false);
  if (frameOrder !== 0) return frameOrder;
  return a.tool.name < b.tool.name ? -1 : a.tool.name > b.tool.name ? 1 : 0;
}

export function buildSnapshot(rawTools: readonly RawTool[], options: SnapshotOptions = {}): BuiltSnapshot {
  const dropped: DroppedTool[] = [];
  const drop = (raw: RawTool, reason: DropReason, detail?: string) => {
    dropped.push({ name: String(raw.name), reason, ...(detail ? { detail } : {}), ...(raw.source ? { source: raw.source } : {}) });
  };

  const candidates: SnapshotEntry[] = [];
  for (const raw of rawTools) {
    if (raw.fromFrame && options.frames === 'exclude') {
      drop(raw, 'frame_excluded');
      continue;
    }
    const name = String(raw.name);
    const description = typeof raw.description === 'string' ? raw.description : '';
    // Hints copied now: approval is bound to what was listed, not to a live object.
    const checked = { ...raw, name, description, ...(raw.annotations ? { annotations: { ...raw.annotations } } : {}) };
    const problem = toolLimitProblem({ name, description });
    if (problem) {
      drop(checked, dropReasonOf(checked), problem);
      continue;
    }
    const parsed = parametersSchemaOf(raw.inputSchema);
    if ('problem' in parsed) {
      drop(checked, 'invalid_schema', parsed.problem);
      continue;
    }
    if (options.allowlist && !matchesAnyPattern(options.allowlist, name)) {
      drop(checked, 'blocked_by_client_allowlist', 'not matched by the client allowlist');
      continue;
    }
    const pageOrigin = raw.origin || options.pageOrigin;
    const tool: ClientTool = {
      name,
      description,
      parametersSchema: parsed.schema as ClientTool['parametersSchema'],
      origin: 'webmcp',
      ...(pageOrigin ? { pageOrigin } : {}),
      ...(raw.annotations?.untrustedContentHint === true ? { untrustedContentHint: true } : {}),
    };
    candidates.push({ tool, raw: checked, schema: parsed.schema });
  }

  // Stable: top page before frames; Array.prototype.sort is stable, so frames
  // keep the browser's order among themselves for the collision rule.
  candidates.sort((a, b) => Number(a.raw.fromFrame ?? false) - Number(b.raw.fromFrame ?? false));
  const byName = new Map<string, SnapshotEntry>();
  for (const entry of candidates) {
    const winner = byName.get(entry.tool.name);
    if (winner) {
      drop(entry.raw, 'name_collision', `"${entry.tool.name}" is already provided by ${winner.raw.source ?? 'the top page'}`);
      continue;
    }
    byName.set(entry.tool.name, entry);
  }

  const ordered = [...byName.values()].sort(compareNames);
  const entries = new Map<string, SnapshotEntry>();
  const tools: ClientTool[] = [];
  let bytes = 2; // "[]"
  for (const entry of ordered) {
    if (tools.length >= MAX_CLIENT_TOOLS) {
      drop(entry.raw, 'over_tool_limit', `only the first ${MAX_CLIENT_TOOLS} tools are sent`);
      continue;
    }
    const size = utf8Length(JSON.stringify(entry.tool)) + (tools.length > 0 ? 1 : 0);
    if (bytes + size > MAX_CLIENT_TOOLS_BYTES) {
      drop(entry.raw, 'over_size_limit', `${size} bytes would take clientTools over ${MAX_CLIENT_TOOLS_BYTES} bytes`);
      continue;
    }
    bytes += size;
    tools.push(entry.tool);
    entries.set(entry.tool.name, entry);
  }
  return { tools, dropped, entries };
}
