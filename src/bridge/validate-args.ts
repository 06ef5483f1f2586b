/**
 * Checks the model's arguments against the tool's JSON Schema before anything
 * runs, and answers a message precise enough for the model to correct itself.
 * @cfworker/json-schema interprets the schema (no eval, CSP-safe).
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';

/** Keywords that only say "something below failed"; the leaf errors say what. */
const WRAPPER_KEYWORDS = new Set(['properties', 'items', 'prefixItems', 'additionalItems', 'patternProperties', 'allOf', '$ref', '$dynamicRef', 'unevaluatedProperties', 'unevaluatedItems', 'dependentSchemas', 'false']);
const MAX_LISTED = 8;

const validators = new WeakMap<object, Validator | null>();

function validatorFor(schema: Record<string, unknown>): Validator | null {
  let validator = validators.get(schema);
  if (validator === undefined) {
    try {
      validator = new Validator(schema as Schema, '2020-12', false);
    } catch {
      // A schema the validator cannot read: the page's tool checks its own input.
      validator = null;
    }
    validators.set(schema, validator);
  }
  return validator;
}

/** Arguments as an object: `undefined`/`null` mean none, a JSON string is parsed. */
export function coerceArguments(parameters: unknown): { args: Record<string, unknown> } | { error: string } {
  if (parameters === undefined || parameters === null || parameters === '') return { args: {} };
  let value = parameters;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { error: 'arguments must be a JSON object, got a string that is not JSON' };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: `arguments must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}` };
  }
  return { args: value as Record<string, unknown> };
}

function where(unit: OutputUnit): string {
  const pointer = unit.instanceLocation.replace(/^#/, '');
  return pointer === '' ? 'arguments' : `arguments${pointer.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${decodeURIComponent(part)}`)).join('')}`;
}

/** `undefined` when the arguments fit the schema, else one readable sentence per problem. */
export function argumentProblems(schema: Record<string, unknown>, args: unknown): string[] | undefined {
  const validator = validatorFor(schema);
  if (!validator) return undefined;
  let result;
  try {
    result = validator.validate(args);
  } catch {
    return undefined;
  }
  if (result.valid) return undefined;
  const leaves = result.errors.filter((unit) => !WRAPPER_KEYWORDS.has(unit.keyword));
  const units = leaves.length > 0 ? leaves : result.errors;
  const lines = [...new Set(units.map((unit) => `${where(unit)}: ${unit.error}`))];
  return lines.length > MAX_LISTED ? [...lines.slice(0, MAX_LISTED), `… and ${lines.length - MAX_LISTED} more`] : lines;
}

export function invalidArgumentsMessage(toolName: string, problems: readonly string[]): string {
  return `Invalid arguments for tool "${toolName}": ${problems.map((problem) => problem.replace(/\.$/, '')).join('; ')}. Fix the arguments to match the tool's parameters schema and call it again.`;
}
