/**
 * The widget trusts its own verdicts (issue 9 item 4), against a server that
 * does not: an `await` for a tool the same stream's admission event reported
 * dropped is refused, and tool-call ids are data (`__proto__`, `constructor`
 * and friends reach the resume like any other id).
 *
 * The server here is a hand-written stream (the reference API never sends
 * such frames), answering at the fetch seam.
 */
import { describe, expect, it } from 'vitest';
import { createChatSession, memoryStore } from '../../../src/client/index.js';
import { fakeBridge, TOKEN, uniqueStoreName } from './helpers.js';

type Frame = { type: string; [field: string]: unknown };

function sse(frames: Frame[]): Response {
  const text = frames
    .map(
      (frame, seq) =>
        `event: ${frame.type}\nid: ${seq + 1}\ndata: ${JSON.stringify({ ...frame, executionId: 'exec_1', seq: seq + 1 })}\n\n`,
    )
    .join('');
  return new Response(text, { headers: { 'content-type': 'text/event-stream' } });
}

/** init → the scripted chat stream → one resume answered with `done`; records every resume body. */
function craftedServer(chatFrames: Frame[]) {
  const resumes: { toolOutputs: Record<string, unknown> }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    if (url.endsWith('/v1/client/init')) {
      return Response.json({ sessionId: 'cs_1', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), config: {} });
    }
    if (url.endsWith('/v1/client/chat')) return sse(chatFrames);
    if (url.endsWith('/v1/client/resume')) {
      resumes.push(JSON.parse(String(init?.body)));
      return sse([
        { type: 'turn_start', id: 't2', iteration: 2 },
        { type: 'text_delta', id: 'x2', delta: 'done' },
        { type: 'execution_complete', success: true },
      ]);
    }
    return new Response('{}', { status: 404 });
  };
  return { fetch, resumes };
}

const start: Frame[] = [
  { type: 'execution_start', kind: 'agent', startedAt: new Date().toISOString() },
  { type: 'turn_start', id: 't1', iteration: 1 },
];
const awaitFrame = (toolCallId: string, toolName: string): Frame => ({
  type: 'await',
  toolCallId,
  toolName,
  origin: 'webmcp',
  parameters: {},
  awaitedAt: new Date().toISOString(),
});

function open(fetch: typeof globalThis.fetch, bridge: ReturnType<typeof fakeBridge>) {
  return createChatSession({ apiUrl: 'http://api.test', clientToken: TOKEN, fetch, bridge, storage: memoryStore(uniqueStoreName()) });
}

describe('own verdicts', () => {
  it('an await for a tool the stream’s admission dropped is refused with a tool error, never run', async () => {
    let runs = 0;
    const checkout = () => {
      runs += 1;
      return 'paid';
    };
    const bridge = fakeBridge({ checkout, get_cart: () => 'cart' });
    const server = craftedServer([
      ...start,
      {
        type: 'custom',
        name: 'webmcp.admission',
        value: { admitted: ['get_cart'], dropped: [{ name: 'checkout', reason: 'no_matching_rule' }] },
      },
      awaitFrame('call_1', 'webmcp:checkout'),
      awaitFrame('call_2', 'get_cart'),
    ]);
    const session = open(server.fetch, bridge);
    await session.send('pay');
    await session.idle();
    expect(runs).toBe(0);
    expect(server.resumes).toHaveLength(1);
    expect(server.resumes[0]!.toolOutputs.call_1).toEqual({ error: expect.stringMatching(/checkout.*not admitted.*not run/i) });
    expect(server.resumes[0]!.toolOutputs.call_2).toEqual({ result: 'cart' });
    const card = session.state.value.toolCalls.call_1!;
    expect(card.status).toBe('failed');
    session.dispose();
  });

  it('tool-call ids such as __proto__ and constructor each run once and reach the resume under their own id', async () => {
    const bridge = fakeBridge({ get_cart: () => 'cart' });
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const server = craftedServer([...start, ...ids.map((id) => awaitFrame(id, 'get_cart'))]);
    const session = open(server.fetch, bridge);
    await session.send('cart?');
    await session.idle();
    expect(bridge.calls.map((call) => call.toolCallId)).toEqual(ids);
    expect(server.resumes).toHaveLength(1);
    const outputs = server.resumes[0]!.toolOutputs;
    expect(Object.keys(outputs)).toEqual(ids);
    for (const id of ids) expect(Object.getOwnPropertyDescriptor(outputs, id)?.value).toEqual({ result: 'cart' });
    for (const id of ids) expect(Object.getOwnPropertyDescriptor(session.state.value.toolCalls, id)?.value?.status).toBe('done');
    expect(session.transcript()[1]!.toolCalls.map((call) => call.id)).toEqual(ids);
    session.dispose();
  });
});
