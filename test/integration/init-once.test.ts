/**
 * One init per page load through the built widget: the panel asks for the
 * session as it starts, a queued or typed message asks for it too, and a
 * reload restores a stored one. Whatever the order, the reference API's log
 * shows one init for a new visitor and none for a page that reuses a live session.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openChat, SHOP_TOOLS, startStack, strictCsp, type Stack } from './support.js';

const STUB = `window.WebMCPChat=window.WebMCPChat||function(){(WebMCPChat.q=WebMCPChat.q||[]).push(arguments)};`;
const ANSWER = 'The blue mug is in stock.';

let stack: Stack;

/** A storefront whose /queued.js runs before the widget loads. */
function page(attributes = ''): string {
  return `<!doctype html><html><head><title>Shop</title></head><body><span id="badge">0</span>
<script src="/stub.js"></script><script src="/queued.js"></script>
<script src="/webmcp-polyfill.js"></script><script src="/tools.js"></script>
<script async src="/webmcp-chat.js" data-client-token="ct_test_widget" data-api-url="${stack.api.url}" ${attributes}></script>
</body></html>`;
}

async function inits(): Promise<number> {
  return (await stack.hooks.log('init')).requests.length;
}

beforeAll(async () => {
  stack = await startStack();
  stack.headers['content-security-policy'] = strictCsp(stack.api.url);
});

afterAll(async () => {
  await stack?.close();
});

beforeEach(async () => {
  await stack.hooks.reset();
  Object.assign(stack.pages, { '/stub.js': STUB, '/tools.js': SHOP_TOOLS });
});

const orders: [string, string, string][] = [
  ['open on load (data-open) with a queued send', `WebMCPChat('send', 'is the blue mug in stock?');`, 'data-open'],
  ['a queued send, then open', `WebMCPChat('send', 'is the blue mug in stock?'); WebMCPChat('open');`, ''],
  ['a queued open, then send', `WebMCPChat('open'); WebMCPChat('send', 'is the blue mug in stock?');`, ''],
  ['open, send, open again', `WebMCPChat('open'); WebMCPChat('send', 'is the blue mug in stock?'); WebMCPChat('open');`, 'data-open'],
];

describe('exactly one init per page load', () => {
  for (const [name, calls, attributes] of orders) {
    it(`${name}: one init, the answer shown`, async () => {
      await stack.hooks.script([ANSWER]);
      stack.pages['/queued.js'] = calls;
      stack.pages['/'] = page(attributes);
      const chat = await openChat(stack.browser, `${stack.site.origin}/`);
      expect(await chat.finishedAnswer()).toBe(ANSWER);
      expect(await inits()).toBe(1);
      const [chatRequest] = (await stack.hooks.log('chat')).requests;
      expect(chatRequest?.status).toBe(200);
      expect(chat.seen).toEqual({ violations: [], errors: [] });
      await chat.page.close();
    });
  }

  it('a reload that restores a live session while a queued send goes out: no second init', async () => {
    await stack.hooks.script([ANSWER]);
    await stack.hooks.script(['Yes, in red too.']);
    stack.pages['/queued.js'] = '';
    stack.pages['/'] = page('data-open');
    const chat = await openChat(stack.browser, `${stack.site.origin}/`);
    await chat.send('is the blue mug in stock?');
    expect(await chat.finishedAnswer()).toBe(ANSWER);
    expect(await inits()).toBe(1);

    const calls = `WebMCPChat('send', 'and in red?');`;
    stack.pages['/queued.js'] = calls;
    stack.pages['/'] = page('data-open');
    await chat.page.reload();
    await chat.dialog.waitFor();
    // The restored answer is finished too: wait for the queued question before waiting for its answer.
    await chat.transcript.locator('.wmc-user').getByText('and in red?').waitFor();
    expect(await chat.finishedAnswer()).toBe('Yes, in red too.');
    expect(await inits()).toBe(1);
    const chats = (await stack.hooks.log('chat')).requests;
    expect(chats.map((request) => request.body?.sessionId)).toEqual([chats[0]?.body?.sessionId, chats[0]?.body?.sessionId]);
    await chat.page.close();
  });
});
