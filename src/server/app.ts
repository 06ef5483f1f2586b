/**
 * The reference API as one Hono app: web-standard Request → Response, so the
 * same object serves Node (`startServer`), a dev-server middleware and tests.
 */
import { Hono } from 'hono';
import { SERVER_ERROR } from '../protocol/index.js';
import { scriptedAgent } from './agents/scripted.js';
import type { ServerConfig } from './config.js';
import { createContext, type ApiContext, type ApiOptions } from './context.js';
import type { FaultEndpoint } from './faults.js';
import { HttpError, jsonResponse } from './http.js';
import type { RequestMeta } from './routes/meta.js';
import { handleChat } from './routes/chat.js';
import { handleEvents, handleResume } from './routes/resume.js';
import { handleFeedback, handleInit } from './routes/session.js';
import { mountTestHooks } from './routes/test-hooks.js';
import { TestHooks } from './test-hooks.js';

export type { ApiOptions } from './context.js';

type Env = { Variables: { meta: RequestMeta } };

export interface ReferenceApi {
  fetch(request: Request): Promise<Response>;
  /** Internal state, for tests and benches that look inside. */
  readonly context: ApiContext;
}

export function createReferenceApi(config: ServerConfig, options: ApiOptions = {}): ReferenceApi {
  const hooks = options.testHooks ? new TestHooks() : undefined;
  const context = createContext(config, options, () => scriptedAgent(), hooks);
  const app = new Hono<Env>();

  app.onError((error, c) => {
    if (error instanceof HttpError) return error.toResponse();
    console.error('reference API: unexpected error', c.req.method, c.req.path, error);
    return jsonResponse(500, { error: 'internal_error', hint: 'The reference server failed; see its console.' });
  });

  app.use('/v1/client/*', async (c, next) => {
    const origin = c.req.header('origin') ?? null;
    if (c.req.method === 'OPTIONS') {
      c.res = context.cors.preflight(c.req.raw);
      hooks?.record({ method: 'OPTIONS', endpoint: 'preflight', path: c.req.path, origin, status: c.res.status, body: undefined });
      return;
    }
    const meta: RequestMeta = { endpoint: endpointOf(c.req.path) };
    c.set('meta', meta);
    const fault = meta.endpoint === 'other' ? undefined : hooks?.faults.take(meta.endpoint);
    if (fault?.status) {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      c.res = jsonResponse(
        fault.status,
        { error: fault.error ?? `injected_${fault.status}`, hint: fault.hint ?? 'An injected test fault.' },
        headers,
      );
    } else {
      meta.fault = fault;
      await next();
    }
    context.cors.decorate(c.res, origin);
    hooks?.record({
      method: c.req.method,
      endpoint: meta.endpoint,
      path: c.req.path,
      origin,
      status: c.res.status,
      body: meta.body,
      sessionId: meta.sessionId,
      executionId: meta.executionId,
      ...(meta.endpoint === 'resume' && { toolOutputs: (meta.body as { toolOutputs?: unknown } | undefined)?.toolOutputs }),
      ...(meta.replayed && { replayed: true }),
      ...(fault && { fault: JSON.stringify(fault) }),
    });
  });

  app.post('/v1/client/init', (c) => handleInit(context, c.req.raw, c.get('meta')));
  app.post('/v1/client/chat', (c) => handleChat(context, c.req.raw, c.get('meta')));
  app.post('/v1/client/resume', (c) => handleResume(context, c.req.raw, c.get('meta')));
  app.post('/v1/client/feedback', (c) => handleFeedback(context, c.req.raw, c.get('meta')));
  app.get('/v1/client/executions/:executionId/events', (c) => handleEvents(context, c.req.raw, c.get('meta'), c.req.param('executionId')));
  app.all('/v1/client/*', (c) => {
    throw new HttpError(404, SERVER_ERROR.notFound, `No endpoint ${c.req.method} ${c.req.path}; see docs/protocol.md for the routes.`);
  });

  if (hooks) {
    // Test pages live on other origins; these routes exist only in test runs.
    app.use('/__test/*', async (c, next) => {
      const origin = c.req.header('origin') ?? null;
      if (c.req.method === 'OPTIONS') {
        c.res = context.cors.preflight(c.req.raw, true);
        return;
      }
      await next();
      context.cors.decorate(c.res, origin, true);
    });
    mountTestHooks(app as unknown as Hono, context, hooks);
  }

  app.get('/', () =>
    jsonResponse(200, {
      name: 'webmcp-chat reference API',
      endpoints: [
        '/v1/client/init',
        '/v1/client/chat',
        '/v1/client/resume',
        '/v1/client/feedback',
        '/v1/client/executions/{executionId}/events',
      ],
    }),
  );
  app.notFound((c) => jsonResponse(404, { error: SERVER_ERROR.notFound, hint: `Nothing at ${c.req.path}.` }));

  return { fetch: async (request) => app.fetch(request), context };
}

function endpointOf(path: string): FaultEndpoint | 'other' {
  if (path === '/v1/client/init') return 'init';
  if (path === '/v1/client/chat') return 'chat';
  if (path === '/v1/client/resume') return 'resume';
  if (path === '/v1/client/feedback') return 'feedback';
  if (/^\/v1\/client\/executions\/[^/]+\/events$/.test(path)) return 'events';
  return 'other';
}
