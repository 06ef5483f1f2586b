import { describe, expect, it } from 'vitest';
import { parseStreamEvent, type StreamEvent } from '../../../src/protocol/index.js';
import { reduce, type ChatAction } from '../../../src/client/reducer.js';
import { initialChatState, type ChatState, type TextPart } from '../../../src/client/state.js';
import { ChatError } from '../../../src/client/errors.js';
import { buildTranscript, toWireMessages } from '../../../src/client/transcript.js';

function ev(data: Record<string, unknown>): StreamEvent {
  const parsed = parseStreamEvent(undefined, { executionId: 'exec_1', ...data });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.event;
}

let seq = 0;
function frame(data: Record<string, unknown>, at = 1000): ChatAction {
  seq += 1;
  return { type: 'frame', event: ev({ seq, ...data }), at };
}

function run(actions: ChatAction[], state: ChatState = initialChatState()): ChatState {
  return actions.reduce(reduce, state);
}

const userSends: ChatAction = { type: 'user_message', id: 'u1', text: 'hello', at: 500 };

describe('reduce', () => {
  it('appends the user message and goes connecting', () => {
    const state = run([userSends]);
    expect(state.status).toBe('connecting');
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]).toMatchObject({ role: 'user', parts: [{ type: 'text', text: 'hello' }] });
  });

  it('streams text and reasoning into one assistant message, frame by frame', () => {
    let state = run([userSends]);
    state = reduce(state, frame({ type: 'execution_start', kind: 'agent' }));
    expect(state.status).toBe('streaming');
    expect(state.executionId).toBe('exec_1');
    expect(state.messages[1]).toMatchObject({ role: 'assistant', streaming: true, parts: [] });
    state = reduce(state, frame({ type: 'turn_start', id: 't1', iteration: 1 }));
    state = reduce(state, frame({ type: 'reasoning_start', id: 'r1' }));
    state = reduce(state, frame({ type: 'reasoning_delta', id: 'r1', delta: 'think' }));
    state = reduce(state, frame({ type: 'reasoning_complete', id: 'r1' }));
    state = reduce(state, frame({ type: 'text_start', id: 'x1' }));
    state = reduce(state, frame({ type: 'text_delta', id: 'x1', delta: 'Hel' }));
    state = reduce(state, frame({ type: 'text_delta', id: 'x1', delta: 'lo' }));
    expect(state.messages[1]!.parts).toEqual([
      { type: 'reasoning', id: 'r1', text: 'think', done: true, rewrites: 0 },
      { type: 'text', id: 'x1', text: 'Hello', done: false, rewrites: 0 },
    ]);
    state = reduce(state, frame({ type: 'text_complete', id: 'x1', text: 'Hello' }));
    state = reduce(state, frame({ type: 'turn_complete', id: 't1', stopReason: 'end_turn' }));
    state = reduce(state, frame({ type: 'execution_complete', success: true }));
    expect(state.status).toBe('idle');
    expect(state.executionId).toBeUndefined();
    expect(state.messages[1]).toMatchObject({ streaming: false, executionId: 'exec_1' });
    expect((state.messages[1]!.parts[1] as TextPart).done).toBe(true);
  });

  it('a delta replaces only the streaming part: other messages and parts keep identity', () => {
    let state = run([userSends, frame({ type: 'execution_start' }), frame({ type: 'text_start', id: 'a' })]);
    state = reduce(state, frame({ type: 'text_delta', id: 'a', delta: 'x' }));
    state = reduce(state, frame({ type: 'text_start', id: 'b' }));
    const before = state;
    const after = reduce(state, frame({ type: 'text_delta', id: 'b', delta: 'y' }));
    expect(after.messages[0]).toBe(before.messages[0]);
    expect(after.messages[1]!.parts[0]).toBe(before.messages[1]!.parts[0]);
    expect(after.messages[1]!.parts[1]).not.toBe(before.messages[1]!.parts[1]);
    expect(after.toolCalls).toBe(before.toolCalls);
  });

  it('a final text that differs from the stream bumps rewrites', () => {
    const state = run([
      userSends,
      frame({ type: 'text_delta', id: 'a', delta: 'Helo' }),
      frame({ type: 'text_complete', id: 'a', text: 'Hello' }),
    ]);
    expect(state.messages[1]!.parts[0]).toMatchObject({ text: 'Hello', done: true, rewrites: 1 });
  });

  it('an await adds a pending client call referenced from the message and sets running-tools', () => {
    const state = run([
      userSends,
      frame({ type: 'execution_start' }),
      frame({ type: 'await', toolCallId: 'c1', toolName: 'webmcp:search_products', origin: 'webmcp', parameters: { q: 'tea' } }),
    ]);
    expect(state.status).toBe('running-tools');
    expect(state.toolCalls.c1).toMatchObject({
      id: 'c1',
      name: 'search_products',
      kind: 'client',
      status: 'pending',
      arguments: { q: 'tea' },
      executionId: 'exec_1',
    });
    expect(state.messages[1]!.parts).toEqual([{ type: 'tool-call', toolCallId: 'c1' }]);
  });

  it('tool phases: awaiting-approval with a pending approval, then running, then done with duration', () => {
    let state = run([userSends, frame({ type: 'await', toolCallId: 'c1', toolName: 'checkout', parameters: {} })]);
    state = reduce(state, {
      type: 'tool_phase',
      toolCallId: 'c1',
      phase: 'awaiting-approval',
      at: 2000,
      approval: { toolCallId: 'c1', toolName: 'checkout', description: 'Buy', arguments: {}, reason: 'consequential' },
    });
    expect(state.status).toBe('awaiting-approval');
    expect(state.pendingApprovals).toHaveLength(1);
    state = reduce(state, { type: 'tool_phase', toolCallId: 'c1', phase: 'running', at: 2100 });
    expect(state.status).toBe('running-tools');
    expect(state.pendingApprovals).toHaveLength(0);
    expect(state.toolCalls.c1).toMatchObject({ status: 'running', startedAt: 2100 });
    state = reduce(state, {
      type: 'tool_outcome',
      toolCallId: 'c1',
      at: 2400,
      outcome: {
        output: { result: { ok: true } },
        status: 'done',
        durationMs: 300,
        approval: 'allowed-once',
        untrusted: true,
        truncated: false,
      },
    });
    expect(state.toolCalls.c1).toMatchObject({
      status: 'done',
      result: { ok: true },
      durationMs: 300,
      endedAt: 2400,
      approval: 'allowed-once',
      untrusted: true,
    });
    expect(state.status).toBe('running-tools'); // until the resume answers
    state = reduce(state, { type: 'tools_resumed' });
    expect(state.status).toBe('connecting');
  });

  it.each([
    ['failed', { error: 'boom' }],
    ['declined', { error: 'declined by the user' }],
    ['timed-out', { error: 'timed out after 30000 ms' }],
  ] as const)('a %s outcome records the error', (status, output) => {
    const state = run([
      userSends,
      frame({ type: 'await', toolCallId: 'c1', toolName: 't', parameters: {} }),
      {
        type: 'tool_outcome',
        toolCallId: 'c1',
        at: 5,
        outcome: { output, status, durationMs: 1, approval: 'not-required', untrusted: false, truncated: false },
      },
    ]);
    expect(state.toolCalls.c1).toMatchObject({ status, error: output.error, result: undefined });
  });

  it('server tools: tool_start runs, tool_complete finishes with executionTime', () => {
    const state = run([
      userSends,
      frame({ type: 'tool_start', toolCallId: 's1', toolName: 'lookup', toolType: 'builtin', parameters: { a: 1 } }, 100),
      frame({ type: 'tool_complete', toolCallId: 's1', success: false, error: { message: 'nope' }, executionTime: 42 }, 200),
    ]);
    expect(state.toolCalls.s1).toMatchObject({ kind: 'server', status: 'failed', error: 'nope', durationMs: 42 });
  });

  it('a server tool_complete echo never overrides what this page measured for a client call', () => {
    const state = run([
      userSends,
      frame({ type: 'await', toolCallId: 'c1', toolName: 't', parameters: {} }),
      {
        type: 'tool_outcome',
        toolCallId: 'c1',
        at: 5,
        outcome: { output: { result: 1 }, status: 'done', durationMs: 3, approval: 'not-required', untrusted: false, truncated: false },
      },
      frame({ type: 'tool_complete', toolCallId: 'c1', success: false, error: 'x' }),
    ]);
    expect(state.toolCalls.c1).toMatchObject({ status: 'done', result: 1 });
  });

  it('records the admission diagnostics from the custom event', () => {
    const data = { admitted: ['a'], dropped: [{ name: 'b', reason: 'no_matching_rule' }] };
    const state = run([userSends, frame({ type: 'custom', name: 'webmcp.admission', data })]);
    expect(state.admission).toEqual(data);
    expect(run([userSends, frame({ type: 'custom', name: 'other', data })]).admission).toBeNull();
  });

  it('ignores unknown events, pings, recoverable errors', () => {
    const start = run([userSends, frame({ type: 'execution_start' })]);
    const unknown = reduce(start, { type: 'frame', event: ev({ type: 'media_start', foo: 1 }), at: 1 });
    expect(unknown).toBe(start);
    const ping = reduce(start, { type: 'frame', event: ev({ type: 'ping' }), at: 1 });
    expect(ping.messages).toBe(start.messages);
    const soft = reduce(start, { type: 'frame', event: ev({ type: 'error', error: 'hiccup', recoverable: true }), at: 1 });
    expect(soft.status).toBe('streaming');
  });

  it('keeps protocol errors as values, bounded', () => {
    let state = run([userSends]);
    for (let i = 0; i < 30; i++) state = reduce(state, { type: 'protocol_error', message: `bad ${i}` });
    expect(state.protocolErrors).toHaveLength(20);
    expect(state.protocolErrors.at(-1)).toBe('bad 29');
    expect(state.status).toBe('connecting');
  });

  it('execution_error ends the streaming message', () => {
    const state = run([
      userSends,
      frame({ type: 'text_delta', id: 'a', delta: 'x' }),
      frame({ type: 'execution_error', error: { code: 'model', message: 'down' } }),
    ]);
    expect(state.messages[1]!.streaming).toBe(false);
    expect(state.executionId).toBeUndefined();
  });

  it('an error before the server took the message keeps the text as draft and marks the message failed', () => {
    const error = new ChatError({ code: 'network', hint: 'offline', retryable: true });
    let state = run([userSends, { type: 'error', error, draft: 'hello' }]);
    expect(state).toMatchObject({ status: 'error', draft: 'hello', error });
    expect(state.messages[0]!.failed).toBe(true);
    // Retrying un-fails it; sending new text replaces it.
    expect(reduce(state, { type: 'request_start' }).messages[0]!.failed).toBe(false);
    state = reduce(state, { type: 'user_message', id: 'u2', text: 'hello again', at: 600 });
    expect(state.messages.map((m) => m.id)).toEqual(['u2']);
    expect(state.draft).toBeNull();
  });

  it('an error that keeps the run leaves the message open for a replay', () => {
    const error = new ChatError({ code: 'stream_cut', hint: 'cut', retryable: true });
    const state = run([userSends, frame({ type: 'text_delta', id: 'a', delta: 'x' }), { type: 'error', error, keepRun: true }]);
    expect(state.messages[1]!.streaming).toBe(true);
    expect(state.executionId).toBe('exec_1');
    const resumed = reduce(state, frame({ type: 'text_delta', id: 'a', delta: 'y' }));
    expect(resumed.messages).toHaveLength(2);
    expect((resumed.messages[1]!.parts[0] as TextPart).text).toBe('xy');
  });

  it('cancel marks unfinished calls cancelled and ends the run; late outcomes are ignored', () => {
    let state = run([
      userSends,
      frame({ type: 'await', toolCallId: 'c1', toolName: 't', parameters: {} }),
      frame({ type: 'await', toolCallId: 'c2', toolName: 't', parameters: {} }),
      {
        type: 'tool_outcome',
        toolCallId: 'c1',
        at: 5,
        outcome: { output: { result: 1 }, status: 'done', durationMs: 3, approval: 'not-required', untrusted: false, truncated: false },
      },
      { type: 'cancelled', at: 10 },
    ]);
    expect(state.status).toBe('idle');
    expect(state.toolCalls.c1!.status).toBe('done');
    expect(state.toolCalls.c2).toMatchObject({ status: 'cancelled', error: 'cancelled by the user' });
    state = reduce(state, {
      type: 'tool_outcome',
      toolCallId: 'c2',
      at: 11,
      outcome: { output: { result: 2 }, status: 'done', durationMs: 1, approval: 'not-required', untrusted: false, truncated: false },
    });
    expect(state.toolCalls.c2!.status).toBe('cancelled');
  });

  it('interrupted calls after a reload', () => {
    const state = run([
      userSends,
      frame({ type: 'await', toolCallId: 'c1', toolName: 't', parameters: {} }),
      { type: 'tool_interrupted', toolCallId: 'c1', error: 'interrupted', at: 9 },
    ]);
    expect(state.toolCalls.c1).toMatchObject({ status: 'interrupted', error: 'interrupted' });
  });

  it('clear keeps the session and config, forgets the conversation', () => {
    const state = run([{ type: 'session', sessionId: 'cs_1', welcomeMessage: 'Hi' }, userSends, { type: 'clear' }]);
    expect(state).toMatchObject({ sessionId: 'cs_1', welcomeMessage: 'Hi', messages: [], status: 'idle' });
  });
});

