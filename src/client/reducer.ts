/**
 * The pure core: `(state, action) → state`, no I/O. Stream frames come in as
 * `{type:'frame'}`; everything the turn loop learns at the edges (a tool's
 * phase, its outcome, an error) comes in as its own action.
 *
 * Incremental by construction: a delta replaces one part of one message and
 * the array slots that point at it; no other message or text is copied.
 */
import {
  ADMISSION_EVENT_NAME,
  bareToolName,
  checkShape,
  customValue,
  type AdmissionEventData,
  type StreamEvent,
} from '../protocol/index.js';
import type { ApprovalRequest, DroppedTool, ToolRunOutcome, WebMcpKind } from '../bridge/types.js';
import { errorMessage } from '../shared/error-message.js';
import type { ChatError } from './errors.js';
import { idRecord } from './id-record.js';
import { sameFields } from '../shared/same-fields.js';
import {
  initialChatState,
  type RestoredConversation,
  isToolCallFinished,
  type ChatState,
  type ChatStatus,
  type MessagePart,
  type MessageState,
  type PendingApproval,
  type ToolCallState,
  type ToolCallStatus,
} from './state.js';

export type ChatAction =
  | { type: 'session'; sessionId: string; welcomeMessage?: string; placeholder?: string }
  | { type: 'user_message'; id: string; text: string; at: number }
  | { type: 'request_start' }
  | { type: 'snapshot'; dropped: readonly DroppedTool[]; bridgeKind: WebMcpKind }
  | { type: 'frame'; event: StreamEvent; at: number }
  | { type: 'protocol_error'; message: string }
  | { type: 'tool_phase'; toolCallId: string; phase: 'awaiting-approval' | 'running'; at: number; approval?: ApprovalRequest }
  | { type: 'tool_outcome'; toolCallId: string; outcome: ToolRunOutcome; at: number }
  | { type: 'tool_interrupted'; toolCallId: string; error: string; at: number }
  | { type: 'tools_resumed' }
  | { type: 'cancelled'; at: number }
  /** `keepRun`: the run may still be picked up (replay), so its message stays open. */
  | { type: 'error'; error: ChatError; draft?: string; keepRun?: boolean }
  /** What a new page shows of an earlier one, and the run it continues (if any). */
  | { type: 'restore'; snapshot: RestoredConversation }
  /** Another tab owns the run: show what it shows (tabs/coordinator.ts). */
  | { type: 'mirror'; state: Pick<ChatState, 'messages' | 'toolCalls' | 'pendingApprovals' | 'status'> }
  | { type: 'clear' };

/** What an admission event must carry to be kept (the rest of it the UI reads as it comes). */
const ADMISSION_SHAPE = { admitted: 'array', dropped: 'array' } as const;

/** Bounded, so a misbehaving server cannot grow memory without end. */
const MAX_PROTOCOL_ERRORS = 20;

