/**
 * The OpenAI-compatible agent against a local fake of the chat-completions
 * API (a Node http server on 127.0.0.1:0 that streams its SSE format), alone
 * and plugged into the reference API for a whole chat → await → resume run.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agentFromEnv, openAiCompatibleAgent, sseData, WireNames } from '../../../src/server/agents/openai-compatible.js';
import type { AgentRequest, AgentStep } from '../../../src/server/agents/types.js';
import { ADD_TO_CART, GET_CART, ofType, frames, start } from './helpers.js';

/** One scripted answer: raw pieces of the response body, written with a tick between them. */
type Reply = { status?: number; headers?: Record<string, string>; pieces: string[] };

interface Fake {
  baseUrl: string;
  requests: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    }),
  );
});

async function fake(replies: Reply[]): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', async () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      requests.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      const reply = replies.shift() ?? { status: 500, pieces: ['{"error":{"message":"fake: no reply left"}}'] };
      res.writeHead(reply.status ?? 200, reply.headers ?? { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const piece of reply.pieces) {
        res.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

const frame = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const DONE = 'data: [DONE]\n\n';

function request(overrides: Partial<AgentRequest> = {}): AgentRequest {
  return {
    executionId: 'exec_1',
    iteration: 1,
    messages: [{ role: 'user', content: 'Add two mugs and show my cart' }],
    tools: [
      {
        name: 'webmcp:add_to_cart',
        description: 'Add a product to the cart',
        parameters: { type: 'object', properties: { productId: { type: 'string' }, quantity: { type: 'integer' } } },
      },
      { name: 'webmcp:get_cart', description: 'Get the cart', parameters: { type: 'object', properties: {} } },
    ],
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function collect(steps: AsyncIterable<AgentStep>): Promise<AgentStep[]> {
  const out: AgentStep[] = [];
  for await (const step of steps) out.push(step);
  return out;
}

describe('openAiCompatibleAgent', () => {
  it('streams text deltas and sends the model, tools under wire-safe names, a system prompt and the key', async () => {
    const api = await fake([
      {
        pieces: [frame({ role: 'assistant', content: '' }), frame({ content: 'Hel' }), frame({ content: 'lo!' }), frame({}, 'stop'), DONE],
      },
    ]);
    const agent = openAiCompatibleAgent({ baseUrl: `${api.baseUrl}/`, apiKey: 'sk-test-secret', model: 'fake-model' });
    const steps = await collect(agent.run(request()));

    expect(steps).toEqual([
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo!' },
    ]);
    const sent = api.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-test-secret');
    expect(sent.body.model).toBe('fake-model');
    expect(sent.body.stream).toBe(true);
    const tools = sent.body.tools as { function: { name: string } }[];
    expect(tools.map((tool) => tool.function.name)).toEqual(['webmcp__add_to_cart', 'webmcp__get_cart']);
    const messages = sent.body.messages as { role: string; content: string }[];
    expect(messages[0]!.role).toBe('system');
    expect(messages[1]).toEqual({ role: 'user', content: 'Add two mugs and show my cart' });
  });

  it('assembles parallel tool calls from fragments split across chunks and SSE lines', async () => {
    // Two calls interleaved by index; arguments cut mid-token; one network
    // piece ends halfway through a `data:` line; CRLF line ends on some frames.
    const call0a = frame({
      tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'webmcp__add_to_cart', arguments: '' } }],
    });
    const call1a = frame({
      tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'webmcp__get_cart', arguments: '' } }],
    });
    const call0b = frame({ tool_calls: [{ index: 0, function: { arguments: '{"productId":"stone' } }] });
    const call1b = frame({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }).replace(/\n/g, '\r\n');
    const call0c = frame({ tool_calls: [{ index: 0, function: { arguments: 'ware-mug","quan' } }] });
    const call0d = frame({ tool_calls: [{ index: 0, function: { arguments: 'tity":2}' } }] });
    const body = [frame({ content: 'On it.' }), call0a, call1a, call0b, call1b, call0c, call0d, frame({}, 'tool_calls'), DONE].join('');
    const pieces = [body.slice(0, 37), body.slice(37, 300), body.slice(300, 301), body.slice(301)];
    const api = await fake([{ pieces }]);

    const steps = await collect(openAiCompatibleAgent({ baseUrl: api.baseUrl, model: 'fake' }).run(request()));

    expect(steps).toEqual([
      { type: 'text', delta: 'On it.' },
      { type: 'tool_call', id: 'call_a', name: 'webmcp:add_to_cart', arguments: { productId: 'stoneware-mug', quantity: 2 } },
      { type: 'tool_call', id: 'call_b', name: 'webmcp:get_cart', arguments: {} },
    ]);
    expect(api.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('sends the history back: assistant tool calls and tool results, errors marked', async () => {
    const api = await fake([{ pieces: [frame({ content: 'Done.' }), DONE] }]);
    await collect(
      openAiCompatibleAgent({ baseUrl: api.baseUrl, model: 'fake', systemPrompt: 'Be brief.' }).run(
        request({
          messages: [
            { role: 'user', content: 'check out' },
            { role: 'assistant', content: '', toolCalls: [{ id: 'call_9', name: 'webmcp:checkout', arguments: {} }] },
            { role: 'tool', toolCallId: 'call_9', name: 'webmcp:checkout', content: 'declined by the user', isError: true },
          ],
        }),
      ),
    );
    expect(api.requests[0]!.body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'check out' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'webmcp__checkout', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_9', content: 'Error: declined by the user' },
    ]);
  });

  it('turns an HTTP error into an error step with the API message, never the key', async () => {
    const api = await fake([
      {
        status: 401,
        headers: { 'content-type': 'application/json' },
        pieces: ['{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}'],
      },
    ]);
    const steps = await collect(openAiCompatibleAgent({ baseUrl: api.baseUrl, apiKey: 'sk-never-shown', model: 'fake' }).run(request()));
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ type: 'error', code: 'model_error' });
    const message = (steps[0] as { message: string }).message;
    expect(message).toContain('401');
    expect(message).toContain('Incorrect API key provided');
    expect(message).not.toContain('sk-never-shown');
  });

  it('reports an unreachable endpoint, an error frame and arguments that are not a JSON object', async () => {
    const closed = await fake([]);
    await closed.close();
    const unreachable = await collect(openAiCompatibleAgent({ baseUrl: closed.baseUrl, model: 'fake' }).run(request()));
    expect(unreachable[0]).toMatchObject({ type: 'error', code: 'model_unreachable' });

    const api = await fake([
      { pieces: [frame({ content: 'Hi' }), `data: ${JSON.stringify({ error: { message: 'overloaded' } })}\n\n`] },
      { pieces: [frame({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'webmcp__get_cart', arguments: '[1,2' } }] }), DONE] },
    ]);
    const agent = openAiCompatibleAgent({ baseUrl: api.baseUrl, model: 'fake' });
    const errored = await collect(agent.run(request()));
    expect(errored).toEqual([
      { type: 'text', delta: 'Hi' },
      { type: 'error', code: 'model_error', message: expect.stringContaining('overloaded') },
    ]);
    const badArgs = await collect(agent.run(request()));
    expect(badArgs[0]).toMatchObject({ type: 'error', code: 'model_bad_arguments' });
  });

  it('a model that is not reached: the server logs one line why, and the client gets execution_error model_unreachable', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const gateway = await fake([{ status: 502, headers: { 'content-type': 'text/html' }, pieces: ['<h1>Bad Gateway</h1>'] }]);
      const server = await start(
        {},
        { agent: () => openAiCompatibleAgent({ baseUrl: gateway.baseUrl, model: 'fake', apiKey: 'sk-secret' }) },
      );
      const list = await frames(await server.chat(await server.init(), 'hello'));
      const failed = ofType(list, 'execution_error')[0]!;
      expect(failed.error).toMatchObject({ code: 'model_unreachable', message: expect.stringContaining('502') });
      const lines = logged.mock.calls.map((call) => call.join(' '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('model_unreachable');
      expect(lines[0]).toContain('502');
      expect(lines[0]).not.toContain('sk-secret');
    } finally {
      logged.mockRestore();
    }
  });

  it('drives a whole run through the reference API: two awaited calls, one resume, a final answer', async () => {
    const api = await fake([
      {
        pieces: [
          frame({ tool_calls: [{ index: 0, id: 'call_add', function: { name: 'webmcp__add_to_cart', arguments: '{"productId":' } }] }),
          frame({ tool_calls: [{ index: 1, id: 'call_cart', function: { name: 'webmcp__get_cart', arguments: '{}' } }] }),
          frame({ tool_calls: [{ index: 0, function: { arguments: '"mug"}' } }] }),
          DONE,
        ],
      },
      { pieces: [frame({ content: 'Added the mug; ' }), frame({ content: 'your cart has 1 item.' }), DONE] },
    ]);
    const server = await start({}, { agent: () => openAiCompatibleAgent({ baseUrl: api.baseUrl, model: 'fake' }) });
    const sessionId = await server.init();

    const first = await frames(await server.chat(sessionId, 'add a mug and show my cart', { clientTools: [ADD_TO_CART, GET_CART] }));
    const awaits = ofType(first, 'await');
    expect(awaits.map((event) => [event.toolCallId, event.toolName.replace(/^webmcp:/, ''), event.parameters])).toEqual([
      ['call_add', 'add_to_cart', { productId: 'mug' }],
      ['call_cart', 'get_cart', {}],
    ]);
    const executionId = awaits[0]!.executionId!;

    const second = await frames(
      await server.resume(sessionId, executionId, { call_add: { result: { added: 'mug' } }, call_cart: { result: { itemCount: 1 } } }),
    );
    const text = ofType(second, 'text_delta')
      .map((event) => event.delta)
      .join('');
    expect(text).toBe('Added the mug; your cart has 1 item.');
    expect(ofType(second, 'execution_complete')[0]?.success).toBe(true);

    // The model saw both results, keyed by its own call ids.
    const history = api.requests[1]!.body.messages as { role: string; tool_call_id?: string; content: string }[];
    const results = history.filter((message) => message.role === 'tool');
    expect(results.map((message) => message.tool_call_id)).toEqual(['call_add', 'call_cart']);
    expect(results[0]!.content).toContain('mug');
  });
});