describe('transcript', () => {
  it('has the audit shape: role, content, timestamp, toolCalls, toolResults with approval', () => {
    const state = run([
      userSends,
      frame({ type: 'execution_start' }),
      frame({ type: 'await', toolCallId: 'c1', toolName: 'webmcp:get_cart', parameters: { id: 1 } }),
      {
        type: 'tool_outcome',
        toolCallId: 'c1',
        at: 5,
        outcome: {
          output: { result: { items: [] } },
          status: 'done',
          durationMs: 7,
          approval: 'always-allowed',
          untrusted: false,
          truncated: false,
        },
      },
      frame({ type: 'text_delta', id: 'a', delta: 'Empty.' }),
      frame({ type: 'execution_complete', success: true }),
    ]);
    const entries = buildTranscript(state);
    expect(entries).toEqual([
      { role: 'user', content: 'hello', timestamp: new Date(500).toISOString(), toolCalls: [], toolResults: [] },
      {
        role: 'assistant',
        content: 'Empty.',
        timestamp: new Date(1000).toISOString(),
        toolCalls: [{ id: 'c1', name: 'get_cart', arguments: { id: 1 } }],
        toolResults: [
          { id: 'c1', name: 'get_cart', result: { items: [] }, error: null, durationMs: 7, approval: 'always-allowed', status: 'done' },
        ],
      },
    ]);
    expect(toWireMessages(state.messages)).toEqual([{ id: 'u1', role: 'user', content: 'hello' }]);
  });

  it('a tool listing equal to the last one changes nothing (no re-render); a different one replaces it', () => {
    const dropped = [{ name: 'bad tool', reason: 'invalid_name' as const }];
    const listed = reduce(initialChatState(), { type: 'snapshot', dropped, bridgeKind: 'polyfill' });
    expect(listed.droppedTools).toEqual(dropped);
    expect(reduce(listed, { type: 'snapshot', dropped: [{ name: 'bad tool', reason: 'invalid_name' }], bridgeKind: 'polyfill' })).toBe(
      listed,
    );
    const changed = reduce(listed, { type: 'snapshot', dropped: [], bridgeKind: 'polyfill' });
    expect(changed.droppedTools).toEqual([]);
    expect(reduce(changed, { type: 'snapshot', dropped: [], bridgeKind: 'native' }).bridgeKind).toBe('native');
  });

  it('restore takes the saved conversation and the run it continues, and nothing else', () => {
    const before = run([userSends, frame({ type: 'execution_start' })]);
    const saved = { messages: before.messages, toolCalls: before.toolCalls, executionId: 'exec_9' };
    const restored = reduce({ ...initialChatState(), welcomeMessage: 'Hi' }, { type: 'restore', snapshot: saved });
    expect(restored.messages).toBe(before.messages);
    expect(restored.executionId).toBe('exec_9');
    expect(restored.welcomeMessage).toBe('Hi');
    expect(restored.status).toBe('idle');
  });
});
