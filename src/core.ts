/**
 * `webmcp-chat/core`: the WebMCP bridge and the headless conversation, for an
 * SPA that brings its own UI. No Preact, no DOM of ours.
 *
 * The list is explicit on purpose: everything here is public API, documented
 * in the README ("Headless: webmcp-chat/core") and pinned by
 * test/unit/exports.test.ts. Internals (the reducer, the API client, the
 * stream reader, storage helpers) stay out, so they can change freely.
 */

// The conversation: one session per chat, its state and its errors.
export { createChatSession, type ChatSession, type ChatSessionOptions, type ChatSignals } from './client/session.js';
export type { ChatEvents } from './client/chat-events.js';
export { ChatError, isChatError, type ChatErrorCode } from './client/errors.js';
export { isToolCallFinished, messageText } from './client/state.js';
export type {
  ChatState,
  ChatStatus,
  MessageState,
  MessagePart,
  TextPart,
  ReasoningPart,
  ToolCallPart,
  ToolCallState,
  ToolCallStatus,
  PendingApproval,
} from './client/state.js';
export type { TranscriptEntry, TranscriptToolCall, TranscriptToolResult } from './client/transcript.js';
export { memoryStore, type KeyValueStore, type StorageKind } from './client/persistence.js';
export type { Listener } from './client/emitter.js';

// The bridge: the page's WebMCP tools, snapshotted and run.
export {
  createBridge,
  createMemoryApprovalStore,
  defineTool,
  installPolyfill,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESULT_BYTES,
  type BridgeOptions,
  type ApprovalMemory,
  type DefineToolOptions,
  type Unregister,
} from './bridge/index.js';
export type * from './bridge/types.js';
