/**
 * The default agent: deterministic, no model, good enough to drive the demo
 * and the tests. It calls a tool when the message names it (or shares enough
 * words with its description), fills arguments from the message by the tool's
 * schema, calls two tools at once for "X and Y", quotes the results when they
 * come back, and otherwise answers in streamed markdown.
 */
import { bareToolName } from '../../protocol/index.js';
import type { Agent, AgentMessage, AgentStep, AgentTool } from './types.js';

const STOP_WORDS = new Set(
  'a an the and or of to for in on at by with from this that these those is are be it its my me you your our we i please can could would will do does what which show find give tell about some any all into'.split(
    ' ',
  ),
);
/** Description overlap needed before a tool counts as asked for without its name. */
const MIN_DESCRIPTION_SCORE = 2;
const MAX_QUOTED_RESULT = 400;

export function scriptedAgent(): Agent {
  return {
    name: 'scripted',
    async *run({ messages, tools }) {
      const results = trailingToolResults(messages);
      if (results.length > 0) {
        yield* deltas(replyToResults(results));
        return;
      }
      const text = lastUserText(messages);
      const calls = planCalls(text, tools);
      if (calls.length > 0) {
        const names = calls.map((call) => `\`${bareToolName(call.tool.name)}\``);
        yield* deltas(`Let me use ${names.join(' and ')} for that.`);
        for (const call of calls) yield { type: 'tool_call', name: call.tool.name, arguments: call.arguments };
        return;
      }
      yield* deltas(defaultAnswer(text, tools));
    },
  };
}

interface PlannedCall {
  tool: AgentTool;
  arguments: Record<string, unknown>;
}

/** "X and Y" with a tool named in each part → two calls; otherwise the best single match. */
export function planCalls(text: string, tools: readonly AgentTool[]): PlannedCall[] {
  if (!text.trim() || tools.length === 0) return [];
  const parts = text.split(/\s+(?:and(?: then)?|&|then|also)\s+|[;]\s*/i).filter((part) => part.trim());
  if (parts.length >= 2) {
    const matched = parts
      .map((part) => ({ part, match: bestTool(part, tools) }))
      .filter((entry): entry is { part: string; match: Scored } => entry.match !== undefined)
      .slice(0, 2);
    // Two different tools, or the same one named twice ("search X and search Y").
    const [first, second] = matched;
    const distinct =
      first !== undefined &&
      second !== undefined &&
      (first.match.tool !== second.match.tool || matched.every((entry) => entry.match.named));
    if (distinct) return matched.map(({ part, match }) => ({ tool: match.tool, arguments: fillArguments(part, match.tool) }));
  }
  const best = bestTool(text, tools);
  return best ? [{ tool: best.tool, arguments: fillArguments(text, best.tool) }] : [];
}

interface Scored {
  tool: AgentTool;
  score: number;
  /** The message names the tool (all words of its name), not just its topic. */
  named: boolean;
}

function bestTool(text: string, tools: readonly AgentTool[]): Scored | undefined {
  const lower = text.toLowerCase();
  const words = new Set(stems(text));
  let best: Scored | undefined;
  for (const tool of tools) {
    const bare = bareToolName(tool.name);
    const nameWords = stems(bare.replace(/([a-z])([A-Z])/g, '$1 $2'));
    const named = lower.includes(bare.toLowerCase()) || (nameWords.length > 0 && nameWords.every((word) => words.has(word)));
    let score = named ? 100 + nameWords.length : 0;
    if (!named) {
      score += 2 * nameWords.filter((word) => words.has(word)).length;
      score += stems(tool.description).filter((word, index, all) => all.indexOf(word) === index && words.has(word)).length;
    }
    if (score >= MIN_DESCRIPTION_SCORE && (!best || score > best.score)) best = { tool, score, named };
  }
  return best;
}

function stems(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter((word) => !STOP_WORDS.has(word) && word.length > 1)
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
}

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
}

