/**
 * What a tool answered, as the `{result}` or `{error}` posted to resume.
 * Implementations answer strings (native, MCP-B and our polyfill serialise to
 * JSON; a tool's own string comes back raw), the older testing API may answer
 * anything, and many tools answer MCP's `{content:[{type:"text",text}], isError}`.
 * Results are untrusted page data: sized in UTF-8 and cut to a cap, with a mark
 * the model and the person can see.
 */
import { utf8Length } from '../protocol/limits.js';
import { safeJsonStringify } from './json-safe.js';
import type { ToolOutput } from './types.js';

export const DEFAULT_MAX_RESULT_BYTES = 32 * 1024;
export const MAX_ERROR_CHARS = 2000;

export interface NormalizedResult {
  output: ToolOutput;
  truncated: boolean;
}

interface McpContent {
  content: Array<{ type?: unknown; text?: unknown; mimeType?: unknown }>;
  isError?: unknown;
  structuredContent?: unknown;
}

function isMcpContent(value: unknown): value is McpContent {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as McpContent).content) &&
    (value as McpContent).content.every((part) => typeof part === 'object' && part !== null && typeof part.type === 'string')
  );
}

/** Text parts joined; other parts named so the model knows they were there. */
function mcpText(value: McpContent): string {
  return value.content
    .map((part) =>
      part.type === 'text' && typeof part.text === 'string'
        ? part.text
        : `[${String(part.type)}${typeof part.mimeType === 'string' ? ` ${part.mimeType}` : ''} content omitted]`,
    )
    .join('\n');
}

/** Parses what the implementation answered; the raw string when it is not JSON. */
export function decodeToolAnswer(answer: unknown): unknown {
  if (typeof answer !== 'string') return answer === undefined ? null : JSON.parse(safeJsonStringify(answer));
  // Native and polyfills answer "undefined" for a tool that returned nothing:
  // the model gets `null`, an honest "no value".
  if (answer === 'undefined') return null;
  try {
    return JSON.parse(answer);
  } catch {
    return answer;
  }
}

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder();

/** The first `maxBytes` of UTF-8, never splitting a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end));
}

export function truncationMark(totalBytes: number, maxBytes: number): string {
  return `\n…[truncated: the tool's result was ${totalBytes} bytes; only the first ${maxBytes} are shown]`;
}

export function capError(message: string): string {
  return message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS)}…[truncated]` : message;
}

export function normalizeResult(answer: unknown, maxBytes: number = DEFAULT_MAX_RESULT_BYTES): NormalizedResult {
  let value = decodeToolAnswer(answer);
  if (isMcpContent(value)) {
    if (value.isError === true)
      return { output: { error: capError(mcpText(value) || 'The tool reported an error without a message.') }, truncated: false };
    const hasText = value.content.some((part) => part.type === 'text');
    value = hasText || value.structuredContent === undefined ? mcpText(value) : value.structuredContent;
  }
  const text = typeof value === 'string' ? value : safeJsonStringify(value);
  const bytes = utf8Length(text);
  if (bytes <= maxBytes) return { output: { result: value }, truncated: false };
  // Cut as text: a cut JSON object is no longer an object, and saying so
  // plainly beats a silently smaller one.
  return { output: { result: cutUtf8(text, maxBytes) + truncationMark(bytes, maxBytes) }, truncated: true };
}
