/**
 * Fault injection (test hooks only), mounted per route: takes the next queued
 * fault for the route's endpoint and either answers in the handler's place
 * (an injected status) or reshapes the handler's event stream on the way out.
 */
import type { MiddlewareHandler } from 'hono';
import { faultStream, hasStreamFault } from '../fault-stream.js';
import { jsonResponse } from '../http.js';
import type { Endpoint } from '../routes/table.js';
import type { TestHooks } from '../test-hooks.js';
import type { MetaEnv } from './record.js';

export function faultLayer(hooks: TestHooks, endpoint: Endpoint): MiddlewareHandler<MetaEnv> {
  return async (c, next) => {
    const fault = hooks.faults.take(endpoint);
    if (!fault) return next();
    c.set('fault', JSON.stringify(fault));
    if (fault.status) {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      c.res = jsonResponse(
        fault.status,
        { error: fault.error ?? `injected_${fault.status}`, hint: fault.hint ?? 'An injected test fault.' },
        headers,
      );
      return;
    }
    await next();
    const body = c.res.body;
    if (body && hasStreamFault(fault) && c.res.headers.get('content-type')?.startsWith('text/event-stream')) {
      c.res = new Response(body.pipeThrough(faultStream(fault)), { status: c.res.status, headers: c.res.headers });
    }
  };
}
