/** POST /v1/client/init and POST /v1/client/feedback. */
import { SERVER_ERROR, type InitResponse } from '../../protocol/index.js';
import { FeedbackRequestSchema, InitRequestSchema } from '../../protocol/schemas.js';
import { surfaceConfigOf } from '../config.js';
import type { ApiContext } from '../context.js';
import { FeedbackStore, MAX_FEEDBACK_COMMENT_CHARS, type FeedbackRecord } from '../feedback.js';
import { HttpError, jsonResponse, newId } from '../http.js';
import { SESSION_BYTES } from '../sessions.js';
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
  if (!session) {
    context.sessions.makeRoom();
    context.budget.makeRoom(SESSION_BYTES, 'a new session');
    session = context.sessions.create(token.token, origin);
  }
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
  if (body.comment !== undefined && body.comment.length > MAX_FEEDBACK_COMMENT_CHARS) {
    throw new HttpError(
      400,
      SERVER_ERROR.badRequest,
      `comment is ${body.comment.length} characters; at most ${MAX_FEEDBACK_COMMENT_CHARS} are kept, so send a shorter one.`,
      { limit: 'comment', max: MAX_FEEDBACK_COMMENT_CHARS },
    );
  }
  const record: FeedbackRecord = {
    feedbackId: newId('fb'),
    token: token.token,
    sessionId: session.id,
    type: body.type,
    messageId: body.messageId,
    rating: body.rating,
    comment: body.comment,
    receivedAt: new Date(context.now()).toISOString(),
  };
  context.budget.makeRoom(FeedbackStore.sizeOf(record), 'feedback');
  context.feedback.add(record);
  return jsonResponse(200, { success: true, feedbackId: record.feedbackId });
}
