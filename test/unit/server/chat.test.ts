import { describe, expect, it } from 'vitest';
import { readEventStream } from '../../../src/client/event-stream.js';
import { LIMITS, toolsFingerprint } from '../../../src/protocol/index.js';
import { fixedScriptAgent, type Agent, type AgentRequest } from './imports.js';
import {
  ADD_TO_CART,
  GET_CART,
  ORIGIN,
  OTHER_ORIGIN,
  SEARCH,
  errorOf,
  frames,
  gatedAgent,
  listen,
  ofType,
  start,
  tool,
  types,
} from './helpers.js';

/** An agent that records what it was given and says one thing. */
function recordingAgent(seen: AgentRequest[]): Agent {
  return {
    name: 'recording',
    async *run(request) {
      seen.push({ ...request, messages: [...request.messages], tools: [...request.tools] });
      yield { type: 'text', delta: 'ok' };
    },
  };
}

describe('POST /v1/client/chat', () => {
  it('streams frames with event, id and data agreeing, seq increasing, ending in execution_complete', async () => {
    // Over a real socket: the SSE wire itself is under test here.
    const api = await listen();
    const sessionId = await api.init();
    const response = await api.chat(sessionId, 'hello there');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const list = await frames(response);
    expect(types(list)[0]).toBe('execution_start');
    expect(types(list).at(-1)).toBe('execution_complete');
    const executionIds = new Set(list.map((frame) => (frame.event as { executionId?: string }).executionId));
    expect(executionIds.size).toBe(1);
    list.forEach((frame, index) => {
      expect((frame.event as { seq?: number }).seq).toBe(index + 1);
      expect(frame.id).toBe(String(index + 1));
    });
    const deltas = ofType(list, 'text_delta');
    expect(deltas.length).toBeGreaterThan(2);
    const complete = ofType(list, 'execution_complete')[0]!;
    expect(complete.success).toBe(true);
    expect(complete.finalOutput).toBe(deltas.map((delta) => delta.delta).join(''));
  });

  it('sends the frames a waiting run has written before the run ends (over a real socket)', async () => {
    const { agent, release } = gatedAgent();
    const api = await listen({}, { agent: () => agent });
    const sessionId = await api.init();
    const seen: string[] = [];
    let released = false;
    for await (const item of readEventStream(await api.chat(sessionId, 'go'))) {
      if (item.kind !== 'event') continue;
      seen.push(item.event.type);
      // The first delta reached the reader while the run still waits on its model.
      if (item.event.type === 'text_delta' && !released) {
        expect(seen).not.toContain('execution_complete');
        released = true;
        release();
      }
    }
    expect(released).toBe(true);
    expect(seen.slice(-2)).toEqual(['turn_complete', 'execution_complete']);
  });

  it('starts the stream with the webmcp.admission event and gives admitted page tools to the agent as webmcp:<name>', async () => {
    const seen: AgentRequest[] = [];
    const api = await start({}, { agent: () => recordingAgent(seen) });
    const sessionId = await api.init('ct_test_strict');
    const sdkTool = tool('open_help', 'Opens help', 'sdk');
    const list = await frames(await api.chat(sessionId, 'hi', { clientTools: [SEARCH, ADD_TO_CART, sdkTool, tool('checkout')] }));
    const admission = ofType(list, 'custom')[0]!;
    expect(types(list).slice(0, 2)).toEqual(['execution_start', 'custom']);
    expect(admission.name).toBe('webmcp.admission');
    expect(admission.value).toEqual({
      admitted: ['search_products', 'open_help'],
      dropped: [
        { name: 'add_to_cart', reason: 'no_matching_rule' },
        { name: 'checkout', reason: 'no_matching_rule' },
      ],
    });
    expect(seen[0]!.tools.map((entry) => entry.name)).toEqual(['webmcp:search_products', 'open_help']);
    expect(seen[0]!.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('scopes allowlist rules by the validated origin', async () => {
    const api = await start();
    const here = await frames(await api.chat(await api.init('ct_test_strict'), 'hi', { clientTools: [tool('checkout')] }));
    expect(ofType(here, 'custom')[0]!.value).toMatchObject({ admitted: [] });
    const there = await frames(
      await api.chat(await api.init('ct_test_strict', OTHER_ORIGIN), 'hi', { clientTools: [tool('checkout')] }, OTHER_ORIGIN),
    );
    expect(ofType(there, 'custom')[0]!.value).toMatchObject({ admitted: ['checkout'] });
  });

  it('drops every webmcp tool when the policy is disabled, but never an sdk tool', async () => {
    const api = await start();
    const sessionId = await api.init('ct_test_off');
    const list = await frames(await api.chat(sessionId, 'hi', { clientTools: [SEARCH, tool('sdk_thing', 'An sdk tool', 'sdk')] }));
    expect(ofType(list, 'custom')[0]!.value).toEqual({
      admitted: ['sdk_thing'],
      dropped: [{ name: 'search_products', reason: 'disabled' }],
    });
  });

  it('keeps the tool set per session: a fingerprint alone reuses it, an unknown one gets 409', async () => {
    const seen: AgentRequest[] = [];
    const api = await start({}, { agent: () => recordingAgent(seen) });
    const sessionId = await api.init();
    const tools = [SEARCH, GET_CART];
    await frames(await api.chat(sessionId, 'one', { clientTools: tools, clientToolsFingerprint: toolsFingerprint(tools) }));
    await frames(await api.chat(sessionId, 'two', { clientToolsFingerprint: toolsFingerprint(tools) }));
    expect(seen[1]!.tools.map((entry) => entry.name)).toEqual(['webmcp:search_products', 'webmcp:get_cart']);
    const stale = await errorOf(await api.chat(sessionId, 'three', { clientToolsFingerprint: toolsFingerprint([SEARCH]) }));
    expect(stale).toEqual({ status: 409, body: expect.objectContaining({ error: 'client_tools_resend_required' }) });
    // Another session never sees this session's tool set.
    const other = await api.init();
    expect((await api.chat(other, 'x', { clientToolsFingerprint: toolsFingerprint(tools) })).status).toBe(409);
    // An empty array means "no tools now".
    await frames(await api.chat(sessionId, 'four', { clientTools: [] }));
    expect(seen.at(-1)!.tools).toEqual([]);
  });

  it('computes the fingerprint itself when the client sends only the full array', async () => {
    const api = await start();
    const sessionId = await api.init();
    await frames(await api.chat(sessionId, 'one', { clientTools: [SEARCH] }));
    expect((await api.chat(sessionId, 'two', { clientToolsFingerprint: toolsFingerprint([SEARCH]) })).status).toBe(200);
  });

  it.each([
    ['too many tools', Array.from({ length: LIMITS.maxClientTools + 1 }, (_, i) => tool(`tool_${i}`)), 'tool_50', /at most 50/],
    ['a bad name', [SEARCH, tool('bad name!')], 'bad name!', /name/],
    ['a duplicate name', [SEARCH, SEARCH], 'search_products', /duplicate/],
    ['an empty description', [tool('empty', '')], 'empty', /description/],
    ['a long description', [tool('wordy', 'x'.repeat(1025))], 'wordy', /description/],
    [
      'over 64 KB',
      Array.from({ length: 40 }, (_, i) =>
        tool(`big_${i}`, 'd'.repeat(1000), 'webmcp', { pad: { type: 'string', description: 'p'.repeat(800) } }),
      ),
      'big_39',
      /bytes/,
    ],
    ['a schema that is not an object schema', [{ ...SEARCH, parametersSchema: { type: 'string' } }], 'search_products', /parametersSchema/],
    ['a wrong origin', [{ ...SEARCH, origin: 'page' }], 'search_products', /origin/],
  ])('refuses %s with 400 naming the tool', async (_label, clientTools, name, hint) => {
    const api = await start();
    const sessionId = await api.init();
    const { status, body } = await errorOf(await api.chat(sessionId, 'hi', { clientTools }));
    expect(status).toBe(400);
    expect(body.error).toBe('client_tools_invalid');
    expect(body.tool).toBe(name);
    expect(body.hint).toContain(name);
    expect(body.hint).toMatch(hint);
  });

  it('refuses a malformed chat body with 400 and a hint naming the field', async () => {
    const api = await start();
    const sessionId = await api.init();
    const noMessages = await errorOf(await api.post('/v1/client/chat', { sessionId, messages: [] }));
    expect(noMessages.status).toBe(400);
    expect(noMessages.body.hint).toMatch(/messages/);
    const badRole = await errorOf(await api.post('/v1/client/chat', { sessionId, messages: [{ role: 'robot', content: 'x' }] }));
    expect(badRole.body.hint).toMatch(/messages\.0\.role/);
    const longPrint = await errorOf(await api.chat(sessionId, 'x', { clientToolsFingerprint: 'f'.repeat(129) }));
    expect(longPrint.status).toBe(400);
  });

  it('answers 401 for an unknown session and 403 from another origin than the session’s', async () => {
    const api = await start();
    expect(await errorOf(await api.chat('cs_unknown', 'hi'))).toMatchObject({ status: 401, body: { error: 'session_not_found' } });
    const sessionId = await api.init('ct_test_open', ORIGIN);
    const moved = await errorOf(await api.chat(sessionId, 'hi', {}, OTHER_ORIGIN));
    expect(moved.status).toBe(403);
    expect(moved.body.hint).toMatch(/another origin/);
    const stranger = await errorOf(await api.chat(sessionId, 'hi', {}, 'https://evil.example'));
    expect(stranger.status).toBe(403);
  });

  it('answers 413 for a chat body over the limit', async () => {
    const api = await start({ maxBodyBytes: 4096 });
    const sessionId = await api.init();
    const response = await api.chat(sessionId, 'x'.repeat(5000));
    expect(await errorOf(response)).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  it('rate-limits turns per session with 429 and Retry-After', async () => {
    const api = await start({ rateLimit: { turns: 2, perSeconds: 30 } });
    const sessionId = await api.init();
    await frames(await api.chat(sessionId, 'one'));
    await frames(await api.chat(sessionId, 'two'));
    const third = await api.chat(sessionId, 'three');
    const retryAfter = Number(third.headers.get('retry-after'));
    const { status, body } = await errorOf(third);
    expect(status).toBe(429);
    expect(body.error).toBe('rate_limited');
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    // The limit is per session: a fresh session is not slowed by the first.
    expect((await api.chat(await api.init(), 'hi')).status).toBe(200);
  });

  it('passes a multi-part message to the agent as text', async () => {
    const seen: AgentRequest[] = [];
    const api = await start({}, { agent: () => recordingAgent(seen) });
    const sessionId = await api.init();
    const content = [
      { type: 'text', text: 'look' },
      { type: 'file', data: 'AA==', filename: 'a.txt', mimeType: 'text/plain' },
    ];
    await frames(
      await api.post('/v1/client/chat', {
        sessionId,
        messages: [
          { role: 'system', content: 'be nice' },
          { role: 'user', content },
        ],
      }),
    );
    expect(seen[0]!.messages).toEqual([
      { role: 'system', content: 'be nice' },
      { role: 'user', content: 'look\n[file a.txt]' },
    ]);
  });

  it('reports an agent failure as execution_error and a tool the agent was not given as a failed tool', async () => {
    const api = await start(
      {},
      {
        agent: () =>
          fixedScriptAgent([[{ toolCall: { name: 'webmcp:not_given', id: 'c1' } }], [{ error: 'model went away', code: 'upstream' }]]),
      },
    );
    const list = await frames(await api.chat(await api.init(), 'hi'));
    expect(ofType(list, 'tool_complete')[0]).toMatchObject({ toolCallId: 'c1', success: false });
    expect(ofType(list, 'execution_error')[0]!.error).toEqual({ code: 'upstream', message: 'model went away' });
    expect(types(list)).not.toContain('await');
  });
});
