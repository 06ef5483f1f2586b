/**
 * The widget keeps its promises to the host page, in real Chromium against
 * the reference API: listeners live as long as the element, events say what
 * happened, payloads are what the types say, and `metadata`/`flowId` reach
 * the API over HTTP.
 */
import { createChat, type ChatEventMap, type ChatWidget } from '../../../src/index.js';
import type { ChatSession } from '../../../src/core.js';
import { deepEq, eq, ok, post, referenceApi, serverLog, TOKEN, until } from '../reliability/support.js';

/** Another token the test server allows on this origin. */
const OWN_TOKEN = 'ct_test_restricted';

async function sessionOf(widget: ChatWidget): Promise<ChatSession> {
  await until(() => !!widget.session);
  const session = widget.session!;
  await until(() => !!session.state.value.sessionId);
  return session;
}

function record(widget: ChatWidget) {
  const seen: { name: keyof ChatEventMap; detail: unknown }[] = [];
  for (const name of ['open', 'close', 'ready', 'message', 'toolcall', 'toolresult', 'error', 'status'] as const) {
    widget.on(name, (detail) => seen.push({ name, detail }));
  }
  return { seen, names: () => seen.map((event) => event.name).filter((name) => name !== 'status') };
}

describe('<webmcp-chat> keeps its promises to the host', () => {
  let widget: ChatWidget | undefined;
  afterEach(() => {
    widget?.destroy();
    widget = undefined;
  });

  it('keeps host listeners when an attribute changes after the panel loaded, and the new session reports to them', async () => {
    const apiUrl = await referenceApi();
    widget = createChat({ clientToken: TOKEN, apiUrl, storage: 'memory' });
    const events = record(widget);
    await widget.open();
    const first = await sessionOf(widget);

    widget.element.setAttribute('title', 'Renamed help');
    await until(() => !!widget!.session && widget!.session !== first);
    const second = await sessionOf(widget);
    await until(() => widget!.element.shadowRoot!.textContent!.includes('Renamed help'));
    ok(widget.isOpen, 'the restarted panel is still open');

    await post('/__test/script', { token: TOKEN, sessionId: second.state.value.sessionId, turns: ['Still listening.'] });
    widget.send('are you there?');
    await until(() => events.seen.filter((event) => event.name === 'message').length >= 2, 8000);
    const messages = events.seen.filter((event) => event.name === 'message').map((event) => event.detail as ChatEventMap['message']);
    deepEq(
      messages.map((message) => [message.role, message.text]),
      [
        ['user', 'are you there?'],
        ['assistant', 'Still listening.'],
      ],
      'the listener registered before the restart hears the new session',
    );
    deepEq(
      events.names().filter((name) => name === 'open' || name === 'ready'),
      ['ready', 'open', 'ready'],
      'one open (the panel never closed), and a ready per session',
    );
  });

  it('only destroy() drops host listeners', async () => {
    const apiUrl = await referenceApi();
    widget = createChat({ clientToken: TOKEN, apiUrl, storage: 'memory' });
    const events = record(widget);
    await widget.open();
    const element = widget.element;
    widget.destroy();
    widget = undefined;
    const before = events.seen.length;
    element.dispatchEvent(new Event('noop'));
    await element.open().catch(() => {});
    eq(events.seen.length, before, 'a destroyed widget reports nothing');
    element.remove();
  });

  it('emits neither open nor close when close() runs while the panel loads', async () => {
    const apiUrl = await referenceApi();
    widget = createChat({ clientToken: TOKEN, apiUrl, storage: 'memory' });
    const events = record(widget);
    const opening = widget.open();
    widget.close();
    await opening;
    await until(() => events.names().includes('ready'));
    deepEq(events.names(), ['ready'], 'the panel loaded, but nothing opened or closed');
    ok(!widget.isOpen, 'the widget is closed');
    const dialog = widget.element.shadowRoot!.querySelector('[role="dialog"]') as HTMLElement | null;
    ok(!dialog || dialog.hidden || dialog.getBoundingClientRect().height === 0, 'no panel is visible');

    await widget.open();
    widget.close();
    deepEq(events.names(), ['ready', 'open', 'close'], 'a real opening is announced, and its close');
  });

  it('reports messages with the fields their type declares, text included', async () => {
    const apiUrl = await referenceApi();
    widget = createChat({ clientToken: TOKEN, apiUrl, storage: 'memory' });
    const events = record(widget);
    await widget.open();
    const session = await sessionOf(widget);
    await post('/__test/script', {
      token: TOKEN,
      sessionId: session.state.value.sessionId,
      turns: [[{ reasoning: 'thinking it over' }, { text: ['Two ', 'parts.'] }]],
    });
    widget.send('hello');
    await until(() => events.seen.filter((event) => event.name === 'message').length >= 2, 8000);
    const answer = events.seen.filter((event) => event.name === 'message')[1]!.detail as ChatEventMap['message'];
    eq(answer.role, 'assistant');
    eq(answer.text, 'Two parts.', 'text is the answer without its reasoning');
    deepEq(
      answer.parts.map((part) => part.type),
      ['reasoning', 'text'],
    );
    eq(answer.streaming, false, 'reported when finished');
    ok(
      typeof answer.createdAt === 'number' && typeof answer.id === 'string' && typeof answer.executionId === 'string',
      'id, createdAt and executionId are there',
    );
  });

  it('sends metadata with every chat request and flowId to init, over HTTP', async () => {
    const apiUrl = await referenceApi();
    const metadata = { cartId: 'c_42', page: { path: '/checkout' } };
    // Memory stores live as long as the page, per token: a token no other test here uses
    // starts a session of its own, so its init is this test's.
    widget = createChat({ clientToken: OWN_TOKEN, apiUrl, storage: 'memory', metadata, flowId: 'flow_support' });
    await widget.open();
    const session = await sessionOf(widget);
    const sessionId = session.state.value.sessionId!;
    await post('/__test/script', { token: OWN_TOKEN, sessionId, turns: ['One.'], times: 2 });
    await session.send('first');
    await session.idle();
    await session.send('second');
    await session.idle();
    const log = await serverLog(sessionId);
    const chats = log.requests.filter((request) => request.endpoint === 'chat');
    eq(chats.length, 2);
    for (const chat of chats) deepEq(chat.body.metadata, metadata, 'each chat request carries the metadata');
    const init = log.requests.find((request) => request.endpoint === 'init');
    ok(init, 'the init request is in the log');
    eq(init!.body.flowId, 'flow_support', 'init carries the flow id');
  });

  it('refuses metadata that is not a JSON object, naming the option', () => {
    let message = '';
    try {
      createChat({ clientToken: TOKEN, metadata: ['not', 'an', 'object'] as unknown as Record<string, unknown> });
    } catch (error) {
      message = (error as Error).message;
    }
    ok(message.includes('`metadata`'), message);
  });
});