export function reduce(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'session':
      return {
        ...state,
        sessionId: action.sessionId,
        welcomeMessage: action.welcomeMessage ?? state.welcomeMessage,
        placeholder: action.placeholder ?? state.placeholder,
      };
    case 'user_message': {
      // A failed message that was put back in the composer is replaced by what is sent now.
      const last = state.messages.at(-1);
      const kept = last?.role === 'user' && last.failed ? state.messages.slice(0, -1) : state.messages;
      const message: MessageState = {
        id: action.id,
        role: 'user',
        parts: [{ type: 'text', id: action.id, text: action.text, done: true, rewrites: 0 }],
        createdAt: action.at,
        streaming: false,
      };
      return { ...state, messages: [...kept, message], status: 'connecting', error: null, draft: null, protocolErrors: [] };
    }
    case 'request_start':
      return { ...state, status: 'connecting', error: null, draft: null, messages: markLastUser(state.messages, false) };
    case 'snapshot':
      // Tools are listed again after every round: an unchanged list keeps its identity (nothing to re-render).
      if (state.bridgeKind === action.bridgeKind && JSON.stringify(state.droppedTools) === JSON.stringify(action.dropped)) return state;
      return { ...state, droppedTools: action.dropped, bridgeKind: action.bridgeKind };
    case 'frame':
      return reduceFrame(state, action.event, action.at);
    case 'protocol_error': {
      const errors = [...state.protocolErrors, action.message];
      return { ...state, protocolErrors: errors.length > MAX_PROTOCOL_ERRORS ? errors.slice(-MAX_PROTOCOL_ERRORS) : errors };
    }
    case 'tool_phase':
      return updateOpenCall(
        state,
        action.toolCallId,
        (call) => ({
          ...call,
          status: action.phase,
          startedAt: action.phase === 'running' ? action.at : call.startedAt,
        }),
        action.phase === 'awaiting-approval' && action.approval ? { ...action.approval, requestedAt: action.at } : undefined,
      );
    case 'tool_outcome': {
      // The outcome's own fields (status, duration, approval, untrusted, truncated, pageOrigin) as they are.
      const { at } = action;
      const { output, ...measured } = action.outcome;
      const { result, error } = output as { result?: unknown; error?: string };
      return updateOpenCall(state, action.toolCallId, (call) => ({
        ...call,
        ...measured,
        endedAt: at,
        startedAt: call.startedAt ?? at - measured.durationMs,
        result,
        error,
      }));
    }
    case 'tool_interrupted':
      // No status of its own: recovery on a new page sets the run's status as it goes on.
      return updateOpenCall(
        state,
        action.toolCallId,
        (call) => ({ ...call, status: 'interrupted', error: action.error, endedAt: action.at }),
        undefined,
        false,
      );
    case 'tools_resumed':
      return { ...state, status: 'connecting' };
    case 'cancelled': {
      let next = state;
      for (const call of Object.values(state.toolCalls)) {
        if (!isToolCallFinished(call.status)) {
          next = withToolCall(next, {
            ...call,
            status: 'cancelled',
            error: 'cancelled by the user',
            endedAt: action.at,
            durationMs: since(call, action.at),
          });
        }
      }
      return endRun(next, 'idle');
    }
    case 'error': {
      const next = action.keepRun ? { ...state, status: 'error' as const, pendingApprovals: [] } : endRun(state, 'error');
      const messages = action.draft === undefined ? next.messages : markLastUser(next.messages, true);
      return { ...next, messages, error: action.error, draft: action.draft ?? next.draft };
    }
    case 'restore': {
      const { messages, toolCalls, executionId } = action.snapshot;
      return { ...state, messages, toolCalls: idRecord(toolCalls), executionId };
    }
    case 'mirror': {
      const { messages, toolCalls, pendingApprovals, status } = action.state;
      // The same calls as before keep the same record: a copy would look like a change to the panel.
      const same = sameFields(state.toolCalls, toolCalls);
      return { ...state, messages, toolCalls: same ? state.toolCalls : idRecord(toolCalls), pendingApprovals, status };
    }
    case 'clear':
      return {
        ...initialChatState(),
        sessionId: state.sessionId,
        welcomeMessage: state.welcomeMessage,
        placeholder: state.placeholder,
        bridgeKind: state.bridgeKind,
        droppedTools: state.droppedTools,
      };
  }
}

