/**
 * `webmcp-chat`: the widget for SPAs. `createChat()` mounts it; `defineTool()`
 * registers a typed page tool with WebMCP. The headless pieces are in
 * `webmcp-chat/core`, the polyfill in `webmcp-chat/polyfill`.
 */
export { createChat, defineChatElement, type ChatWidget } from './embed/create-chat.js';
export { WebMCPChatElement } from './embed/element.js';
export type {
  ChatOptions,
  ChatEventName,
  ChatEventMap,
  ChatCommands,
  ChatMessageEvent,
  ChatStringKey,
  Corner,
  ColorScheme,
} from './embed/options.js';
export type { ChatSession, ChatError, ChatErrorCode } from './core.js';
export { defineTool, type DefineToolOptions, type Unregister } from './bridge/define-tool.js';
