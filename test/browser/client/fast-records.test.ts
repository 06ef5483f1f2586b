/**
 * The records a tool call waits for (the pending round, the started ids) in
 * real Chromium: written to localStorage synchronously, the rest of the
 * conversation to IndexedDB; a record too big for localStorage goes to
 * IndexedDB instead, and the older copy in localStorage cannot come back.
 */
import { openStore } from '../../../src/client/persistence.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const uid = () => `webmcp-chat:test-fast:${Math.random().toString(36).slice(2)}`;

describe('fast records', () => {
  it('the pending round is in localStorage as soon as set() returns; the conversation is not', async () => {
    const name = uid();
    const store = openStore('indexeddb', name);
    const writing = store.set('pending', { executionId: 'exec_1', calls: [{ toolCallId: 'c1' }] });
    // Before the promise settles: the record is already durable.
    check(localStorage.getItem(`${name}:pending`) !== null, 'pending not in localStorage synchronously');
    await writing;
    await store.set('conversation', { messages: [], toolCalls: {} });
    check(localStorage.getItem(`${name}:conversation`) === null, 'the conversation belongs in IndexedDB');
    const again = openStore('indexeddb', name);
    check(JSON.stringify(await again.get('pending')) === '{"executionId":"exec_1","calls":[{"toolCallId":"c1"}]}', 'a new page reads it');
    await again.del('pending');
    check(localStorage.getItem(`${name}:pending`) === null && (await openStore('indexeddb', name).get('pending')) === undefined, 'deleted');
  });

  it('a record over the localStorage quota goes to IndexedDB, and the smaller older copy is not read again', async () => {
    const name = uid();
    const store = openStore('indexeddb', name);
    await store.set('pending', { round: 1 });
    const big = { round: 2, output: 'x'.repeat(6 * 1024 * 1024) };
    await store.set('pending', big);
    check(localStorage.getItem(`${name}:pending`) === null, 'the older copy stayed in localStorage');
    const next = openStore('indexeddb', name);
    const read = await next.get<{ round: number }>('pending');
    check(read?.round === 2, `a new page read round ${read?.round}`);
    await next.del('pending');
  });
});
