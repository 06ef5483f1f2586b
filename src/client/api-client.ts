/**
 * The HTTP edge: one method per endpoint of docs/protocol.md, over `fetch`. A
 * non-2xx answer or a failed fetch becomes a ChatError (errors.ts); an abort
 * is rethrown untouched so callers can tell "cancelled" from "failed".
 * Streaming endpoints return the Response; read it with `events()`.
 */
import {
  INIT_RESPONSE_SHAPE,
  FEEDBACK_RESPONSE_SHAPE,
  checkShape,
  type Shape,
  type ShapeValue,
  type ChatRequest,
  type FeedbackRequest,
  type FeedbackResponse,
  type InitRequest,
  type InitResponse,
  type ResumeRequest,
} from '../protocol/index.js';
import { errorMessage } from '../shared/error-message.js';
import { errorFromResponse, networkError, protocolError, type RequestKind } from './errors.js';
import { readEventStream, type EventStream } from './event-stream.js';

export interface ApiClientOptions {
  /** Base URL of the agent API, e.g. `https://api.example.com`. */
  apiUrl: string;
  fetch?: typeof fetch;
  /** A stream silent for longer than this counts as cut (default 45 s; keep it well above the server's keep-alive). */
  streamIdleTimeoutMs?: number;
  /** The host's `metadata`, sent with every chat request (a request's own fields win). */
  metadata?: Record<string, unknown>;
  /** The flow to start, sent to init as `flowId`. */
  flowId?: string;
}

export interface ApiClient {
  init(body: InitRequest, signal?: AbortSignal): Promise<InitResponse>;
  /** Starts a run; resolves with the event-stream Response once the server accepted the request. */
  chat(body: ChatRequest, signal?: AbortSignal): Promise<Response>;
  resume(body: ResumeRequest, signal?: AbortSignal): Promise<Response>;
  /** The replay extension: frames of an execution after `after`, then live until it pauses or ends. */
  replay(executionId: string, sessionId: string, after: number | undefined, signal?: AbortSignal): Promise<Response>;
  feedback(body: FeedbackRequest, signal?: AbortSignal): Promise<FeedbackResponse>;
  /** Typed frames of a streaming answer. */
  events(response: Response, signal?: AbortSignal): EventStream;
}

/** A closure over the options rather than a class: the same endpoints, in fewer bytes. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  // Read once, a copy: what the host changes in its own object later does not reach the requests.
  const { flowId, metadata, streamIdleTimeoutMs } = options;
  // Called as a plain function, so a host's `window.fetch` is not called with the wrong `this`.
  const fetchFn = options.fetch ?? globalThis.fetch;

  const send = async (kind: RequestKind, url: string, init: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchFn(url, { ...init, credentials: 'omit', mode: 'cors' });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason ?? error;
      throw networkError(kind, error);
    }
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      throw errorFromResponse(kind, response.status, body, response.headers);
    }
    return response;
  };

  /** Every POST endpoint is `/v1/client/<kind>`. */
  const post = (kind: RequestKind, body: unknown, signal?: AbortSignal): Promise<Response> =>
    send(kind, `${apiUrl}/v1/client/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });

  /** A JSON answer of the shape the contract gives it. */
  const json = async <S extends Shape>(kind: RequestKind, body: unknown, shape: S, signal?: AbortSignal): Promise<ShapeValue<S>> => {
    const response = await post(kind, body, signal);
    let value: unknown;
    try {
      value = await response.json();
    } catch (error) {
      throw protocolError(`${kind}: the answer is not JSON (${errorMessage(error)})`);
    }
    const parsed = checkShape(value, shape);
    if (!parsed.ok) throw protocolError(`${kind}: unexpected answer: ${parsed.problem}`);
    return parsed.value;
  };

  const stream = async (kind: RequestKind, pending: Promise<Response>): Promise<Response> => {
    const response = await pending;
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      await response.body?.cancel().catch(() => {});
      throw protocolError(`${kind}: expected text/event-stream, got ${type || 'no content type'}`, response.status);
    }
    return response;
  };

  return {
    async init(body, signal) {
      const withFlow = flowId !== undefined && body.flowId === undefined ? { ...body, flowId } : body;
      const answer = await json('init', withFlow, INIT_RESPONSE_SHAPE, signal);
      // The surface's texts reach the page as text: keep them only when they are strings.
      const config = (answer.config ?? {}) as Record<string, unknown>;
      const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
      return {
        ...answer,
        config: { ...config, welcomeMessage: text(config.welcomeMessage), placeholder: text(config.placeholder) },
      } as InitResponse;
    },

    chat(body, signal) {
      const withMetadata = metadata ? { ...body, metadata: { ...metadata, ...body.metadata } } : body;
      return stream('chat', post('chat', withMetadata, signal));
    },

    resume(body, signal) {
      return stream('resume', post('resume', { ...body, streamResponse: true }, signal));
    },

    replay(executionId, sessionId, after, signal) {
      const query = new URLSearchParams({ sessionId });
      if (after !== undefined) query.set('after', String(after));
      const url = `${apiUrl}/v1/client/executions/${encodeURIComponent(executionId)}/events?${query}`;
      return stream('replay', send('replay', url, { method: 'GET', headers: { accept: 'text/event-stream' }, signal }));
    },

    async feedback(body, signal) {
      const answer = await json('feedback', body, FEEDBACK_RESPONSE_SHAPE, signal);
      if (!answer.success) throw protocolError('feedback: the server did not take it');
      return answer as FeedbackResponse;
    },

    events(response, signal) {
      return readEventStream(response, signal, { ...(streamIdleTimeoutMs !== undefined && { idleTimeoutMs: streamIdleTimeoutMs }) });
    },
  };
}
