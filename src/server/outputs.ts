/**
 * Tool outputs as a resume carries them: `{result}`, `{error}`, MCP-shaped
 * `{content, isError}` or a bare value, made into one shape for the log and
 * the agent.
 */
export interface NormalizedOutput {
  success: boolean;
  result?: unknown;
  error?: string;
  /** What the agent reads as the tool message. */
  text: string;
}

export function normalizeOutput(output: unknown): NormalizedOutput {
  if (isRecord(output)) {
    if ('error' in output && output.error !== undefined && output.error !== null) {
      const error = typeof output.error === 'string' ? output.error : JSON.stringify(output.error);
      return { success: false, error, text: error };
    }
    if ('result' in output) return { success: true, result: output.result, text: asText(output.result) };
    if (Array.isArray(output.content)) {
      const text = output.content
        .map((part) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
        .filter(Boolean)
        .join('\n');
      if (output.isError === true) return { success: false, error: text || 'the tool reported an error', text };
      return { success: true, result: text, text };
    }
  }
  return { success: true, result: output, text: asText(output) };
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? 'null';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
