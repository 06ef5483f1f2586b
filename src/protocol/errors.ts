/** Every non-2xx JSON body: `{ error, hint?, … }` (docs/protocol.md "Error bodies"). */
import type { Shape, ShapeValue } from './shape.js';

export const ERROR_BODY_SHAPE = { error: 'string', hint: 'string?' } as const satisfies Shape;
export type ErrorBody = ShapeValue<typeof ERROR_BODY_SHAPE> & Record<string, unknown>;

/** The stable codes the reference server answers with; the hosted API may add others. */
export const SERVER_ERROR = {
  badRequest: 'bad_request',
  invalidToken: 'invalid_token',
  originNotAllowed: 'origin_not_allowed',
  sessionNotFound: 'session_not_found',
  sessionExpired: 'session_expired',
  clientToolsResendRequired: 'client_tools_resend_required',
  clientToolsInvalid: 'client_tools_invalid',
  payloadTooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  executionNotFound: 'execution_not_found',
  notAwaiting: 'execution_not_awaiting',
  missingToolOutputs: 'missing_tool_outputs',
  notFound: 'not_found',
} as const;
export type ServerErrorCode = (typeof SERVER_ERROR)[keyof typeof SERVER_ERROR];
