/**
 * CORS as a middleware: answers preflights, and adds the CORS headers to
 * whatever response the layers inside made (errors included, so a page can
 * read the `{error, hint}` of a refusal). The policy itself is `CorsPolicy`.
 */
import type { MiddlewareHandler } from 'hono';
import type { CorsPolicy } from '../cors.js';

/** `anyOrigin` is for the test-hook routes, whose pages live on origins no token lists. */
export function corsLayer(policy: CorsPolicy, anyOrigin = false): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin') ?? null;
    if (c.req.method === 'OPTIONS') {
      c.res = policy.preflight(c.req.raw, anyOrigin);
      return;
    }
    await next();
    policy.decorate(c.res, origin, anyOrigin);
  };
}
