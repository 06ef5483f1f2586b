/**
 * A compact JSON Schema validator for tool arguments: the subset that pages'
 * hand-written WebMCP `inputSchema`s and zod's `toJSONSchema` use, interpreted
 * (no eval / new Function, so it runs under `script-src 'self'`).
 *
 * Meant to agree with @cfworker/json-schema (`new Validator(schema, '2020-12',
 * false)`) on which instances are valid; differential tests check that. Where
 * it does not, it is on purpose and on the permissive side:
 * - `$ref` resolves JSON pointers into the root schema (`#`, `#/$defs/…`,
 *   `#/definitions/…`); a remote, `$anchor` or `$id`-relative ref is ignored.
 * - an invalid `pattern` is skipped; an invalid `patternProperties` pattern
 *   covers every key (so `additionalProperties` spares them) and checks none.
 * - `format` asserts date, time, date-time, email, hostname, uri and uuid
 *   (cfworker asserts those too, with bigger regexes: IP-literal e-mail hosts
 *   and URI edge cases are looser here); other formats are annotations.
 * - draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` mean what draft 04
 *   says (cfworker, in 2020-12 mode, compares the number against `true`).
 * - not interpreted (ignored): `dependentRequired`, `dependentSchemas`,
 *   `dependencies`, `unevaluated*`, `$recursiveRef`, `$dynamicRef`.
 * - nesting past MAX_DEPTH checks, or more than MAX_STEPS checks in all, is
 *   reported as a problem instead of overflowing the stack or hanging.
 *
 * A problem's `path` is where in the instance, as code would write it after
 * the root's name: '' is the root, `.items[0].qty` a field of an item.
 */
// Equal JSON values give equal canonical strings (object keys sorted): how const, enum and uniqueItems compare.
import { canonicalJson } from '../protocol/fingerprint.js';

export interface Problem {
  path: string;
  message: string;
}

export type SchemaCheck = (instance: unknown) => Problem[];

const MAX_DEPTH = 128;
const MAX_STEPS = 1e5;

// biome-ignore lint/suspicious/noExplicitAny: a schema is whatever JSON the page gave, walked by keyword
type Json = any;

const isArray = Array.isArray;
const own = Object.hasOwn;
const typeOf = (value: unknown) => (value === null ? 'null' : isArray(value) ? 'array' : typeof value);

/** `value` as coefficient × 10^exponent, exactly as written in its shortest decimal form. */
const decimal = (value: number): [bigint, number] => {
  const [coefficient = '', exponent = 0] = String(Math.abs(value)).split('e');
  const [whole = '', fraction = ''] = coefficient.split('.');
  return [BigInt(whole + fraction), +exponent - fraction.length];
};

/** Exact in decimal, like cfworker: 0.3 is a multiple of 0.1, 0.30000000000000004 is not. */
const isMultipleOf = (value: number, divisor: Json) => {
  if (!(Number.isFinite(divisor) && divisor > 0)) return false;
  const [a, x] = decimal(value);
  const [b, y] = decimal(divisor);
  return (x < y ? a % (b * 10n ** BigInt(y - x)) : (a * 10n ** BigInt(x - y)) % b) === 0n;
};

const HOSTNAME = '(?=.{1,253}$)[a-z\\d](?:[a-z\\d-]{0,61}[a-z\\d])?(?:\\.[a-z\\d](?:[a-z\\d-]{0,61}[a-z\\d])?)*';
const TIME = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** A calendar date: Date rolls 02-30 over to March, which the round trip catches. */
const date = (text: string) => {
  try {
    return /^\d{4}-\d\d-\d\d$/.test(text) && new Date(text).toISOString().startsWith(text);
  } catch {
    return false;
  }
};

