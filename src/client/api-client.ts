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

export class ApiClient {
  readonly apiUrl: string;
  /** A copy: what the host changes in its own object later does not reach the requests. */
  readonly #options: ApiClientOptions & { fetch: typeof fetch };

  constructor(options: ApiClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    // Bound, so a host's `window.fetch` is not called with the wrong `this`.
    const fetchFn = options.fetch ?? globalThis.fetch;
    this.#options = { ...options, fetch: (input, init) => fetchFn(input, init) };
  }

  async init(body: InitRequest, signal?: AbortSignal): Promise<InitResponse> {
    const { flowId } = this.#options;
    const withFlow = flowId !== undefined && body.flowId === undefined ? { ...body, flowId } : body;
    const answer = await this.#json('init', withFlow, INIT_RESPONSE_SHAPE, signal);
    // The surface's texts reach the page as text: keep them only when they are strings.
    const config = (answer.config ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return {
      ...answer,
      config: { ...config, welcomeMessage: text(config.welcomeMessage), placeholder: text(config.placeholder) },
    } as InitResponse;
  }

  /** Starts a run; resolves with the event-stream Response once the server accepted the request. */
  chat(body: ChatRequest, signal?: AbortSignal): Promise<Response> {
    const { metadata } = this.#options;
    const withMetadata = metadata ? { ...body, metadata: { ...metadata, ...body.metadata } } : body;
    return this.#stream('chat', this.#post('chat', withMetadata, signal));
  }

  resume(body: ResumeRequest, signal?: AbortSignal): Promise<Response> {
    return this.#stream('resume', this.#post('resume', { ...body, streamResponse: true }, signal));
  }

  /** The replay extension: frames of an execution after `after`, then live until it pauses or ends. */
  replay(executionId: string, sessionId: string, after: number | undefined, signal?: AbortSignal): Promise<Response> {
    const query = new URLSearchParams({ sessionId });
    if (after !== undefined) query.set('after', String(after));
    const url = `${this.apiUrl}/v1/client/executions/${encodeURIComponent(executionId)}/events?${query}`;
    return this.#stream('replay', this.#send('replay', url, { method: 'GET', headers: { accept: 'text/event-stream' }, signal }));
  }

  async feedback(body: FeedbackRequest, signal?: AbortSignal): Promise<FeedbackResponse> {
    const answer = await this.#json('feedback', body, FEEDBACK_RESPONSE_SHAPE, signal);
    if (!answer.success) throw protocolError('feedback: the server did not take it');
    return answer as FeedbackResponse;
  }

  /** Typed frames of a streaming answer. */
  events(response: Response, signal?: AbortSignal): EventStream {
    const idleTimeoutMs = this.#options.streamIdleTimeoutMs;
    return readEventStream(response, signal, { ...(idleTimeoutMs !== undefined && { idleTimeoutMs }) });
  }

  /** Every POST endpoint is `/v1/client/<kind>`. */
  #post(kind: RequestKind, body: unknown, signal?: AbortSignal): Promise<Response> {
    return this.#send(kind, `${this.apiUrl}/v1/client/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  }

  /** A JSON answer of the shape the contract gives it. */
  async #json<S extends Shape>(kind: RequestKind, body: unknown, shape: S, signal?: AbortSignal): Promise<ShapeValue<S>> {
    const response = await this.#post(kind, body, signal);
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      throw protocolError(`${kind}: the answer is not JSON (${errorMessage(error)})`);
    }
    const parsed = checkShape(json, shape);
    if (!parsed.ok) throw protocolError(`${kind}: unexpected answer: ${parsed.problem}`);
    return parsed.value;
  }

  async #send(kind: RequestKind, url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await this.#options.fetch(url, { ...init, credentials: 'omit', mode: 'cors' });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason ?? error;
      throw networkError(kind, error);
    }
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      throw errorFromResponse(kind, response.status, body, response.headers);
    }
    return response;
  }

  async #stream(kind: RequestKind, pending: Promise<Response>): Promise<Response> {
    const response = await pending;
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      await response.body?.cancel().catch(() => {});
      throw protocolError(`${kind}: expected text/event-stream, got ${type || 'no content type'}`, response.status);
    }
    return response;
  }
}
