/** POST /v1/client/init and POST /v1/client/feedback. */
import { FeedbackRequestSchema, InitRequestSchema, type InitResponse } from '../../protocol/index.js';
import { surfaceConfigOf } from '../config.js';
import { MAX_FEEDBACK, type ApiContext } from '../context.js';
import { jsonResponse, newId } from '../http.js';
import type { RequestMeta } from './meta.js';
import { openRequest } from './prologue.js';

export async function handleInit(context: ApiContext, request: Request, meta: RequestMeta): Promise<Response> {
  const { body, origin, token } = await openRequest(context, request, meta, InitRequestSchema, 'token');
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
  const { body, token, session } = await openRequest(context, request, meta, FeedbackRequestSchema, 'both');
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
