/**
 * What a page tool answers through MCP-B, made what our polyfill would answer.
 * MCP-B serialises results and errors itself (a returned function's source
 * text, "[object Object]" for a cycle, a thrown object's text lost); the
 * registration watch (registrations.ts) hands each answer here once the
 * bridge has set this up.
 */
import { describeThrown, safeJsonStringify } from './json-safe.js';
import { registryOf } from './registrations.js';

/**
 * The answer our polyfill gives, as a value MCP-B serialises back to the same
 * text. Objects stay objects, for MCP-B's own MCP clients; a top-level BigInt
 * keeps its quotes, as bare digits would read as a (rounded) number.
 */
function answerForMcpB(value: unknown): unknown {
  if (typeof value === 'string') return value;
  const text = safeJsonStringify(value);
  return text === 'undefined' ? undefined : typeof value === 'bigint' ? text : JSON.parse(text);
}

/** MCP-B passes on only an Error's message: anything else thrown becomes one, with its text. */
function errorForMcpB(error: unknown): never {
  throw error instanceof Error ? error : new Error(describeThrown(error));
}

/** Shapes MCP-B answers on the watched `modelContext`, if it is watched. */
export function shapeMcpBAnswers(context: unknown): void {
  const registry = registryOf(context);
  if (registry) registry.shapeMcpB = (answer) => answer.then(answerForMcpB, errorForMcpB);
}