function reduceFrame(state: ChatState, event: StreamEvent, at: number): ChatState {
  const runState = trackRun(state, event);
  switch (event.type) {
    case 'execution_start':
    case 'turn_start':
      return streaming(ensureAssistant(runState, at));
    case 'text_start':
    case 'reasoning_start':
    case 'text_delta':
    case 'reasoning_delta':
      return streaming(upsertPart(runState, at, event, (part) => ('delta' in event ? { ...part, text: part.text + event.delta } : part)));
    case 'text_complete':
    case 'reasoning_complete': {
      const final = event.text;
      return upsertPart(runState, at, event, (part) =>
        final === undefined || final === part.text
          ? { ...part, done: true }
          : { ...part, text: final, done: true, rewrites: part.rewrites + 1 },
      );
    }
    case 'tool_start':
    case 'await': {
      const withMessage = ensureAssistant(runState, at);
      if (withMessage.toolCalls[event.toolCallId]) return withMessage;
      const client = event.type === 'await';
      const message = lastMessage(withMessage);
      const next = withToolCall(
        replaceLast(withMessage, { ...message, parts: [...message.parts, { type: 'tool-call', toolCallId: event.toolCallId }] }),
        {
          id: event.toolCallId,
          name: bareToolName(event.toolName),
          arguments: client ? (event.parameters ?? {}) : event.parameters,
          kind: client ? 'client' : 'server',
          status: client ? 'pending' : 'running',
          origin: event.origin,
          untrusted: false,
          truncated: false,
          executionId: withMessage.executionId,
          messageId: message.id,
          ...(client ? {} : { startedAt: at }),
        },
      );
      return client ? { ...next, status: 'running-tools' } : next;
    }
    case 'tool_complete': {
      const call = runState.toolCalls[event.toolCallId];
      // A client call's outcome is what this page measured; the server's echo adds nothing.
      if (!call || call.kind === 'client') return runState;
      return withToolCall(runState, {
        ...call,
        status: event.success ? 'done' : 'failed',
        result: event.result,
        error: event.success ? undefined : errorMessage(event.error),
        endedAt: at,
        durationMs: event.executionTime ?? since(call, at),
      });
    }
    case 'execution_complete':
      return endRun(runState, 'idle');
    case 'execution_error':
      // The turn loop turns this into a ChatError action; here the run just ends.
      return endRun(runState, runState.status);
    case 'custom': {
      if (event.name !== ADMISSION_EVENT_NAME) return runState;
      const admission = checkShape(customValue(event), ADMISSION_SHAPE);
      return admission.ok ? { ...runState, admission: admission.value as AdmissionEventData } : runState;
    }
    case 'turn_complete':
    case 'error':
    case 'ping':
    case 'unknown':
      return runState;
  }
}

function streaming(state: ChatState): ChatState {
  return state.status === 'streaming' ? state : { ...state, status: 'streaming' };
}

/** Milliseconds since the call started here, if it did. */
function since(call: ToolCallState, at: number): number | undefined {
  return call.startedAt === undefined ? undefined : at - call.startedAt;
}

/** The run the frames belong to (the turn loop keeps the position within it). */
function trackRun(state: ChatState, event: StreamEvent): ChatState {
  if (event.type === 'unknown' || event.executionId === undefined || event.executionId === state.executionId) return state;
  return { ...state, executionId: event.executionId };
}

/** The assistant message of the run in progress, created on first need. */
function ensureAssistant(state: ChatState, at: number): ChatState {
  const last = state.messages.at(-1);
  if (last?.role === 'assistant' && last.streaming) {
    if (last.executionId === undefined && state.executionId !== undefined) {
      return replaceLast(state, { ...last, executionId: state.executionId });
    }
    return state;
  }
  const message: MessageState = {
    id: `a_${state.executionId ?? 'run'}_${state.messages.length}`,
    role: 'assistant',
    parts: [],
    createdAt: at,
    executionId: state.executionId,
    streaming: true,
  };
  return { ...state, messages: [...state.messages, message] };
}

/** The message a run's frames go to: `ensureAssistant` has made sure there is one. */
function lastMessage(state: ChatState): MessageState {
  return state.messages.at(-1) as MessageState;
}

function replaceLast(state: ChatState, message: MessageState): ChatState {
  // One copy of the list: this runs for every streamed token.
  const messages = state.messages.slice();
  messages[messages.length - 1] = message;
  return { ...state, messages };
}

