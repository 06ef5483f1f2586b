import { describe, expect, it } from 'vitest';
import { mergeConversation } from '../../../src/client/tabs/merge.js';
import type { StoredConversation } from '../../../src/client/persistence.js';
import type { MessageState, ToolCallState } from '../../../src/client/state.js';
import { ConversationStore, memoryStore } from '../../../src/client/persistence.js';

const message = (id: string, createdAt: number, extra: Partial<MessageState> = {}): MessageState => ({
  id,
  role: 'user',
  parts: [{ type: 'text', id, text: id, done: true, rewrites: 0 }],
  createdAt,
  streaming: false,
  ...extra,
});
const call = (id: string, status: ToolCallState['status']): ToolCallState => ({
  id,
  name: 'add_to_cart',
  arguments: {},
  kind: 'client',
  status,
  untrusted: false,
  truncated: false,
});
const ids = (conversation: StoredConversation) => conversation.messages.map((m) => m.id);

describe('mergeConversation', () => {
  it('keeps a message only the stored copy has, in time order between the writer’s own', () => {
    const stored = { messages: [message('a1', 1), message('b1', 2)], toolCalls: {} };
    const ours = { messages: [message('a1', 1), message('a2', 3)], toolCalls: {} };
    expect(ids(mergeConversation(stored, ours))).toEqual(['a1', 'b1', 'a2']);
  });

  it('the writer’s copy of a shared message wins (it is the newer one)', () => {
    const stored = { messages: [message('m', 1, { streaming: true })], toolCalls: {} };
    const ours = { messages: [message('m', 1)], toolCalls: {} };
    expect(mergeConversation(stored, ours).messages[0]!.streaming).toBe(false);
  });

  it('does not bring back a failed question the writer replaced', () => {
    const stored = { messages: [message('q1', 1, { failed: true })], toolCalls: {} };
    const ours = { messages: [message('q2', 2)], toolCalls: {} };
    expect(ids(mergeConversation(stored, ours))).toEqual(['q2']);
  });

  it('keeps the other tab’s tool calls, ids like __proto__ and constructor included', () => {
    // Ids are data: written by name into a null-prototype record, `__proto__` is an own key like any other.
    const protoId = '__proto__';
    const storedCalls: Record<string, ToolCallState> = Object.create(null);
    for (const id of [protoId, 'constructor']) storedCalls[id] = call(id, 'done');
    const stored = { messages: [message('b1', 2)], toolCalls: storedCalls };
    const ours = { messages: [message('a1', 1)], toolCalls: { x: call('x', 'running') } };
    const merged = mergeConversation(stored, ours);
    expect(Object.keys(merged.toolCalls).sort()).toEqual(['__proto__', 'constructor', 'x']);
    expect(merged.toolCalls[protoId]?.status).toBe('done');
  });

  it('a store saved by two writers in turn holds both writers’ messages', async () => {
    const store = new ConversationStore(memoryStore(`merge-${Math.random()}`));
    await store.saveConversation({ messages: [message('a1', 1)], toolCalls: {} });
    await store.saveConversation({ messages: [message('b1', 2)], toolCalls: {} });
    await store.saveConversation({ messages: [message('a1', 1), message('a2', 3)], toolCalls: {} });
    expect(ids((await store.loadConversation())!)).toEqual(['a1', 'b1', 'a2']);
  });
});
