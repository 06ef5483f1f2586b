/**
 * The public events come from what each action changed: one per real
 * change, none for a frame that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { parseStreamEvent } from '../../../src/protocol/index.js';
import { chatEvents } from '../../../src/client/chat-events.js';
import { reduce, type ChatAction } from '../../../src/client/reducer.js';
import { ChatError } from '../../../src/client/errors.js';
import { initialChatState, type ChatState } from '../../../src/client/state.js';

function frame(data: Record<string, unknown>): ChatAction {
  const parsed = parseStreamEvent(undefined, { executionId: 'exec_1', ...data });
  if (!parsed.ok) throw new Error(parsed.message);
  return { type: 'frame', event: parsed.event, at: 1000 };
}

/** Applies the actions in order and lists the events each one produced, as `name` or `name:detail`. */
function play(actions: ChatAction[]): string[] {
  let state: ChatState = initialChatState();
  const seen: string[] = [];
  for (const action of actions) {
    const next = reduce(state, action);
    for (const [name, payload] of chatEvents(action, state, next)) {
      const detail =
        name === 'status'
          ? payload
          : name === 'message'
            ? payload.role
            : name === 'error'
              ? payload.code
              : `${payload.name} ${payload.status}`;
      seen.push(`${name}:${detail}`);
    }
    state = next;
  }
  return seen;
}

const outcome = {
  output: { result: 1 },
  status: 'done',
  durationMs: 2,
  approval: 'not-required',
  untrusted: false,
  truncated: false,
} as const;

describe('events derived from each dispatch', () => {
  it('a turn with a page tool: the question, the call once (a replayed await adds nothing), its result once, the answer', () => {
    const await1 = frame({ type: 'await', seq: 2, toolCallId: 'c1', toolName: 'webmcp:get_cart', parameters: {} });
    expect(
      play([
        { type: 'user_message', id: 'u1', text: 'cart?', at: 1 },
        frame({ type: 'execution_start', seq: 1 }),
        await1,
        await1,
        { type: 'tool_outcome', toolCallId: 'c1', outcome, at: 5 },
        { type: 'tool_outcome', toolCallId: 'c1', outcome, at: 5 },
        frame({ type: 'text_delta', seq: 3, id: 't', delta: 'Empty.' }),
        frame({ type: 'execution_complete', seq: 4, success: true }),
      ]),
    ).toEqual([
      'status:connecting',
      'message:user',
      'status:streaming',
      'status:running-tools',
      'toolcall:get_cart pending',
      'toolresult:get_cart done',
      'status:streaming',
      'status:idle',
      'message:assistant',
    ]);
  });

  it("a server tool: call and result from its frames; the server's echo of a page call announces nothing", () => {
    expect(
      play([
        frame({ type: 'tool_start', seq: 1, toolCallId: 's1', toolName: 'search', parameters: {} }),
        frame({ type: 'tool_complete', seq: 2, toolCallId: 's1', success: true, result: [] }),
        frame({ type: 'await', seq: 3, toolCallId: 'c1', toolName: 'webmcp:t', parameters: {} }),
        frame({ type: 'tool_complete', seq: 4, toolCallId: 'c1', success: true, result: 1 }),
      ]),
    ).toEqual(['toolcall:search running', 'toolresult:search done', 'status:running-tools', 'toolcall:t pending']);
  });

  it('an error is announced with the status it leads to', () => {
    const error = new ChatError({ code: 'network', hint: 'offline' });
    expect(
      play([
        { type: 'user_message', id: 'u1', text: 'hi', at: 1 },
        { type: 'error', error, draft: 'hi' },
      ]),
    ).toEqual(['status:connecting', 'message:user', 'status:error', 'error:network']);
  });
});
