/**
 * The offline agent of `npm run demo` and `npm run serve`: deterministic, no
 * model, but it converses. It picks the tool a sentence asks for from the
 * tools' own names, descriptions and schemas; when that tool needs a record's
 * id the person did not give ("add the Colombian coffee"), it first calls the
 * page's search tool and carries the id of the best match into the call; it
 * reads price limits ("under $30") into the schema's bound; and it answers in
 * short sentences built from the results. It keeps no memory of its own: each
 * model call re-plans from the last user message and the tool results since,
 * so a resumed run continues exactly where it paused.
 */
import { bareToolName } from '../../protocol/index.js';
import { describeFailure, describeResult, labelOf, listOf } from './planner-answer.js';
import {
  codeWord,
  countNumbers,
  isIdKey,
  isReadTool,
  keywords,
  limitKey,
  nameWords,
  priceLimits,
  properties,
  quotedPhrases,
  readableName,
  requiredKeys,
  stem,
  toolScore,
  typeOf,
} from './planner-words.js';
import type { Agent, AgentMessage, AgentStep, AgentTool } from './types.js';

/** Below this a sentence is small talk, not a request for a tool. */
const MIN_SCORE = 3;

/** A call made since the last user message, with what came back. */
export interface DoneCall {
  name: string;
  arguments: Record<string, unknown>;
  ok: boolean;
  value: unknown;
  error: string;
}

export type PlanStep = { call: { name: string; arguments: Record<string, unknown> } } | { say: string };

export function plannerAgent(): Agent {
  return {
    name: 'planner',
    async *run({ messages, tools }) {
      const { text, done } = sinceLastUser(messages);
      const step = nextStep(text, tools, done);
      if ('call' in step) yield { type: 'tool_call', name: step.call.name, arguments: step.call.arguments };
      else yield* deltas(step.say);
    },
  };
}

/** The whole plan, one step at a time: what to call next, or what to say. */
export function nextStep(text: string, tools: readonly AgentTool[], done: readonly DoneCall[]): PlanStep {
  const goal = chooseTool(text, tools);
  if (!goal) return { say: smallTalk(tools) };
  const finished = done.filter((call) => call.name === goal.name).at(-1);
  if (finished)
    return {
      say: finished.ok
        ? describeResult(goal.name, finished.value, isReadTool(goal), queryOf(finished))
        : describeFailure(goal.name, finished.error),
    };

  const args = argumentsFor(text, goal);
  const missing = [...requiredKeys(goal)].filter((key) => args[key] === undefined);
  if (missing.length === 0) return { call: { name: goal.name, arguments: args } };

  const idKey = missing.find(isIdKey);
  const source = idKey ? sourceFor(goal, idKey, tools) : undefined;
  if (!idKey || !source || missing.length > 1) {
    const what = missing.map((key) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()).join(' and ');
    return { say: `To ${readableName(goal.name)} I need the ${what}. Which one do you mean?` };
  }
  // Find the record first, then carry its id into the call.
  const wanted = keywords(text, nameWords(goal.name));
  const searches = done.filter((call) => call.name === source.name);
  const last = searches.at(-1);
  if (!last) return { call: { name: source.name, arguments: searchArguments(text, source, wanted) } };
  if (!last.ok) return { say: describeFailure(source.name, last.error) };
  const found = listOf(last.value) ?? [];
  // Nothing matched those exact words: look through everything once, and choose by name.
  if (found.length === 0 && searches.length === 1 && Object.keys(last.arguments).length > 0) {
    return { call: { name: source.name, arguments: broadened(source, last.arguments) } };
  }
  const choice = pick(found, wanted);
  if (choice.kind === 'none') {
    const asked = wanted.join(' ');
    return { say: found.length === 0 ? `I could not find “${asked}”.` : `I could not find “${asked}”. There is ${names(found)}.` };
  }
  if (choice.kind === 'many') return { say: `Which one do you mean: ${names(choice.items, ' or ')}?` };
  const id = idOf(choice.item, idKey, properties(goal).find(([key]) => key === idKey)?.[1].description ?? '');
  if (id === undefined) return { say: `I found ${labelOf(choice.item) ?? 'it'}, but it has no ${idKey} to use.` };
  return { call: { name: goal.name, arguments: { ...args, [idKey]: id } } };
}

