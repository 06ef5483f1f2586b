/**
 * The state a chat panel renders, as plain immutable data.
 *
 * How to bind a UI to it (the contract with src/ui/):
 * - `session.state` is a signal holding one `ChatState`; `session.signals`
 *   has one computed signal per field (`status`, `messages`, `toolCalls`, …),
 *   so a component re-renders only when its slice changes.
 * - Every update replaces only what changed: an untouched message, part or
 *   tool call keeps its identity (`===`), so memoised components skip it.
 * - Streaming text: a `TextPart`/`ReasoningPart` only grows by appending
 *   while `done` is false. A renderer may remember how many characters it
 *   painted and paint `part.text.slice(painted)`. If the server's final text
 *   differs from what streamed, the part's `rewrites` counter goes up: then
 *   re-render the part from scratch.
 * - Tool calls live in `toolCalls` by id; a message holds `{type:'tool-call',
 *   toolCallId}` where the call happened in the flow of the answer.
 * - Model text, tool arguments and results are untrusted data: render as text.
 */
import type { AdmissionEventData } from '../protocol/index.js';
import type { ApprovalDecision, ApprovalRecord, ApprovalRequest, DroppedTool, WebMcpKind } from '../bridge/types.js';
import type { ChatError } from './errors.js';
import { idRecord } from './id-record.js';

export type ChatStatus = 'idle' | 'connecting' | 'streaming' | 'running-tools' | 'awaiting-approval' | 'error';

export interface TextPart {
  readonly type: 'text';
  /** The server's text block id. */
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
  /** Goes up when the text was replaced rather than appended to. */
  readonly rewrites: number;
  /** Text a sub-agent streamed inside this tool call: shown with the call, never part of the answer. */
  readonly parentToolCallId?: string;
}

export interface ReasoningPart {
  readonly type: 'reasoning';
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
  readonly rewrites: number;
}

export interface ToolCallPart {
  readonly type: 'tool-call';
  readonly toolCallId: string;
}

export type MessagePart = TextPart | ReasoningPart | ToolCallPart;

export interface MessageState {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly parts: readonly MessagePart[];
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Assistant: the run it belongs to. */
  readonly executionId?: string;
  /** Assistant: true while frames may still add to it. */
  readonly streaming: boolean;
  /** User: the request carrying it failed before the server took it; the text is also in `draft`. */
  readonly failed?: boolean;
}

export type ToolCallStatus =
  /** Awaited by the server, not yet started here. */
  | 'pending'
  | 'awaiting-approval'
  | 'running'
  | 'done'
  | 'failed'
  | 'declined'
  | 'timed-out'
  | 'cancelled'
  /** The page reloaded while it ran; reported to the server as an error, never re-run. */
  | 'interrupted';

export interface ToolCallState {
  /** The `toolCallId`. */
  readonly id: string;
  /** Bare name (no `webmcp:` prefix). */
  readonly name: string;
  readonly title?: string;
  readonly arguments: unknown;
  /** `client`: runs in this page (an `await`); `server`: the agent ran it (`tool_start`). */
  readonly kind: 'client' | 'server';
  readonly status: ToolCallStatus;
  /** `webmcp` | `sdk` for client tools, the server's value otherwise. */
  readonly origin?: string;
  readonly pageOrigin?: string;
  readonly executionId?: string;
  readonly messageId?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly durationMs?: number;
  readonly result?: unknown;
  readonly error?: string;
  /** The tool declared `untrustedContentHint`: show its result as untrusted. */
  readonly untrusted: boolean;
  readonly truncated: boolean;
  readonly approval?: ApprovalRecord;
}

export interface PendingApproval extends ApprovalRequest {
  readonly requestedAt: number;
}

export interface ChatState {
  readonly status: ChatStatus;
  readonly messages: readonly MessageState[];
  readonly toolCalls: Readonly<Record<string, ToolCallState>>;
  /** Calls waiting for the person; answer with `session.approve(toolCallId, decision)`. */
  readonly pendingApprovals: readonly PendingApproval[];
  readonly error: ChatError | null;
  /** Text to put back in the composer after a failure (what the person typed). */
  readonly draft: string | null;
  readonly welcomeMessage?: string;
  readonly placeholder?: string;
  readonly sessionId?: string;
  /** The run in progress, if any. */
  readonly executionId?: string;
  /** The last `custom` `webmcp.admission` event: which tools the server admitted or dropped. */
  readonly admission: AdmissionEventData | null;
  /** Tools the bridge left out of the last snapshot, and why. */
  readonly droppedTools: readonly DroppedTool[];
  readonly bridgeKind: WebMcpKind;
  /** Frames that could not be understood this run (kept, not fatal). */
  readonly protocolErrors: readonly string[];
}

export type { ApprovalDecision };

/** What a new page restores: the conversation as saved, and the run it continues (if any). */
export interface RestoredConversation {
  readonly messages: readonly MessageState[];
  readonly toolCalls: Readonly<Record<string, ToolCallState>>;
  readonly executionId?: string;
}

export function initialChatState(): ChatState {
  return {
    status: 'idle',
    messages: [],
    toolCalls: idRecord(),
    pendingApprovals: [],
    error: null,
    draft: null,
    admission: null,
    droppedTools: [],
    bridgeKind: 'none',
    protocolErrors: [],
  };
}

/** Terminal statuses: the call's output is known. */
export function isToolCallFinished(status: ToolCallStatus): boolean {
  return status !== 'pending' && status !== 'awaiting-approval' && status !== 'running';
}

/** The plain text of a message's text parts (reasoning and sub-agent text excluded): what the assistant said. */
export function messageText(message: MessageState): string {
  let text = '';
  for (const part of message.parts) if (part.type === 'text' && part.parentToolCallId === undefined) text += part.text;
  return text;
}
