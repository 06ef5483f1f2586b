/**
 * Dev-only routes for the allowlist lab: read the tokens and change a
 * token's WebMCP surface policy while the API runs. Mounted by the demo
 * server (`npm run demo`) only; `npm run serve` never mounts it. It mutates
 * the same `TokenConfig` objects the reference API reads on every request,
 * so a change applies to the next chat or resume.
 *
 *   GET /__dev/info                      → { origins, agent, tokens: [{ token, allowedOrigins, policy }] }
 *   PUT /__dev/tokens/:token/policy      ← { enabled, allowlist?: [{ origin, tools }] }
 *
 * Writes are accepted only from the demo's own origins (a cross-site page
 * cannot change the policy); there is no auth because it never runs outside
 * a developer's machine.
 */
import { Hono } from 'hono';
import { z } from '../protocol/zod.js';
import type { WebMcpPolicy } from '../protocol/index.js';
import { policyOf, type ServerConfig, type TokenConfig } from './config.js';
import { jsonResponse } from './http.js';

export interface DevAdminOptions {
  /** The demo's page origins, shown by the lab and trusted for writes. */
  origins: readonly string[];
  /** Which agent plays the model, for the lab's header. */
  agentName: string;
}

export interface DevAdmin {
  fetch(request: Request): Promise<Response>;
}

export const DEV_ADMIN_PREFIX = '/__dev/';

const PolicySchema = z.object({
  enabled: z.boolean(),
  allowlist: z.optional(
    z
      .array(z.object({ origin: z.string().check(z.minLength(1)), tools: z.array(z.string().check(z.minLength(1), z.maxLength(128))) }))
      .check(z.maxLength(100)),
  ),
});

function describe(token: TokenConfig) {
  return { token: token.token, allowedOrigins: token.allowedOrigins, revoked: token.revoked === true, policy: policyOf(token) ?? null };
}

/** Sets the policy where `policyOf` reads it first, and drops the hosted spelling so the two cannot disagree. */
export function setPolicy(token: TokenConfig, policy: WebMcpPolicy): void {
  const surface = token.surface ?? {};
  token.surface = surface;
  surface.webmcp = policy.allowlist
    ? { enabled: policy.enabled, allowlist: policy.allowlist.map((rule) => ({ origin: rule.origin, tools: [...rule.tools] })) }
    : { enabled: policy.enabled };
  if (surface.behavior?.webmcp) delete surface.behavior.webmcp;
}

export function createDevAdmin(config: ServerConfig, options: DevAdminOptions): DevAdmin {
  const trusted = new Set(options.origins);
  const app = new Hono();

  app.use('/__dev/*', async (c, next) => {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const fromDemo = origin ? trusted.has(origin) : site === undefined || site === 'same-origin' || site === 'none';
    if (!fromDemo || (c.req.method !== 'GET' && !origin && site !== undefined)) {
      return jsonResponse(403, { error: 'origin_not_allowed', hint: 'The dev admin routes answer only the demo pages on this machine.' });
    }
    await next();
  });

  app.get('/__dev/info', () =>
    jsonResponse(200, { origins: options.origins, agent: options.agentName, tokens: config.tokens.map(describe) }),
  );

  app.put('/__dev/tokens/:token/policy', async (c) => {
    const token = config.tokens.find((candidate) => candidate.token === c.req.param('token'));
    if (!token) return jsonResponse(404, { error: 'unknown_token', hint: `No token ${c.req.param('token')} in the demo config.` });
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonResponse(400, {
        error: 'invalid_json',
        hint: 'Send the policy as JSON: { "enabled": true, "allowlist": [{ "origin": "*", "tools": ["search_*"] }] }.',
      });
    }
    const parsed = PolicySchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return jsonResponse(400, {
        error: 'invalid_policy',
        hint: `${issue?.path.join('.') || 'policy'}: ${issue?.message ?? 'is invalid'}`,
      });
    }
    setPolicy(token, parsed.data);
    return jsonResponse(200, describe(token));
  });

  app.notFound((c) => jsonResponse(404, { error: 'not_found', hint: `No dev route ${c.req.method} ${c.req.path}.` }));

  return { fetch: async (request) => app.fetch(request) };
}
