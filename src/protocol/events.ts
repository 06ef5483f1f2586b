/**
 * Stream events (protocol.md "The event stream"). Known types are checked on
 * the fields a client relies on and keep every other field; an unknown type
 * comes out as `{ type: 'unknown' }` holding the original, never as an error.
 */
import { z } from './zod.js';

const common = {
  executionId: z.optional(z.string()),
  seq: z.optional(z.number()),
};

function event<T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return z.looseObject({ type: z.literal(type), ...common, ...shape });
}

const ErrorValue = z.union([z.string(), z.looseObject({ code: z.optional(z.string()), message: z.string() })]);

export const STREAM_EVENT_SCHEMAS = {
  execution_start: event('execution_start', { kind: z.optional(z.string()), startedAt: z.optional(z.string()) }),
  turn_start: event('turn_start', { id: z.optional(z.string()), iteration: z.optional(z.number()) }),
  turn_complete: event('turn_complete', {
    id: z.optional(z.string()),
    iteration: z.optional(z.number()),
    stopReason: z.optional(z.string()),
  }),
  text_start: event('text_start', { id: z.string() }),
  text_delta: event('text_delta', { id: z.string(), delta: z.string() }),
  text_complete: event('text_complete', { id: z.string(), text: z.optional(z.string()) }),
  reasoning_start: event('reasoning_start', { id: z.string() }),
  reasoning_delta: event('reasoning_delta', { id: z.string(), delta: z.string() }),
  reasoning_complete: event('reasoning_complete', { id: z.string(), text: z.optional(z.string()) }),
  tool_start: event('tool_start', {
    toolCallId: z.string(),
    toolName: z.string(),
    toolType: z.optional(z.string()),
    parameters: z.optional(z.unknown()),
    origin: z.optional(z.string()),
  }),
  tool_complete: event('tool_complete', {
    toolCallId: z.string(),
    success: z.boolean(),
    result: z.optional(z.unknown()),
    error: z.optional(z.unknown()),
    executionTime: z.optional(z.number()),
  }),
  await: event('await', {
    toolCallId: z.string().check(z.minLength(1)),
    toolName: z.string().check(z.minLength(1)),
    origin: z.optional(z.string()),
    parameters: z.optional(z.unknown()),
    awaitedAt: z.optional(z.string()),
  }),
  execution_complete: event('execution_complete', {
    success: z.boolean(),
    stopReason: z.optional(z.string()),
    finalOutput: z.optional(z.unknown()),
  }),
  execution_error: event('execution_error', { error: ErrorValue }),
  error: event('error', { error: z.unknown(), recoverable: z.optional(z.boolean()) }),
  ping: event('ping', {}),
  custom: event('custom', { name: z.string(), data: z.optional(z.unknown()) }),
} as const;

export type KnownEventType = keyof typeof STREAM_EVENT_SCHEMAS;
export type EventOf<T extends KnownEventType> = z.infer<(typeof STREAM_EVENT_SCHEMAS)[T]>;
export type KnownStreamEvent = { [T in KnownEventType]: EventOf<T> }[KnownEventType];

/** An event type this client does not know; passed through, ignored by default. */
export interface UnknownStreamEvent {
  type: 'unknown';
  originalType: string;
  data: Record<string, unknown>;
}

export type StreamEvent = KnownStreamEvent | UnknownStreamEvent;

export type ParsedEvent = { ok: true; event: StreamEvent } | { ok: false; message: string };

/**
 * Turns one frame (its `event:` name and parsed `data` JSON) into an event.
 * The `data.type` field wins over the frame name, which may be absent.
 */
export function parseStreamEvent(frameName: string | undefined, data: unknown): ParsedEvent {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, message: 'frame data is not a JSON object' };
  }
  const record = data as Record<string, unknown>;
  const type = typeof record.type === 'string' ? record.type : frameName;
  if (!type) return { ok: false, message: 'frame has no event type' };
  if ((type === 'text_delta' || type === 'reasoning_delta') && isWellFormedDelta(record)) {
    return { ok: true, event: (record.type === type ? record : { ...record, type }) as KnownStreamEvent };
  }
  if (!Object.hasOwn(STREAM_EVENT_SCHEMAS, type)) {
    return { ok: true, event: { type: 'unknown', originalType: type, data: record } };
  }
  const parsed = STREAM_EVENT_SCHEMAS[type as KnownEventType].safeParse({ ...record, type });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${type}: ${issue?.path.join('.') || 'event'} ${issue?.message ?? 'is invalid'}` };
  }
  return { ok: true, event: parsed.data as KnownStreamEvent };
}

/**
 * Deltas are nearly every frame of a stream, so they skip the schema walk:
 * this accepts exactly what their schemas accept. Anything else falls through
 * to the schema, which then names the bad field.
 */
function isWellFormedDelta(record: Record<string, unknown>): boolean {
  return (
    typeof record.id === 'string' &&
    typeof record.delta === 'string' &&
    (record.executionId === undefined || typeof record.executionId === 'string') &&
    (record.seq === undefined || typeof record.seq === 'number')
  );
}

/** The diagnostics extension: `custom` event `webmcp.admission` at the start of each stream. */
export const ADMISSION_EVENT_NAME = 'webmcp.admission';
export interface AdmissionEventData {
  admitted: string[];
  dropped: { name: string; reason: 'disabled' | 'no_matching_rule' | 'invalid'; detail?: string }[];
}
