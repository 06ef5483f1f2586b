/**
 * Two views of the conversation: the audit trail a host logs (what each tool
 * did, with what input, approved by whom) and the `messages` the chat
 * request carries.
 */
import type { ApprovalRecord } from '../bridge/types.js';
import type { ChatMessage } from '../protocol/index.js';
import { isToolCallFinished, messageText, type ChatState, type MessageState } from './state.js';

export interface TranscriptToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

export interface TranscriptToolResult {
  id: string;
  name: string;
  result: unknown;
  error: string | null;
  durationMs: number | null;
  /** Who let it run; `null` for tools the server ran. */
  approval: ApprovalRecord | null;
  status: string;
}

export interface TranscriptEntry {
  role: 'user' | 'assistant';
  /** `null` for a tool-only turn. */
  content: string | null;
  /** ISO 8601. */
  timestamp: string;
  toolCalls: TranscriptToolCall[];
  toolResults: TranscriptToolResult[];
}

export function buildTranscript(state: Pick<ChatState, 'messages' | 'toolCalls'>): TranscriptEntry[] {
  return state.messages.map((message) => {
    const toolCalls: TranscriptToolCall[] = [];
    const toolResults: TranscriptToolResult[] = [];
    for (const part of message.parts) {
      if (part.type !== 'tool-call') continue;
      const call = state.toolCalls[part.toolCallId];
      if (!call) continue;
      toolCalls.push({ id: call.id, name: call.name, arguments: call.arguments });
      if (isToolCallFinished(call.status)) {
        toolResults.push({
          id: call.id,
          name: call.name,
          result: call.result ?? null,
          error: call.error ?? null,
          durationMs: call.durationMs ?? null,
          approval: call.kind === 'client' ? (call.approval ?? null) : null,
          status: call.status,
        });
      }
    }
    const text = messageText(message);
    return {
      role: message.role,
      content: text === '' ? null : text,
      timestamp: new Date(message.createdAt).toISOString(),
      toolCalls,
      toolResults,
    };
  });
}

/**
 * The `messages` of a chat request: every user and assistant message up to
 * the last user message (a retry resends the question, not a half answer).
 */
export function toWireMessages(messages: readonly MessageState[]): ChatMessage[] {
  let end = messages.length;
  while (end > 0 && messages[end - 1]?.role !== 'user') end -= 1;
  const wire: ChatMessage[] = [];
  for (const message of messages.slice(0, end)) {
    const text = messageText(message);
    if (message.role === 'assistant' && text === '') continue;
    wire.push({ id: message.id, role: message.role, content: text });
  }
  return wire;
}
