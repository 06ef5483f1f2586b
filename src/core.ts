/**
 * `webmcp-chat/core`: the WebMCP bridge and the headless conversation, for an
 * SPA that brings its own UI. No Preact, no DOM of ours.
 */
export * from './client/index.js';
export {
  createBridge,
  createMemoryApprovalStore,
  defineTool,
  installPolyfill,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESULT_BYTES,
  type BridgeOptions,
  type ApprovalMemory,
} from './bridge/index.js';
export type * from './bridge/types.js';
