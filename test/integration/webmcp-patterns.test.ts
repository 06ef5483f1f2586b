/**
 * WebMCP as pages really use it, through the built widget and the reference
 * API, on native WebMCP (`--enable-features=WebMCP`) and on our polyfill.
 * One test page per pattern (written for this suite): the older
 * `navigator.modelContext` shape, declarative form tools, a page that ships
 * its own implementation (before and after ours), a same-origin iframe, a
 * cross-origin iframe sharing its tool with `exposedTo` (native only), and
 * tools that come and go. Each asserts what a shopper and the site owner
 * would check: the page's own code ran once with the right arguments, one
 * resume carried its result, and the answer is shown.
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.mjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, openChat, startApi, startSite, testHooks, type Site } from './support.js';
import type { RunningServer } from '../../src/server/index.js';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** `mcpb`: @mcp-b/global loaded before our polyfill (which then does nothing), in the plain browser. */
const MODES = ['native', 'polyfill', 'mcpb'] as const;
type Mode = (typeof MODES)[number];

const browsers = {} as Record<'native' | 'polyfill', Browser>;
const browserFor = (mode: Mode) => browsers[mode === 'native' ? 'native' : 'polyfill'];
/** The mode of the running test, read by `shop()`. */
let pageMode: Mode = 'polyfill';
let api: RunningServer;
let hooks: ReturnType<typeof testHooks>;
let site: Site;
/** The same files on a second origin (127.0.0.1 rather than localhost): a cross-origin frame. */
let other: Site;
const pages: Record<string, string> = {};

function launch(extraArgs: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_ARGS,
      // An origin that is not potentially trustworthy, for the non-secure page.
      '--host-resolver-rules=MAP insecure.test 127.0.0.1',
      ...extraArgs,
    ],
  });
}

beforeAll(async () => {
  ensureBuilt();
  site = await startSite(pages);
  other = await startSite(pages);
  other.origin = other.origin.replace('localhost', '127.0.0.1');
  api = await startApi([site.origin]);
  hooks = testHooks(api);
  browsers.native = await launch(['--enable-features=WebMCP']);
  browsers.polyfill = await launch([]);
});

afterAll(async () => {
  await browsers.native?.close();
  await browsers.polyfill?.close();
  await api?.close();
  await site?.close();
  await other?.close();
});

beforeEach(async () => {
  for (const key of Object.keys(pages)) delete pages[key];
  await hooks.reset();
  pages['/mcpb.js'] = readFileSync(join(root, 'node_modules/@mcp-b/global/dist/index.iife.js'), 'utf8');
});

/** Page code reports each run of its tool here, so the test can count them. */
const RECORD = 'window.__calls = window.__calls || []; const record = (name, input) => window.__calls.push({ name, input });';

/** A storefront page: the polyfill first (as the README says), then `head`, then the open widget. */
function shop(head: string, body = ''): string {
  const mcpb = pageMode === 'mcpb' ? '<script src="/mcpb.js"></script>' : '';
  return `<!doctype html><html><head><title>Shop</title>${mcpb}<script src="/webmcp-polyfill.js"></script>${head}</head>
<body>${body}
<script async src="/webmcp-chat.js" data-client-token="ct_test_widget" data-api-url="${api.url}" data-open></script></body></html>`;
}

/** Approves the one card the turn shows: a tool whose hints the widget could not see asks first (README, "Approval rules"). */
async function allowOnce(chat: Awaited<ReturnType<typeof openChat>>): Promise<void> {
  await chat.page.getByRole('button', { name: 'Allow once' }).click();
}

/**
 * One chat turn that calls `tool` with `args`; returns the answer shown, the
 * page's recorded calls and what the resumes carried. `asks`: the person is
 * asked first (and allows it once).
 */
