/**
 * The per-client limit, applied before a body is read so a flood costs the
 * server as little as possible. The client is the connection's address; a
 * proxy header names it instead only when the operator configured one
 * (`trustProxyHeader`), since any caller can write any header.
 */
import type { MiddlewareHandler } from 'hono';
import type { ApiContext } from '../context.js';
import { rateLimited } from '../guards.js';

/** What @hono/node-server passes as the environment: the Node request, whose socket has the address. */
type NodeEnv = { incoming?: { socket?: { remoteAddress?: string } } } | undefined;

/** The client's identity, or undefined when nothing names one. */
export function clientOf(request: Request, env: NodeEnv, trustProxyHeader: string | undefined): string | undefined {
  if (trustProxyHeader) {
    const named = request.headers.get(trustProxyHeader)?.split(',')[0]?.trim();
    if (named) return named;
  }
  return env?.incoming?.socket?.remoteAddress;
}

export function clientLimitLayer(context: ApiContext): MiddlewareHandler<{ Bindings: NodeEnv }> {
  return async (c, next) => {
    const client = clientOf(c.req.raw, c.env, context.config.trustProxyHeader);
    // A host with no socket (a dev-server middleware, in-process tests) knows no client:
    // lumping every caller into one bucket would be a second token limit, so only that one applies.
    if (client === undefined) return next();
    const wait = context.limits.client.take(client, context.now());
    if (wait > 0)
      throw rateLimited(wait, `Too many requests from one client: at most ${describe(context.config.clientLimit)} (clientLimit).`);
    await next();
  };
}

export function describe(window: { requests: number; perSeconds: number }): string {
  return `${window.requests} per ${window.perSeconds} s`;
}
