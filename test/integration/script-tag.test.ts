/**
 * The script-tag embed as a storefront uses it: the built dist/webmcp-chat.js
 * in real Chromium under a strict CSP with Trusted Types, against the
 * reference API on another origin.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/index.js';
import { ensureBuilt, launchChromium, SHOP_TOOLS, startApi, startSite, strictCsp, watchPage, type Site } from './support.js';

const STUB = `window.WebMCPChat=window.WebMCPChat||function(){(WebMCPChat.q=WebMCPChat.q||[]).push(arguments)};`;

let browser: Browser;
let api: RunningServer;
let site: Site;
/** Read by the site server at request time, so tests can change pages after start. */
const pages: Record<string, string> = {};
const headers: Record<string, string> = {};

function shopPage({ twice = false, tagAttributes = '' } = {}): string {
  const tag = `<script async src="/webmcp-chat.js" data-client-token="ct_test_widget" data-api-url="${api.url}" ${tagAttributes}></script>`;
  return `<!doctype html><html><head><title>Shop</title></head><body>
<h1>Mugs</h1><span id="badge">0</span>
<script src="/stub.js"></script>
<script src="/queued.js"></script>
<script src="/webmcp-polyfill.js"></script><script src="/tools.js"></script>
${tag}${twice ? tag : ''}
</body></html>`;
}

async function script(turns: unknown[]): Promise<void> {
  const response = await fetch(`${api.url}/__test/script`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: 'ct_test_widget', turns }),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  ensureBuilt();
  site = await startSite(pages, headers);
  api = await startApi([site.origin]);
  headers['content-security-policy'] = strictCsp(api.url);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await site?.close();
});

beforeEach(async () => {
  site.requests.length = 0;
  Object.assign(pages, { '/': shopPage(), '/stub.js': STUB, '/tools.js': SHOP_TOOLS, '/queued.js': '' });
  await fetch(`${api.url}/__test/reset`, { method: 'POST' });
});

async function newShopPage(): Promise<{ page: Page; seen: { violations: string[]; errors: string[] } }> {
  const page = await browser.newPage();
  const seen = await watchPage(page);
  await page.goto(`${site.origin}/`);
  return { page, seen };
}

describe('script tag', () => {
  it('paints only the launcher first and loads the panel on first open, adding one global and no page CSS', async () => {
    const before = await (async () => {
      const blank = await browser.newPage();
      await watchPage(blank); // the same test bindings as the shop page
      await blank.goto(`${site.origin}/stub.js`);
      const keys = await blank.evaluate(() => Object.keys(window));
      await blank.close();
      return new Set(keys);
    })();
    const { page, seen } = await newShopPage();
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.waitFor();
    expect(site.requests).not.toContain('/webmcp-chat-panel.js');

    const globals = await page.evaluate(() => Object.keys(window));
    // The page's own scripts add nothing either; the polyfill adds no global (it sets document.modelContext).
    expect(globals.filter((key) => !before.has(key))).toEqual(['WebMCPChat']);
    expect(await page.evaluate(() => document.styleSheets.length)).toBe(0);
    expect(await page.evaluate(() => document.head.querySelectorAll('style,link').length)).toBe(0);

    await launcher.click();
    await page.getByRole('dialog', { name: 'Chat' }).waitFor();
    expect(site.requests.filter((path) => path === '/webmcp-chat-panel.js')).toHaveLength(1);
    await expect.poll(() => page.getByText('Hello from the test shop').isVisible()).toBe(true);
    expect(seen).toEqual({ violations: [], errors: [] });
    await page.close();
  });

  it('replays calls queued before it loaded, in order', async () => {
    pages['/queued.js'] = `
      window.order = [];
      WebMCPChat('on', 'open', () => window.order.push('open'));
      WebMCPChat('on', 'ready', () => window.order.push('ready'));
      WebMCPChat('open');`;
    const { page, seen } = await newShopPage();
    await page.getByRole('dialog').waitFor();
    await expect.poll(() => page.evaluate(() => (window as unknown as { order: string[] }).order)).toEqual(['ready', 'open']);
    expect(seen).toEqual({ violations: [], errors: [] });
    await page.close();
  });

  it('is harmless when loaded twice: one widget, one panel load', async () => {
    pages['/'] = shopPage({ twice: true });
    const { page, seen } = await newShopPage();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog').waitFor();
    expect(await page.locator('webmcp-chat').count()).toBe(1);
    expect(site.requests.filter((path) => path === '/webmcp-chat-panel.js')).toHaveLength(1);
    expect(seen).toEqual({ violations: [], errors: [] });
    await page.close();
  });

  it('takes its options from data-* attributes', async () => {
    pages['/'] = shopPage({ tagAttributes: 'data-title="Mug Shop help" data-corner="bottom-left" data-open' });
    const { page } = await newShopPage();
    await page.getByRole('dialog', { name: 'Mug Shop help' }).waitFor();
    const box = await page.getByRole('button', { name: /chat/i }).first().boundingBox();
    expect(box!.x).toBeLessThan(100);
    await page.close();
  });

  it('runs a page tool in a chat turn with zero CSP or Trusted Types violations', async () => {
    await script([
      [{ text: 'Adding it now.' }, { toolCall: { name: 'add_to_cart', arguments: { sku: 'mug-blue', quantity: 2 } } }],
      'Your cart now has the blue mug.',
    ]);
    const { page, seen } = await newShopPage();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('textbox').fill('add the blue mug to my cart');
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText('Your cart now has the blue mug.').waitFor();
    expect(await page.locator('#badge').textContent()).toBe('1');

    const log = (await (await fetch(`${api.url}/__test/log?endpoint=resume`)).json()) as {
      requests: { toolOutputs?: Record<string, unknown> }[];
    };
    expect(Object.values(log.requests[0]!.toolOutputs!)).toEqual([{ result: { ok: true, items: 1 } }]);
    expect(seen).toEqual({ violations: [], errors: [] });
    await page.close();
  });
});

