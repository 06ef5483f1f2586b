import { describe, expect, it } from 'vitest';
import { createChatSession, INTERRUPTED_OUTPUT, memoryStore } from '../../../src/client/index.js';
import { openStore, storeName } from '../../../src/client/persistence.js';
import { messageText } from '../../../src/client/state.js';
import { createBridge } from '../../../src/bridge/index.js';
import { ModelContextPolyfill } from '../../../src/bridge/polyfill.js';
import type { BridgeWindow } from '../../../src/bridge/model-context.js';
import { lastText as text } from '../../support/last-text.js';
import { fakeBridge, ORIGIN, TOKEN, uniqueStoreName, until, useTestApi, type TestApi } from './helpers.js';

let api: TestApi;
const open = useTestApi((started) => (api = started));

describe('persistence', () => {
  it('without IndexedDB (Node) the indexeddb kind falls back to memory, shared by token and API origin', async () => {
    const name = storeName(TOKEN, 'http://api.example/v1/');
    expect(name).toBe(`webmcp-chat:http://api.example:${TOKEN}`);
    const a = openStore('indexeddb', name);
    await a.set('k', { v: 1 });
    expect(await openStore('memory', name).get('k')).toEqual({ v: 1 });
    expect(await openStore('memory', storeName('ct_other', 'http://api.example')).get('k')).toBeUndefined();
  });

  it('a new page restores the conversation and the session; the next chat reuses the session', async () => {
    await api.script(['first answer']);
    await api.script(['second answer']);
    const storage = memoryStore(uniqueStoreName());
    const first = open({ storage });
    await first.send('one');
    await first.idle();
    const sessionId = first.state.value.sessionId;
    first.dispose();

    const second = open({ storage });
    await second.ready;
    expect(second.state.value.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(second.state.value.sessionId).toBe(sessionId);
    await second.send('two');
    await second.idle();
    expect(text(second)).toBe('second answer');
    expect((await api.log('init')).requests).toHaveLength(1);
    const chats = (await api.log('chat')).requests;
    expect(chats[1]!.body.sessionId).toBe(sessionId);
    expect(chats[1]!.body.messages.map((m) => m.content)).toEqual(['one', 'first answer', 'two']);
  });

  it('reload mid-tool: the unposted call is reported interrupted, never re-run, and the run continues', async () => {
    await api.script([
      [
        {
          toolCalls: [
            { name: 'webmcp:done_fast', arguments: {} },
            { name: 'webmcp:never_ends', arguments: {} },
          ],
        },
      ],
      'Recovered.',
    ]);
    const storage = memoryStore(uniqueStoreName());
    let neverEndsCalls = 0;
    const page1 = fakeBridge({
      done_fast: () => 'fast',
      never_ends: () => {
        neverEndsCalls += 1;
        return new Promise(() => {});
      },
    });
    // Not opened through `open`: a reloaded page never gets to say goodbye (no dispose, no cancel).
    const first = createChatSession({ apiUrl: api.url, clientToken: TOKEN, fetch: api.fetch, storage, bridge: page1 });
    await first.send('go');
    await until(() => {
      const calls = Object.values(first.state.value.toolCalls);
      return (
        calls.length === 2 && calls.some((c) => c.name === 'done_fast' && c.status === 'done') && calls.some((c) => c.status === 'running')
      );
    });
    // The page "reloads": page 1 is gone without a word (no cancel, no resume).
    const page2 = fakeBridge({
      done_fast: () => 'again?',
      never_ends: () => {
        neverEndsCalls += 1;
        return 'again?';
      },
    });
    const second = open({ storage, bridge: page2 });
    await second.ready;
    await second.idle();
    expect(second.state.value.error).toBeNull();
    expect(page2.calls).toHaveLength(0);
    expect(neverEndsCalls).toBe(1);
    const calls = Object.values(second.state.value.toolCalls);
    const fast = calls.find((c) => c.name === 'done_fast')!;
    const slow = calls.find((c) => c.name === 'never_ends')!;
    expect(slow).toMatchObject({ status: 'interrupted', error: INTERRUPTED_OUTPUT.error });
    expect(fast).toMatchObject({ status: 'done', result: 'fast' });
    const resumes = (await api.log('resume')).requests;
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.toolOutputs).toEqual({
      [fast.id]: { result: 'fast' },
      [slow.id]: { error: 'interrupted: the page reloaded before the tool finished; it may have run' },
    });
    expect(text(second)).toBe('Recovered.');
    expect(second.state.value.messages).toHaveLength(2);
    // The transcript records it for the audit trail.
    const results = second.transcript()[1]!.toolResults;
    expect(results.find((r) => r.id === slow.id)).toMatchObject({ error: INTERRUPTED_OUTPUT.error, status: 'interrupted' });
  });

  it('reload while a tool runs: what the answer said before the call is on the next page', async () => {
    await api.script([[{ text: ['Let me ', 'look that up.'] }, { toolCall: { name: 'webmcp:never_ends', arguments: {} } }], 'Done.']);
    const storage = memoryStore(uniqueStoreName());
    const page1 = fakeBridge({ never_ends: () => new Promise(() => {}) });
    const first = createChatSession({ apiUrl: api.url, clientToken: TOKEN, fetch: api.fetch, storage, bridge: page1 });
    await first.send('go');
    await until(() => Object.values(first.state.value.toolCalls).some((c) => c.status === 'running'));
    // Page 1 goes without a word while its tool still runs.
    const second = open({ storage, bridge: fakeBridge({ never_ends: () => 'again?' }) });
    await second.ready;
    await second.idle();
    const said = second.state.value.messages.filter((m) => m.role === 'assistant').map(messageText);
    expect(said.join(' ')).toContain('Let me look that up.');
    expect(said.join(' ')).toContain('Done.');
  });

  it('a page left mid-answer: the next page replays the rest from the log, the answer whole and once', async () => {
    await api.script([[{ text: ['One, ', 'two, ', 'three, ', 'four.'] }]]);
    // Page 1's stream goes quiet after the answer began, as if the shopper clicked to another page.
    await api.fault({ endpoint: 'chat', stallAfterFrames: 5, stallMs: 3000 });
    const storage = memoryStore(uniqueStoreName());
    // Not opened through `open`: a page that navigates away never says goodbye (no dispose, no cancel).
    const first = createChatSession({ apiUrl: api.url, clientToken: TOKEN, fetch: api.fetch, storage });
    void first.send('count to four');
    await until(() => first.state.value.messages.length === 2 && text(first) === 'One, ');

    const second = open({ storage });
    await second.ready;
    await second.idle();
    expect(second.state.value.error).toBeNull();
    expect(text(second)).toBe('One, two, three, four.');
    expect(second.state.value.messages.map((m) => [m.role, m.streaming])).toEqual([
      ['user', false],
      ['assistant', false],
    ]);
    const requests = (await api.log()).requests.map((r) => r.endpoint).filter((e) => e !== 'init');
    expect(requests).toEqual(['chat', 'events']); // one question asked once; the rest replayed
  });

  it('idle() on a session that never ran anything resolves (it used to spin forever and freeze the page)', async () => {
    const session = open();
    await session.ready;
    let idle = false;
    void session.idle().then(() => (idle = true));
    await until(() => idle, { timeoutMs: 2000, what: 'idle() to resolve' });
  });

  it('a cancelled answer does not come back on the next page', async () => {
    await api.script([[{ text: ['Never ', 'mind.'] }]]);
    await api.fault({ endpoint: 'chat', stallAfterFrames: 5, stallMs: 3000 });
    const storage = memoryStore(uniqueStoreName());
    const first = open({ storage });
    void first.send('start then stop');
    await until(() => first.state.value.messages.length === 2 && text(first) === 'Never ');
    await first.cancel();
    const second = open({ storage });
    await second.ready;
    await second.idle();
    expect(second.state.value.status).toBe('idle');
    expect((await api.log('events')).requests).toHaveLength(0);
  });

  it('reload after the resume was already posted: 409 → replay from the log, no second run', async () => {
    await api.script([[{ text: 'Checking. ' }, { toolCall: { name: 'webmcp:t', arguments: {} } }], 'after']);
    const storage = memoryStore(uniqueStoreName());
    // Page 1 goes the moment its resume reached the server: it never reads the answer nor
    // forgets the round's record (not opened through `open`: a page that dies says no goodbye).
    let posted = false;
    const first = createChatSession({
      apiUrl: api.url,
      clientToken: TOKEN,
      storage,
      bridge: fakeBridge({ t: () => 'ok' }),
      fetch: async (input, init) => {
        const response = await api.fetch(input, init);
        if (!String(input).endsWith('/v1/client/resume')) return response;
        await response.body?.cancel();
        posted = true;
        return new Promise<Response>(() => {});
      },
    });
    void first.send('go');
    await until(() => posted, { what: 'the first page to post its resume' });
    expect(await storage.get('pending')).toBeDefined();
    const second = open({ storage, bridge: fakeBridge({ t: () => 'no' }) });
    await second.ready;
    await second.idle();
    expect(second.state.value.error).toBeNull();
    const resumes = (await api.log('resume')).requests;
    expect(resumes).toHaveLength(2);
    expect(resumes[1]!.replayed).toBe(true);
    expect(Object.values((await api.log()).acceptedToolOutputs)).toEqual([1]);
    expect(second.state.value.messages.map((m) => [m.role, messageText(m)])).toEqual([
      ['user', 'go'],
      ['assistant', 'Checking. after'],
    ]);
  });

  it("a round record still readable after its run ended (another tab's localStorage lags): nothing resumed, the answer once", async () => {
    await api.script([[{ toolCall: { name: 'webmcp:t', arguments: {} } }], 'after']);
    const storage = memoryStore(uniqueStoreName());
    const first = open({ storage, bridge: fakeBridge({ t: () => 'ok' }) });
    await first.send('go');
    await first.idle();
    // The owner removed the record before letting the run go; the tab that takes over still reads
    // it, as a process whose copy of localStorage has not yet heard of the removal would.
    const call = Object.values(first.state.value.toolCalls)[0]!;
    await storage.set('pending', {
      executionId: call.executionId,
      sessionId: first.state.value.sessionId,
      calls: [{ toolCallId: call.id, toolName: 't', parameters: {}, output: { result: 'ok' } }],
    });
    first.dispose();
    const second = open({ storage, bridge: fakeBridge({ t: () => 'no' }) });
    await second.ready;
    await second.idle();
    expect(second.state.value.error).toBeNull();
    expect((await api.log('resume')).requests).toHaveLength(1);
    expect(second.state.value.messages.map((m) => [m.role, messageText(m)])).toEqual([
      ['user', 'go'],
      ['assistant', 'after'],
    ]);
    // The stale record is gone, so no later page trips on it.
    await until(async () => (await storage.get('pending')) === undefined, { what: 'the stale record to go' });
  });

  it('clear() forgets the conversation in memory and in the store', async () => {
    await api.script(['x']);
    const storage = memoryStore(uniqueStoreName());
    const session = open({ storage });
    await session.send('hi');
    await session.idle();
    await session.clear();
    expect(session.state.value.messages).toEqual([]);
    expect(await storage.get('conversation')).toBeUndefined();
    const again = open({ storage });
    await again.ready;
    expect(again.state.value.messages).toEqual([]);
  });
});

