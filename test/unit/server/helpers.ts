/**
 * The reference API for tests: in-process through `createReferenceApi().fetch`
 * by default (no socket, no port), or on a real loopback socket (`listen`) where
 * the wire itself is under test: SSE streaming, CORS preflights, chunked bodies.
 */
import { afterEach } from 'vitest';
import { readEventStream } from '../../../src/client/event-stream.js';
import type { ClientTool, StreamEvent } from '../../../src/protocol/index.js';
import {
  createReferenceApi,
  resolveConfig,
  startServer,
  type Agent,
  type ApiContext,
  type ApiOptions,
  type RunningServer,
  type ServerConfigInput,
} from './imports.js';

export const ORIGIN = 'http://localhost:5173';
export const OTHER_ORIGIN = 'http://localhost:5174';

export const TEST_CONFIG: ServerConfigInput = {
  sessionTtlSeconds: 60,
  rateLimit: { turns: 1000, perSeconds: 60 },
  tokens: [
    {
      token: 'ct_test_open',
      allowedOrigins: [ORIGIN, OTHER_ORIGIN],
      surface: { welcomeMessage: 'Hello', placeholder: 'Ask…', webmcp: { enabled: true } },
    },
    {
      token: 'ct_test_strict',
      allowedOrigins: [ORIGIN, OTHER_ORIGIN],
      surface: {
        webmcp: {
          enabled: true,
          allowlist: [
            { origin: '*', tools: ['search_*', 'get_cart'] },
            { origin: OTHER_ORIGIN, tools: ['checkout'] },
          ],
        },
      },
    },
    { token: 'ct_test_off', allowedOrigins: [ORIGIN], surface: { webmcp: { enabled: false } } },
    { token: 'ct_test_narrow', allowedOrigins: [ORIGIN] },
    { token: 'ct_test_revoked', allowedOrigins: [ORIGIN], revoked: true },
  ],
};

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** The API in this process: requests go straight to its `fetch`. */
export async function start(config: Partial<ServerConfigInput> = {}, options: ApiOptions = {}): Promise<Api> {
  const api = createReferenceApi(resolveConfig({ ...TEST_CONFIG, ...config }), options);
  return new Api(IN_PROCESS_URL, api.context, (request) => api.fetch(request));
}

/** The API on a real loopback socket. */
export async function listen(config: Partial<ServerConfigInput> = {}, options: ApiOptions = {}): Promise<Api> {
  const server = await startServer({ port: 0, host: '127.0.0.1', config: resolveConfig({ ...TEST_CONFIG, ...config }), ...options });
  running.push(server);
  return new Api(server.url, server.api.context, (request) => fetch(request));
}

/** The base of in-process request URLs; nothing listens there. */
const IN_PROCESS_URL = 'http://reference-api.test';

export type Tool = ClientTool;

export function tool(
  name: string,
  description = `Does ${name.replace(/_/g, ' ')}`,
  origin: 'webmcp' | 'sdk' = 'webmcp',
  properties: Record<string, unknown> = {},
  required: string[] = [],
): Tool {
  return { name, description, parametersSchema: { type: 'object', properties, required }, origin };
}

export const SEARCH = tool('search_products', 'Search the catalog for products by keyword', 'webmcp', { query: { type: 'string' } }, [
  'query',
]);
export const GET_CART = tool('get_cart', 'Get the contents of the shopping cart');
export const ADD_TO_CART = tool(
  'add_to_cart',
  'Add a product to the cart',
  'webmcp',
  { productId: { type: 'string' }, quantity: { type: 'integer' } },
  ['productId'],
);

export class Api {
  constructor(
    readonly url: string,
    /** The API's internal state, for tests that look inside. */
    readonly context: ApiContext,
    private readonly send: (request: Request) => Promise<Response>,
  ) {}

  request(path: string, init: RequestInit = {}): Promise<Response> {
    return this.send(new Request(`${this.url}${path}`, init));
  }

  post(path: string, body: unknown, origin: string | null = ORIGIN, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  get(path: string, origin: string | null = ORIGIN, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers: { ...(origin ? { origin } : {}), ...headers } });
  }

  async init(token = 'ct_test_open', origin = ORIGIN): Promise<string> {
    const response = await this.post('/v1/client/init', { token }, origin);
    if (response.status !== 200) throw new Error(`init ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { sessionId: string }).sessionId;
  }

  chat(sessionId: string, text: string, extra: Record<string, unknown> = {}, origin = ORIGIN): Promise<Response> {
    return this.post('/v1/client/chat', { sessionId, messages: [{ role: 'user', content: text }], ...extra }, origin);
  }

  resume(
    sessionId: string,
    executionId: string,
    toolOutputs: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    origin = ORIGIN,
  ): Promise<Response> {
    return this.post('/v1/client/resume', { sessionId, executionId, toolOutputs, streamResponse: true, ...extra }, origin);
  }
}

export interface Frame {
  id: string | undefined;
  event: StreamEvent;
}

/** Reads a whole SSE response with the widget's own reader; fails on a frame it cannot parse. */
export async function frames(response: Response): Promise<Frame[]> {
  if (response.status !== 200) throw new Error(`expected a stream, got ${response.status}: ${await response.text()}`);
  const out: Frame[] = [];
  for await (const item of readEventStream(response)) {
    if (item.kind === 'protocol_error') throw new Error(item.message);
    out.push({ id: item.id, event: item.event });
  }
  return out;
}

export function types(list: Frame[]): string[] {
  return list.map((frame) => frame.event.type);
}

export function ofType<T extends StreamEvent['type']>(list: Frame[], type: T): Extract<StreamEvent, { type: T }>[] {
  return list.map((frame) => frame.event).filter((event): event is Extract<StreamEvent, { type: T }> => event.type === type);
}

export async function errorOf(
  response: Response,
): Promise<{ status: number; body: Record<string, unknown> & { error: string; hint?: string } }> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error: string; hint?: string } };
}

/**
 * An agent that says "first ", then waits until `release()` before "second":
 * a run that is live (its model still working) for as long as a test needs.
 */
export function gatedAgent(): { agent: Agent; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const agent: Agent = {
    name: 'slow',
    async *run() {
      yield { type: 'text', delta: 'first ' };
      await gate;
      yield { type: 'text', delta: 'second' };
    },
  };
  return { agent, release };
}
