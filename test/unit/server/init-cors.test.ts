import { describe, expect, it } from 'vitest';
import { ORIGIN, OTHER_ORIGIN, errorOf, listen, start } from './helpers.js';

describe('CORS and preflight', () => {
  it('answers a preflight from an allowed origin with that origin, the asked headers and Vary', async () => {
    const api = await listen();
    const response = await fetch(`${api.url}/v1/client/chat`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-persona-version, x-custom',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const allowed = response.headers.get('access-control-allow-headers')!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-persona-version', 'x-custom']));
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('vary')).toContain('Origin');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows Content-Type and X-Persona-Version even when the preflight does not list them', async () => {
    const api = await listen();
    const response = await fetch(`${api.url}/v1/client/init`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, x-persona-version');
  });

  it('refuses a preflight from an origin no token allows, with no CORS headers', async () => {
    const api = await listen();
    const response = await fetch(`${api.url}/v1/client/init`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes the allowed origin on responses, never *, and exposes Retry-After only', async () => {
    const api = await start();
    const response = await api.post('/v1/client/init', { token: 'ct_test_open' });
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('gives an unknown origin no CORS headers even on errors', async () => {
    const api = await start();
    const response = await api.post('/v1/client/init', { token: 'ct_test_open' }, 'https://evil.example');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('POST /v1/client/init', () => {
  it('trades a token for a session with expiry and the surface config', async () => {
    const api = await start();
    const response = await api.post('/v1/client/init', { token: 'ct_test_open', flowId: 'flow_1' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { sessionId: string; expiresAt: string; config: unknown; flow: unknown };
    expect(body.sessionId).toMatch(/^cs_/);
    const ttl = Date.parse(body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(body.config).toEqual({ welcomeMessage: 'Hello', placeholder: 'Ask…' });
    expect(body.flow).toEqual({ id: 'flow_1' });
  });

  it('continues a valid session with the same id and starts a new one otherwise', async () => {
    const api = await start();
    const first = await api.init();
    const again = (await (await api.post('/v1/client/init', { token: 'ct_test_open', sessionId: first })).json()) as { sessionId: string };
    expect(again.sessionId).toBe(first);
    const unknown = (await (await api.post('/v1/client/init', { token: 'ct_test_open', sessionId: 'cs_nope' })).json()) as {
      sessionId: string;
    };
    expect(unknown.sessionId).not.toBe(first);
    // A session is bound to its origin: another origin never continues it.
    const elsewhere = (await (await api.post('/v1/client/init', { token: 'ct_test_open', sessionId: first }, OTHER_ORIGIN)).json()) as {
      sessionId: string;
    };
    expect(elsewhere.sessionId).not.toBe(first);
  });

  it('expires sessions: chat answers 401 session_expired and init gives a new id', async () => {
    let now = Date.now();
    const api = await start({}, { now: () => now });
    const sessionId = await api.init();
    now += 61_000;
    const chat = await errorOf(await api.chat(sessionId, 'hello'));
    expect(chat.status).toBe(401);
    expect(chat.body.error).toBe('session_expired');
    expect(chat.body.hint).toMatch(/init/);
    const renewed = (await (await api.post('/v1/client/init', { token: 'ct_test_open', sessionId })).json()) as { sessionId: string };
    expect(renewed.sessionId).not.toBe(sessionId);
  });

  it('refuses a malformed body with 400 and a hint', async () => {
    const api = await start();
    const notJson = await errorOf(await api.post('/v1/client/init', '{token:'));
    expect(notJson).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(notJson.body.hint).toMatch(/JSON/);
    const noToken = await errorOf(await api.post('/v1/client/init', { sessionId: 'x' }));
    expect(noToken.status).toBe(400);
    expect(noToken.body.hint).toMatch(/token/);
  });

  it('refuses an unknown or revoked token with 401', async () => {
    const api = await start();
    for (const token of ['ct_test_unknown', 'ct_test_revoked']) {
      const { status, body } = await errorOf(await api.post('/v1/client/init', { token }));
      expect(status).toBe(401);
      expect(body.error).toBe('invalid_token');
      expect(body.hint).toBeTruthy();
    }
  });

  it('refuses an origin the token does not allow with 403 and a hint naming it', async () => {
    const api = await start();
    const response = await api.post('/v1/client/init', { token: 'ct_test_narrow' }, OTHER_ORIGIN);
    const { status, body } = await errorOf(response);
    expect(status).toBe(403);
    expect(body.error).toBe('origin_not_allowed');
    expect(body.hint).toContain(OTHER_ORIGIN);
    // Another token allows this origin, so the page may read why it was refused.
    expect(response.headers.get('access-control-allow-origin')).toBe(OTHER_ORIGIN);
  });

  it('refuses a request without an Origin header with 403', async () => {
    const api = await start();
    const { status, body } = await errorOf(await api.post('/v1/client/init', { token: 'ct_test_open' }, null));
    expect(status).toBe(403);
    expect(body.hint).toMatch(/Origin/);
  });

  it('answers 413 over the body limit, by Content-Length and by the bytes actually sent', async () => {
    const api = await start({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ token: 'ct_test_open', pad: 'x'.repeat(2000) });
    const declared = await errorOf(await api.post('/v1/client/init', big));
    expect(declared).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    // A streamed body has no Content-Length; the server counts what arrives.
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.slice(0, 600));
        controller.enqueue(bytes.slice(600));
        controller.close();
      },
    });
    const chunked = await api.request('/v1/client/init', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect((await errorOf(chunked)).status).toBe(413);
  });

  it('refuses a body that is not UTF-8 with 400, and reads the next body as if nothing had happened', async () => {
    const api = await start();
    const prefix = new TextEncoder().encode('{"token":"ct_test_open","pad":"');
    // A lead byte with its continuation cut off: invalid UTF-8 in the middle of a string.
    const broken = new Uint8Array([...prefix, 0xe2, 0x82, 0x22, 0x7d]);
    const refused = await api.request('/v1/client/init', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: broken,
    });
    expect(await errorOf(refused)).toMatchObject({ status: 400, body: { error: 'bad_request', hint: 'The body is not valid UTF-8.' } });
    const accepted = await api.post('/v1/client/init', { token: 'ct_test_open' });
    expect(accepted.status).toBe(200);
  });

  it('answers unknown routes with a 404 JSON error', async () => {
    const api = await start();
    expect(await errorOf(await api.post('/v1/client/nothing', {}))).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
});
