/**
 * The conversation without a face: API client, turn loop, reducer, session
 * and transcript persistence. Public surface of `webmcp-chat/core` (with the bridge).
 */
export { createChatSession, type ChatSession, type ChatSessionOptions, type ChatSignals } from './session.js';
export { createApiClient, type ApiClient, type ApiClientOptions } from './api-client.js';
export { ChatError, isChatError, defaultHint, type ChatErrorCode } from './errors.js';
export { Emitter, type Listener } from './emitter.js';
export { reduce, type ChatAction } from './reducer.js';
export { buildTranscript, toWireMessages, type TranscriptEntry, type TranscriptToolCall, type TranscriptToolResult } from './transcript.js';
export { memoryStore, openStore, storeName, persistedApprovalMemory, type KeyValueStore, type StorageKind } from './persistence.js';
export { CANCELLED_OUTPUT, INTERRUPTED_OUTPUT } from './tool-round.js';
export type { ChatEvents } from './chat-events.js';
export { readEventStream, type StreamItem } from './event-stream.js';
export {
  initialChatState,
  isToolCallFinished,
  messageText,
  type ChatState,
  type ChatStatus,
  type MessageState,
  type MessagePart,
  type TextPart,
  type ReasoningPart,
  type ToolCallPart,
  type ToolCallState,
  type ToolCallStatus,
  type PendingApproval,
} from './state.js';
