/**
 * `session.signals`: a host that watches one field (with signals-core's
 * `effect`) sees that field of the state, and hears of a change to it.
 */
import { effect } from '@preact/signals-core';
import { describe, expect, it } from 'vitest';
import type { ChatSignals } from '../../../src/client/index.js';
import { useTestApi, type TestApi } from './helpers.js';

let api: TestApi;
const open = useTestApi((started) => (api = started));

describe('session signals', () => {
  it('each signal is its field of the state, and moves with it', async () => {
    await api.script(['Hello there.']);
    const session = open();
    await session.ready;
    const statuses: string[] = [];
    const stop = effect(() => void statuses.push(session.signals.status.value));
    await session.send('hi');
    await session.idle();
    stop();
    expect(statuses[0]).toBe('idle');
    expect(statuses).toContain('streaming');
    expect(statuses.at(-1)).toBe('idle');
    const state = session.state.value;
    const fields = Object.keys(session.signals) as (keyof ChatSignals)[];
    expect(fields.sort()).toEqual(
      [
        'admission',
        'draft',
        'droppedTools',
        'error',
        'messages',
        'pendingApprovals',
        'placeholder',
        'status',
        'toolCalls',
        'welcomeMessage',
      ].sort(),
    );
    for (const field of fields) expect(session.signals[field].value).toBe(state[field]);
    expect(session.signals.messages.value).toHaveLength(2);
  });
});