/** The tool the sentence asks for, by name, verb, description and schema. */
export function chooseTool(text: string, tools: readonly AgentTool[]): AgentTool | undefined {
  let best: { tool: AgentTool; score: number } | undefined;
  for (const tool of tools) {
    const score = toolScore(text, tool);
    if (score >= MIN_SCORE && (!best || score > best.score)) best = { tool, score };
  }
  return best?.tool;
}

/** Arguments said in the sentence: enum values, quoted phrases, codes, counts and price limits. */
export function argumentsFor(text: string, tool: AgentTool): Record<string, unknown> {
  if (isSearchTool(tool)) return searchArguments(text, tool, keywords(text, nameWords(tool.name)));
  const args: Record<string, unknown> = {};
  const quoted = quotedPhrases(text);
  const code = codeWord(text);
  const counts = countNumbers(text);
  for (const [key, schema] of properties(tool)) {
    const type = typeOf(schema);
    if (Array.isArray(schema.enum)) {
      const choice = enumIn(text, schema.enum);
      if (choice !== undefined) args[key] = choice;
    } else if (type === 'number' || type === 'integer') {
      const count = counts.shift();
      if (count !== undefined) args[key] = count;
    } else if (type === 'string' || type === undefined) {
      const value = quoted.shift() ?? (/code|coupon|sku|id$/i.test(key) ? code : undefined);
      if (value !== undefined) args[key] = value;
    }
  }
  return args;
}

/** A tool that looks things up by words: a read tool with an optional text field. */
function isSearchTool(tool: AgentTool): boolean {
  const required = requiredKeys(tool);
  return isReadTool(tool) && properties(tool).some(([key, schema]) => typeOf(schema) === 'string' && !schema.enum && !required.has(key));
}

function searchArguments(text: string, tool: AgentTool, wanted: readonly string[]): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const limits = priceLimits(text);
  let textKey: string | undefined;
  for (const [key, schema] of properties(tool)) {
    if (Array.isArray(schema.enum)) {
      const choice = enumIn(text, schema.enum);
      if (choice !== undefined) args[key] = choice;
    } else if (typeOf(schema) === 'string' && (textKey === undefined || /query|search|term|text|keyword|^q$/i.test(key))) textKey = key;
  }
  const max = limitKey(tool, 'max');
  const min = limitKey(tool, 'min');
  if (max && limits.max !== undefined) args[max] = limits.max;
  if (min && limits.min !== undefined) args[min] = limits.min;
  const chosen = new Set(Object.values(args).map((value) => String(value).toLowerCase()));
  const words = wanted.filter((word) => !chosen.has(word) && !chosen.has(stem(word)));
  const phrase = quotedPhrases(text)[0] ?? words.join(' ');
  if (textKey && phrase) args[textKey] = phrase;
  return args;
}

/** The same search without its words: the page's own listing, still within enum and price filters. */
function broadened(tool: AgentTool, args: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, schema] of properties(tool)) {
    if (args[key] !== undefined && (schema.enum || typeOf(schema) !== 'string')) kept[key] = args[key];
  }
  return kept;
}

function enumIn(text: string, values: readonly unknown[]): unknown {
  const words = new Set((text.toLowerCase().match(/[a-z0-9-]+/g) ?? []).map(stem));
  return values.find((value) => typeof value === 'string' && words.has(stem(value)));
}

/** Where an id comes from: the tool its description names ("the id from search_products"), else a search tool. */
function sourceFor(goal: AgentTool, idKey: string, tools: readonly AgentTool[]): AgentTool | undefined {
  const schema = properties(goal).find(([key]) => key === idKey)?.[1];
  const hint = `${schema?.description ?? ''} ${goal.description}`.toLowerCase();
  const others = tools.filter((tool) => tool !== goal);
  return others.find((tool) => hint.includes(bareToolName(tool.name).toLowerCase())) ?? others.find(isSearchTool);
}

