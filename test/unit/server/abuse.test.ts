/**
 * The reference API against hostile callers, over real loopback HTTP: the
 * client token is public, so anyone can send these. Two clients are told
 * apart by their connection's address (127.0.0.1 and 127.0.0.2), as the
 * server does by default.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GET_CART, ORIGIN, frames, listen, ofType, start, type Api } from './helpers.js';

const HOSTILE = '127.0.0.2';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** One request from a chosen local address (node:http, since fetch cannot pick its source address). */
function send(api: Api, path: string, body: unknown, from = '127.0.0.1', headers: Record<string, string> = {}): Promise<Reply> {
  const url = new URL(path, api.url);
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', origin: ORIGIN, 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') out.set(name, value);
          resolve({ status: res.statusCode ?? 0, headers: out, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const json = (reply: Reply) => JSON.parse(reply.text) as { error: string; hint: string; limit?: string; max?: number };
const asResponse = (reply: Reply) => new Response(reply.text, { status: reply.status, headers: reply.headers });

async function init(api: Api, from = '127.0.0.1', headers: Record<string, string> = {}): Promise<string> {
  const reply = await send(api, '/v1/client/init', { token: 'ct_test_open' }, from, headers);
  if (reply.status !== 200) throw new Error(`init ${reply.status}: ${reply.text}`);
  return (JSON.parse(reply.text) as { sessionId: string }).sessionId;
}

/** A chat whose run pauses on one get_cart call; returns what a resume needs. */
async function pausedRun(api: Api, from = '127.0.0.1'): Promise<{ sessionId: string; executionId: string; toolCallId: string }> {
  const sessionId = await init(api, from);
  const reply = await send(api, '/v1/client/chat', chatBody(sessionId, 'show me my cart'), from);
  const awaited = ofType(await frames(asResponse(reply)), 'await')[0];
  if (!awaited) throw new Error(`the run did not pause: ${reply.text.slice(0, 300)}`);
  return { sessionId, executionId: awaited.executionId!, toolCallId: awaited.toolCallId };
}

function chatBody(sessionId: string, text: string) {
  return { sessionId, messages: [{ role: 'user', content: text }], clientTools: [GET_CART] };
}

function resumeBody(run: { sessionId: string; executionId: string; toolCallId: string }, output: unknown) {
  return { sessionId: run.sessionId, executionId: run.executionId, toolOutputs: { [run.toolCallId]: output }, streamResponse: true };
}

/** A correct resume goes through and the run completes. */
async function expectResumes(api: Api, run: { sessionId: string; executionId: string; toolCallId: string }, from = '127.0.0.1') {
  const reply = await send(api, '/v1/client/resume', resumeBody(run, { result: { items: [] } }), from);
  expect(reply.status).toBe(200);
  expect(ofType(await frames(asResponse(reply)), 'execution_complete')).toHaveLength(1);
}

describe('bodies a client can send', () => {
  it('a deeply nested tool output is refused (400, naming maxJsonDepth) and the run stays paused and resumable', async () => {
    const api = await listen();
    const run = await pausedRun(api);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const reply = await send(
      api,
      '/v1/client/resume',
      `{"sessionId":"${run.sessionId}","executionId":"${run.executionId}","toolOutputs":{"${run.toolCallId}":{"result":${deep}}}}`,
    );
    expect(reply.status).toBe(400);
    expect(json(reply)).toMatchObject({ error: 'json_too_deep', limit: 'maxJsonDepth', max: 64 });
    expect(json(reply).hint).toContain('64');
    await expectResumes(api, run);
  });

  it('an oversize tool output is refused (413, naming maxBodyBytes) and the run stays resumable', async () => {
    const api = await listen({ maxBodyBytes: 64 * 1024 });
    const run = await pausedRun(api);
    const reply = await send(api, '/v1/client/resume', resumeBody(run, { result: 'x'.repeat(100 * 1024) }));
    expect(reply.status).toBe(413);
    expect(json(reply)).toMatchObject({ error: 'payload_too_large', max: 64 * 1024 });
    expect(json(reply).hint).toContain('maxBodyBytes');
    await expectResumes(api, run);
  });

  it('a 50,000-deep tool schema in a chat is a 400, not a 500, and the session goes on', async () => {
    const api = await listen();
    const sessionId = await init(api);
    // About 250 KB: well under maxBodyBytes, so only the depth refuses it.
    const schema = `{"type":"object","properties":${'{"a":'.repeat(50_000)}{}${'}'.repeat(50_000)}}`;
    const body = `{"sessionId":"${sessionId}","messages":[{"role":"user","content":"hi"}],"clientTools":[{"name":"deep","description":"Deep","origin":"webmcp","parametersSchema":${schema}}]}`;
    const reply = await send(api, '/v1/client/chat', body);
    expect(reply.status).toBe(400);
    expect(json(reply).error).toBe('json_too_deep');
    const next = await send(api, '/v1/client/chat', chatBody(sessionId, 'hello'));
    expect(next.status).toBe(200);
  });

  it('answers every malformed body with a 4xx naming the problem, never a 500', async () => {
    const api = await listen();
    const sessionId = await init(api);
    const bodies: unknown[] = [
      '',
      'nul',
      '"just a string"',
      [],
      { sessionId, messages: 'hello' },
      { sessionId, messages: [{ role: 'robot', content: 'x' }] },
      { sessionId, messages: [{ role: 'user', content: [{ type: 'image' }] }] },
      {
        sessionId,
        messages: [{ role: 'user', content: 'x' }],
        clientTools: [{ name: 'a b', description: 'x', origin: 'webmcp', parametersSchema: { type: 'object' } }],
      },
      { sessionId, messages: [{ role: 'user', content: 'x' }], metadata: Array.from({ length: 50_000 }, () => []) },
      `{"sessionId":"${sessionId}","messages":[{"role":"user","content":"\\ud800"}], "x": ${'['.repeat(65)}${']'.repeat(65)}}`,
    ];
    for (const body of bodies) {
      const reply = await send(api, '/v1/client/chat', body);
      expect(reply.status, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(reply.status, JSON.stringify(body).slice(0, 80)).toBeLessThan(500);
      expect(json(reply).hint.length).toBeGreaterThan(0);
    }
  });

  it('refuses a feedback comment over 4,000 characters with 400 and keeps nothing', async () => {
    const api = await listen();
    const sessionId = await init(api);
    const body = { token: 'ct_test_open', sessionId, type: 'downvote', messageId: 'm1', comment: 'x'.repeat(1_000_000) };
    const reply = await send(api, '/v1/client/feedback', body);
    expect(reply.status).toBe(400);
    expect(json(reply)).toMatchObject({ limit: 'comment', max: 4000 });
    expect(api.context.feedback.list()).toEqual([]);
  });
});

describe('fair limits', () => {
  it('a session flood from one client gets 429 with Retry-After; another client still starts, pauses and resumes its run', async () => {
    const api = await listen({ clientLimit: { requests: 10, perSeconds: 60 } });
    const statuses: number[] = [];
    let refused: Reply | undefined;
    for (let i = 0; i < 15; i++) {
      const reply = await send(api, '/v1/client/init', { token: 'ct_test_open' }, HOSTILE);
      statuses.push(reply.status);
      refused ??= reply.status === 429 ? reply : undefined;
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429, 429]);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(json(refused!)).toMatchObject({ error: 'rate_limited' });
    expect(json(refused!).hint).toContain('clientLimit');
    const run = await pausedRun(api);
    await expectResumes(api, run);
  });

  it('a chat flood from one client through fresh sessions is held to the client limit, not the per-session one', async () => {
    const api = await listen({ rateLimit: { turns: 3, perSeconds: 60 }, clientLimit: { requests: 12, perSeconds: 60 } });
    let turns = 0;
    let limited = 0;
    for (let s = 0; s < 5; s++) {
      const reply = await send(api, '/v1/client/init', { token: 'ct_test_open' }, HOSTILE);
      if (reply.status === 429) {
        limited++;
        continue;
      }
      const sessionId = (JSON.parse(reply.text) as { sessionId: string }).sessionId;
      for (let t = 0; t < 3; t++) {
        const chat = await send(api, '/v1/client/chat', chatBody(sessionId, 'hello'), HOSTILE);
        if (chat.status === 200) turns++;
        else if (chat.status === 429) limited++;
      }
    }
    // 12 requests in all, some of them inits: far fewer than the 15 turns five sessions would allow.
    expect(turns).toBeLessThanOrEqual(9);
    expect(limited).toBeGreaterThan(0);
  });

  it('limits a token across all its clients, init and feedback included', async () => {
    const api = await listen({ tokenLimit: { requests: 4, perSeconds: 60 } });
    const sessionId = await init(api, '127.0.0.3');
    const feedback = { token: 'ct_test_open', sessionId, type: 'copy', messageId: 'm1' };
    expect((await send(api, '/v1/client/feedback', feedback, '127.0.0.4')).status).toBe(200);
    expect((await send(api, '/v1/client/init', { token: 'ct_test_open' }, '127.0.0.5')).status).toBe(200);
    expect((await send(api, '/v1/client/feedback', feedback, '127.0.0.6')).status).toBe(200);
    const refused = await send(api, '/v1/client/feedback', feedback, '127.0.0.7');
    expect(refused.status).toBe(429);
    expect(json(refused).hint).toContain('tokenLimit');
    expect(refused.headers.get('retry-after')).not.toBeNull();
    // Another token is not affected.
    expect((await send(api, '/v1/client/init', { token: 'ct_test_strict' }, '127.0.0.7')).status).toBe(200);
  });

  it('a clock that steps back does not drain the limits', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const api = await start({ tokenLimit: { requests: 5, perSeconds: 60 } }, { now: () => now });
    await api.init();
    now += 2 * 3600_000;
    await api.init();
    now -= 2 * 3600_000;
    expect((await api.post('/v1/client/init', { token: 'ct_test_open' })).status).toBe(200);
  });

  it('trusts a proxy header for the client only when configured to', async () => {
    const trusting = await listen({ clientLimit: { requests: 2, perSeconds: 60 }, trustProxyHeader: 'X-Forwarded-For' });
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      await init(trusting, '127.0.0.1', { 'x-forwarded-for': `${client}, 10.0.0.1` });
      await init(trusting, '127.0.0.1', { 'x-forwarded-for': client });
    }
    const third = await send(trusting, '/v1/client/init', { token: 'ct_test_open' }, '127.0.0.1', { 'x-forwarded-for': '203.0.113.1' });
    expect(third.status).toBe(429);

    const plain = await listen({ clientLimit: { requests: 2, perSeconds: 60 } });
    await init(plain, '127.0.0.1', { 'x-forwarded-for': '203.0.113.1' });
    await init(plain, '127.0.0.1', { 'x-forwarded-for': '203.0.113.2' });
    // Without the option the header is ignored: both were the same client.
    expect(
      (await send(plain, '/v1/client/init', { token: 'ct_test_open' }, '127.0.0.1', { 'x-forwarded-for': '203.0.113.3' })).status,
    ).toBe(429);
  });
});

