/**
 * Reading a shopper's sentence for the planner agent: words, a price limit,
 * quoted phrases and code-like words, and how well a tool's own name and
 * description match them. Plain English only; nothing here knows any page.
 */
import { bareToolName } from '../../protocol/index.js';
import type { AgentTool } from './types.js';

const STOP = new Set(
  'a an the and or of to for in on at by with from this that these those is are be it its my me mine you your our we i im please can could would will do does did what whats which who how show find give tell about some any all into up out now just there here have has get got want need like looking look let us one'.split(
    ' ',
  ),
);
/** Words that say how to ask, not what about ("what is good for …"). */
const FILLER = new Set(
  'good best nice great recommend suggest something anything options option buy cheap under below over above less more than most least'.split(
    ' ',
  ),
);

/** The everyday verbs people use for a tool's first word. */
const VERBS: Record<string, readonly string[]> = {
  get: ['show', 'see', 'view', 'what', 'whats', 'read', 'display', 'list', 'tell', 'look'],
  list: ['show', 'see', 'view', 'what', 'whats', 'all'],
  search: ['find', 'look', 'looking', 'recommend', 'suggest', 'good', 'best', 'any', 'options', 'something', 'anything'],
  find: ['search', 'look', 'looking', 'recommend', 'suggest', 'good', 'best'],
  add: ['put', 'include', 'buy', 'want'],
  remove: ['delete', 'drop', 'take'],
  apply: ['use', 'redeem'],
};

const READ_VERBS = new Set(['get', 'list', 'search', 'find', 'show', 'read', 'lookup', 'query', 'view', 'fetch']);

/** "under $30", "below 30 USD", "at most 30" → 30. */
const MAX_PHRASE =
  /\b(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|within|no more than)\s*(?:\$|€|£)?\s*(\d+(?:\.\d+)?)/i;
const MIN_PHRASE = /\b(?:over|above|more than|at least|min(?:imum)?|from)\s*(?:\$|€|£)?\s*(\d+(?:\.\d+)?)/i;
const QUOTED = /"([^"]+)"|“([^”]+)”|'([^']{2,})'/g;

export function stem(word: string): string {
  const lower = word.toLowerCase();
  return lower.length > 3 && lower.endsWith('s') && !lower.endsWith('ss') ? lower.slice(0, -1) : lower;
}

/** Lower-case word stems, plus each adjacent pair joined ("check out" → "checkout"). */
export function wordSet(text: string): Set<string> {
  const words = (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map(stem);
  const set = new Set(words);
  for (let i = 1; i < words.length; i++) set.add(words[i - 1]! + words[i]!);
  return set;
}

/** `add_to_cart` / `addToCart` → ["add", "cart"] (stems, stop words left out). */
export function nameWords(name: string): string[] {
  return (
    bareToolName(name)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? []
  )
    .filter((word) => !STOP.has(word) || word === 'get')
    .map(stem);
}

/** `add_to_cart` → "add to cart": how the planner names a tool to a person. */
export function readableName(name: string): string {
  return bareToolName(name)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .toLowerCase();
}

export function isReadTool(tool: AgentTool): boolean {
  return READ_VERBS.has(nameWords(tool.name)[0] ?? '');
}

export function quotedPhrases(text: string): string[] {
  return [...text.matchAll(QUOTED)].map((match) => (match[1] ?? match[2] ?? match[3] ?? '').trim()).filter(Boolean);
}

/** A word like `SAVE10` or `WELCOME10`: capitals with a digit. */
export function codeWord(text: string): string | undefined {
  return text.replace(QUOTED, ' ').match(/\b(?=[A-Z0-9_-]*\d)(?=[A-Z0-9_-]*[A-Z])[A-Z0-9_-]{3,}\b/)?.[0];
}

export function priceLimits(text: string): { max?: number; min?: number } {
  const max = text.match(MAX_PHRASE)?.[1];
  const min = text.match(MIN_PHRASE)?.[1];
  return { ...(max !== undefined && { max: Number(max) }), ...(min !== undefined && { min: Number(min) }) };
}

/** Whole numbers said outside quotes, price phrases and words like "sku-42". */
export function countNumbers(text: string): number[] {
  const plain = text.replace(QUOTED, ' ').replace(MAX_PHRASE, ' ').replace(MIN_PHRASE, ' ');
  return (plain.match(/(?<![\w.$€£-])\d+(?![\w.-])/g) ?? []).map(Number);
}

/**
 * The words that say what the person is after: the sentence without its
 * quotes, prices, stop words, asking words and the words in `exclude`.
 */
export function keywords(text: string, exclude: Iterable<string> = []): string[] {
  const skip = new Set(exclude);
  const plain = text.replace(QUOTED, ' ').replace(MAX_PHRASE, ' ').replace(MIN_PHRASE, ' ');
  return (plain.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [])
    .map((word) => word.toLowerCase().replace(/['’]s$/, ''))
    .filter((word) => !STOP.has(word) && !FILLER.has(word) && !skip.has(stem(word)) && !/^\d+$/.test(word) && word.length > 1);
}

/** How strongly the sentence asks for this tool; 100+ when it names it. */
export function toolScore(text: string, tool: AgentTool): number {
  const words = wordSet(text);
  const bare = bareToolName(tool.name).toLowerCase();
  const own = nameWords(tool.name);
  if (text.toLowerCase().includes(bare) || (own.length > 0 && own.every((word) => words.has(word)))) return 100 + own.length;
  let score = 0;
  own.forEach((word, index) => {
    if (words.has(word)) score += 3;
    else if (index === 0 && (VERBS[word] ?? []).some((verb) => words.has(verb))) score += 2;
  });
  const described = new Set((tool.description.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((word) => !STOP.has(word)).map(stem));
  for (const word of described) if (words.has(word) && !own.includes(word)) score += 1;
  const limits = priceLimits(text);
  if ((limits.max !== undefined && limitKey(tool, 'max')) || (limits.min !== undefined && limitKey(tool, 'min'))) score += 3;
  return score;
}

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
}

export function properties(tool: AgentTool): [string, PropertySchema][] {
  return Object.entries((tool.parameters.properties ?? {}) as Record<string, PropertySchema>);
}

export function requiredKeys(tool: AgentTool): Set<string> {
  return new Set(Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : []);
}

export function typeOf(schema: PropertySchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type[0] : schema.type;
}

/** The numeric property that bounds a value from above (`maxPrice`) or below. */
export function limitKey(tool: AgentTool, side: 'max' | 'min'): string | undefined {
  const pattern = side === 'max' ? /max|highest|at most|upper|budget|limit/i : /min|lowest|at least|lower/i;
  return properties(tool).find(([key, schema]) => {
    const type = typeOf(schema);
    return (type === 'number' || type === 'integer') && pattern.test(`${key} ${schema.description ?? ''}`);
  })?.[0];
}

/** Keys naming a record rather than describing it: `productId`, `sku`, `orderKey`. */
export function isIdKey(key: string): boolean {
  return /(?:^|[a-z_])(?:id|Id|ID)$|^id$|sku|key$/i.test(key) && !/^(?:paid|valid|hid)$/i.test(key);
}
