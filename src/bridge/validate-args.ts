/**
 * Checks the model's arguments against the tool's JSON Schema before anything
 * runs, and answers a message precise enough for the model to correct itself.
 * ./json-schema.ts interprets the schema (no eval, CSP-safe).
 */
import { isObject } from '../protocol/shape.js';
import { compileSchema, type SchemaCheck } from './json-schema.js';

const MAX_LISTED = 8;

const checks = new WeakMap<object, SchemaCheck>();

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
  if (!isObject(value)) {
    return { error: `arguments must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}` };
  }
  return { args: value as Record<string, unknown> };
}

/** `undefined` when the arguments fit the schema, else one readable sentence per problem. */
export function argumentProblems(schema: Record<string, unknown>, args: unknown): string[] | undefined {
  let check = checks.get(schema);
  if (!check) {
    check = compileSchema(schema);
    checks.set(schema, check);
  }
  const problems = check(args);
  if (problems.length === 0) return undefined;
  const lines = [...new Set(problems.map((problem) => `arguments${problem.path}: ${problem.message}`))];
  return lines.length > MAX_LISTED ? [...lines.slice(0, MAX_LISTED), `… and ${lines.length - MAX_LISTED} more`] : lines;
}

export function invalidArgumentsMessage(toolName: string, problems: readonly string[]): string {
  return `Invalid arguments for tool "${toolName}": ${problems.map((problem) => problem.replace(/\.$/, '')).join('; ')}. Fix the arguments to match the tool's parameters schema and call it again.`;
}