describe('the panel file', () => {
  it('refuses to run without the loader of its own build, naming the script to load', async () => {
    pages['/'] = '<!doctype html><html><body></body></html>';
    const page = await browser.newPage();
    const seen = await watchPage(page);
    await page.goto(`${site.origin}/`);
    // A string: the test file's own import() is rewritten by its transform, the page's must not be.
    const outcome = await page.evaluate("import(location.origin + '/webmcp-chat-panel.js').then(() => 'loaded', (error) => error.message)");
    expect(outcome).toBe(
      'webmcp-chat-panel.js runs only when loaded by the webmcp-chat.js of its own build: serve both files from one versioned path',
    );
    expect(seen.violations).toEqual([]);
    await page.close();
  });

  it('is asked for under the key of the modules it takes from the loader, so no cache pairs a loader with a panel of another build', async () => {
    const { page } = await newShopPage();
    const requested = page.waitForRequest((request) => new URL(request.url()).pathname === '/webmcp-chat-panel.js');
    await page.getByRole('button', { name: 'Open chat' }).click();
    const version = new URL((await requested).url()).searchParams.get('v');
    // The panel reads the loader's list under this key; the URL carries its hash.
    const panelKey = /webmcp-chat\.loader:([0-9a-f]{12})/.exec(
      readFileSync(join(import.meta.dirname, '../../dist/webmcp-chat-panel.js'), 'utf8'),
    )?.[1];
    expect(panelKey).toMatch(/^[0-9a-f]{12}$/);
    expect(version).toBe(panelKey);
    await page.getByRole('dialog', { name: 'Chat' }).waitFor();
    await page.close();
  });
});

describe('navigating mid-answer', () => {
  it('the next page shows the whole answer once: the rest is replayed from the server, not asked again', async () => {
    await script([[{ text: ['The kettle ', 'holds ', 'nine ', 'tenths ', 'of a litre.'] }]]);
    // The first page's stream goes quiet after the answer began; the shopper clicks away.
    await fetch(`${api.url}/__test/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'chat', stallAfterFrames: 5, stallMs: 5000 }),
    });
    const { page, seen } = await newShopPage();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('textbox').fill('how big is the kettle?');
    await page.keyboard.press('Enter');
    // Anchored: the question ("how big is the kettle?") must not count as the answer beginning.
    await page
      .getByRole('log')
      .getByText(/^The kettle/)
      .waitFor();

    await page.goto(`${site.origin}/?page=2`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('log').getByText('The kettle holds nine tenths of a litre.').waitFor();
    expect(await page.getByRole('log').getByText('how big is the kettle?').count()).toBe(1);
    const log = (await (await fetch(`${api.url}/__test/log`)).json()) as { requests: { endpoint: string }[] };
    expect(log.requests.map((r) => r.endpoint).filter((e) => e === 'chat' || e === 'events')).toEqual(['chat', 'events']);
    expect(seen).toEqual({ violations: [], errors: [] });
    await page.close();
  });
});

describe('<webmcp-chat> on a page that uses neither data-client-token nor createChat', () => {
  it('works from its attributes alone', async () => {
    pages['/'] = `<!doctype html><html><body><span id="badge">0</span>
<script src="/webmcp-polyfill.js"></script><script src="/tools.js"></script>
<script src="/webmcp-chat.js"></script>
<webmcp-chat client-token="ct_test_widget" api-url="${api.url}" title="Element chat"></webmcp-chat>
</body></html>`;
    await script([[{ toolCall: { name: 'get_cart' } }], 'Your cart is empty.']);
    const { page, seen } = await newShopPage();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog', { name: 'Element chat' }).waitFor();
    await page.getByRole('textbox').fill("what's in my cart?");
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('log').getByText('Your cart is empty.').waitFor();
    expect(seen).toEqual({ violations: [], errors: [] });
    await page.close();
  });
});

describe('native WebMCP, with no polyfill script: the script tag watches registrations itself', () => {
  let native: Browser;
  beforeAll(async () => {
    native = await launchChromium(['--enable-features=WebMCP']);
  });
  afterAll(async () => {
    await native?.close();
  });

  it('a tool registered before the first open runs in the first turn without asking: the panel knows its registration was seen', async () => {
    // Registrations the loader did not see would ask first (their hints may have been dropped), and this turn would wait.
    pages['/'] = `<!doctype html><html><body><span id="badge">0</span>
<script src="/webmcp-chat.js" data-client-token="ct_test_widget" data-api-url="${api.url}"></script>
<script src="/tools.js"></script>
</body></html>`;
    await script([[{ toolCall: { name: 'add_to_cart', arguments: { sku: 'mug-red' } } }], 'Added the red mug.']);
    const page = await native.newPage();
    const seen = await watchPage(page);
    await page.goto(`${site.origin}/`);
    expect(await page.evaluate(() => typeof (document as unknown as { modelContext?: unknown }).modelContext)).toBe('object');
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('textbox').fill('add the red mug');
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText('Added the red mug.').waitFor();
    expect(await page.locator('#badge').textContent()).toBe('1');
    expect(seen).toEqual({ violations: [], errors: [] });
    await page.close();
  });
});
