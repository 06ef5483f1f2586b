import { describe, expect, it } from 'vitest';
import { lastText as assistantText } from '../../support/last-text.js';
import { breakBodyAfter, fakeBridge, until, useTestApi, type TestApi } from './helpers.js';

let api: TestApi;
const open = useTestApi((started) => (api = started));

describe('turn loop over the real reference API', () => {
  it('a plain reply streams into one assistant message; status and message events fire', async () => {
    await api.script([[{ text: ['Hello', ', ', 'world'] }]]);
    const session = open();
    const statuses: string[] = [];
    const messages: string[] = [];
    session.on('status', (status) => statuses.push(status));
    session.on('message', (message) => messages.push(message.role));
    await session.send('hi');
    await session.idle();
    const state = session.state.value;
    expect(state.error).toBeNull();
    expect(state.status).toBe('idle');
    expect(state.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(assistantText(session)).toBe('Hello, world');
    expect(state.messages[1]!.streaming).toBe(false);
    expect(state.welcomeMessage).toBe('Hi! Ask me about the catalog.');
    expect(state.admission).toEqual({ admitted: [], dropped: [] });
    expect(statuses).toEqual(['connecting', 'streaming', 'idle']);
    expect(messages).toEqual(['user', 'assistant']);
  });

  it('one await: runs the tool, resumes, and the run goes on to the answer', async () => {
    await api.script([[{ toolCall: { name: 'webmcp:get_cart', arguments: { id: 7 } } }], 'Your cart is empty.']);
    const bridge = fakeBridge({ get_cart: (args) => ({ items: [], id: args.id }) });
    const session = open({ bridge });
    const seen: string[] = [];
    session.on('toolcall', (call) => seen.push(`call ${call.name}`));
    session.on('toolresult', (call) => seen.push(`result ${call.name} ${call.status}`));
    await session.send('what is in my cart?');
    await session.idle();
    const state = session.state.value;
    expect(state.error).toBeNull();
    expect(assistantText(session)).toBe('Your cart is empty.');
    const [call] = Object.values(state.toolCalls);
    expect(call).toMatchObject({ name: 'get_cart', kind: 'client', status: 'done', result: { items: [], id: 7 }, arguments: { id: 7 } });
    // The duration shown is the one the bridge measured for this run.
    expect(bridge.outcomes).toHaveLength(1);
    expect(call!.durationMs).toBe(bridge.outcomes[0]!.durationMs);
    expect(seen).toEqual(['call get_cart', 'result get_cart done']);
    const log = await api.log('resume');
    expect(log.requests).toHaveLength(1);
    expect(log.requests[0]!.toolOutputs).toEqual({ [call!.id]: { result: { items: [], id: 7 } } });
    // The first chat carried the full tool set and its fingerprint.
    const chat = (await api.log('chat')).requests[0]!;
    expect(chat.body.clientTools).toHaveLength(1);
    expect(chat.body.clientToolsFingerprint).toMatch(/^ct1-1-/);
  });

  it('two parallel awaits go back in ONE resume keyed by toolCallId, each run once', async () => {
    await api.script([
      [
        {
          toolCalls: [
            { name: 'webmcp:search', arguments: { q: 'a' } },
            { name: 'webmcp:search', arguments: { q: 'b' } },
          ],
        },
      ],
      'Found both.',
    ]);
    let running = 0;
    let maxRunning = 0;
    const bridge = fakeBridge({
      search: async (args) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        // Each call finishes only once both are running: run one after the other, they never would.
        await until(() => maxRunning === 2, { what: 'both searches running at once' });
        running -= 1;
        return { q: args.q };
      },
    });
    const session = open({ bridge });
    await session.send('find a and b');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(maxRunning).toBe(2);
    const resumes = (await api.log('resume')).requests;
    expect(resumes).toHaveLength(1);
    const outputs = resumes[0]!.toolOutputs as Record<string, { result: { q: string } }>;
    expect(
      Object.values(outputs)
        .map((output) => output.result.q)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(session.state.value.toolCalls).sort());
    expect(bridge.calls).toHaveLength(2);
    expect(assistantText(session)).toBe('Found both.');
  });

  it('later chats send only the fingerprint; 409 → resends once with the full tools', async () => {
    await api.script(['one'], 1);
    await api.script(['two'], 1);
    const session = open({ bridge: fakeBridge({ t: () => 1 }) });
    await session.send('first');
    await session.idle();
    await api.fault({ endpoint: 'chat', status: 409, error: 'client_tools_resend_required', hint: 'resend' });
    await session.send('second');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(assistantText(session)).toBe('two');
    const chats = (await api.log('chat')).requests;
    expect(chats.map((r) => r.status)).toEqual([200, 409, 200]);
    expect(chats[0]!.body.clientTools).toHaveLength(1);
    // The 409'd request carried only the fingerprint (recorded before the fault? then body may be absent).
    expect(chats[2]!.body.clientTools).toHaveLength(1);
    expect(chats[2]!.body.clientToolsFingerprint).toBe(chats[0]!.body.clientToolsFingerprint);
    expect(chats[2]!.body.messages.map((m) => m.content)).toEqual(['first', 'one', 'second']);
  });

  it('a real fingerprint-only chat after the server forgot the tools (new session) re-inits and carries tools', async () => {
    await api.script(['one'], 1);
    await api.script(['two'], 1);
    const session = open({ bridge: fakeBridge({ t: () => 1 }) });
    await session.send('first');
    await session.idle();
    const chatsBefore = (await api.log('chat')).requests.length;
    await session.send('second');
    await session.idle();
    const second = (await api.log('chat')).requests.slice(chatsBefore);
    expect(second).toHaveLength(1);
    expect(second[0]!.body.clientTools).toBeUndefined();
    expect(second[0]!.body.clientToolsFingerprint).toMatch(/^ct1-/);
  });

  it('401 (expired session) → silent re-init and one retry with the full tools', async () => {
    await api.script(['one'], 1);
    await api.script(['two'], 1);
    const session = open({ bridge: fakeBridge({ t: () => 1 }) });
    await session.send('first');
    await session.idle();
    const firstSession = session.state.value.sessionId;
    api.clock.offsetMs = 2 * 3600 * 1000; // the server's clock moves past the session TTL
    await session.send('second');
    await session.idle();
    const state = session.state.value;
    expect(state.error).toBeNull();
    expect(assistantText(session)).toBe('two');
    expect(state.sessionId).not.toBe(firstSession);
    const chats = (await api.log('chat')).requests;
    expect(chats.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(chats[2]!.body.sessionId).toBe(state.sessionId);
    expect(chats[2]!.body.clientTools).toHaveLength(1);
    expect((await api.log('init')).requests).toHaveLength(2);
  });

  it('a second 401 is a clear error and the text comes back as draft', async () => {
    await api.fault({ endpoint: 'chat', status: 401, error: 'session_expired', times: 2 });
    const session = open();
    const errors: string[] = [];
    session.on('error', (error) => errors.push(error.code));
    await session.send('keep me');
    await session.idle();
    const state = session.state.value;
    expect(state.status).toBe('error');
    expect(state.error).toMatchObject({ code: 'session_expired', status: 401 });
    expect(state.draft).toBe('keep me');
    expect(state.messages[0]).toMatchObject({ role: 'user', failed: true });
    expect(errors).toEqual(['session_expired']);
    expect((await api.log('init')).requests).toHaveLength(2);
  });

  it('429 → waits Retry-After and retries once', async () => {
    await api.script(['after the wait']);
    await api.fault({ endpoint: 'chat', status: 429, error: 'rate_limited', hint: 'slow down', retryAfter: 1 });
    const session = open();
    const started = Date.now();
    await session.send('hi');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    // A lower bound only (it waited what the server asked); it cannot fail on a slow machine.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(assistantText(session)).toBe('after the wait');
    expect((await api.log('chat')).requests.map((request) => request.status)).toEqual([429, 200]);
  });

  it('429 twice → a clear rate_limited error with a hint, text kept; retry() then succeeds', async () => {
    await api.script(['finally']);
    await api.fault({ endpoint: 'chat', status: 429, error: 'rate_limited', retryAfter: 0, times: 2 });
    const session = open();
    await session.send('please');
    await session.idle();
    let state = session.state.value;
    expect(state.error).toMatchObject({ code: 'rate_limited', retryable: true, status: 429 });
    expect(state.error!.hint).toMatch(/\S/);
    expect(state.draft).toBe('please');
    await session.retry();
    await session.idle();
    state = session.state.value;
    expect(state.error).toBeNull();
    expect(state.draft).toBeNull();
    expect(state.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(assistantText(session)).toBe('finally');
  });

  it('a Retry-After longer than the cap fails at once with the wait in the hint', async () => {
    await api.fault({ endpoint: 'chat', status: 429, error: 'rate_limited', retryAfter: 120 });
    const session = open({ maxRetryAfterMs: 1000 });
    await session.send('x');
    await session.idle();
    expect(session.state.value.error).toMatchObject({ code: 'rate_limited' });
    expect(session.state.value.error!.hint).toContain('120 s');
  });

  it('a cut stream (clean close) → replay from the last seq, no text lost or doubled', async () => {
    await api.script([[{ text: ['a', 'b', 'c', 'd', 'e', 'f'] }]]);
    await api.fault({ endpoint: 'chat', cutAfterFrames: 5, cutMode: 'close' });
    const session = open();
    await session.send('spell');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(assistantText(session)).toBe('abcdef');
    expect(session.state.value.messages).toHaveLength(2);
    const events = (await api.log('events')).requests;
    expect(events).toHaveLength(1);
  });

  it('a stream that breaks with a network error mid-body → replay from the last seq', async () => {
    await api.script([[{ text: ['a', 'b', 'c', 'd', 'e', 'f'] }]]);
    let cut = false;
    const session = open({
      fetch: async (input, init) => {
        const response = await api.fetch(input, init);
        if (cut || !String(input).endsWith('/v1/client/chat') || !response.ok) return response;
        cut = true;
        return breakBodyAfter(response, 'event: text_delta', 3);
      },
    });
    await session.send('spell');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(assistantText(session)).toBe('abcdef');
    expect((await api.log('events')).requests).toHaveLength(1);
  });

  it('a reset before any frame arrived → stream_cut error, the text back as draft; retry() sends again', async () => {
    await api.script([[{ text: ['a', 'b'] }]]);
    await api.script([[{ text: ['c', 'd'] }]]);
    await api.fault({ endpoint: 'chat', cutAfterFrames: 0, cutMode: 'reset' });
    const session = open();
    await session.send('x');
    await session.idle();
    let state = session.state.value;
    expect(state.error).toMatchObject({ code: 'stream_cut', retryable: true });
    expect(state.draft).toBe('x');
    await session.retry();
    await session.idle();
    state = session.state.value;
    expect(state.error).toBeNull();
    expect(state.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('a cut stream mid-tool-round: replay brings the awaits, the tool runs once', async () => {
    await api.script([[{ toolCall: { name: 'webmcp:t', arguments: {} } }], 'done']);
    await api.fault({ endpoint: 'chat', cutAfterFrames: 3, cutMode: 'close' });
    const bridge = fakeBridge({ t: () => 'ok' });
    const session = open({ bridge });
    await session.send('go');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(bridge.calls).toHaveLength(1);
    expect(assistantText(session)).toBe('done');
  });

  it('a cut stream with no replay on the server → stream_cut error; retry() picks it up', async () => {
    await api.script([[{ text: ['a', 'b', 'c', 'd'] }]]);
    await api.fault({ endpoint: 'chat', cutAfterFrames: 4, cutMode: 'close' });
    await api.fault({ endpoint: 'events', status: 404, error: 'not_found', times: 1 });
    const session = open();
    await session.send('x');
    await session.idle();
    let state = session.state.value;
    expect(state.error).toMatchObject({ code: 'stream_cut', retryable: true });
    expect(state.draft).toBeNull(); // the server has the message
    await session.retry();
    await session.idle();
    state = session.state.value;
    expect(state.error).toBeNull();
    expect(assistantText(session)).toBe('abcd');
    expect(state.messages).toHaveLength(2);
  });

  it('a resume whose stream is cut → replay; the tool is never run twice', async () => {
    await api.script([[{ toolCall: { name: 'webmcp:t', arguments: {} } }], [{ text: ['x', 'y', 'z'] }]]);
    await api.fault({ endpoint: 'resume', cutAfterFrames: 2, cutMode: 'reset' });
    const bridge = fakeBridge({ t: () => 'ok' });
    const session = open({ bridge });
    await session.send('go');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(assistantText(session)).toBe('xyz');
    expect(bridge.calls).toHaveLength(1);
    const log = await api.log();
    expect(Object.values(log.acceptedToolOutputs)).toEqual([1]);
  });

  it('a lost resume answer (network error) → the identical resume again, answered from the log', async () => {
    await api.script([[{ toolCall: { name: 'webmcp:t', arguments: {} } }], 'fine']);
    const bridge = fakeBridge({ t: () => 'ok' });
    let dropped = false;
    const session = open({
      bridge,
      // The first resume reaches the server, but its answer never reaches the page.
      fetch: async (input, init) => {
        const response = await api.fetch(input, init);
        if (!dropped && String(input).endsWith('/v1/client/resume')) {
          dropped = true;
          await response.body?.cancel();
          throw new TypeError('fetch failed');
        }
        return response;
      },
    });
    await session.send('go');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(assistantText(session)).toBe('fine');
    expect(bridge.calls).toHaveLength(1);
    const resumes = (await api.log('resume')).requests;
    expect(resumes).toHaveLength(2);
    expect(resumes[1]!.replayed).toBe(true);
  });

  it('execution_error ends the run with a clear error', async () => {
    await api.script([[{ text: 'part' }, { error: 'the model is down', code: 'model_down' }]]);
    const session = open();
    await session.send('x');
    await session.idle();
    expect(session.state.value.error).toMatchObject({ code: 'execution_failed', message: 'the model is down', serverCode: 'model_down' });
  });

  it('403 origin not allowed and 401 invalid token are clear, non-retryable errors', async () => {
    const session = open({
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as object), origin: 'https://evil.example' } }),
    });
    await session.send('x');
    await session.idle();
    expect(session.state.value.error).toMatchObject({ code: 'origin_not_allowed', status: 403, retryable: false });
    const other = open({ clientToken: 'ct_test_nope' });
    await other.send('x');
    await other.idle();
    expect(other.state.value.error).toMatchObject({ code: 'invalid_token', status: 401 });
  });

  it('a network failure is a retryable network error and keeps the draft', async () => {
    const session = open({ apiUrl: 'http://127.0.0.1:1' });
    await session.send('offline text');
    await session.idle();
    expect(session.state.value.error).toMatchObject({ code: 'network', retryable: true });
    expect(session.state.value.draft).toBe('offline text');
  });

  it('malformed and unknown frames are kept as values, not fatal', async () => {
    await api.script([[{ text: ['a', 'b', 'c'] }]]);
    await api.fault({ endpoint: 'chat', malformedAfterFrames: 3, unknownEventAfterFrames: 4 });
    const session = open();
    await session.send('x');
    await session.idle();
    expect(session.state.value.error).toBeNull();
    expect(assistantText(session)).toBe('abc');
    expect(session.state.value.protocolErrors.length).toBeGreaterThanOrEqual(1);
  });

  it('a duplicated frame does not double the text', async () => {
    await api.script([[{ text: ['a', 'b', 'c'] }]]);
    await api.fault({ endpoint: 'chat', duplicateAfterFrames: 4 });
    const session = open();
    await session.send('x');
    await session.idle();
    expect(assistantText(session)).toBe('abc');
  });

  it('cancel mid-tool aborts the tool and posts {error:"cancelled by the user"}', async () => {
    await api.script([
      [
        {
          toolCalls: [
            { name: 'webmcp:quick', arguments: {} },
            { name: 'webmcp:slow', arguments: {} },
          ],
        },
      ],
      'ok, stopped',
    ]);
    let aborted = false;
    const bridge = fakeBridge({
      quick: () => 'fast',
      slow: (_args, signal) =>
        new Promise((resolve) =>
          signal.addEventListener(
            'abort',
            () => {
              aborted = true;
              resolve('late');
            },
            { once: true },
          ),
        ),
    });
    const session = open({ bridge });
    await session.send('go');
    await until(
      () =>
        Object.values(session.state.value.toolCalls).some((c) => c.name === 'quick' && c.status === 'done') &&
        Object.values(session.state.value.toolCalls).some((c) => c.name === 'slow' && c.status === 'running'),
    );
    await session.cancel();
    await session.idle();
    expect(aborted).toBe(true);
    const state = session.state.value;
    expect(state.status).toBe('idle');
    const slow = Object.values(state.toolCalls).find((c) => c.name === 'slow')!;
    const quick = Object.values(state.toolCalls).find((c) => c.name === 'quick')!;
    expect(slow).toMatchObject({ status: 'cancelled', error: 'cancelled by the user' });
    const resumes = (await api.log('resume')).requests;
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.toolOutputs).toEqual({ [slow.id]: { error: 'cancelled by the user' }, [quick.id]: { result: 'fast' } });
    expect(resumes[0]!.status).toBe(200);
  });

  it('approval: waits for session.approve(), then runs; a decline is posted as an error', async () => {
    await api.script([
      [
        {
          toolCalls: [
            { name: 'webmcp:buy', arguments: { n: 1 } },
            { name: 'webmcp:wipe', arguments: {} },
          ],
        },
      ],
      'ok',
    ]);
    const bridge = fakeBridge({ buy: { impl: () => 'bought', approval: true }, wipe: { impl: () => 'wiped', approval: true } });
    const session = open({ bridge });
    await session.send('buy');
    await until(() => session.state.value.pendingApprovals.length === 2);
    expect(session.state.value.status).toBe('awaiting-approval');
    const [buy, wipe] = ['buy', 'wipe'].map((name) => session.state.value.pendingApprovals.find((a) => a.toolName === name)!);
    expect(session.approve(buy!.toolCallId, 'allow-once')).toBe(true);
    expect(session.approve(wipe!.toolCallId, 'decline')).toBe(true);
    await session.idle();
    const calls = session.state.value.toolCalls;
    expect(calls[buy!.toolCallId]).toMatchObject({ status: 'done', approval: 'allowed-once', result: 'bought' });
    expect(calls[wipe!.toolCallId]).toMatchObject({ status: 'declined', approval: 'declined', error: 'declined by the user' });
    const transcript = session.transcript();
    expect(transcript[1]!.toolResults.map((r) => r.approval).sort()).toEqual(['allowed-once', 'declined']);
  });

  it('a host approve function is used when given', async () => {
    await api.script([[{ toolCall: { name: 'webmcp:buy', arguments: {} } }], 'ok']);
    const asked: string[] = [];
    const session = open({
      bridge: fakeBridge({ buy: { impl: () => 'bought', approval: true } }),
      approve: async (request) => {
        asked.push(request.toolName);
        return 'always-allow';
      },
    });
    await session.send('buy');
    await session.idle();
    expect(asked).toEqual(['buy']);
    expect(Object.values(session.state.value.toolCalls)[0]).toMatchObject({ status: 'done', approval: 'always-allowed' });
  });

  it('a tool that left the page before it ran is answered with an error, and the run goes on', async () => {
    await api.script([[{ toolCall: { name: 'webmcp:t', arguments: {} } }], 'handled']);
    const bridge = fakeBridge({ t: () => 1 });
    const session = open({ bridge });
    session.on('toolcall', () => bridge.tools.delete('t'));
    await session.send('go');
    await session.idle();
    expect(assistantText(session)).toBe('handled');
    const call = Object.values(session.state.value.toolCalls)[0]!;
    expect(call).toMatchObject({ status: 'failed', error: 'not registered: t' });
    expect((await api.log('resume')).requests[0]!.toolOutputs).toEqual({ [call.id]: { error: 'not registered: t' } });
  });

  it('feedback goes through the API client', async () => {
    await api.script(['hi']);
    const session = open();
    await session.send('x');
    await session.idle();
    const answer = await session.feedback({ type: 'upvote', messageId: session.state.value.messages[1]!.id });
    expect(answer).toMatchObject({ success: true });
  });

  it('the transcript has the audit shape', async () => {
    await api.script([[{ text: 'Checking.' }, { toolCall: { name: 'webmcp:get_cart', arguments: { user: 'me' } } }], 'Empty.']);
    const session = open({ bridge: fakeBridge({ get_cart: () => ({ items: [] }) }) });
    await session.send('cart?');
    await session.idle();
    const entries = session.transcript();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ role: 'user', content: 'cart?', toolCalls: [], toolResults: [] });
    expect(entries[1]).toMatchObject({
      role: 'assistant',
      content: 'Checking.Empty.',
      toolCalls: [{ name: 'get_cart', arguments: { user: 'me' } }],
      toolResults: [{ name: 'get_cart', result: { items: [] }, error: null, approval: 'not-required' }],
    });
    expect(typeof entries[1]!.toolResults[0]!.durationMs).toBe('number');
    expect(entries[1]!.toolCalls[0]!.id).toBe(entries[1]!.toolResults[0]!.id);
    expect(() => new Date(entries[1]!.timestamp).toISOString()).not.toThrow();
  });
});
