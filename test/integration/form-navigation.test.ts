/**
 * A tool that submits a form which loads another page (issue 11 item 4): the
 * submission beats the resume, so the next page of the shop must report what
 * happened ("submitted; the page moved to /thanks") in one resume, and the
 * conversation goes on there without the person opening the chat again.
 *
 * Imperative tool (`form.requestSubmit()`) on our polyfill and on native, and
 * a declarative form tool (`<form toolname … toolautosubmit>`) on native.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, useStorefront } from './support.js';

/** A checkout page: the chat is closed (launcher only) until the person opens it. */
function shopPage(apiUrl: string, form: string, tools: string): string {
  return `<!doctype html><html><head><title>Checkout</title></head><body>
<h1>Checkout</h1>${form}
<script src="/webmcp-polyfill.js"></script>${tools ? `<script src="${tools}"></script>` : ''}
<script async src="/webmcp-chat.js" data-client-token="ct_test_widget" data-api-url="${apiUrl}"></script>
</body></html>`;
}

const FORM = `<form id="order" action="/thanks" method="get"><input name="sku" id="sku"><button>Place order</button></form>`;
const DECLARATIVE_FORM = `<form action="/thanks" method="get" toolname="place_order" tooldescription="Place the order for a product" toolautosubmit>
<label for="sku">Product code</label><input name="sku" id="sku" required><button>Place order</button></form>`;

/** Counts its runs in localStorage, which outlives the page it ran on. */
const PLACE_ORDER = `
document.modelContext.registerTool({
  name: 'place_order', description: 'Place the order for a product',
  inputSchema: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
  execute: async ({ sku }) => {
    localStorage.setItem('runs', String(Number(localStorage.getItem('runs') ?? 0) + 1));
    document.getElementById('sku').value = sku;
    document.getElementById('order').requestSubmit();
    return new Promise(() => {}); // the page leaves before this could answer
  },
});`;

const shop = useStorefront((shop) => {
  shop.pages['/tools.js'] = PLACE_ORDER;
});

const CASES = [
  { name: 'imperative tool, polyfill', flags: [] as string[], form: FORM, tools: '/tools.js' },
  { name: 'imperative tool, native', flags: ['--enable-features=WebMCP'], form: FORM, tools: '/tools.js' },
  { name: 'declarative form tool, native', flags: ['--enable-features=WebMCP'], form: DECLARATIVE_FORM, tools: '' },
];

describe.each(CASES)('a form tool that navigates: $name', ({ flags, form, tools }) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(flags);
  });
  afterAll(() => browser?.close());

  it('the call is answered once, "submitted; the page moved to /thanks", and the chat carries on on the next page by itself', async () => {
    shop.pages['/'] = shopPage(shop.api.url, form, tools);
    shop.pages['/thanks'] = shopPage(shop.api.url, '<p id="thanks">Thank you for your order.</p>', '');
    await shop.hooks.script([
      [{ toolCall: { name: 'webmcp:place_order', arguments: { sku: 'MUG-1' } } }],
      'Your order is placed; the shop says thank you.',
    ]);
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${shop.site.origin}/`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const composer = page.getByRole('dialog').getByRole('textbox');
    await composer.fill('order the mug MUG-1');
    await composer.press('Enter');

    // A tool that says nothing about what it changes is asked about first (native keeps no hints
    // of a form tool): the person allows it once; the submission then takes them to /thanks.
    const allow = page.getByRole('dialog').getByRole('button', { name: 'Allow once' });
    while (!page.url().includes('/thanks')) {
      if (await allow.isVisible().catch(() => false)) await allow.click().catch(() => {});
      await page.waitForURL(/\/thanks/, { timeout: 250 }).catch(() => {});
    }
    // Nobody clicks the launcher on the new page.
    await page.waitForURL(/\/thanks\?sku=MUG-1$/);
    await page.locator('#thanks').waitFor();
    const log = page.getByRole('log');
    await log
      .getByText('Your order is placed; the shop says thank you.')
      .waitFor()
      .catch(async (error: Error) => {
        const shown = (await log.innerText()).replace(/\s+/g, ' ');
        const seen = (await shop.hooks.log()).requests.map((request) => `${request.endpoint} ${request.status}`).join(', ');
        throw new Error(`${error.message.split('\n')[0]}; the chat shows "${shown}"; the server saw ${seen}`);
      });
    const card = log.getByRole('group', { name: /^place[ _]order$/i });
    await expect.poll(() => card.locator('.wmc-status').getAttribute('data-status')).toBe('done');
    expect(await log.getByText('order the mug MUG-1').count()).toBe(1);

    // One answer for the call, accepted once. (Where the first page got its resume out before it
    // left, the next page may send the same one again; the server answers that from its log.)
    const { requests, acceptedToolOutputs } = await shop.hooks.log('resume');
    expect(Object.values(acceptedToolOutputs)).toEqual([1]);
    const bodies = requests.filter((request) => request.status === 200).map((request) => request.body!.toolOutputs);
    expect(bodies.length).toBeGreaterThanOrEqual(1);
    for (const outputs of bodies) expect(Object.values(outputs!)).toEqual([{ result: 'submitted; the page moved to /thanks' }]);
    if (tools) expect(await page.evaluate(() => localStorage.getItem('runs'))).toBe('1');
    expect(errors).toEqual([]);
    await context.close();
  });
});
