/**
 * The reference API as one Hono app: web-standard Request → Response, so the
 * same object serves Node (`startServer`), a dev-server middleware and tests.
 *
 * Layers, outermost first: request recording (test hooks only), CORS, the
 * per-client limit, then per route: its endpoint name, fault injection (test
 * hooks only), the handler.
 */
import { Hono } from 'hono';
import { SERVER_ERROR } from '../protocol/index.js';
import { scriptedAgent } from './agents/scripted.js';
import type { ServerConfig } from './config.js';
import { createContext, type AgentFactory, type ApiContext, type ApiOptions } from './context.js';
import { HttpError, jsonResponse } from './http.js';
import { corsLayer } from './middleware/cors.js';
import { faultLayer } from './middleware/faults.js';
import { clientLimitLayer } from './middleware/limits.js';
import { recordLayer, type MetaEnv } from './middleware/record.js';
import { ROUTES, shownPath } from './routes/table.js';
import { mountTestHooks } from './routes/test-hooks.js';
import { TestHooks } from './test-hooks.js';

export type { ApiOptions } from './context.js';

export interface ReferenceApi {
  /** `env` is what @hono/node-server passes (the Node request, for the client's address); absent in-process. */
  fetch(request: Request, env?: unknown): Promise<Response>;
  /** Internal state, for tests and benches that look inside. */
  readonly context: ApiContext;
}

export function createReferenceApi(config: ServerConfig, options: ApiOptions = {}): ReferenceApi {
  const hooks = options.testHooks ? new TestHooks() : undefined;
  const base: AgentFactory = options.agent ?? (() => scriptedAgent());
  const context = createContext(config, options, hooks ? hooks.scriptedOr(base) : base, hooks);
  const app = new Hono<MetaEnv>();

  app.onError((error, c) => {
    if (error instanceof HttpError) return error.toResponse();
    console.error('reference API: unexpected error', c.req.method, c.req.path, error);
    return jsonResponse(500, { error: 'internal_error', hint: 'The reference server failed; see its console.' });
  });

  if (hooks) app.use('/v1/client/*', recordLayer(hooks));
  app.use('/v1/client/*', corsLayer(context.cors));
  app.use('/v1/client/*', clientLimitLayer(context));
  for (const route of ROUTES) {
    app.on(
      route.method,
      route.path,
      async (c, next) => {
        c.set('meta', { endpoint: route.endpoint });
        await next();
      },
      ...(hooks ? [faultLayer(hooks, route.endpoint)] : []),
      (c) => route.handle(context, c.req.raw, c.get('meta')!, c.req.param()),
    );
  }
  app.all('/v1/client/*', (c) => {
    throw new HttpError(404, SERVER_ERROR.notFound, `No endpoint ${c.req.method} ${c.req.path}; see docs/protocol.md for the routes.`);
  });

  if (hooks) {
    app.use('/__test/*', corsLayer(context.cors, true));
    mountTestHooks(app as unknown as Hono, context, hooks);
  }

  app.get('/', () => jsonResponse(200, { name: 'webmcp-chat reference API', endpoints: ROUTES.map(shownPath) }));
  app.notFound((c) => jsonResponse(404, { error: SERVER_ERROR.notFound, hint: `Nothing at ${c.req.path}.` }));

  return { fetch: async (request, env) => app.fetch(request, env), context };
}
