/** Every non-2xx JSON body: `{ error, hint?, … }` (protocol.md "Error bodies"). */
import { z } from './zod.js';

export const ErrorBodySchema = z.looseObject({
  error: z.string(),
  hint: z.optional(z.string()),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

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