describe('live work under a full budget', () => {
  it("other clients' chats fill the memory budget: they get 503 + Retry-After, and a paused run survives and resumes", async () => {
    const api = await listen({
      memoryBudgetBytes: 4 * 2 ** 20,
      maxBodyBytes: 600 * 1024,
      clientLimit: { requests: 10_000, perSeconds: 60 },
    });
    const run = await pausedRun(api);
    // Each hostile run pauses on a tool with a 500 KB transcript: live work of its own, never evicted.
    const sessionId = await init(api, HOSTILE);
    let busy: Reply | undefined;
    for (let i = 0; i < 40 && !busy; i++) {
      const reply = await send(api, '/v1/client/chat', { ...chatBody(sessionId, `cart ${'y'.repeat(500 * 1024)}`) }, HOSTILE);
      if (reply.status === 503) busy = reply;
      else expect(reply.status).toBe(200);
    }
    expect(busy, 'the budget never filled').toBeDefined();
    expect(json(busy!)).toMatchObject({ error: 'server_busy', limit: 'memoryBudgetBytes' });
    expect(Number(busy!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(api.context.budget.used).toBeLessThanOrEqual(4 * 2 ** 20);
    await expectResumes(api, run);
  });

  it('finished runs are let go to make room: a long run of chats never reaches the budget, and nothing is refused', async () => {
    const api = await listen({ memoryBudgetBytes: 4 * 2 ** 20, maxBodyBytes: 600 * 1024 });
    const run = await pausedRun(api);
    const sessionId = await init(api);
    for (let i = 0; i < 20; i++) {
      const reply = await send(api, '/v1/client/chat', {
        sessionId,
        messages: [{ role: 'user', content: `hello ${'z'.repeat(400 * 1024)}` }],
      });
      expect(reply.status).toBe(200);
      expect(ofType(await frames(asResponse(reply)), 'execution_complete')).toHaveLength(1);
    }
    expect(api.context.budget.used).toBeLessThanOrEqual(4 * 2 ** 20);
    await expectResumes(api, run);
  });
});
