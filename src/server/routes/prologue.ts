/**
 * The one prologue of every `/v1/client/*` request: read the body (or the
 * query of a GET) under the size limit, parse it, then check the token, the
 * origin and the session, in that order, and count the request against its
 * token's limit. Each failure is the protocol's error with a hint; nothing
 * here changes any state but a session's recency and the rate counters.
 */
import type { TokenConfig } from '../config.js';
import type { ApiContext } from '../context.js';
import { readJsonBody } from '../body.js';
import {
  parseWith,
  requireAllowedOrigin,
  requireOrigin,
  requireSession,
  requireToken,
  takeTokenRequest,
  type SafeParser,
} from '../guards.js';
import { HttpError } from '../http.js';
import type { Session } from '../sessions.js';
import { SERVER_ERROR } from '../../protocol/index.js';
import type { RequestMeta } from './meta.js';

interface WithToken {
  token: string;
}
interface WithSession {
  sessionId: string;
}

export interface Opened<T> {
  body: T;
  origin: string;
  token: TokenConfig;
}
export interface OpenedSession<T> extends Opened<T> {
  session: Session;
}

/** `token`: the body names a token (init). `session`: it names a session (chat, resume, events). `both`: feedback. */
export async function openRequest<T extends WithToken>(
  context: ApiContext,
  request: Request,
  meta: RequestMeta,
  schema: SafeParser<T>,
  needs: 'token',
): Promise<Opened<T>>;
export async function openRequest<T extends WithSession>(
  context: ApiContext,
  request: Request,
  meta: RequestMeta,
  schema: SafeParser<T>,
  needs: 'session',
): Promise<OpenedSession<T>>;
export async function openRequest<T extends WithToken & WithSession>(
  context: ApiContext,
  request: Request,
  meta: RequestMeta,
  schema: SafeParser<T>,
  needs: 'both',
): Promise<OpenedSession<T>>;
export async function openRequest<T>(
  context: ApiContext,
  request: Request,
  meta: RequestMeta,
  schema: SafeParser<T>,
  needs: 'token' | 'session' | 'both',
): Promise<Opened<T> | OpenedSession<T>> {
  const raw = request.method === 'GET' ? queryOf(request) : await readJsonBody(request, context.config);
  meta.body = raw;
  const body = parseWith(schema, raw);
  const named = body as Partial<WithToken & WithSession>;
  meta.sessionId = named.sessionId;
  const token = needs === 'session' ? undefined : requireToken(context, named.token!);
  const origin = requireOrigin(request);
  if (token) requireAllowedOrigin(token, origin);
  if (needs === 'token') {
    takeTokenRequest(context, token!);
    return { body, origin, token: token! };
  }
  const found = requireSession(context, named.sessionId!, origin);
  if (token && found.session.token !== token.token) {
    throw new HttpError(401, SERVER_ERROR.sessionNotFound, 'This session was not created with this token; call /v1/client/init with it.');
  }
  takeTokenRequest(context, found.token);
  return { body, origin, token: found.token, session: found.session };
}

function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
