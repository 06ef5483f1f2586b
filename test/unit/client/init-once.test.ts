/**
 * One init per page load, whatever the order in which the page opens the
 * panel (`connect`), sends, and restores what an earlier page stored.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type ChatSession } from '../../../src/client/index.js';
import { fakeBridge, uniqueStoreName, useTestApi, type TestApi } from './helpers.js';
import { lastText } from '../../support/last-text.js';

let api: TestApi;
const open = useTestApi((started) => (api = started));

async function inits(): Promise<number> {
  return (await api.log('init')).requests.length;
}

/** The orders a page can call things in, all started in the same tick. */
const orders: [string, (session: ChatSession) => Promise<unknown>][] = [
  ['open, then send', (s) => Promise.all([s.connect(), s.send('hi')])],
  ['send, then open', (s) => Promise.all([s.send('hi'), s.connect()])],
  ['open twice, then send', (s) => Promise.all([s.connect(), s.connect(), s.send('hi')])],
  ['send while restoring, then open', (s) => Promise.all([s.send('hi'), s.ready, s.connect()])],
  ['open, send, open again', (s) => Promise.all([s.connect(), s.send('hi'), s.connect()])],
];

describe('exactly one init per page load', () => {
  for (const [name, drive] of orders) {
    it(`a new page: ${name} → one init, and the answer arrives`, async () => {
      await api.script(['hello']);
      const session = open({ bridge: fakeBridge({ t: () => 1 }) });
      await drive(session);
      await session.idle();
      expect(session.state.value.error).toBeNull();
      expect(lastText(session)).toBe('hello');
      expect(await inits()).toBe(1);
      // The chat went out under the session that one init made.
      const chat = (await api.log('chat')).requests[0]!;
      expect(chat.body.sessionId).toBe(session.state.value.sessionId);
    });
  }

  it('a page after one whose session is about to expire: open and send together renew it once', async () => {
    await api.script(['first']);
    await api.script(['second']);
    const storage = memoryStore(uniqueStoreName());
    const first = open({ storage });
    await first.send('one');
    await first.idle();
    first.dispose();
    expect(await inits()).toBe(1);
    // The stored session expires within the renewal margin.
    const stored = (await storage.get<{ sessionId: string; expiresAt: string }>('session'))!;
    await storage.set('session', { ...stored, expiresAt: new Date(Date.now() + 1000).toISOString() });

    const second = open({ storage });
    await Promise.all([second.connect(), second.send('two'), second.connect()]);
    await second.idle();
    expect(second.state.value.error).toBeNull();
    expect(lastText(second)).toBe('second');
    expect(await inits()).toBe(2);
  });

  it('a page after one with a live session: open and send together reuse it, no init at all', async () => {
    await api.script(['first']);
    await api.script(['second']);
    const storage = memoryStore(uniqueStoreName());
    const first = open({ storage });
    await first.send('one');
    await first.idle();
    first.dispose();

    const second = open({ storage });
    await Promise.all([second.send('two'), second.connect()]);
    await second.idle();
    expect(lastText(second)).toBe('second');
    expect(await inits()).toBe(1);
  });
});
