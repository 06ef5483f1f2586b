/**
 * Request recording (test hooks only): after each `/v1/client/*` response,
 * writes what came in and what went out to the hooks' log, so browser tests
 * can check, for example, that no tool output was accepted twice.
 */
import type { MiddlewareHandler } from 'hono';
import type { RequestMeta } from '../routes/meta.js';
import type { TestHooks } from '../test-hooks.js';

export type MetaEnv = { Variables: { meta: RequestMeta | undefined; fault: string | undefined } };

export function recordLayer(hooks: TestHooks): MiddlewareHandler<MetaEnv> {
  return async (c, next) => {
    await next();
    const meta = c.get('meta');
    const fault = c.get('fault');
    if (meta?.acceptedToolCallIds) hooks.noteAccepted(meta.acceptedToolCallIds);
    hooks.record({
      method: c.req.method,
      endpoint: c.req.method === 'OPTIONS' ? 'preflight' : (meta?.endpoint ?? 'other'),
      path: c.req.path,
      origin: c.req.header('origin') ?? null,
      status: c.res.status,
      body: meta?.body,
      sessionId: meta?.sessionId,
      executionId: meta?.executionId,
      ...(meta?.endpoint === 'resume' && { toolOutputs: (meta.body as { toolOutputs?: unknown } | undefined)?.toolOutputs }),
      ...(meta?.replayed && { replayed: true }),
      ...(fault && { fault }),
    });
  };
}
