/**
 * Which changes of the state the panel may leave to the markdown views
 * (live-text.ts): only more text in answer parts whose views are mounted.
 * Anything else must render, or the screen would miss it.
 */
import { describe, expect, it } from 'vitest';
import { initialChatState, type ChatState, type MessagePart, type MessageState } from '../../../src/client/state.js';
import { liveText } from '../../../src/ui/live-text.js';

const user: MessageState = {
  id: 'u1',
  role: 'user',
  createdAt: 0,
  streaming: false,
  parts: [{ type: 'text', id: 'u1-t', text: 'hi', done: true, rewrites: 0 }],
};

function withAnswer(state: ChatState, ...parts: MessagePart[]): ChatState {
  return { ...state, messages: [user, { id: 'a1', role: 'assistant', createdAt: 0, streaming: true, parts }] };
}
const text = (id: string, body: string, more: Partial<Extract<MessagePart, { type: 'text' }>> = {}): MessagePart => ({
  type: 'text',
  id,
  text: body,
  done: false,
  rewrites: 0,
  ...more,
});

function listening(...partIds: string[]) {
  const live = liveText();
  const painted: [string, string][] = [];
  for (const id of partIds) live.listen('a1', id, (body) => painted.push([id, body]));
  return { live, painted };
}

// An update keeps the identity of what it did not change, as the reducer does.
const call: MessagePart = { type: 'tool-call', toolCallId: 'c1' };

describe('live text', () => {
  const base = { ...initialChatState(), status: 'streaming' as const };
  const more = text('t2', 'More');
  const shown = withAnswer(base, text('t1', 'Hello'), call, more);

  it('more text in answer parts is painted by their views, and the render skipped', () => {
    const { live, painted } = listening('t1', 't2');
    const next = withAnswer(base, text('t1', 'Hello there'), call, text('t2', 'More and more'));
    expect(live.painted(shown, next)).toBe(true);
    expect(painted).toEqual([
      ['t1', 'Hello there'],
      ['t2', 'More and more'],
    ]);
  });

  it('any other change renders: a new part, a finished one, a rewrite, a status, a new message', () => {
    const { live, painted } = listening('t1', 't2');
    const changes: ChatState[] = [
      withAnswer(base, text('t1', 'Hello'), call, text('t2', 'More'), text('t3', 'x')),
      withAnswer(base, text('t1', 'Hello', { done: true }), call, text('t2', 'More')),
      withAnswer(base, text('t1', 'Bye', { rewrites: 1 }), call, text('t2', 'More')),
      { ...shown, status: 'running-tools' },
      { ...shown, messages: [...shown.messages, user] },
      { ...shown, messages: [user, { ...shown.messages[1]!, streaming: false }] },
    ];
    for (const next of changes) expect(live.painted(shown, next)).toBe(false);
    expect(painted).toEqual([]);
  });

  it("a sub-agent's text and reasoning render (they are not shown by a markdown view)", () => {
    const { live } = listening('s1', 'r1');
    const sub = withAnswer(base, text('s1', 'step', { parentToolCallId: 'c1' }));
    expect(live.painted(sub, withAnswer(base, text('s1', 'step two', { parentToolCallId: 'c1' })))).toBe(false);
    const thinking = withAnswer(base, { type: 'reasoning', id: 'r1', text: 'hmm', done: false, rewrites: 0 });
    expect(live.painted(thinking, withAnswer(base, { type: 'reasoning', id: 'r1', text: 'hmm, so', done: false, rewrites: 0 }))).toBe(
      false,
    );
  });

  it('a part whose view is not mounted, or no longer, renders', () => {
    const live = liveText();
    const next = withAnswer(base, text('t1', 'Hello there'), call, more);
    expect(live.painted(shown, next)).toBe(false);
    const stop = live.listen('a1', 't1', () => {});
    expect(live.painted(shown, next)).toBe(true);
    stop();
    expect(live.painted(shown, next)).toBe(false);
  });
});