type TextLike = Extract<MessagePart, { type: 'text' | 'reasoning' }>;
type TextFrame = Extract<StreamEvent, { type: `${TextLike['type']}_${'start' | 'delta' | 'complete'}` }>;

/**
 * Creates or updates one text/reasoning part of the streaming message; only
 * that part is new. A sub-agent's text (`parentToolCallId`) is marked with its
 * call when its part is created, so `messageText()` (the answer, the history
 * sent back) leaves it out and the UI shows it with its tool call.
 */
function upsertPart(runState: ChatState, at: number, event: TextFrame, update: (part: TextLike) => TextLike): ChatState {
  const state = ensureAssistant(runState, at);
  const kind = event.type.startsWith('text') ? 'text' : 'reasoning';
  const message = lastMessage(state);
  const parts = message.parts;
  // Deltas almost always extend the newest part: look there first.
  let index = parts.length - 1;
  while (index >= 0 && !(parts[index]?.type === kind && (parts[index] as TextLike).id === event.id)) index--;
  const nextParts = parts.slice();
  if (index >= 0) nextParts[index] = update(parts[index] as TextLike);
  else {
    const parent = 'parentToolCallId' in event ? event.parentToolCallId : undefined;
    nextParts.push(
      update({
        type: kind,
        id: event.id,
        text: '',
        done: false,
        rewrites: 0,
        ...(typeof parent === 'string' && { parentToolCallId: parent }),
      }),
    );
  }
  return replaceLast(state, { ...message, parts: nextParts });
}

function withToolCall(state: ChatState, call: ToolCallState): ChatState {
  return { ...state, toolCalls: idRecord(state.toolCalls, { [call.id]: call }) };
}

/**
 * A client call that is still open, changed by `update`; its pending approval
 * is replaced by `approval` (or goes). The first outcome counts: a cancelled,
 * interrupted or already answered call keeps its own.
 */
function updateOpenCall(
  state: ChatState,
  toolCallId: string,
  update: (call: ToolCallState) => ToolCallState,
  approval?: PendingApproval,
  restatus = true,
): ChatState {
  const call = state.toolCalls[toolCallId];
  if (!call || isToolCallFinished(call.status)) return state;
  const pendingApprovals = state.pendingApprovals.filter((pending) => pending.toolCallId !== toolCallId);
  if (approval) pendingApprovals.push(approval);
  const next = { ...withToolCall(state, update(call)), pendingApprovals };
  return restatus ? { ...next, status: toolsStatus(next) } : next;
}

/** While client tools of this run are open: waiting on a person wins over running. */
function toolsStatus(state: ChatState): ChatStatus {
  if (state.pendingApprovals.length > 0) return 'awaiting-approval';
  const open = Object.values(state.toolCalls).some(
    (call) => call.kind === 'client' && call.executionId === state.executionId && !isToolCallFinished(call.status),
  );
  return open || state.status === 'awaiting-approval' ? 'running-tools' : state.status;
}

function endRun(state: ChatState, status: ChatStatus): ChatState {
  const last = state.messages.at(-1);
  let next: ChatState = state;
  if (last?.role === 'assistant' && last.streaming) {
    const parts = last.parts.map((part) => (part.type !== 'tool-call' && !part.done ? { ...part, done: true } : part));
    next = replaceLast(state, { ...last, parts, streaming: false });
  }
  return { ...next, status, executionId: undefined, pendingApprovals: [] };
}

/** The last message, when it is the person's, marked as failed (its text went back to the composer) or not. */
function markLastUser(messages: readonly MessageState[], failed: boolean): readonly MessageState[] {
  const last = messages.at(-1);
  if (last?.role !== 'user' || !last.failed === !failed) return messages;
  return [...messages.slice(0, -1), { ...last, failed }];
}

export { initialChatState };
export type { ToolCallStatus };
