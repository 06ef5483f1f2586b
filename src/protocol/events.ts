/**
 * Stream events (docs/protocol.md "The event stream"). Known types are checked on
 * the fields a client relies on and keep every other field; an unknown type
 * comes out as `{ type: 'unknown' }` holding the original, never as an error.
 *
 * The table below is the definition; zod schemas for the server and tests are
 * derived from it in event-schemas.ts.
 */
import { fieldsOf, fieldsProblem, isObject, type Shape, type ShapeValue } from './shape.js';

/** Fields every frame may carry. */
export const COMMON_EVENT_SHAPE = { executionId: 'string?', seq: 'number?' } as const satisfies Shape;

export const STREAM_EVENT_SHAPES = {
  execution_start: { kind: 'string?', startedAt: 'string?' },
  turn_start: { id: 'string?', iteration: 'number?' },
  turn_complete: { id: 'string?', iteration: 'number?', stopReason: 'string?' },
  // `parentToolCallId`: text a sub-agent streams inside that tool call, not the assistant's answer.
  text_start: { id: 'string', parentToolCallId: 'string?' },
  text_delta: { id: 'string', delta: 'string', parentToolCallId: 'string?' },
  text_complete: { id: 'string', text: 'string?', parentToolCallId: 'string?' },
  reasoning_start: { id: 'string' },
  reasoning_delta: { id: 'string', delta: 'string' },
  reasoning_complete: { id: 'string', text: 'string?' },
  tool_start: { toolCallId: 'string', toolName: 'string', toolType: 'string?', parameters: 'any?', origin: 'string?' },
  tool_complete: { toolCallId: 'string', toolName: 'string?', success: 'boolean', result: 'any?', error: 'any?', executionTime: 'number?' },
  await: { toolCallId: 'string', toolName: 'string', origin: 'string?', parameters: 'any', awaitedAt: 'string?' },
  execution_complete: { success: 'boolean', stopReason: 'string?', finalOutput: 'any?' },
  execution_error: { error: 'error' },
  error: { error: 'any', recoverable: 'boolean?' },
  ping: {},
  // The public API's payload is `value`; `data` is what earlier servers sent (read with customValue()),
  // so either may be absent.
  custom: { name: 'string', value: 'any?', data: 'any?' },
} as const satisfies Record<string, Shape>;

export type KnownEventType = keyof typeof STREAM_EVENT_SHAPES;
export type EventOf<T extends KnownEventType> = { type: T } & ShapeValue<typeof COMMON_EVENT_SHAPE> &
  ShapeValue<(typeof STREAM_EVENT_SHAPES)[T]>;
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
  const read = readStreamEvent(frameName, data);
  return typeof read === 'string' ? { ok: false, message: read } : { ok: true, event: read };
}

/**
 * `parseStreamEvent` for the stream reader, which calls it once per frame: the
 * event, or what is wrong with the frame, without a result object around it.
 */
export function readStreamEvent(frameName: string | undefined, data: unknown): StreamEvent | string {
  if (!isObject(data)) return 'frame data is not a JSON object';
  const record = data as Record<string, unknown>;
  const type = typeof record.type === 'string' ? record.type : frameName;
  if (!type) return 'frame has no event type';
  // Deltas are nearly every frame of an answer: their fields are tested by name, which V8 reads
  // far faster than the table's keyed loop. It only accepts; anything it does not, the table judges.
  if (
    (type === 'text_delta' || type === 'reasoning_delta') &&
    typeof record.id === 'string' &&
    typeof record.delta === 'string' &&
    (record.executionId === undefined || typeof record.executionId === 'string') &&
    (record.seq === undefined || typeof record.seq === 'number') &&
    (record.parentToolCallId === undefined || typeof record.parentToolCallId === 'string')
  )
    return (record.type === type ? record : { ...record, type }) as KnownStreamEvent;
  const fields = FIELDS[type];
  if (!fields) return { type: 'unknown', originalType: type, data: record };
  const problem =
    fieldsProblem(record, fields) ??
    (type === 'await' && (record.toolCallId === '' || record.toolName === '') ? 'toolCallId and toolName must not be empty' : undefined);
  if (problem) return `${type}: ${problem}`;
  return (record.type === type ? record : { ...record, type }) as KnownStreamEvent;
}

/**
 * Each type's fields after the common ones, split once when the module loads:
 * per frame one lookup (no prototype: `toString` or `__proto__` is no type) and one pass.
 */
const FIELDS: Record<string, ReturnType<typeof fieldsOf> | undefined> = Object.create(null);
for (const [type, shape] of Object.entries(STREAM_EVENT_SHAPES)) FIELDS[type] = fieldsOf({ ...COMMON_EVENT_SHAPE, ...shape });

/** A `custom` event's payload: `value` as the public API sends it, or `data` from an earlier server. */
export function customValue(event: EventOf<'custom'>): unknown {
  return event.value !== undefined ? event.value : event.data;
}

/** The diagnostics extension: `custom` event `webmcp.admission` at the start of each stream. */
export const ADMISSION_EVENT_NAME = 'webmcp.admission';
export interface AdmissionEventData {
  admitted: string[];
  dropped: { name: string; reason: 'disabled' | 'no_matching_rule' | 'invalid'; detail?: string }[];
}
