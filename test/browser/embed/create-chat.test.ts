/**
 * `createChat()` as an SPA uses it (source imported the way a bundler sees the
 * package), in real Chromium against the reference API on another origin.
 */
import { createChat, defineTool, type ChatWidget } from '../../../src/index.js';
import type { ChatSession } from '../../../src/core.js';
import { deepEq, eq, ok, post, referenceApi, serverLog, TOKEN, until } from '../reliability/support.js';

function deepQuery(selector: string, host: Element): Element | null {
  return host.shadowRoot!.querySelector(selector);
}

async function sessionOf(widget: ChatWidget): Promise<ChatSession> {
  await until(() => !!widget.session);
  const session = widget.session as ChatSession;
  await until(() => !!session.state.value.sessionId);
  return session;
}

describe('createChat', () => {
  let widget: ChatWidget | undefined;
  afterEach(() => {
    widget?.destroy();
    widget = undefined;
  });

  it('floats by default, opens, runs a typed page tool, and reports it to the host', async () => {
    const apiUrl = await referenceApi();
    const added: string[] = [];
    const unregister = defineTool({
      name: 'add_to_cart_spa',
      description: 'Add a product to the cart',
      input: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value: unknown) => {
            const sku = (value as { sku?: unknown })?.sku;
            return typeof sku === 'string' ? { value: { sku } } : { issues: [{ message: 'sku must be a string', path: ['sku'] }] };
          },
        },
      },
      jsonSchema: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
      execute: ({ sku }: { sku: string }) => {
        added.push(sku);
        return { ok: true, sku };
      },
    });
    await unregister.ready;

    widget = createChat({ clientToken: TOKEN, apiUrl, storage: 'memory' });
    const results: unknown[] = [];
    widget.on('toolresult', (detail) => results.push(detail));
    eq(widget.element.parentElement, document.body, 'floating widgets live at the end of <body>');
    ok(deepQuery('button[aria-label="Open chat"]', widget.element), 'the launcher paints before any open');
    ok(!deepQuery('[role="dialog"]', widget.element), 'the panel is not built before the first open');

    await widget.open();
    const session = await sessionOf(widget);
    await post('/__test/script', {
      token: TOKEN,
      sessionId: session.state.value.sessionId,
      turns: [[{ toolCall: { name: 'add_to_cart_spa', arguments: { sku: 'mug-7' } } }], 'Added mug-7.'],
    });
    widget.send('add mug-7');
    await until(() => session.state.value.status === 'idle' && session.state.value.messages.length >= 2, 8000);

    deepEq(added, ['mug-7'], 'the tool ran once with the model arguments');
    eq((results[0] as { name: string }).name, 'add_to_cart_spa');
    const log = await serverLog(session.state.value.sessionId!);
    const outputs = log.requests.filter((request) => request.endpoint === 'resume').map((request) => request.toolOutputs);
    deepEq(Object.values(outputs[0]!), [{ result: { ok: true, sku: 'mug-7' } }], 'the server got the result');
    // The panel paints on its own schedule (at most once per 16 ms), after the state.
    await until(() => deepQuery('[role="log"]', widget!.element)!.textContent!.includes('Added mug-7.'));
    unregister();
  });

  it('mounts inline in a given element: no launcher, always open', async () => {
    const apiUrl = await referenceApi();
    const host = document.createElement('section');
    host.style.height = '420px';
    document.body.append(host);
    widget = createChat({ clientToken: TOKEN, apiUrl, storage: 'memory', mount: host, title: 'Inline help' });
    await until(() => !!deepQuery('[role="dialog"]', widget!.element));
    eq(widget.element.parentElement, host);
    ok(!deepQuery('button[aria-label="Open chat"]', widget.element), 'no launcher when mounted inline');
    const dialog = deepQuery('[role="dialog"]', widget.element) as HTMLElement;
    ok(!dialog.hidden, 'the inline panel is open');
    ok(dialog.textContent!.includes('Inline help'), 'the title option reaches the panel');
    eq(Math.round(dialog.getBoundingClientRect().height), 420, 'the inline panel fills its container');
    host.remove();
  });

  it('refuses to start without a client token or with a mount that matches nothing', () => {
    let message = '';
    try {
      createChat({ clientToken: '' });
    } catch (error) {
      message = (error as Error).message;
    }
    ok(message.includes('clientToken'), 'names the missing option');
    try {
      createChat({ clientToken: TOKEN, mount: '#nowhere' });
    } catch (error) {
      message = (error as Error).message;
    }
    ok(message.includes('#nowhere'), 'names the selector');
  });
});
