/**
 * The public events, derived from what one dispatch changed: the session
 * emits them right after the state moves, so an event and the state a
 * listener reads can never disagree.
 */
import type { ChatError } from './errors.js';
import type { ChatAction } from './reducer.js';
import type { ChatState, ChatStatus, MessageState, ToolCallState } from './state.js';

export interface ChatEvents {
  message: MessageState;
  toolcall: ToolCallState;
  toolresult: ToolCallState;
  error: ChatError;
  status: ChatStatus;
}

export type ChatEvent = { [K in keyof ChatEvents]: [K, ChatEvents[K]] }[keyof ChatEvents];

export function chatEvents(action: ChatAction, before: ChatState, after: ChatState): ChatEvent[] {
  const events: ChatEvent[] = [];
  if (after.status !== before.status) events.push(['status', after.status]);
  switch (action.type) {
    case 'user_message': {
      const message = after.messages.at(-1);
      if (message) events.push(['message', message]);
      break;
    }
    case 'frame': {
      const event = action.event;
      if (event.type === 'tool_start' || event.type === 'await') {
        // One `toolcall` per call, when it first appears (a replayed frame adds nothing).
        const call = after.toolCalls[event.toolCallId];
        if (call && !before.toolCalls[event.toolCallId]) events.push(['toolcall', call]);
      } else if (event.type === 'tool_complete') {
        // A client call's result is announced when this page measured it (tool_outcome).
        const call = after.toolCalls[event.toolCallId];
        if (call?.kind === 'server' && call !== before.toolCalls[event.toolCallId]) events.push(['toolresult', call]);
      } else if (event.type === 'execution_complete') {
        const last = after.messages.at(-1);
        if (last?.role === 'assistant') events.push(['message', last]);
      }
      break;
    }
    case 'tool_outcome': {
      const call = after.toolCalls[action.toolCallId];
      if (call && call !== before.toolCalls[action.toolCallId]) events.push(['toolresult', call]);
      break;
    }
    case 'error':
      events.push(['error', action.error]);
      break;
  }
  return events;
}
