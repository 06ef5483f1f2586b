import { describe, expect, it } from 'vitest';
import { readEventStream } from '../../../src/client/event-stream.js';
import { GET_CART, ORIGIN, errorOf, frames, ofType, start, types } from './helpers.js';

async function hooked() {
  return start({}, { testHooks: true });
}

describe('test hooks', () => {
  it('are absent unless asked for', async () => {
    const api = await start();
    expect((await api.post('/__test/script', { turns: [] })).status).toBe(404);
    expect((await api.get('/__test/log')).status).toBe(404);
  });

  it('play a queued script for the next execution of a token, then fall back to the default agent', async () => {
    const api = await hooked();
    const queued = await api.post('/__test/script', {
      token: 'ct_test_open',
      turns: [
        [
          { reasoning: 'thinking' },
          { text: ['Let me ', 'look.'] },
          {
            toolCalls: [
              { name: 'get_cart', id: 'k1' },
              { name: 'get_cart', id: 'k2', arguments: { full: true } },
            ],
          },
        ],
        'Two carts!',
      ],
    });
    expect(queued.status).toBe(200);
    expect(queued.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const sessionId = await api.init();
    const list = await frames(await api.chat(sessionId, 'hi', { clientTools: [GET_CART] }));
    expect(types(list)).toContain('reasoning_delta');
    expect(ofType(list, 'await').map((frame) => frame.toolCallId)).toEqual(['k1', 'k2']);
    const executionId = (list[0]!.event as { executionId: string }).executionId;
    const done = await frames(await api.resume(sessionId, executionId, { k1: { result: 1 }, k2: { result: 2 } }));
    expect(ofType(done, 'execution_complete')[0]!.finalOutput).toBe('Two carts!');
    const next = await frames(await api.chat(sessionId, 'hello'));
    expect(ofType(next, 'execution_complete')[0]!.finalOutput).toContain('reference agent');
  });

  it('a script queued for one session is played only by that session', async () => {
    const api = await hooked();
    const mine = await api.init();
    const other = await api.init();
    await api.post('/__test/script', { token: 'ct_test_open', sessionId: mine, turns: ['Only for mine.'] });
    const theirs = await frames(await api.chat(other, 'hello'));
    expect(ofType(theirs, 'execution_complete')[0]!.finalOutput).toContain('reference agent');
    const ours = await frames(await api.chat(mine, 'hello'));
    expect(ofType(ours, 'execution_complete')[0]!.finalOutput).toBe('Only for mine.');
  });

  it('a reset fault after N frames delivers those frames, then drops the connection', async () => {
    const api = await hooked();
    await api.post('/__test/script', { turns: [[{ text: ['one ', 'two ', 'three'] }]] });
    await api.post('/__test/fault', { endpoint: 'chat', cutAfterFrames: 4, cutMode: 'reset' });
    const response = await api.chat(await api.init(), 'hi');
    const seen: string[] = [];
    const reading = (async () => {
      for await (const item of readEventStream(response)) if (item.kind === 'event') seen.push(item.event.type);
    })();
    await expect(reading).rejects.toThrow();
    expect(seen).toEqual(['execution_start', 'custom', 'turn_start', 'text_start']);
  });

  it('can end a run early and refuse a bad script with 400', async () => {
    const api = await hooked();
    await api.post('/__test/script', {
      turns: [[{ text: 'bye' }, { toolCall: { name: 'get_cart' } }, { end: { stopReason: 'stop_sequence' } }]],
    });
    const list = await frames(await api.chat(await api.init(), 'hi', { clientTools: [GET_CART] }));
    expect(types(list)).not.toContain('await');
    expect(ofType(list, 'execution_complete')[0]!.stopReason).toBe('stop_sequence');
    expect((await errorOf(await api.post('/__test/script', { turns: [[{ dance: true }]] }))).status).toBe(400);
  });

  it('log what the server received, with replays marked and accepted outputs counted', async () => {
    const api = await hooked();
    await api.post('/__test/script', { turns: [[{ toolCall: { name: 'get_cart', id: 'once' } }], 'ok'] });
    const sessionId = await api.init();
    const list = await frames(await api.chat(sessionId, 'hi', { clientTools: [GET_CART] }));
    const executionId = (list[0]!.event as { executionId: string }).executionId;
    await frames(await api.resume(sessionId, executionId, { once: { result: 'x' } }));
    await frames(await api.resume(sessionId, executionId, { once: { result: 'x' } }));
    const log = (await (await api.get(`/__test/log?sessionId=${sessionId}`)).json()) as {
      requests: { endpoint: string; status: number; toolOutputs?: unknown; replayed?: boolean; body: unknown }[];
      acceptedToolOutputs: Record<string, number>;
    };
    expect(log.requests.map((entry) => [entry.endpoint, entry.status, entry.replayed ?? false])).toEqual([
      ['init', 200, false],
      ['chat', 200, false],
      ['resume', 200, false],
      ['resume', 200, true],
    ]);
    expect(log.requests[2]!.toolOutputs).toEqual({ once: { result: 'x' } });
    expect(log.acceptedToolOutputs).toEqual({ once: 1 });
    await api.post('/__test/reset', {});
    expect(((await (await api.get('/__test/log')).json()) as { requests: unknown[] }).requests).toEqual([]);
  });
});

describe('fault injection', () => {
  it('answers the next matching request with an injected status, once', async () => {
    const api = await hooked();
    await api.post('/__test/fault', { endpoint: 'chat', status: 429, retryAfter: 2, times: 1 });
    const sessionId = await api.init();
    const refused = await api.chat(sessionId, 'hi');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect((await api.chat(sessionId, 'hi')).status).toBe(200);
  });

  it('cuts a stream after N frames while the run goes on into the log', async () => {
    const api = await hooked();
    await api.post('/__test/fault', { endpoint: 'chat', cutAfterFrames: 3 });
    const sessionId = await api.init();
    const cut = await frames(await api.chat(sessionId, 'hello'));
    expect(cut).toHaveLength(3);
    const executionId = (cut[0]!.event as { executionId: string }).executionId;
    const rest = await frames(await api.get(`/v1/client/executions/${executionId}/events?sessionId=${sessionId}&after=3`));
    expect(types(rest).at(-1)).toBe('execution_complete');
  });

  it('sends CRLF framing, a duplicate, an unknown event and a malformed frame when asked', async () => {
    const api = await hooked();
    await api.post('/__test/fault', {
      endpoint: 'chat',
      crlf: true,
      duplicateAfterFrames: 1,
      unknownEventAfterFrames: 2,
      malformedAfterFrames: 3,
    });
    const sessionId = await api.init();
    const response = await api.chat(sessionId, 'hello');
    const raw = await response.clone().text();
    expect(raw).toContain('\r\n\r\n');
    const items = [];
    for await (const item of readEventStream(response)) items.push(item);
    const events = items.filter((item) => item.kind === 'event');
    expect(events[0]!.id).toBe('1');
    expect(events[1]!.id).toBe('1');
    expect(items.some((item) => item.kind === 'event' && item.event.type === 'unknown')).toBe(true);
    expect(items.filter((item) => item.kind === 'protocol_error')).toHaveLength(1);
    expect(items.at(-1)).toMatchObject({ kind: 'event', event: { type: 'execution_complete' } });
  });
});