type Choice = { kind: 'one'; item: Record<string, unknown> } | { kind: 'many'; items: Record<string, unknown>[] } | { kind: 'none' };

/** The record whose name best matches the words; "colombian" matches "Colombia". */
function pick(items: readonly Record<string, unknown>[], wanted: readonly string[]): Choice {
  if (items.length === 1) return { kind: 'one', item: items[0]! };
  if (items.length === 0) return { kind: 'none' };
  const scored = items.map((item) => {
    const label = (labelOf(item) ?? '').toLowerCase().match(/[\p{L}\p{N}-]+/gu) ?? [];
    const rest =
      Object.values(item)
        .filter((value): value is string => typeof value === 'string')
        .join(' ')
        .toLowerCase()
        .match(/[\p{L}\p{N}-]+/gu) ?? [];
    let score = 0;
    for (const word of wanted) {
      if (label.some((other) => alike(word, other))) score += 2;
      else if (rest.some((other) => alike(word, other))) score += 1;
    }
    return { item, score };
  });
  const top = Math.max(...scored.map((entry) => entry.score));
  if (top === 0) return { kind: 'none' };
  const best = scored.filter((entry) => entry.score === top).map((entry) => entry.item);
  return best.length === 1 ? { kind: 'one', item: best[0]! } : { kind: 'many', items: best };
}

/** Same word, or one the start of the other (at least 4 letters in common): "colombian"/"colombia", "mugs"/"mug". */
function alike(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/** The record's value for the id: the same key, `id`, a key the argument's description names ("isbn from …"), any id-like key. */
function idOf(item: Record<string, unknown>, idKey: string, description: string): unknown {
  if (item[idKey] !== undefined) return item[idKey];
  if (item.id !== undefined) return item.id;
  const named = Object.keys(item).find((key) => new RegExp(`\\b${key.replace(/[^\w]/g, '')}\\b`, 'i').test(description));
  if (named) return item[named];
  return Object.entries(item).find(([key]) => isIdKey(key))?.[1];
}

function names(items: readonly Record<string, unknown>[], last = ' and '): string {
  const list = items.slice(0, 5).map((item) => labelOf(item) ?? String(item.id));
  return list.length > 1 ? `${list.slice(0, -1).join(', ')}${last}${list.at(-1)}` : (list[0] ?? '');
}

function queryOf(call: DoneCall): string {
  const text = Object.values(call.arguments).find((value) => typeof value === 'string');
  return typeof text === 'string' ? text : '';
}

function smallTalk(tools: readonly AgentTool[]): string {
  if (tools.length === 0) return 'Hello! This page gives me no tools to use, so I can only chat. What would you like to know?';
  const list = tools.slice(0, 8).map((tool) => readableName(tool.name));
  const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list[0];
  return `I can help you with: ${joined}. What would you like to do?`;
}

/** The last user message, and the calls (with their results) made since. */
export function sinceLastUser(messages: readonly AgentMessage[]): { text: string; done: DoneCall[] } {
  let start = messages.length;
  while (start > 0 && messages[start - 1]!.role !== 'user') start--;
  const text = start > 0 ? (messages[start - 1] as { content: string }).content : '';
  const done: DoneCall[] = [];
  const byId = new Map<string, DoneCall>();
  for (const message of messages.slice(start)) {
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) {
        const entry: DoneCall = { name: call.name, arguments: call.arguments, ok: false, value: undefined, error: 'no answer' };
        byId.set(call.id, entry);
        done.push(entry);
      }
    } else if (message.role === 'tool') {
      const entry = byId.get(message.toolCallId);
      if (!entry) continue;
      entry.ok = !message.isError;
      entry.error = message.isError ? message.content : '';
      entry.value = parse(message.content);
    }
  }
  return { text, done };
}

function parse(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

/** A few words per delta, so it streams the way a model's output does. */
function* deltas(text: string): Generator<AgentStep> {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [];
  for (let i = 0; i < pieces.length; i += 3) yield { type: 'text', delta: pieces.slice(i, i + 3).join('') };
}
