/**
 * What plays the model. The engine hands an agent the conversation so far and
 * the tools it may call, and reads back a stream of steps. The shapes follow
 * OpenAI-style chat completions (messages with tool calls and tool results,
 * tools with a JSON-schema `parameters`), so a remote model can be adapted
 * later without the engine changing.
 */
export interface AgentTool {
  /** As the model sees it: `webmcp:<name>` for page tools, bare for sdk tools. */
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface AgentToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type AgentMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: AgentToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

export interface AgentRequest {
  executionId: string;
  /** 1 for the first model call of an execution, counting on across resumes. */
  iteration: number;
  messages: readonly AgentMessage[];
  tools: readonly AgentTool[];
  signal: AbortSignal;
}

export type AgentStep =
  | { type: 'text'; delta: string }
  | { type: 'reasoning'; delta: string }
  /** `id` is optional: the engine assigns one when the agent has none. */
  | { type: 'tool_call'; id?: string; name: string; arguments?: Record<string, unknown> }
  /** Ends the whole run after this turn, whatever else the turn did. */
  | { type: 'end'; success?: boolean; stopReason?: string }
  /** Ends the run with `execution_error`. */
  | { type: 'error'; message: string; code?: string }
  /**
   * A public-API frame the engine does not model itself, passed through as
   * is: a server tool's `tool_start`/`tool_complete`, a sub-agent's text
   * (`parentToolCallId`), a recoverable `error`, `custom`, `media_*`, … The
   * run's own frames (`execution_*`, `turn_*`, `await`) stay the engine's.
   */
  | { type: 'event'; event: string; fields: Record<string, unknown> };

/** Frames only the engine writes: they drive the run's state. */
export const ENGINE_OWNED_EVENTS: readonly string[] = [
  'execution_start',
  'execution_complete',
  'execution_error',
  'turn_start',
  'turn_complete',
  'await',
];

export interface Agent {
  readonly name: string;
  run(request: AgentRequest): AsyncIterable<AgentStep>;
}