/** Arguments by schema: enums, numbers and quoted phrases when present; required strings from the message. */
export function fillArguments(text: string, tool: AgentTool): Record<string, unknown> {
  const properties = (tool.parameters.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set(Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : []);
  const quoted = [...text.matchAll(/"([^"]+)"|“([^”]+)”|'([^']{2,})'/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  // Numbers inside quotes or words ("sku-42") belong to those, not to numeric fields.
  const unquoted = text.replace(/"[^"]*"|“[^”]*”|'[^']{2,}'/g, ' ');
  const numbers = (unquoted.match(/(?<![\w.-])-?\d+(?:\.\d+)?(?![\w-])/g) ?? []).map(Number);
  const args: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(properties)) {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (Array.isArray(schema.enum)) {
      const choice = schema.enum.find((value) => typeof value === 'string' && new RegExp(`\\b${escapeRegExp(value)}\\b`, 'i').test(text));
      if (choice !== undefined) args[key] = choice;
      else if (required.has(key)) args[key] = schema.enum[0];
    } else if (type === 'number' || type === 'integer') {
      const value = numbers.shift();
      if (value !== undefined) args[key] = type === 'integer' ? Math.trunc(value) : value;
      else if (required.has(key)) args[key] = 1;
    } else if (type === 'boolean') {
      if (required.has(key)) args[key] = !/\b(no|not|don't|false)\b/i.test(text);
    } else if (type === 'string' || type === undefined) {
      const value = quoted.shift() ?? (required.has(key) ? stringFromMessage(key, text, tool) : undefined);
      if (value) args[key] = value;
    }
  }
  return args;
}

/** A code-like word for code/id keys, else what follows "for" or the tool's name words. */
function stringFromMessage(key: string, text: string, tool: AgentTool): string | undefined {
  if (/code|coupon|sku|id$/i.test(key)) {
    const code = text.match(/\b(?=[A-Z0-9_-]*\d)(?=[A-Z0-9_-]*[A-Z])[A-Z0-9_-]{3,}\b/);
    if (code) return code[0];
  }
  const after = text.match(/\b(?:for|about|named|called)\s+(.+)$/i)?.[1];
  if (after !== undefined) return clean(after);
  const nameWords = new Set(stems(bareToolName(tool.name)));
  const rest = (text.match(/[\p{L}\p{N}'-]+/gu) ?? []).filter((word) => {
    const [stem] = stems(word);
    return stem !== undefined && !nameWords.has(stem);
  });
  return rest.length > 0 ? clean(rest.join(' ')) : undefined;
}

function clean(text: string): string {
  return text.replace(/[\s.?!,;:]+$/u, '').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lastUserText(messages: readonly AgentMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return message.content;
  }
  return '';
}

function trailingToolResults(messages: readonly AgentMessage[]): Extract<AgentMessage, { role: 'tool' }>[] {
  const results: Extract<AgentMessage, { role: 'tool' }>[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'tool') break;
    results.unshift(message);
  }
  return results;
}

function replyToResults(results: readonly Extract<AgentMessage, { role: 'tool' }>[]): string {
  const lines = results.map((result) => {
    const name = bareToolName(result.name);
    const content = result.content.length > MAX_QUOTED_RESULT ? `${result.content.slice(0, MAX_QUOTED_RESULT)}…` : result.content;
    return result.isError ? `- **${name}** failed: ${content}` : `- **${name}** returned: ${content}`;
  });
  const intro = results.some((result) => result.isError) ? 'Here is how that went:' : 'Here is what I found:';
  return `${intro}\n\n${lines.join('\n')}\n\nAnything else?`;
}

function defaultAnswer(text: string, tools: readonly AgentTool[]): string {
  const heard = text.trim() ? `You said: *${text.trim().slice(0, 200)}*\n\n` : '';
  const [first] = tools;
  if (!first) {
    return `${heard}I'm the **reference agent**, a scripted stand-in for a model. No tools are available to me on this page right now, so I can only chat.`;
  }
  const list = tools.map((tool) => `- \`${bareToolName(tool.name)}\`: ${tool.description}`).join('\n');
  const example = bareToolName(first.name).replace(/[_.-]+/g, ' ');
  return `${heard}I'm the **reference agent**, a scripted stand-in for a model. I can use these tools:\n\n${list}\n\nName one and I'll call it, for example *${example}*.`;
}

/** Splits text into a few words per delta, so it streams the way a model's output does. */
function* deltas(text: string): Generator<AgentStep> {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [];
  for (let i = 0; i < pieces.length; i += 3) yield { type: 'text', delta: pieces.slice(i, i + 3).join('') };
}
