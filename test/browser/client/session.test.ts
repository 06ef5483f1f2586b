/**
 * The conversation in real Chromium: the real bridge over the group's WebMCP, the
 * reference API on another origin (real CORS, real SSE), IndexedDB storage.
 */
// First, as a page would: our polyfill unless the page already has a WebMCP (native, MCP-B).
import '../../../src/polyfill.js';
import { createBridge } from '../../../src/bridge/index.js';
import { createChatSession, type ChatSession } from '../../../src/client/index.js';
import { openStore, storeName } from '../../../src/client/persistence.js';
import { lastText } from '../../support/last-text.js';
import { until } from '../../support/until.js';
import { installedWebMcp } from '../support/webmcp-group.js';

const TOKEN = 'ct_test_browser';
let apiUrl = '';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  check(response.ok, `${path} answered ${response.status}`);
}

/** The resumes the server got from one session (other files share the server). */
interface LoggedResume {
  toolOutputs: Record<string, unknown>;
  status: number;
  body: { clientTools?: { name: string }[] };
}

async function resumes(sessionId: string): Promise<LoggedResume[]> {
  return (
    (await (await fetch(`${apiUrl}/__test/log?endpoint=resume&sessionId=${encodeURIComponent(sessionId)}`)).json()) as {
      requests: LoggedResume[];
    }
  ).requests;
}

async function forgetStoredConversation(): Promise<void> {
  const kv = openStore('indexeddb', storeName(TOKEN, apiUrl));
  await Promise.all(['session', 'conversation', 'pending', 'started'].map((key) => kv.del(key)));
}

/** Queues agent turns for this session's next run only. */
async function scriptFor(session: ChatSession, turns: unknown[]): Promise<void> {
  await session.connect();
  await post('/__test/script', { token: TOKEN, sessionId: session.state.value.sessionId, turns });
}

const registered: AbortController[] = [];
async function register(name: string, execute: (input: Record<string, unknown>) => unknown): Promise<AbortController> {
  const controller = new AbortController();
  registered.push(controller);
  const context = (
    document as unknown as { modelContext: { registerTool(tool: unknown, options: { signal: AbortSignal }): Promise<void> } }
  ).modelContext;
  await context.registerTool(
    { name, description: `The ${name} tool`, inputSchema: { type: 'object', properties: {} }, execute },
    { signal: controller.signal },
  );
  return controller;
}

before(async () => {
  const env = (await (await fetch('/__env.json')).json()) as { apiUrl: string | null };
  check(env.apiUrl, 'the reference API did not start (see web-test-runner.config.mjs)');
  apiUrl = env.apiUrl;
  check(new URL(apiUrl).origin !== location.origin, 'the API must be on another origin');
});

beforeEach(async () => {
  await forgetStoredConversation();
});

afterEach(() => {
  for (const controller of registered.splice(0)) controller.abort();
});