async function turn(mode: Mode, path: string, tool: string, args: Record<string, unknown>, asks = false) {
  await hooks.script([[{ text: 'One moment.' }, { toolCall: { name: tool, arguments: args } }], `Done with ${tool}.`]);
  const chat = await openChat(browserFor(mode), `${site.origin}${path}`);
  try {
    await chat.send(`please use ${tool}`);
    if (asks) await allowOnce(chat);
    const answer = await chat.finishedAnswer();
    const calls = await chat.page.evaluate(() => (window as unknown as { __calls?: unknown[] }).__calls ?? []);
    const resumes = (await hooks.log('resume')).requests;
    const chats = (await hooks.log('chat')).requests;
    return { answer, calls, resumes, chats, chat };
  } finally {
    await chat.page.close();
  }
}

/** The one resume's one output. */
function onlyOutput(resumes: { toolOutputs?: Record<string, unknown> }[]): unknown {
  expect(resumes).toHaveLength(1);
  const outputs = Object.values(resumes[0]!.toolOutputs ?? {});
  expect(outputs).toHaveLength(1);
  return outputs[0];
}

describe.each(MODES)('WebMCP patterns on %s', (mode) => {
  beforeEach(() => {
    pageMode = mode;
  });
  // MCP-B implements neither form tools nor iframes, and is the page's own WebMCP itself. Measured,
  // and left to MCP-B: its navigator.modelContext is its document one (no unregisterTool,
  // provideContext or clearContext), and a tool that unregisters itself during its call fails there.
  const notOnMcpB = it.skipIf(mode === 'mcpb');

  it.runIf(mode === 'mcpb')('MCP-B loaded before ours: ours does nothing and the page tool runs on MCP-B', async () => {
    pages['/mcpb-first'] = shop(`<script>${RECORD}
document.modelContext.registerTool({
  name: 'check_stock', description: 'Stock of a product',
  execute: async ({ sku }) => { record('check_stock', { sku, mcpb: document.modelContext.__isBrowserMcpServer === true }); return { sku, stock: 7 }; },
});
</script>`);
    const { calls, resumes, answer } = await turn(mode, '/mcpb-first', 'check_stock', { sku: 'mug-blue' });
    expect(calls).toEqual([{ name: 'check_stock', input: { sku: 'mug-blue', mcpb: true } }]);
    expect(onlyOutput(resumes)).toEqual({ result: { sku: 'mug-blue', stock: 7 } });
    expect(answer).toContain('Done with check_stock.');
  });

  notOnMcpB('a page written for the Chrome-146 navigator.modelContext shape', async () => {
    pages['/older'] = shop(`<script>${RECORD}
navigator.modelContext.provideContext({ tools: [{
  name: 'old_placeholder', description: 'Replaced below', execute: () => 'never',
}] });
navigator.modelContext.clearContext();
navigator.modelContext.registerTool({
  name: 'find_mug', description: 'Find a mug by colour',
  inputSchema: { type: 'object', properties: { colour: { type: 'string' } }, required: ['colour'] },
  execute: async ({ colour }) => { record('find_mug', { colour }); return { sku: 'mug-' + colour }; },
});
navigator.modelContext.registerTool({ name: 'gone_soon', description: 'Unregistered at once', execute: () => 'x' });
navigator.modelContext.unregisterTool('gone_soon');
</script>`);
    const { answer, calls, resumes, chats } = await turn(mode, '/older', 'find_mug', { colour: 'blue' });
    expect(calls).toEqual([{ name: 'find_mug', input: { colour: 'blue' } }]);
    expect(onlyOutput(resumes)).toEqual({ result: { sku: 'mug-blue' } });
    expect(answer).toContain('Done with find_mug.');
    expect(chats[0]!.body!.clientTools!.map((t) => t.name)).toEqual(['find_mug']);
  });

  notOnMcpB('a declarative form tool: filled, submitted, answered through respondWith', async () => {
    pages['/form'] = shop(
      '',
      `<form toolname="book_table" tooldescription="Book a table" toolautosubmit>
  <label>Guests <input name="guests" type="number" required></label>
  <select name="when" toolparamdescription="Day of the visit" required><option>Friday</option><option>Saturday</option></select>
  <button>Book</button>
</form>
<script>${RECORD}
document.querySelector('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  record('book_table', { agentInvoked: event.agentInvoked === true, ...data });
  if (event.agentInvoked) event.respondWith(Promise.resolve({ booked: true, guests: Number(data.guests) }));
});
</script>`,
    );
    const { answer, calls, resumes, chats } = await turn(mode, '/form', 'book_table', { guests: 4, when: 'Saturday' }, mode === 'native'); // native lists form tools without a registration the widget saw
    expect(calls).toEqual([{ name: 'book_table', input: { agentInvoked: true, guests: '4', when: 'Saturday' } }]);
    expect(onlyOutput(resumes)).toEqual({ result: { booked: true, guests: 4 } });
    expect(answer).toContain('Done with book_table.');
    const sent = (chats[0]!.body!.clientTools as { name: string; parametersSchema?: { properties?: Record<string, unknown> } }[])[0];
    expect(sent?.name).toBe('book_table');
    expect(Object.keys(sent?.parametersSchema?.properties ?? {}).sort()).toEqual(['guests', 'when']);
  });

  notOnMcpB('a page that ships its own WebMCP and installs it after ours', async () => {
    pages['/own-after'] = shop(`<script src="/own-webmcp.js"></script><script>${RECORD}
document.modelContext.registerTool({
  name: 'check_stock', description: 'Stock of a product',
  execute: async ({ sku }) => { record('check_stock', { sku, via: document.modelContext.isPageOwn === true }); return { sku, stock: 3 }; },
});
</script>`);
    pages['/own-webmcp.js'] = OWN_WEBMCP;
    const { answer, calls, resumes } = await turn(mode, '/own-after', 'check_stock', { sku: 'mug-red' }, mode === 'polyfill'); // the page's own WebMCP: hints unseen
    // On native the page's shim steps aside (its own rule); on the polyfill ours steps aside for it.
    expect(calls).toEqual([{ name: 'check_stock', input: { sku: 'mug-red', via: mode === 'polyfill' } }]);
    expect(onlyOutput(resumes)).toEqual({ result: { sku: 'mug-red', stock: 3 } });
    expect(answer).toContain('Done with check_stock.');
  });

  notOnMcpB('a page that defines its own WebMCP over ours after a tool was registered on ours', async () => {
    pages['/own-defined'] = shop(`<script>${RECORD}
document.modelContext.registerTool({
  name: 'early_deal', description: 'Deal of the day, registered before the page installed its own WebMCP',
  execute: async ({ day }) => { record('early_deal', { day, via: document.modelContext.isPageOwn === true }); return { day, deal: 'mug-blue' }; },
});
</script><script src="/own-webmcp-defined.js"></script>`);
    pages['/own-webmcp-defined.js'] = OWN_WEBMCP.replace(
      'document.modelContext = new PageWebMcp();',
      "Object.defineProperty(document, 'modelContext', { value: new PageWebMcp(), configurable: true });",
    );
    const { calls, resumes, answer } = await turn(mode, '/own-defined', 'early_deal', { day: 'monday' }, mode === 'polyfill');
    // On the polyfill the tool registered on ours was handed to the page's own WebMCP, which ran it.
    expect(calls).toEqual([{ name: 'early_deal', input: { day: 'monday', via: mode === 'polyfill' } }]);
    expect(onlyOutput(resumes)).toEqual({ result: { day: 'monday', deal: 'mug-blue' } });
    expect(answer).toContain('Done with early_deal.');
  });

  notOnMcpB('a page that ships its own WebMCP and installs it before ours', async () => {
    pages['/own-before'] = `<!doctype html><html><head><title>Shop</title><script src="/own-webmcp.js"></script>
<script src="/webmcp-polyfill.js"></script><script>${RECORD}
document.modelContext.registerTool({
  name: 'check_stock', description: 'Stock of a product',
  execute: async ({ sku }) => { record('check_stock', { sku, via: document.modelContext.isPageOwn === true }); return { sku, stock: 5 }; },
});
</script></head><body>
<script async src="/webmcp-chat.js" data-client-token="ct_test_widget" data-api-url="${api.url}" data-open></script></body></html>`;
    pages['/own-webmcp.js'] = OWN_WEBMCP;
    const { calls, resumes, answer } = await turn(mode, '/own-before', 'check_stock', { sku: 'mug-green' }, mode === 'polyfill');
    expect(calls).toEqual([{ name: 'check_stock', input: { sku: 'mug-green', via: mode === 'polyfill' } }]);
    expect(onlyOutput(resumes)).toEqual({ result: { sku: 'mug-green', stock: 5 } });
    expect(answer).toContain('Done with check_stock.');
  });

  notOnMcpB("a same-origin iframe's tool", async () => {
    pages['/with-frame'] = shop('', '<iframe src="/frame" title="Reviews"></iframe>');
    pages['/frame'] = `<!doctype html><script src="/webmcp-polyfill.js"></script><script>${RECORD}
document.modelContext.registerTool({
  name: 'read_reviews', description: 'Reviews of a product',
  execute: async ({ sku }) => { record('read_reviews', { sku }); parent.__calls = (parent.__calls || []).concat([{ name: 'read_reviews', input: { sku } }]); return { sku, stars: 4 }; },
});
</script>`;
    const { calls, resumes, answer } = await turn(mode, '/with-frame', 'read_reviews', { sku: 'mug-blue' }, true); // a frame's registration is unseen
    expect(calls).toEqual([{ name: 'read_reviews', input: { sku: 'mug-blue' } }]);
    expect(onlyOutput(resumes)).toEqual({ result: { sku: 'mug-blue', stars: 4 } });
    expect(answer).toContain('Done with read_reviews.');
  });

  notOnMcpB('tools that come and go: a tool that unregisters itself while a new one appears', async () => {
    pages['/come-go'] = shop(`<script>${RECORD}
const first = new AbortController();
document.modelContext.registerTool({
  name: 'start_checkout', description: 'Start the checkout',
  execute: async ({ cart }) => {
    record('start_checkout', { cart });
    first.abort();
    await document.modelContext.registerTool({ name: 'pay_order', description: 'Pay the order', execute: () => 'paid' });
    return { step: 'payment' };
  },
}, { signal: first.signal });
</script>`);
    await hooks.script([[{ text: 'Starting.' }, { toolCall: { name: 'start_checkout', arguments: { cart: 'c1' } } }], 'Checkout started.']);
    const chat = await openChat(browserFor(mode), `${site.origin}/come-go`);
    try {
      await chat.send('check out');
      expect(await chat.finishedAnswer()).toContain('Checkout started.');
      expect(await chat.page.evaluate(() => (window as unknown as { __calls: unknown[] }).__calls)).toEqual([
        { name: 'start_checkout', input: { cart: 'c1' } },
      ]);
      expect(onlyOutput((await hooks.log('resume')).requests)).toEqual({ result: { step: 'payment' } });
      // The next request lists the tools as they are now.
      await hooks.script(['Anything else?']);
      await chat.send('and now?');
      expect(await chat.finishedAnswer()).toContain('Anything else?');
      // (Whichever request last sent a list, the resume or this chat: later ones send its fingerprint.)
      const sent = (await hooks.log()).requests.filter((request) => request.body?.clientTools).at(-1);
      expect(sent?.body?.clientTools?.map((t) => t.name)).toEqual(['pay_order']);
    } finally {
      await chat.page.close();
    }
  });

  notOnMcpB('installs nothing on a page that is not a secure context', async () => {
    const port = new URL(site.origin).port;
    pages['/insecure'] = '<!doctype html><script src="/webmcp-polyfill.js"></script><p>plain http</p>';
    const page = await browserFor(mode).newPage();
    try {
      await page.goto(`http://insecure.test:${port}/insecure`);
      expect(await page.evaluate(() => [isSecureContext, typeof (document as unknown as { modelContext?: unknown }).modelContext])).toEqual(
        [false, 'undefined'],
      );
    } finally {
      await page.close();
    }
  });
});

