/**
 * One error model for the conversation: every failure becomes a ChatError
 * with a stable `code` a host can switch on and a `hint` a person can read.
 * The server's own `hint` wins over ours when it sends one.
 */
import { ERROR_BODY_SHAPE, checkShape, type ServerErrorCode } from '../protocol/index.js';
import { errorMessage } from '../shared/error-message.js';
import { ChatError } from './chat-error.js';

export { ChatError };

export type ChatErrorCode =
  | 'network'
  | 'origin_not_allowed'
  | 'invalid_token'
  | 'session_expired'
  | 'rate_limited'
  | 'stream_cut'
  | 'protocol'
  | 'server'
  | 'tools_rejected'
  | 'tools_resend_required'
  | 'bad_request'
  | 'payload_too_large'
  | 'execution_not_found'
  | 'execution_not_awaiting'
  | 'execution_failed'
  /** The model behind the agent API could not be reached (the server's log says why). */
  | 'model_unreachable'
  /** The model endpoint answered with an error; `message` carries its own words. */
  | 'model_error'
  /** The model's stream broke off mid-answer. */
  | 'model_stream_error'
  /** The model called a tool with arguments that are not JSON. */
  | 'model_bad_arguments'
  | 'interrupted'
  | 'storage'
  /** The panel's code could not be loaded (the launcher stays). */
  | 'panel_load_failed';

export interface ChatErrorInit {
  code: ChatErrorCode;
  hint: string;
  message?: string;
  status?: number;
  retryable?: boolean;
  /** The server's own `error` value, verbatim. */
  serverCode?: string;
  /** Milliseconds the server asked us to wait (429 `Retry-After`). */
  retryAfterMs?: number;
  cause?: unknown;
}

export function isChatError(value: unknown): value is ChatError {
  return value instanceof ChatError;
}

/** The codes the conversation raises itself; `interrupted` and `storage` are reserved, `panel_load_failed` is the loader's (with its own hint). */
type RaisedCode = Exclude<ChatErrorCode, 'interrupted' | 'storage' | 'panel_load_failed'>;

const HINTS: Record<RaisedCode, string> = {
  network: 'Could not reach the chat service. Check your connection and try again.',
  origin_not_allowed: 'This site is not allowed for this client token.',
  invalid_token: 'Unknown or revoked client token.',
  session_expired: 'The chat session expired. Try again.',
  rate_limited: 'Too many messages right now. Wait a moment, then try again.',
  stream_cut: 'The answer was cut off. Try again to continue.',
  protocol: 'The chat service sent an answer this widget cannot read.',
  server: 'The chat service had a problem. Try again in a moment.',
  tools_rejected: "The chat service refused the page's tools.",
  tools_resend_required: "The chat service asked for the page's tools again.",
  bad_request: 'The chat service refused the request.',
  payload_too_large: 'The message or page tools are too large to send.',
  execution_not_found: 'The chat service no longer knows this answer. Try again.',
  execution_not_awaiting: 'This answer already continued without the tool results.',
  execution_failed: 'The assistant could not finish. Try again.',
  model_unreachable: 'The assistant’s model cannot be reached. Try again later.',
  model_error: 'The assistant’s model failed. Try again.',
  model_stream_error: 'The assistant’s answer broke off. Try again.',
  model_bad_arguments: 'The assistant made a malformed tool call. Try again.',
};

/**
 * A run that ended in `execution_error` (or a fatal `error` frame): the server's code when it is a
 * `model_*` code people can act on (each has its hint), `execution_failed` otherwise; its message kept.
 */
export function executionError(message: string, serverCode?: string): ChatError {
  const code = serverCode?.startsWith('model_') && serverCode in HINTS ? (serverCode as RaisedCode) : 'execution_failed';
  return hinted({ code, message, serverCode, retryable: true });
}

/** The hint a code gets when the server sends none; undefined for the codes the conversation never raises. */
export function defaultHint(code: ChatErrorCode): string | undefined {
  return HINTS[code as RaisedCode];
}

/**
 * A ChatError with its code's own hint unless it brings one. Not the
 * constructor's default: the launcher builds ChatErrors too, and must not
 * carry the table of hints.
 */
function hinted(init: Omit<ChatErrorInit, 'hint' | 'code'> & { code: RaisedCode; hint?: string | undefined }): ChatError {
  return new ChatError({ ...init, hint: init.hint ?? HINTS[init.code] });
}

export type RequestKind = 'init' | 'chat' | 'resume' | 'replay' | 'feedback';

/** Maps a non-2xx answer (status + parsed JSON body, if any) to a ChatError. */
export function errorFromResponse(kind: RequestKind, status: number, body: unknown, headers?: Headers): ChatError {
  const parsed = checkShape(body, ERROR_BODY_SHAPE);
  const serverCode = parsed.ok ? parsed.value.error : undefined;
  const serverHint = parsed.ok ? parsed.value.hint : undefined;
  const code = codeFor(kind, status, serverCode);
  const retryAfterMs = status === 429 ? parseRetryAfter(headers?.get('retry-after') ?? null) : undefined;
  // A known wait is what the person needs to hear, whatever the server's own words.
  const seconds = Math.ceil((retryAfterMs ?? 0) / 1000);
  return hinted({
    code,
    hint: seconds ? `Too many messages right now. Try again in ${seconds} s.` : serverHint,
    message: `${kind} failed: HTTP ${status}${serverCode ? ` ${serverCode}` : ''}`,
    status,
    serverCode,
    retryAfterMs,
    retryable: status === 429 || status >= 500 || code === 'session_expired' || code === 'execution_not_found',
  });
}

/** The code of each status; 400, 401 and 409 also look at the server's code. */
const STATUS_CODES: Readonly<Record<number, RaisedCode>> = {
  403: 'origin_not_allowed',
  404: 'execution_not_found',
  409: 'execution_not_awaiting',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/** The server's codes are literals checked against the contract's type: the panel need not carry its whole table. */
function codeFor(kind: RequestKind, status: number, serverCode: string | undefined): RaisedCode {
  if (serverCode === ('client_tools_invalid' satisfies ServerErrorCode) && status === 400) return 'tools_rejected';
  if (serverCode === ('client_tools_resend_required' satisfies ServerErrorCode) && status === 409) return 'tools_resend_required';
  // Only init trades the token; elsewhere a 401 is the session.
  if (status === 401)
    return kind === 'init' || kind === 'feedback' || serverCode === ('invalid_token' satisfies ServerErrorCode)
      ? 'invalid_token'
      : 'session_expired';
  return STATUS_CODES[status] ?? (status >= 500 ? 'server' : 'bad_request');
}

/** `Retry-After` is seconds or an HTTP date; unknown means "a short while". */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function networkError(kind: RequestKind, cause: unknown): ChatError {
  return hinted({
    code: 'network',
    message: `${kind} failed: ${errorMessage(cause)}`,
    retryable: true,
    cause,
  });
}

export function streamCutError(detail: string): ChatError {
  return hinted({ code: 'stream_cut', message: detail, retryable: true });
}

export function protocolError(detail: string, status?: number): ChatError {
  return hinted({ code: 'protocol', message: detail, status, retryable: true });
}

/** A call the conversation's state does not allow now: `hint` says what to do instead. */
export function badRequest(hint: string): ChatError {
  return new ChatError({ code: 'bad_request', hint });
}

/** Anything thrown at the edges, as a ChatError (abort is the caller's business). */
export function toChatError(value: unknown): ChatError {
  if (value instanceof ChatError) return value;
  return networkError('chat', value);
}