describe('helpers', () => {
  it('WireNames maps both ways and keeps colliding names apart', () => {
    const names = new WireNames();
    expect(names.add('webmcp:get.cart')).toBe('webmcp__get_cart');
    expect(names.add('webmcp:get_cart')).toBe('webmcp__get_cart_2');
    expect(names.add('plain_tool')).toBe('plain_tool');
    expect(names.fromWire('webmcp__get_cart_2')).toBe('webmcp:get_cart');
    expect(names.fromWire('made_up')).toBe('made_up');
    expect(names.add(`webmcp:${'x'.repeat(100)}`)).toHaveLength(64);
  });

  it('sseData follows the spec: CR, CRLF and LF, multi-line data, comments', async () => {
    const text = ': comment\r\ndata: a\rdata: b\n\nevent: x\ndata:c\r\n\r\ndata: tail';
    const stream = new Blob([text]).stream();
    const out: string[] = [];
    for await (const data of sseData(stream)) out.push(data);
    expect(out).toEqual(['a\nb', 'c', 'tail']);
  });

  it('agentFromEnv: scripted by default, the adapter when a model is named', () => {
    expect(agentFromEnv({})).toBeUndefined();
    expect(agentFromEnv({ WEBMCP_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', WEBMCP_OPENAI_MODEL: 'llama3.2' })?.name).toBe(
      'openai-compatible (llama3.2)',
    );
    expect(() => agentFromEnv({ WEBMCP_OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })).toThrow(/WEBMCP_OPENAI_MODEL/);
  });
});
