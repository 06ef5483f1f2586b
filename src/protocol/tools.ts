import { z } from './zod.js';
import { LIMITS, TOOL_NAME_PATTERN, utf8Length } from './limits.js';

export const jsonObjectSchema = z.record(z.string(), z.unknown());

export const ClientToolSchema = z.looseObject({
  name: z.string(),
  description: z.string(),
  parametersSchema: z.looseObject({ type: z.literal('object') }),
  origin: z.enum(['webmcp', 'sdk']),
  pageOrigin: z.optional(z.string()),
  untrustedContentHint: z.optional(z.boolean()),
});
export type ClientTool = z.infer<typeof ClientToolSchema>;

/** Why a single tool breaks the limits; `undefined` when it is fine. */
export function toolLimitProblem(tool: Pick<ClientTool, 'name' | 'description'>): string | undefined {
  if (!TOOL_NAME_PATTERN.test(tool.name)) {
    return `name must be 1–${LIMITS.maxToolNameLength} characters of [A-Za-z0-9_.-]`;
  }
  if (tool.description.length < 1) return 'description is empty';
  if (tool.description.length > LIMITS.maxDescriptionLength) {
    return `description is over ${LIMITS.maxDescriptionLength} characters`;
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
  if (tools.length > LIMITS.maxClientTools) {
    return { tool: tools[LIMITS.maxClientTools]?.name, message: `at most ${LIMITS.maxClientTools} client tools` };
  }
  const seen = new Set<string>();
  for (const tool of tools) {
    const problem = toolLimitProblem(tool);
    if (problem) return { tool: tool.name, message: problem };
    if (seen.has(tool.name)) return { tool: tool.name, message: 'duplicate tool name' };
    seen.add(tool.name);
  }
  const bytes = utf8Length(JSON.stringify(tools));
  if (bytes > LIMITS.maxClientToolsBytes) {
    return { tool: tools[tools.length - 1]?.name, message: `clientTools is ${bytes} bytes, over ${LIMITS.maxClientToolsBytes}` };
  }
  return undefined;
}
