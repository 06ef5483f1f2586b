/**
 * The tabs' channel takes only well-formed messages: another script of the
 * same origin can post anything on the same name, and a bad message must be
 * dropped, never applied to the conversation or answer an approval.
 * (Node has BroadcastChannel, between objects of one process.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTabChannel, type TabChannel, type TabMessage } from '../../../src/client/tabs/channel.js';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const channel of open.splice(0)) channel.close();
});

function listen(name: string): TabMessage[] {
  const got: TabMessage[] = [];
  const channel: TabChannel = openTabChannel(name);
  channel.listen((message) => got.push(message));
  open.push(channel);
  return got;
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('tab channel', () => {
  it('passes a well-formed approval and state, drops everything else', async () => {
    const name = `tabs-${Math.random()}`;
    const got = listen(name);
    const hostile = new BroadcastChannel(name);
    open.push(hostile);
    for (const junk of [
      null,
      'approve',
      { type: 'approve', toolCallId: 'c1', decision: 'yes please' },
      { type: 'approve', toolCallId: 42, decision: 'allow-once' },
      { type: 'state', state: { messages: 'all of them', toolCalls: {}, pendingApprovals: [], status: 'idle' } },
      { type: 'state', state: { messages: [], toolCalls: {}, pendingApprovals: [], status: 'hacked' } },
      { type: 'run_tool', name: 'checkout' },
    ])
      hostile.postMessage(junk);
    const sender = openTabChannel(name);
    open.push(sender);
    sender.post({ type: 'approve', toolCallId: '__proto__', decision: 'decline' });
    sender.post({ type: 'state', state: { messages: [], toolCalls: {}, pendingApprovals: [], status: 'streaming' } });
    await until(() => got.length >= 2);
    expect(got).toEqual([
      { type: 'approve', toolCallId: '__proto__', decision: 'decline' },
      { type: 'state', state: { messages: [], toolCalls: {}, pendingApprovals: [], status: 'streaming' } },
    ]);
  });

  it('passes a well-formed change, drops one that names no base or a negative start', async () => {
    const name = `tabs-${Math.random()}`;
    const got = listen(name);
    const sender = openTabChannel(name);
    open.push(sender);
    const change = { base: 'p1', start: 2, messages: [], toolCalls: {}, pendingApprovals: [], status: 'streaming' as const };
    const hostile = new BroadcastChannel(name);
    open.push(hostile);
    for (const junk of [
      { type: 'change', id: 'p2', change: { ...change, base: undefined } },
      { type: 'change', id: 'p2', change: { ...change, start: -1 } },
      { type: 'change', id: 'p2', change: { ...change, start: 1.5 } },
      { type: 'change', change },
      { type: 'state', id: 7, state: { messages: [], toolCalls: {}, pendingApprovals: [], status: 'idle' } },
    ])
      hostile.postMessage(junk);
    sender.post({ type: 'change', id: 'p2', change });
    sender.post({ type: 'here' });
    await until(() => got.length >= 2);
    expect(got).toEqual([{ type: 'change', id: 'p2', change }, { type: 'here' }]);
  });

  it('a message that cannot be cloned is not sent, and nothing throws', () => {
    const sender = openTabChannel(`tabs-${Math.random()}`);
    open.push(sender);
    expect(() =>
      sender.post({ type: 'state', state: { messages: [], toolCalls: { x: (() => {}) as never }, pendingApprovals: [], status: 'idle' } }),
    ).not.toThrow();
  });
});