describe('with the real bridge over our polyfill', () => {
  it('a full turn: snapshot → chat with tools → await → bridge runs the page tool → resume → answer', async () => {
    const win = { location: { origin: ORIGIN }, navigator: {}, document: {} } as BridgeWindow & {
      document: { modelContext: ModelContextPolyfill };
    };
    win.document.modelContext = new ModelContextPolyfill(win as unknown as Window);
    await win.document.modelContext.registerTool({
      name: 'add',
      description: 'Adds two numbers',
      inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      execute: (input: { a: number; b: number }) => ({ sum: input.a + input.b }),
    });
    const bridge = createBridge({ window: win });
    await api.script([[{ toolCall: { name: 'webmcp:add', arguments: { a: 2, b: 3 } } }], 'It is 5.']);
    const session = open({ bridge });
    await session.send('2+3?');
    await session.idle();
    const state = session.state.value;
    expect(state.error).toBeNull();
    expect(state.bridgeKind).toBe('polyfill');
    expect(state.admission).toEqual({ admitted: ['add'], dropped: [] });
    expect(Object.values(state.toolCalls)[0]).toMatchObject({ name: 'add', status: 'done', result: { sum: 5 }, approval: 'not-required' });
    expect(text(session)).toBe('It is 5.');
    const chat = (await api.log('chat')).requests[0]!;
    expect(chat.body.clientTools?.[0]).toMatchObject({ name: 'add', origin: 'webmcp', pageOrigin: ORIGIN });
  });
});
