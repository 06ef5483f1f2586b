/**
 * The checks every `/v1/client/*` request goes through, each turning a failure
 * into the protocol's error with a hint a developer can act on.
 */
import { SERVER_ERROR } from '../protocol/index.js';
import { describeIssue } from './body.js';
import type { TokenConfig } from './config.js';
import type { ApiContext } from './context.js';
import { HttpError } from './http.js';
import type { Session } from './sessions.js';

export interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export function parseWith<T>(schema: SafeParser<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const path = issues[0]?.path ?? [];
  // A bad entry in clientTools is named by the tool, so the developer knows which one.
  if (path[0] === 'clientTools' && typeof path[1] === 'number') {
    const raw = (input as { clientTools?: unknown[] }).clientTools?.[path[1]] as { name?: unknown } | undefined;
    const name = typeof raw?.name === 'string' ? raw.name : `#${path[1]}`;
    throw new HttpError(400, SERVER_ERROR.clientToolsInvalid, `Tool "${name}": ${describeIssue(issues)}.`, { tool: name });
  }
  throw new HttpError(400, SERVER_ERROR.badRequest, `${describeIssue(issues)}.`);
}

export function requireOrigin(request: Request): string {
  const origin = request.headers.get('origin');
  if (!origin) {
    throw new HttpError(
      403,
      SERVER_ERROR.originNotAllowed,
      'Send an Origin header: client tokens are only used from web pages whose origin the token allows.',
    );
  }
  return origin;
}

export function requireToken(context: ApiContext, token: string): TokenConfig {
  const config = context.tokens.get(token);
  if (!config || config.revoked) {
    throw new HttpError(401, SERVER_ERROR.invalidToken, 'This client token is unknown or revoked; check the token in your embed code.');
  }
  return config;
}

export function requireAllowedOrigin(token: TokenConfig, origin: string): void {
  if (!token.allowedOrigins.includes(origin)) {
    throw new HttpError(
      403,
      SERVER_ERROR.originNotAllowed,
      `The origin ${origin} is not allowed for this token; add it to the token's allowedOrigins.`,
      {
        origin,
      },
    );
  }
}

/** A session is usable only from its own origin, while its token still allows that origin. */
export function requireSession(context: ApiContext, sessionId: string, origin: string): { session: Session; token: TokenConfig } {
  const found = context.sessions.get(sessionId);
  if (!found.ok) {
    const expired = found.reason === 'expired';
    throw new HttpError(
      401,
      expired ? SERVER_ERROR.sessionExpired : SERVER_ERROR.sessionNotFound,
      `${expired ? 'The session expired' : 'The session is unknown'}; call /v1/client/init again and retry.`,
    );
  }
  const token = requireToken(context, found.session.token);
  requireAllowedOrigin(token, origin);
  if (found.session.origin !== origin) {
    throw new HttpError(
      403,
      SERVER_ERROR.originNotAllowed,
      'This session belongs to another origin; call /v1/client/init from this page.',
      {
        origin,
      },
    );
  }
  return { session: found.session, token };
}

export function takeTurn(session: Session, now: number, limit: { turns: number; perSeconds: number } | undefined): void {
  const wait = session.turns?.take(now) ?? 0;
  if (wait > 0) throw rateLimited(wait, `Too many turns: at most ${limit?.turns} per ${limit?.perSeconds} s in one session.`);
}

/** One request for this token from any client; 429 when the token's window is spent. */
export function takeTokenRequest(context: ApiContext, token: TokenConfig): void {
  const wait = context.limits.token.take(token.token, context.now());
  const { requests, perSeconds } = context.config.tokenLimit;
  if (wait > 0) throw rateLimited(wait, `Too many requests for this token: at most ${requests} per ${perSeconds} s (tokenLimit).`);
}

/** 429 with Retry-After, the limit named in words. */
export function rateLimited(waitSeconds: number, what: string): HttpError {
  return new HttpError(
    429,
    SERVER_ERROR.rateLimited,
    `${what} Try again in ${waitSeconds} s.`,
    { retryAfter: waitSeconds },
    { 'retry-after': String(waitSeconds) },
  );
}
