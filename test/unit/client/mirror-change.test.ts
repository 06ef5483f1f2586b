/**
 * What the owner tab posts while it answers: only what changed, and the other
 * tab rebuilds exactly the owner's state from it (or knows it cannot).
 */
import { describe, expect, it } from 'vitest';
import { applyChange, changeSince } from '../../../src/client/tabs/mirror-change.js';
import type { MirroredState } from '../../../src/client/tabs/channel.js';
import { reduce, initialChatState, type ChatAction } from '../../../src/client/reducer.js';
import type { ChatState } from '../../../src/client/state.js';
import { liveText } from '../../../src/ui/live-text.js';

const at = 1_000;
const frame = (event: Record<string, unknown>): ChatAction => ({ type: 'frame', event: event as never, at });
const mirrored = ({ messages, toolCalls, pendingApprovals, status }: ChatState): MirroredState => ({
  messages,
  toolCalls,
  pendingApprovals,
  status,
});
/** What the other tab receives: a structured clone, as BroadcastChannel delivers it. */
const overTheWire = <T>(value: T): T => structuredClone(value);

function conversation(): ChatState {
  let state = initialChatState();
  for (const action of [
    { type: 'user_message', id: 'u1', text: 'first question', at },
    frame({ type: 'execution_start', executionId: 'e1' }),
    frame({ type: 'text_delta', id: 't1', delta: 'first answer' }),
    frame({ type: 'execution_complete', executionId: 'e1' }),
    { type: 'user_message', id: 'u2', text: 'pack it', at },
    frame({ type: 'execution_start', executionId: 'e2' }),
    frame({ type: 'text_delta', id: 't2', delta: 'Packing' }),
  ] as ChatAction[])
    state = reduce(state, action);
  return state;
}

describe('mirrored changes between tabs', () => {
  it('a streamed token sends only the last message, and the other tab ends with the same state', () => {
    const before = conversation();
    let after = reduce(before, frame({ type: 'text_delta', id: 't2', delta: ' now' }));
    after = reduce(after, frame({ type: 'await', toolCallId: 'c1', toolName: 'webmcp:pack_order', parameters: {} }));
    const change = changeSince(mirrored(before), mirrored(after), 'post-1')!;
    expect(change.start).toBe(3);
    expect(change.messages).toHaveLength(1);
    expect(Object.keys(change.toolCalls)).toEqual(['c1']);

    const theirs = overTheWire(mirrored(before));
    const rebuilt = applyChange(theirs, overTheWire(change))!;
    expect(rebuilt).toEqual(overTheWire(mirrored(after)));
    // What did not change keeps its identity in the other tab: its panel does not redraw it.
    expect(rebuilt.messages[0]).toBe(theirs.messages[0]);
  });

  it("a streamed token keeps, in the other tab, every part, the tool calls and the approvals it did not change: that tab's panel paints the token without a render", () => {
    let owner = conversation();
    owner = reduce(owner, frame({ type: 'await', toolCallId: 'c1', toolName: 'webmcp:pack_order', parameters: {} }));
    owner = reduce(owner, frame({ type: 'text_delta', id: 't3', delta: 'Packed' }));
    // The other tab holds what the owner last posted, through its own reducer.
    const posted = overTheWire(mirrored(owner));
    const theirs = reduce(conversation(), { type: 'mirror', state: posted });
    const next = reduce(owner, frame({ type: 'text_delta', id: 't3', delta: ' it.' }));
    const rebuilt = applyChange(posted, overTheWire(changeSince(mirrored(owner), mirrored(next), 'post-2')!))!;
    const after = reduce(theirs, { type: 'mirror', state: rebuilt });
    expect(after.toolCalls).toBe(theirs.toolCalls);
    expect(after.pendingApprovals).toBe(theirs.pendingApprovals);
    const [was, now] = [theirs.messages.at(-1)!, after.messages.at(-1)!];
    expect(now.parts.slice(0, -1)).toEqual(was.parts.slice(0, -1));
    for (const [i, part] of now.parts.slice(0, -1).entries()) expect(part).toBe(was.parts[i]);
    const live = liveText();
    const painted: string[] = [];
    for (const part of now.parts) live.listen(now.id, 'id' in part ? part.id : '', (text) => painted.push(text));
    expect(live.painted(theirs, after)).toBe(true);
    expect(painted).toEqual(['Packed it.']);
  });

  it('a conversation that shrank (cleared, or a failed question replaced) still rebuilds exactly', () => {
    const before = conversation();
    const cleared = reduce(before, { type: 'clear' });
    const change = changeSince(mirrored(before), mirrored(cleared), 'post-1')!;
    expect(applyChange(overTheWire(mirrored(before)), overTheWire(change))).toEqual(overTheWire(mirrored(cleared)));
  });

  it('a tool call that went cannot be said as a change: the whole state goes instead', () => {
    let before = conversation();
    before = reduce(before, frame({ type: 'await', toolCallId: 'c1', toolName: 'webmcp:pack_order', parameters: {} }));
    const restored = reduce(before, { type: 'restore', snapshot: { messages: before.messages, toolCalls: {} } });
    expect(changeSince(mirrored(before), mirrored(restored), 'post-1')).toBeUndefined();
  });

  it('a change that does not fit what the other tab has is refused, not half applied', () => {
    const before = conversation();
    const after = reduce(before, frame({ type: 'text_delta', id: 't2', delta: '!' }));
    const change = changeSince(mirrored(before), mirrored(after), 'post-1')!;
    const empty = mirrored(initialChatState());
    expect(applyChange(empty, change)).toBeUndefined();
  });
});
