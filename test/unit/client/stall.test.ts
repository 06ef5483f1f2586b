/**
 * A stream that stops sending but never closes (the server's `stallAfterFrames`
 * fault: no frames, no keep-alives) must not hang the turn: after the idle
 * timeout it counts as cut, so the answer is replayed from the last frame, or
 * the turn fails with a retryable `stream_cut` and nothing typed is lost.
 */
import { describe, expect, it } from 'vitest';
import type { ChatSession } from '../../../src/client/index.js';
import { messageText } from '../../../src/client/state.js';
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS, readEventStream } from '../../../src/client/event-stream.js';
import { DEFAULT_KEEP_ALIVE_MS as SERVER_KEEP_ALIVE_MS } from '../../../src/server/sse.js';
import { fakeBridge, useTestApi, type TestApi } from './helpers.js';

/** Far below the stall, far above a loopback frame gap. */
const IDLE_MS = 300;
const STALL_MS = 20_000;

let api: TestApi;
const open = useTestApi((started) => (api = started), { streamIdleTimeoutMs: IDLE_MS });

const answer = (session: ChatSession) => messageText(session.state.value.messages.at(-1)!);

describe('a stalled stream', () => {
  it('silence mid-answer → replay from the last seq: the whole answer, nothing doubled, no error', async () => {
    await api.script([[{ text: ['a', 'b', 'c', 'd', 'e'] }]]);
    await api.fault({ endpoint: 'chat', stallAfterFrames: 4, stallMs: STALL_MS });
    const session = open();
    await session.send('spell');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(answer(session)).toBe('abcde');
    expect(session.state.value.messages).toHaveLength(2);
    const replays = (await api.log('events')).requests;
    expect(replays).toHaveLength(1);
    expect(replays[0]!.status).toBe(200);
  });

  it('silence after a tool round → replay; the tool ran once and its output was accepted once', async () => {
    await api.script([[{ toolCall: { name: 'webmcp:t', arguments: {} } }], [{ text: ['x', 'y', 'z'] }]]);
    await api.fault({ endpoint: 'resume', stallAfterFrames: 2, stallMs: STALL_MS });
    const bridge = fakeBridge({ t: () => 'ok' });
    const session = open({ bridge });
    await session.send('go');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(answer(session)).toBe('xyz');
    expect(bridge.calls).toHaveLength(1);
    expect(Object.values((await api.log()).acceptedToolOutputs)).toEqual([1]);
  });

  it('replays that stall too → a retryable stream_cut naming the silence; Retry then finishes the answer', async () => {
    await api.script([[{ text: ['a', 'b', 'c', 'd', 'e'] }]]);
    await api.fault({ endpoint: 'chat', stallAfterFrames: 3, stallMs: STALL_MS });
    await api.fault({ endpoint: 'events', stallAfterFrames: 1, stallMs: STALL_MS, times: 3 });
    const session = open();
    await session.send('spell');
    await session.idle();
    const state = session.state.value;
    expect(state.error).toMatchObject({ code: 'stream_cut', retryable: true });
    expect(state.error!.message).toContain(`the stream sent nothing for ${IDLE_MS} ms`);
    expect(state.status).toBe('error');
    await session.retry();
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(answer(session)).toBe('abcde');
  });

  it('silence before any frame → stream_cut, the text back as the draft; Retry sends it again', async () => {
    await api.script([[{ text: 'first try' }]]);
    await api.script([[{ text: 'second try' }]]);
    let stalled = false;
    const session = open({
      fetch: async (input, init) => {
        const response = await api.fetch(input, init);
        if (stalled || !String(input).endsWith('/v1/client/chat')) return response;
        stalled = true;
        // Headers arrived, then nothing: the connection is open and silent.
        await response.body?.cancel();
        return new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), { status: 200, headers: response.headers });
      },
    });
    await session.send('hello?');
    await session.idle();
    const state = session.state.value;
    expect(state.error).toMatchObject({ code: 'stream_cut', retryable: true });
    expect(state.draft).toBe('hello?');
    await session.retry();
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(answer(session)).toBe('second try');
  });

  it('keep-alive comments are not silence: a slow answer that keeps the line alive is read to the end', async () => {
    const encoder = new TextEncoder();
    let beats = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 15));
        beats += 1;
        if (beats <= 40) return controller.enqueue(encoder.encode(': keep-alive\n\n'));
        controller.enqueue(encoder.encode('event: ping\ndata: {"type":"ping"}\n\n'));
        controller.close();
      },
    });
    const items = [];
    for await (const item of readEventStream(new Response(body), undefined, { idleTimeoutMs: IDLE_MS })) items.push(item);
    expect(beats).toBeGreaterThan(40);
    expect(items.map((item) => (item.kind === 'event' ? item.event.type : item.kind))).toEqual(['ping']);
  });

  it('the default idle timeout (45 s) stays well above the server keep-alive (15 s)', () => {
    expect(DEFAULT_STREAM_IDLE_TIMEOUT_MS).toBeGreaterThanOrEqual(3 * SERVER_KEEP_ALIVE_MS);
  });
});