describe('a cross-origin iframe sharing its tool with exposedTo (native)', () => {
  beforeEach(() => {
    pageMode = 'native';
  });
  it('is listed through fromOrigins, runs once, and carries its origin to the allowlist', async () => {
    pages['/with-partner'] = shop('', `<iframe allow="tools" src="${other.origin}/partner" title="Partner"></iframe>`);
    pages['/partner'] = `<!doctype html><script>
document.modelContext.registerTool({
  name: 'partner_quote', description: 'A quote from the partner shop',
  execute: async ({ sku }) => { parent.postMessage({ ran: 'partner_quote', sku }, '*'); return { sku, price: 12 }; },
}, { exposedTo: ['${site.origin}'] });
</script>`;
    await hooks.script([[{ text: 'Asking.' }, { toolCall: { name: 'partner_quote', arguments: { sku: 'mug-blue' } } }], 'Quoted.']);
    const chat = await openChat(browsers.native, `${site.origin}/with-partner`);
    try {
      await chat.page.evaluate(() => {
        (window as unknown as { __calls: unknown[] }).__calls = [];
        addEventListener('message', (event) => (window as unknown as { __calls: unknown[] }).__calls.push(event.data));
      });
      await chat.send('quote please');
      // A frame's registration is out of the widget's sight, so the tool asks first; the card names the partner's host.
      const card = chat.dialog.locator('.wmc-approval');
      await card.waitFor();
      expect(await card.textContent()).toContain(new URL(other.origin).host);
      await card.getByRole('button', { name: 'Allow once' }).click();
      expect(await chat.finishedAnswer()).toContain('Quoted.');
      await expect
        .poll(() => chat.page.evaluate(() => (window as unknown as { __calls: unknown[] }).__calls))
        .toEqual([{ ran: 'partner_quote', sku: 'mug-blue' }]);
      expect(onlyOutput((await hooks.log('resume')).requests)).toEqual({ result: { sku: 'mug-blue', price: 12 } });
      const sent = (await hooks.log('chat')).requests[0]!.body!.clientTools as { name: string; pageOrigin?: string }[];
      expect(sent.map((t) => [t.name, t.pageOrigin])).toEqual([['partner_quote', other.origin]]);
      // The tool card says where the tool came from (as a host name, as shoppers read it).
      await expect.poll(() => chat.transcript.locator('.wmc-card').first().textContent()).toContain(new URL(other.origin).host);
    } finally {
      await chat.page.close();
    }
  });
});

