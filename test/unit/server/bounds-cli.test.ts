import { describe, expect, it } from 'vitest';
import { ORIGIN, errorOf, frames, start } from './helpers.js';

// The shared JS helper the browser tests use to spawn the CLI; it has no types.
type Spawned = { url: string; stop: () => void };
const supportPath = '../../support/reference-server.mjs';
const { startReferenceServer } = (await import(supportPath)) as { startReferenceServer: (options: { config: string }) => Promise<Spawned> };

describe('memory bounds', () => {
  it('forgets the oldest finished executions past maxExecutions', async () => {
    const api = await start({ maxExecutions: 5 });
    const sessionId = await api.init();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const list = await frames(await api.chat(sessionId, `turn ${i}`));
      ids.push((list[0]!.event as { executionId: string }).executionId);
    }
    expect(api.context.executions.size).toBe(5);
    const base = (id: string) => `/v1/client/executions/${id}/events?sessionId=${sessionId}`;
    expect((await errorOf(await api.get(base(ids[0]!)))).status).toBe(404);
    expect((await api.get(base(ids[11]!))).status).toBe(200);
  });

  it('evicts the least recently used sessions past maxSessions', async () => {
    const api = await start({ maxSessions: 3 });
    const first = await api.init();
    for (let i = 0; i < 3; i++) await api.init();
    expect(api.context.sessions.size).toBe(3);
    expect((await api.chat(first, 'hi')).status).toBe(401);
  });
});

describe('cli', () => {
  it('prints its URL once listening and serves the config it was given', async () => {
    const server = await startReferenceServer({ config: 'test/fixtures/server-config.json' });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ok = await fetch(`${server.url}/v1/client/init`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:9871' },
        body: JSON.stringify({ token: 'ct_test_browser' }),
      });
      expect(ok.status).toBe(200);
      const refused = await fetch(`${server.url}/v1/client/init`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ token: 'ct_test_browser' }),
      });
      expect(refused.status).toBe(403);
    } finally {
      server.stop();
    }
  });
});