const FORMATS: Record<string, RegExp | ((text: string) => boolean)> = {
  date,
  time: TIME,
  'date-time': (text) => {
    const [day = '', time, extra] = text.split(/t|\s/i);
    return extra === undefined && time !== undefined && TIME.test(time) && date(day);
  },
  // A dot-atom or quoted local part of at most 64 characters, then a hostname or an [address literal].
  email: new RegExp(
    `^(?=[^@]{1,64}@|"[^]{0,62}"@)("(?:[ !#-[\\]-~]|\\\\[ -~])*"|[\\w!#$%&'*+/=?^\`{|}~-]+(?:\\.[\\w!#$%&'*+/=?^\`{|}~-]+)*)@(?:\\[[^\\]]+\\]|${HOSTNAME})$`,
    'i',
  ),
  hostname: new RegExp(`^${HOSTNAME}$`, 'i'),
  uri: /^[a-z][a-z\d+.-]*:(?:[\w\-.~!$&'()*+,;=:@/?[\]]|%[\da-f]{2})*(?:#(?:[\w\-.~!$&'()*+,;=:@/?]|%[\da-f]{2})*)?$/i,
  uuid: /^[\da-f]{8}-(?:[\da-f]{4}-){3}[\da-f]{12}$/i,
};

/** A checker for one schema; it never throws (a schema it cannot read lets everything through). */
export function compileSchema(root: unknown): SchemaCheck {
  const regexes = new Map<unknown, RegExp | null>();
  const regex = (pattern: Json) => {
    let compiled = regexes.get(pattern);
    if (compiled === undefined) {
      try {
        compiled = new RegExp(pattern, 'u');
      } catch {
        compiled = null;
      }
      regexes.set(pattern, compiled);
    }
    return compiled;
  };

  /** A local JSON pointer (`#`, `#/$defs/x`), else `undefined`: the ref is ignored. */
  const resolve = (ref: Json): unknown => {
    if (!/^#(\/|$)/.test(ref)) return undefined;
    let target: Json = root;
    if (ref.length > 1)
      for (const part of ref.slice(2).split('/')) target = target?.[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
    return target;
  };

  let steps = 0;

  const check = (value: Json, schema: Json, path: string, out: Problem[], depth: number): void => {
    const add = (message: string) => out.push({ path, message });
    if (schema === false) return void add('Not allowed.');
    if (!schema || typeof schema !== 'object') return;
    if (depth > MAX_DEPTH) return void add('Too deeply nested to check.');
    if (++steps > MAX_STEPS) throw check; // unwinds to the entry point
    const sub = (v: Json, s: Json, at = path, to = out) => check(v, s, at, to, depth + 1);
    const trial = (v: Json, s: Json, problems: Problem[] = []) => {
      sub(v, s, path, problems);
      return problems;
    };
    /** min/maxProperties, min/maxItems, min/maxLength, min/maxContains; an absent bound compares false. */
    const bounds = (count: number, min: Json, max: Json, what: string) =>
      (count < min || count > max) && add(`Must have at ${count < min ? `least ${min}` : `most ${max}`} ${what} (has ${count}).`);
    const type = typeOf(value);

    if (typeof schema.$ref === 'string') sub(value, resolve(schema.$ref));

    if (schema.type !== undefined) {
      const types: Json[] = [].concat(schema.type);
      // The wording the bridge has always given the model (tests elsewhere rely on it).
      if (!types.some((t) => t === type || (t === 'integer' && type === 'number' && value % 1 === 0)))
        add(`Instance type "${type}" is invalid. Expected "${types.join('", "')}".`);
    }
    if (schema.const !== undefined && canonicalJson(schema.const) !== canonicalJson(value)) add(`Must be ${JSON.stringify(schema.const)}.`);
    if (schema.enum && !schema.enum.some((option: Json) => canonicalJson(option) === canonicalJson(value)))
      add(`Must be one of ${JSON.stringify(schema.enum)}.`);
    if (schema.not !== undefined && !trial(value, schema.not).length) add('Must not match the "not" schema.');
    for (const branch of schema.allOf ?? []) sub(value, branch);
    for (const keyword of ['anyOf', 'oneOf']) {
      const branches = schema[keyword];
      if (!branches) continue;
      const results: Problem[][] = branches.map((branch: Json) => trial(value, branch));
      const matches = results.filter((problems) => !problems.length).length;
      if (keyword < 'o' ? !matches : matches !== 1) {
        add(`Must match ${keyword < 'o' ? 'at least' : 'exactly'} one "${keyword}" schema (matches ${matches}).`);
        // When none matches, the closest alternative says best what to fix.
        if (!matches) out.push(...(results.sort((a, b) => a.length - b.length)[0] ?? []));
      }
    }
    if (schema.if !== undefined) sub(value, trial(value, schema.if).length ? schema.else : schema.then);

    if (type === 'object') {
      const keys = Object.keys(value);
      for (const key of schema.required ?? []) if (!own(value, key)) add(`Missing required property "${key}".`);
      bounds(keys.length, schema.minProperties, schema.maxProperties, 'properties');
      if (schema.propertyNames !== undefined) {
        for (const key of keys) {
          const problem = trial(key, schema.propertyNames)[0];
          if (problem) add(`Property name "${key}": ${problem.message}`);
        }
      }
      const covered = new Set<string>();
      const properties = schema.properties ?? {};
      for (const key in properties) {
        if (own(value, key)) {
          covered.add(key);
          sub(value[key], properties[key], `${path}.${key}`);
        }
      }
      for (const pattern in schema.patternProperties) {
        const compiled = regex(pattern);
        for (const key of keys) {
          if (!compiled || compiled.test(key)) {
            covered.add(key);
            if (compiled) sub(value[key], schema.patternProperties[pattern], `${path}.${key}`);
          }
        }
      }
      const additional = schema.additionalProperties;
      if (additional !== undefined) {
        for (const key of keys) {
          if (covered.has(key)) continue;
          if (additional === false)
            add(
              `Property "${key}" is not allowed (known: ${Object.keys(properties)
                .map((name) => JSON.stringify(name))
                .join(', ')}).`,
            );
          else sub(value[key], additional, `${path}.${key}`);
        }
      }
    }

    if (type === 'array') {
      bounds(value.length, schema.minItems, schema.maxItems, 'items');
      const items = schema.items;
      const tuple: Json[] = schema.prefixItems ?? (isArray(items) ? items : []);
      const rest = isArray(items) ? schema.additionalItems : items;
      for (const [i, item] of (value as Json[]).entries()) sub(item, i < tuple.length ? tuple[i] : rest, `${path}[${i}]`);
      if (schema.contains !== undefined) {
        const matching = value.filter((item: Json) => !trial(item, schema.contains).length).length;
        bounds(matching, schema.minContains ?? 1, schema.maxContains, 'items matching "contains"');
      }
      if (schema.uniqueItems) {
        const seen = new Map<string, number>();
        for (const [i, item] of (value as Json[]).entries()) {
          const key = canonicalJson(item);
          const first = seen.get(key);
          if (first !== undefined) {
            add(`Must have unique items (${first} and ${i} are equal).`);
            break;
          }
          seen.set(key, i);
        }
      }
    }

    if (type === 'number') {
      const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
      // Draft 04: `exclusiveMinimum: true` makes `minimum` exclusive.
      const above = exclusiveMinimum === true ? minimum : exclusiveMinimum;
      const below = exclusiveMaximum === true ? maximum : exclusiveMaximum;
      if (value < minimum) add(`Must be >= ${minimum}.`);
      else if (typeof above === 'number' && value <= above) add(`Must be > ${above}.`);
      if (value > maximum) add(`Must be <= ${maximum}.`);
      else if (typeof below === 'number' && value >= below) add(`Must be < ${below}.`);
      if (multipleOf !== undefined && !isMultipleOf(value, multipleOf)) add(`Must be a multiple of ${multipleOf}.`);
    }

    if (type === 'string') {
      // Code points, as the spec counts, not UTF-16 units.
      bounds([...value].length, schema.minLength, schema.maxLength, 'characters');
      const compiled = schema.pattern === undefined ? null : regex(schema.pattern);
      if (compiled && !compiled.test(value)) add(`Must match the pattern /${schema.pattern}/.`);
      const format = schema.format;
      const valid: Json = own(FORMATS, format) && FORMATS[format];
      if (valid && !(valid.test ? valid.test(value) : valid(value))) add(`Must be a valid ${format}.`);
    }
  };

  return (instance) => {
    const problems: Problem[] = [];
    steps = 0;
    try {
      check(instance, root, '', problems, 0);
    } catch (error) {
      // Too big to check is an answer; a schema that makes the checker trip is not the caller's fault.
      return error === check ? [{ path: '', message: 'Too large or complex to check.' }] : [];
    }
    return problems;
  };
}
