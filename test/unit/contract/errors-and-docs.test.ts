/**
 * What the docs promise about errors and events is what the code does:
 * an unreachable model reaches the person as `model_unreachable` (the code the
 * README's troubleshooting names), and docs/protocol.md covers every stream
 * event and every server error code.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatSession, type ChatErrorCode } from '../../../src/core.js';
import { memoryStore } from '../../../src/client/persistence.js';
import { defaultHint } from '../../../src/client/errors.js';
import { SERVER_ERROR, STREAM_EVENT_SHAPES } from '../../../src/protocol/index.js';
import { openAiCompatibleAgent } from '../../../src/server/agents/openai-compatible.js';
import { resolveConfig, startServer, type RunningServer } from '../../../src/server/index.js';

const ORIGIN = 'http://localhost:9871';
const TOKEN = 'ct_test_browser';
const readme = readFileSync('README.md', 'utf8');
const protocolDoc = readFileSync('docs/protocol.md', 'utf8');

/** A loopback port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an unreachable model, over real HTTP', () => {
  let server: RunningServer;
  let modelUrl: string;
  beforeAll(async () => {
    modelUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    const fixture = JSON.parse(readFileSync('test/fixtures/server-config.json', 'utf8'));
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: resolveConfig({ ...fixture, streamDelayMs: 0 }),
      agent: () => openAiCompatibleAgent({ baseUrl: modelUrl, model: 'test-model', timeoutMs: 5_000 }),
    });
  });
  afterAll(() => server.close());

  it('reaches the person as model_unreachable with its hint, the cause in the message', async () => {
    const pageFetch: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('origin', ORIGIN);
      return fetch(input, { ...init, headers });
    };
    const session = createChatSession({
      apiUrl: server.url,
      clientToken: TOKEN,
      fetch: pageFetch,
      storage: memoryStore('model-unreachable'),
    });
    const errors: { code: string }[] = [];
    session.on('error', (error) => errors.push(error));
    await session.send('hello');
    await session.idle();
    const error = session.state.value.error!;
    expect(error.code).toBe('model_unreachable');
    expect(error.serverCode).toBe('model_unreachable');
    expect(error.hint).toBe(defaultHint('model_unreachable'));
    expect(error.message).toContain(modelUrl);
    expect(error.retryable).toBe(true);
    expect(errors.map((reported) => reported.code)).toEqual(['model_unreachable']);
    session.dispose();
  });
});

describe('the troubleshooting table and the error codes agree', () => {
  it('every model error code the README names is a code the widget reports, with a hint', () => {
    const line = readme.slice(readme.indexOf('**A model error in the chat**'));
    const named = [...line.slice(0, line.indexOf('\n\n')).matchAll(/`(model_[a-z_]+)`/g)].map((match) => match[1]!);
    expect(named).toEqual(expect.arrayContaining(['model_unreachable', 'model_error', 'model_bad_arguments']));
    for (const code of named) expect(defaultHint(code as ChatErrorCode), code).toEqual(expect.any(String));
  });
});

describe('docs/protocol.md covers the contract', () => {
  it('names every stream event the protocol defines', () => {
    for (const type of Object.keys(STREAM_EVENT_SHAPES)) expect(protocolDoc, type).toContain(`\`${type}\``);
  });

  it('names every field of every event', () => {
    for (const [type, shape] of Object.entries(STREAM_EVENT_SHAPES)) {
      const row = protocolDoc.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${type}\``));
      expect(row, type).toBeDefined();
      for (const field of Object.keys(shape)) {
        if (type === 'custom' && field === 'data') continue; // the legacy spelling, described under `custom`
        expect(row, `${type}.${field}`).toContain(`\`${field}`);
      }
    }
  });

  it('names every error code the reference server answers with', () => {
    for (const code of Object.values(SERVER_ERROR)) expect(protocolDoc, code).toContain(`\`${code}\``);
  });

  it('is linked from the README and from the server', () => {
    expect(readme).toContain('(docs/protocol.md)');
    expect(readFileSync('src/server/app.ts', 'utf8')).toContain('docs/protocol.md');
  });
});