describe(`ChatSession in Chromium (${installedWebMcp()})`, () => {
  it('a full turn across origins: page tool runs through the bridge, the answer streams, IndexedDB keeps it', async () => {
    await register('search_products', () => ({ items: ['lamp'] }));
    const session = createChatSession({ apiUrl, clientToken: TOKEN, bridge: createBridge(), storage: 'indexeddb' });
    // Scoped to this session: other test files share the server and its token.
    await scriptFor(session, [
      [{ text: 'Looking. ' }, { toolCall: { name: 'webmcp:search_products', arguments: { query: 'lamp' } } }],
      [{ text: ['Found ', 'a lamp.'] }],
    ]);
    await session.send('a lamp?');
    await session.idle();
    const state = session.state.value;
    check(state.error === null, `error: ${state.error?.message}`);
    check(lastText(session) === 'Looking. Found a lamp.', `text: ${lastText(session)}`);
    const call = Object.values(state.toolCalls)[0];
    check(call?.status === 'done' && JSON.stringify(call.result) === '{"items":["lamp"]}', `call: ${JSON.stringify(call)}`);
    check(state.admission?.admitted.includes('search_products'), 'admission diagnostics missing');
    const entry = session.transcript()[1]!;
    check(entry.toolCalls[0]?.name === 'search_products' && entry.toolResults[0]?.approval === 'not-required', 'transcript shape');
    session.dispose();

    // A new page with the same token and API finds the conversation in IndexedDB.
    const again = createChatSession({ apiUrl, clientToken: TOKEN, storage: 'indexeddb' });
    await again.ready;
    check(again.state.value.messages.length === 2, `restored ${again.state.value.messages.length} messages`);
    check(again.state.value.sessionId === state.sessionId, 'the session id survives');
    again.dispose();
  });

  it('reload mid-tool with IndexedDB: the call is reported interrupted, never re-run, and the run finishes', async () => {
    let runs = 0;
    await register('slow_tool', () => {
      runs += 1;
      return new Promise(() => {});
    });
    // The first page lives in an iframe: removing it ends that page as a reload does (its
    // Web Lock on the run is freed); a live session in this document would still hold the run.
    const host = window as unknown as { __firstPageRuns: number };
    host.__firstPageRuns = 0;
    const frame = document.createElement('iframe');
    frame.src = `${new URL('./first-page.html', import.meta.url).pathname}?api=${encodeURIComponent(apiUrl)}&token=${TOKEN}`;
    document.body.append(frame);
    await until(() => !!(frame.contentWindow as unknown as { session?: ChatSession } | null)?.session);
    const first = (frame.contentWindow as unknown as { session: ChatSession }).session;
    await scriptFor(first, [[{ toolCall: { name: 'webmcp:slow_tool', arguments: {} } }], 'Recovered after the reload.']);
    const sessionId = first.state.value.sessionId!;
    const before = (await resumes(sessionId)).length;
    await first.send('go');
    // Mid-tool: the page's own execute has been entered (native enters it a task after the call shows as running).
    await until(() => host.__firstPageRuns === 1 && Object.values(first.state.value.toolCalls).some((call) => call.status === 'running'));
    // The "reload": the first page is gone without a word; the second opens on the same IndexedDB store.
    frame.remove();
    const second = createChatSession({ apiUrl, clientToken: TOKEN, bridge: createBridge(), storage: 'indexeddb' });
    await second.ready;
    // The freed lock may reach this page a moment after the frame is gone: recovery starts then.
    await until(() => lastText(second) === 'Recovered after the reload.' || second.state.value.error !== null);
    await second.idle();
    const state = second.state.value;
    check(state.error === null, `error: ${state.error?.message}`);
    check(host.__firstPageRuns === 1 && runs === 0, `the tool ran ${host.__firstPageRuns} times on the first page, ${runs} on the second`);
    const call = Object.values(state.toolCalls)[0]!;
    check(call.status === 'interrupted', `status ${call.status}`);
    check(lastText(second) === 'Recovered after the reload.', `text: ${lastText(second)}`);
    const posted = (await resumes(sessionId)).slice(before);
    check(posted.length === 1, `${posted.length} resumes`);
    check(
      JSON.stringify(posted[0]!.toolOutputs) ===
        JSON.stringify({ [call.id]: { error: 'interrupted: the page reloaded before the tool finished; it may have run' } }),
      `outputs ${JSON.stringify(posted[0]!.toolOutputs)}`,
    );
    second.dispose();
  });

  it('a tool that unregisters itself during its call while a new one appears: the resume carries the tools as they are now', async () => {
    const ran: string[] = [];
    const checkout = await register('checkout', async () => {
      ran.push('checkout');
      checkout.abort();
      await register('track_order', () => {
        ran.push('track_order');
        return { status: 'shipped' };
      });
      return { order: 'A-1' };
    });
    const bridge = createBridge();
    const session = createChatSession({ apiUrl, clientToken: TOKEN, bridge, storage: 'indexeddb' });
    await scriptFor(session, [
      [{ toolCall: { name: 'webmcp:checkout', arguments: {} } }],
      [{ toolCall: { name: 'webmcp:track_order', arguments: {} } }],
      'Order A-1 has shipped.',
    ]);
    const sessionId = session.state.value.sessionId!;
    const before = (await resumes(sessionId)).length;
    await session.send('buy it and tell me where it is');
    await session.idle();
    const state = session.state.value;
    check(state.error === null, `error: ${state.error?.message}`);
    check(ran.join() === 'checkout,track_order', `ran: ${ran.join()}`);
    check(lastText(session) === 'Order A-1 has shipped.', `text: ${lastText(session)}`);
    // The first resume listed the page's tools as they were after the round: what the page offers now.
    const now = (await bridge.snapshot()).tools.map((tool) => tool.name).sort();
    const sent = (await resumes(sessionId))
      .slice(before)[0]
      ?.body.clientTools?.map((tool) => tool.name)
      .sort();
    check(JSON.stringify(sent) === JSON.stringify(now), `resume carried ${JSON.stringify(sent)}, the page offers ${JSON.stringify(now)}`);
    check(now.includes('track_order'), `the page offers ${JSON.stringify(now)}`);
    session.dispose();
  });
});