/**
 * A page's own small WebMCP, as demo pages ship them: installed by assigning
 * `document.modelContext`, unless the browser has a native one.
 */
const OWN_WEBMCP = `(() => {
  const native = Object.getOwnPropertyDescriptor(Document.prototype, 'modelContext');
  if (native) return;
  class PageWebMcp extends EventTarget {
    isPageOwn = true;
    #tools = new Map();
    async registerTool(tool, { signal } = {}) {
      if (this.#tools.has(tool.name)) throw new DOMException('Duplicate', 'InvalidStateError');
      this.#tools.set(tool.name, tool);
      signal?.addEventListener('abort', () => { this.#tools.delete(tool.name); this.dispatchEvent(new Event('toolchange')); });
      this.dispatchEvent(new Event('toolchange'));
    }
    async getTools() {
      return [...this.#tools.values()].map((t) => ({ name: t.name, title: '', description: t.description, inputSchema: t.inputSchema, origin: location.origin, window }));
    }
    async executeTool(handle, input) {
      const tool = this.#tools.get(handle.name);
      if (!tool) throw new DOMException('No such tool', 'NotFoundError');
      const value = await tool.execute(typeof input === 'string' ? JSON.parse(input) : input, {});
      return typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  document.modelContext = new PageWebMcp();
})();`;
