/**
 * CORS for a public client token. A response echoes the request's origin only
 * when some configured token allows it, never `*`: a session response is
 * already refused (403) unless the origin fits its own token, so the wider
 * rule only adds that a known page can read the `{error, hint}` of its 401/403
 * (the demo on :5174 shows why its narrow token is refused). Unknown origins get
 * no CORS headers at all, so their pages can read nothing.
 */
import type { ServerConfig } from './config.js';

/** Headers other widgets of this protocol send, allowed even if a preflight does not ask. */
const ALWAYS_ALLOWED_HEADERS = ['Content-Type', 'X-Persona-Version'];
/** A header name is an HTTP token; anything else in the request list is dropped, not echoed. */
const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export class CorsPolicy {
  readonly #known: Set<string>;

  constructor(config: ServerConfig) {
    this.#known = new Set(config.tokens.filter((token) => !token.revoked).flatMap((token) => token.allowedOrigins));
  }

  isKnownOrigin(origin: string | null): origin is string {
    return origin !== null && this.#known.has(origin);
  }

  /** Adds the CORS headers a response to `origin` may carry. */
  decorate(response: Response, origin: string | null, anyOrigin = false): Response {
    appendVary(response.headers, 'Origin');
    if (origin === null || (!anyOrigin && !this.isKnownOrigin(origin))) return response;
    response.headers.set('Access-Control-Allow-Origin', origin);
    // The only non-safelisted header a client needs to read is Retry-After on 429.
    response.headers.set('Access-Control-Expose-Headers', 'Retry-After');
    return response;
  }

  preflight(request: Request, anyOrigin = false): Response {
    const origin = request.headers.get('origin');
    if (origin === null || (!anyOrigin && !this.isKnownOrigin(origin))) {
      const response = new Response(null, { status: 403 });
      appendVary(response.headers, 'Origin');
      return response;
    }
    const requested = (request.headers.get('access-control-request-headers') ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => HEADER_TOKEN.test(name));
    const allowed = [...new Set([...ALWAYS_ALLOWED_HEADERS, ...requested].map((name) => name.toLowerCase()))];
    const headers = new Headers({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': allowed.join(', '),
      'Access-Control-Max-Age': '600',
    });
    appendVary(headers, 'Origin');
    appendVary(headers, 'Access-Control-Request-Headers');
    appendVary(headers, 'Access-Control-Request-Method');
    return new Response(null, { status: 204, headers });
  }
}

function appendVary(headers: Headers, name: string): void {
  const current = headers.get('vary');
  if (!current) headers.set('Vary', name);
  else if (!current.split(',').some((part) => part.trim().toLowerCase() === name.toLowerCase())) {
    headers.set('Vary', `${current}, ${name}`);
  }
}
