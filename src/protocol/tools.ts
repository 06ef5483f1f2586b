/**
 * Client tools and their limits. No zod here: the widget imports these, and
 * the zod schema for request bodies (server side) lives in schemas.ts.
 */
import {
  MAX_CLIENT_TOOLS,
  MAX_CLIENT_TOOLS_BYTES,
  MAX_DESCRIPTION_LENGTH,
  MAX_TOOL_NAME_LENGTH,
  TOOL_NAME_PATTERN,
  utf8Length,
} from './limits.js';

/** A tool the page offers the agent (docs/protocol.md `ClientTool`). */
export interface ClientTool {
  /** Bare name: no `webmcp:` prefix. */
  name: string;
  description: string;
  parametersSchema: { type: 'object'; [keyword: string]: unknown };
  origin: 'webmcp' | 'sdk';
  pageOrigin?: string;
  untrustedContentHint?: boolean;
  [field: string]: unknown;
}

/** Why a single tool breaks the limits; `undefined` when it is fine. */
export function toolLimitProblem(tool: Pick<ClientTool, 'name' | 'description'>): string | undefined {
  if (!TOOL_NAME_PATTERN.test(tool.name)) {
    return `name must be 1–${MAX_TOOL_NAME_LENGTH} characters of [A-Za-z0-9_.-]`;
  }
  if (tool.description.length < 1) return 'description is empty';
  if (tool.description.length > MAX_DESCRIPTION_LENGTH) {
    return `description is over ${MAX_DESCRIPTION_LENGTH} characters`;
  }
  return undefined;
}

export interface ToolSetProblem {
  /** The tool at fault, when one can be named. */
  tool?: string;
  message: string;
}

/**
 * Checks a whole `clientTools` array against the contract's limits, in the
 * order a reader would: count, size, then each tool. Returns the first problem.
 */
export function toolSetProblem(tools: readonly ClientTool[]): ToolSetProblem | undefined {
  if (tools.length > MAX_CLIENT_TOOLS) {
    return { tool: tools[MAX_CLIENT_TOOLS]?.name, message: `at most ${MAX_CLIENT_TOOLS} client tools` };
  }
  const seen = new Set<string>();
  for (const tool of tools) {
    const problem = toolLimitProblem(tool);
    if (problem) return { tool: tool.name, message: problem };
    if (seen.has(tool.name)) return { tool: tool.name, message: 'duplicate tool name' };
    seen.add(tool.name);
  }
  const bytes = utf8Length(JSON.stringify(tools));
  if (bytes > MAX_CLIENT_TOOLS_BYTES) {
    return { tool: tools[tools.length - 1]?.name, message: `clientTools is ${bytes} bytes, over ${MAX_CLIENT_TOOLS_BYTES}` };
  }
  return undefined;
}
