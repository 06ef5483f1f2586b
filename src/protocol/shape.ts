/**
 * Field tables for wire objects, and a checker small enough for the browser.
 *
 * The widget checks every incoming frame. zod does that well but costs the
 * widget ~8 KB gzip; these tables say the same thing in a few hundred bytes.
 * They are the single definition: the zod schemas the server and tests use
 * are built from the same tables (event-schemas.ts), so the two cannot drift.
 */

export type FieldKind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'any' | 'error';
/** A kind, optionally followed by `?` when the field may be absent. */
export type FieldSpec = FieldKind | `${FieldKind}?`;
export type Shape = Readonly<Record<string, FieldSpec>>;

type KindValue<K> = K extends 'string'
  ? string
  : K extends 'number'
    ? number
    : K extends 'boolean'
      ? boolean
      : K extends 'object'
        ? Record<string, unknown>
        : K extends 'array'
          ? unknown[]
          : K extends 'error'
            ? string | { code?: string; message: string }
            : unknown;

type Required<S extends Shape> = { [K in keyof S as S[K] extends `${string}?` ? never : K]: KindValue<S[K]> };
type Optional<S extends Shape> = {
  [K in keyof S as S[K] extends `${string}?` ? K : never]?: S[K] extends `${infer Kind}?` ? KindValue<Kind> : never;
};
/** The TypeScript type a shape describes. */
export type ShapeValue<S extends Shape> = Required<S> & Optional<S>;

/** A JSON object: not null, not an array. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** One test per kind, chosen once per field rather than switched on per value. */
const FITS: Record<FieldKind, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  boolean: (value) => typeof value === 'boolean',
  object: isObject,
  array: Array.isArray,
  any: () => true,
  error: (value) => typeof value === 'string' || (isObject(value) && typeof value.message === 'string'),
};

interface Field {
  readonly name: string;
  readonly kind: FieldKind;
  readonly optional: boolean;
  /** What `typeof` says of a value that fits for that alone (string, number, boolean), else '': no call for the common case. */
  readonly typeOf: string;
  readonly fits: (value: unknown) => boolean;
}

const PLAIN: readonly FieldKind[] = ['string', 'number', 'boolean'];

/**
 * Each shape split into its fields once: the reader checks every frame, and
 * re-splitting the specs per frame (entries, `?` suffixes) cost as much as the
 * SSE framing itself. An optional `any` field is left out: no value can fail it; a
 * required one is kept, as only its absence can.
 */
const fieldLists = new WeakMap<Shape, readonly Field[]>();

export function fieldsOf(shape: Shape): readonly Field[] {
  let fields = fieldLists.get(shape);
  if (!fields) {
    fields = Object.entries(shape)
      .map(([name, spec]) => {
        const optional = spec.endsWith('?');
        const kind = (optional ? spec.slice(0, -1) : spec) as FieldKind;
        return { name, kind, optional, typeOf: PLAIN.includes(kind) ? kind : '', fits: FITS[kind] };
      })
      .filter((field) => field.kind !== 'any' || !field.optional);
    fieldLists.set(shape, fields);
  }
  return fields;
}

/** Names the first field that does not fit, or `undefined` when all do. Extra fields are kept. */
export function shapeProblem(record: Record<string, unknown>, shape: Shape): string | undefined {
  return fieldsProblem(record, fieldsOf(shape));
}

/** `shapeProblem` over fields already split (what the stream reader keeps per event type). */
export function fieldsProblem(record: Record<string, unknown>, fields: readonly Field[]): string | undefined {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as Field;
    const value = record[field.name];
    if (typeof value === field.typeOf) continue;
    if (value === undefined) {
      if (!field.optional) return `${field.name} is missing`;
    } else if (!field.fits(value)) {
      return `${field.name} should be ${field.kind === 'error' ? 'a string or {message}' : `a ${field.kind}`}`;
    }
  }
  return undefined;
}

/** Checks an object against a shape: the object typed, or the problem. */
export function checkShape<S extends Shape>(value: unknown, shape: S): { ok: true; value: ShapeValue<S> } | { ok: false; problem: string } {
  if (!isObject(value)) return { ok: false, problem: 'expected a JSON object' };
  const problem = shapeProblem(value as Record<string, unknown>, shape);
  return problem ? { ok: false, problem } : { ok: true, value: value as ShapeValue<S> };
}
