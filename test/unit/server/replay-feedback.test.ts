import { describe, expect, it } from 'vitest';
import { readEventStream } from '../../../src/client/event-stream.js';
import { fixedScriptAgent } from './imports.js';
import { GET_CART, ORIGIN, OTHER_ORIGIN, errorOf, frames, gatedAgent, start, types } from './helpers.js';

describe('GET /v1/client/executions/{executionId}/events', () => {
  it('sends the frames after a seq and closes when the run has paused or ended', async () => {
    const api = await start({}, { agent: () => fixedScriptAgent([[{ text: ['a', 'b'] }, { toolCall: { name: 'get_cart', id: 'c' } }]]) });
    const sessionId = await api.init();
    const chat = await frames(await api.chat(sessionId, 'go', { clientTools: [GET_CART] }));
    const executionId = (chat[0]!.event as { executionId: string }).executionId;
    const replay = await frames(await api.get(`/v1/client/executions/${executionId}/events?sessionId=${sessionId}&after=3`));
    expect(replay).toEqual(chat.slice(3));
    const all = await frames(await api.get(`/v1/client/executions/${executionId}/events?sessionId=${sessionId}`));
    expect(all).toEqual(chat);
  });

  it('follows a running execution live until it ends', async () => {
    const { agent, release } = gatedAgent();
    const api = await start({}, { agent: () => agent });
    const sessionId = await api.init();
    const chat = await api.chat(sessionId, 'go');
    // Read the chat stream up to the first delta, then drop it, as a broken connection would.
    let executionId = '';
    let lastSeq = 0;
    for await (const item of readEventStream(chat)) {
      if (item.kind !== 'event') continue;
      executionId = (item.event as { executionId: string }).executionId;
      lastSeq = Number(item.id);
      if (item.event.type === 'text_delta') break;
    }
    const follow = api.get(`/v1/client/executions/${executionId}/events?sessionId=${sessionId}&after=${lastSeq}`);
    setTimeout(release, 50);
    const rest = await frames(await follow);
    expect(rest[0]!.id).toBe(String(lastSeq + 1));
    expect(types(rest)).toEqual(['text_delta', 'text_complete', 'turn_complete', 'execution_complete']);
    expect(rest.at(-1)!.event).toMatchObject({ finalOutput: 'first second' });
  });

  it('honours Last-Event-ID when no after is given', async () => {
    const api = await start();
    const sessionId = await api.init();
    const chat = await frames(await api.chat(sessionId, 'hello'));
    const executionId = (chat[0]!.event as { executionId: string }).executionId;
    const response = await api.get(`/v1/client/executions/${executionId}/events?sessionId=${sessionId}`, ORIGIN, {
      'last-event-id': String(chat.length - 1),
    });
    expect(await frames(response)).toEqual(chat.slice(-1));
  });

  it('refuses another session (404), a missing sessionId or bad after (400) and another origin (403)', async () => {
    const api = await start();
    const sessionId = await api.init();
    const chat = await frames(await api.chat(sessionId, 'hello'));
    const executionId = (chat[0]!.event as { executionId: string }).executionId;
    const stranger = await api.init();
    const base = `/v1/client/executions/${executionId}/events`;
    expect((await errorOf(await api.get(`${base}?sessionId=${stranger}`))).status).toBe(404);
    expect((await errorOf(await api.get(`${base}?sessionId=${sessionId}&after=-1`))).status).toBe(400);
    expect((await errorOf(await api.get(base))).status).toBe(400);
    expect((await errorOf(await api.get(`${base}?sessionId=${sessionId}`, OTHER_ORIGIN))).status).toBe(403);
    expect((await errorOf(await api.get(`/v1/client/executions/exec_nope/events?sessionId=${sessionId}`))).status).toBe(404);
  });
});

describe('POST /v1/client/feedback', () => {
  it('records feedback and answers with an id', async () => {
    const api = await start();
    const sessionId = await api.init();
    const response = await api.post('/v1/client/feedback', { token: 'ct_test_open', sessionId, type: 'upvote', messageId: 'msg_1' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { success: boolean; feedbackId: string };
    expect(body.success).toBe(true);
    expect(body.feedbackId).toMatch(/^fb_/);
    expect(api.context.feedback.list()).toEqual([
      expect.objectContaining({ feedbackId: body.feedbackId, type: 'upvote', messageId: 'msg_1' }),
    ]);
  });

  it.each([
    [{ type: 'upvote' }, /messageId/],
    [{ type: 'csat', rating: 6 }, /csat/],
    [{ type: 'nps', rating: 11 }, /nps/],
    [{ type: 'stars', rating: 1 }, /type/],
  ])('refuses %j with 400', async (fields, hint) => {
    const api = await start();
    const sessionId = await api.init();
    const { status, body } = await errorOf(await api.post('/v1/client/feedback', { token: 'ct_test_open', sessionId, ...fields }));
    expect(status).toBe(400);
    expect(body.hint).toMatch(hint);
  });

  it('accepts csat 1–5 and nps 0–10, and refuses a session of another token, a bad token and a bad origin', async () => {
    const api = await start();
    const sessionId = await api.init();
    expect((await api.post('/v1/client/feedback', { token: 'ct_test_open', sessionId, type: 'csat', rating: 5 })).status).toBe(200);
    expect((await api.post('/v1/client/feedback', { token: 'ct_test_open', sessionId, type: 'nps', rating: 0 })).status).toBe(200);
    expect((await api.post('/v1/client/feedback', { token: 'ct_test_strict', sessionId, type: 'copy', messageId: 'm' })).status).toBe(401);
    expect((await api.post('/v1/client/feedback', { token: 'ct_nope', sessionId, type: 'copy', messageId: 'm' })).status).toBe(401);
    expect(
      (await api.post('/v1/client/feedback', { token: 'ct_test_open', sessionId, type: 'copy', messageId: 'm' }, 'https://evil.example'))
        .status,
    ).toBe(403);
  });
});
