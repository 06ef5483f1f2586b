/**
 * zod schemas for every stream event, built from the field tables in
 * events.ts so there is one definition. For the server and tests; the widget
 * checks frames with the tables directly and ships no zod.
 */
import * as z from './zod.js';
import { COMMON_EVENT_SHAPE, STREAM_EVENT_SHAPES, type KnownEventType } from './events.js';
import type { FieldKind, Shape } from './shape.js';

function fieldSchema(kind: FieldKind): z.ZodMiniType {
  switch (kind) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'object':
      return z.record(z.string(), z.unknown());
    case 'array':
      return z.array(z.unknown());
    case 'error':
      return z.union([z.string(), z.looseObject({ code: z.optional(z.string()), message: z.string() })]);
    default:
      return z.unknown();
  }
}

export function zodFromShape(shape: Shape): Record<string, z.ZodMiniType> {
  const fields: Record<string, z.ZodMiniType> = {};
  for (const [name, spec] of Object.entries(shape)) {
    const optional = spec.endsWith('?');
    const schema = fieldSchema((optional ? spec.slice(0, -1) : spec) as FieldKind);
    fields[name] = optional ? z.optional(schema) : schema;
  }
  return fields;
}

export const STREAM_EVENT_SCHEMAS = Object.fromEntries(
  Object.entries(STREAM_EVENT_SHAPES).map(([type, shape]) => [
    type,
    z.looseObject({ type: z.literal(type), ...zodFromShape(COMMON_EVENT_SHAPE), ...zodFromShape(shape) }),
  ]),
) as unknown as Record<KnownEventType, z.ZodMiniType>;
