/** POST /v1/client/init and POST /v1/client/feedback. */
import { SERVER_ERROR, type InitResponse } from '../../protocol/index.js';
import { FeedbackRequestSchema, InitRequestSchema } from '../../protocol/schemas.js';
import { readJsonBody } from '../body.js';
import { surfaceConfigOf } from '../config.js';
import { MAX_FEEDBACK, type ApiContext } from '../context.js';
import { parseWith, requireAllowedOrigin, requireOrigin, requireSession, requireToken } from '../guards.js';
import { HttpError, jsonResponse, newId } from '../http.js';
import type { RequestMeta } from './meta.js';

export async function handleInit(context: ApiContext, request: Request, meta: RequestMeta): Promise<Response> {
  const json = await readJsonBody(request, context.config.maxBodyBytes);
  meta.body = json;
  const body = parseWith(InitRequestSchema, json);
  const token = requireToken(context, body.token);
  const origin = requireOrigin(request);
  requireAllowedOrigin(token, origin);
  let session = undefined;
  if (body.sessionId) {
    const found = context.sessions.get(body.sessionId);
    if (found.ok && found.session.token === token.token && found.session.origin === origin) {
      session = found.session;
      context.sessions.renew(session);
    }
  }
  session ??= context.sessions.create(token.token, origin);
  meta.sessionId = session.id;
  const response: InitResponse = {
    sessionId: session.id,
    expiresAt: new Date(session.expiresAt).toISOString(),
    config: surfaceConfigOf(token),
  };
  if (body.flowId) response.flow = { id: body.flowId };
  return jsonResponse(200, response);
}

export async function handleFeedback(context: ApiContext, request: Request, meta: RequestMeta): Promise<Response> {
  const json = await readJsonBody(request, context.config.maxBodyBytes);
  meta.body = json;
  const body = parseWith(FeedbackRequestSchema, json);
  meta.sessionId = body.sessionId;
  const token = requireToken(context, body.token);
  const origin = requireOrigin(request);
  requireAllowedOrigin(token, origin);
  const { session } = requireSession(context, body.sessionId, origin);
  if (session.token !== token.token) {
    throw new HttpError(401, SERVER_ERROR.sessionNotFound, 'This session was not created with this token; call /v1/client/init with it.');
  }
  const feedbackId = newId('fb');
  context.feedback.push({
    feedbackId,
    token: token.token,
    sessionId: session.id,
    type: body.type,
    messageId: body.messageId,
    rating: body.rating,
    comment: body.comment,
    receivedAt: new Date(context.now()).toISOString(),
  });
  if (context.feedback.length > MAX_FEEDBACK) context.feedback.shift();
  return jsonResponse(200, { success: true, feedbackId });
}
