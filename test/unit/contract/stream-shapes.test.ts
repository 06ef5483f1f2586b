/**
 * Frame by frame, the public shapes the widget accepts: `custom` with `value`
 * (and `data` from earlier servers), and sub-agent text (`parentToolCallId`)
 * kept with its tool call, out of the answer and out of the history sent back.
 */
import { describe, expect, it } from 'vitest';
import { parseStreamEvent, type StreamEvent } from '../../../src/protocol/index.js';
import { reduce, type ChatAction } from '../../../src/client/reducer.js';
import { initialChatState, messageText, type ChatState } from '../../../src/client/state.js';
import { buildTranscript, toWireMessages } from '../../../src/client/transcript.js';

let seq = 0;
function frame(data: Record<string, unknown>): ChatAction {
  seq += 1;
  const parsed = parseStreamEvent(undefined, { executionId: 'exec_1', seq, ...data });
  if (!parsed.ok) throw new Error(parsed.message);
  return { type: 'frame', event: parsed.event as StreamEvent, at: 1000 + seq };
}
const run = (actions: ChatAction[], state: ChatState = initialChatState()) => actions.reduce(reduce, state);
const userSends: ChatAction = { type: 'user_message', id: 'u1', text: 'which kettle?', at: 500 };
const admission = { admitted: ['search'], dropped: [] };

describe('custom events', () => {
  it('reads the payload from value, as the public API sends it', () => {
    expect(run([userSends, frame({ type: 'custom', name: 'webmcp.admission', value: admission })]).admission).toEqual(admission);
  });

  it('still reads data, as earlier servers sent it', () => {
    expect(run([userSends, frame({ type: 'custom', name: 'webmcp.admission', data: admission })]).admission).toEqual(admission);
  });

  it('prefers value when a frame carries both', () => {
    const state = run([
      userSends,
      frame({ type: 'custom', name: 'webmcp.admission', value: admission, data: { admitted: [], dropped: [] } }),
    ]);
    expect(state.admission).toEqual(admission);
  });
});

describe('sub-agent text (parentToolCallId)', () => {
  const frames = [
    userSends,
    frame({ type: 'execution_start', kind: 'agent' }),
    frame({ type: 'text_start', id: 'ans_1' }),
    frame({ type: 'text_delta', id: 'ans_1', delta: 'Let me research. ' }),
    frame({ type: 'tool_start', toolCallId: 'call_1', toolName: 'research', toolType: 'agent', parameters: {} }),
    frame({ type: 'text_start', id: 'sub_1', parentToolCallId: 'call_1' }),
    // Later frames of the same text id may leave parentToolCallId out.
    frame({ type: 'text_delta', id: 'sub_1', delta: 'Sub-agent: three kettles' }),
    frame({ type: 'text_complete', id: 'sub_1', text: 'Sub-agent: three kettles compared.' }),
    frame({ type: 'tool_complete', toolCallId: 'call_1', success: true, result: { pick: 'k-2' } }),
    frame({ type: 'text_delta', id: 'ans_1', delta: 'Take the k-2.' }),
    frame({ type: 'text_complete', id: 'ans_1' }),
    frame({ type: 'execution_complete', success: true }),
  ];

  it('marks the text with its call, in the order it streamed', () => {
    const answer = run(frames).messages[1]!;
    expect(answer.parts.map((part) => (part.type === 'tool-call' ? `call:${part.toolCallId}` : `${part.type}:${part.id}`))).toEqual([
      'text:ans_1',
      'call:call_1',
      'text:sub_1',
    ]);
    const sub = answer.parts[2]!;
    expect(sub).toMatchObject({ type: 'text', parentToolCallId: 'call_1', text: 'Sub-agent: three kettles compared.', done: true });
  });

  it('is not the answer: not in messageText, the transcript or the history sent back', () => {
    const state = run(frames);
    expect(messageText(state.messages[1]!)).toBe('Let me research. Take the k-2.');
    expect(buildTranscript(state)[1]!.content).toBe('Let me research. Take the k-2.');
    const next = run([{ type: 'user_message', id: 'u2', text: 'thanks', at: 5000 }], state);
    expect(toWireMessages(next.messages).map((message) => message.content)).toEqual([
      'which kettle?',
      'Let me research. Take the k-2.',
      'thanks',
    ]);
  });

  it('a sub-agent text whose first frame is a delta is still its call’s', () => {
    const state = run([
      userSends,
      frame({ type: 'execution_start' }),
      frame({ type: 'tool_start', toolCallId: 'call_2', toolName: 'research' }),
      frame({ type: 'text_delta', id: 'sub_2', delta: 'thinking aloud', parentToolCallId: 'call_2' }),
      frame({ type: 'execution_complete', success: true }),
    ]);
    expect(messageText(state.messages[1]!)).toBe('');
    expect(
      toWireMessages([
        ...state.messages,
        {
          id: 'u3',
          role: 'user',
          parts: [{ type: 'text', id: 'u3', text: 'ok', done: true, rewrites: 0 }],
          createdAt: 0,
          streaming: false,
        },
      ]),
    ).toEqual([
      { id: 'u1', role: 'user', content: 'which kettle?' },
      { id: 'u3', role: 'user', content: 'ok' },
    ]);
  });
});
