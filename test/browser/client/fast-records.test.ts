/**
 * The records a tool call waits for (the pending round, the started ids) in
 * real Chromium: written to localStorage synchronously, the rest of the
 * conversation to IndexedDB; a record too big for localStorage goes to
 * IndexedDB instead, and the older copy in localStorage cannot come back;
 * the round is copied to IndexedDB too, for a tab whose localStorage lags.
 */
import { createStore, get } from 'idb-keyval';
import { openStore } from '../../../src/client/persistence.js';
import { until } from '../../support/until.js';

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

  it('the round reaches IndexedDB too: a tab whose localStorage has not yet heard of it still reads it', async () => {
    const name = uid();
    await openStore('indexeddb', name).set('pending', { executionId: 'exec_2', calls: [{ toolCallId: 'c2' }] });
    const idb = createStore(name, 'kv');
    await until(async () => (await get('pending', idb)) !== undefined, { what: 'the round to reach IndexedDB' });
    // What another tab's process sees before the write reaches it: no item in localStorage.
    localStorage.removeItem(`${name}:pending`);
    const other = openStore('indexeddb', name);
    const read = await other.get<{ executionId: string }>('pending');
    check(read?.executionId === 'exec_2', `the other tab read ${JSON.stringify(read)}`);
    await other.del('pending');
    check((await get('pending', idb)) === undefined, 'deleting removes the copy too');
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
