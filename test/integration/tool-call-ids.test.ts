/**
 * Tool-call ids are data (issue 9 item 4): ids such as `constructor` and
 * `hasOwnProperty`, chosen by the server, run once each through the built
 * widget and come back under their own ids in one resume, on our polyfill
 * and on native WebMCP; `__proto__` too, which the reference API keeps as
 * a key when it parses the resume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, SHOP_TOOLS, useStorefront, widgetPage } from './support.js';

const IDS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'];

const shop = useStorefront((shop) => {
  shop.pages['/'] = widgetPage(shop.api.url);
  shop.pages['/tools.js'] = SHOP_TOOLS;
});

describe.each([
  { mode: 'polyfill', flags: [] as string[] },
  { mode: 'native', flags: ['--enable-features=WebMCP'] },
])('tool-call ids as data, $mode', ({ flags }) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(flags);
  });
  afterAll(() => browser?.close());

  it('__proto__, constructor, hasOwnProperty and toString each add to the cart once and reach the resume under their own id', async () => {
    await shop.hooks.script([
      IDS.map((id) => ({ toolCall: { id, name: 'webmcp:add_to_cart', arguments: { sku: `MUG-${id}` } } })),
      'Four mugs are in your cart.',
    ]);
    const page = await browser.newPage();
    await page.goto(`${shop.site.origin}/`);
    await page.getByRole('dialog').waitFor();
    const composer = page.getByRole('textbox');
    await composer.fill('four mugs please');
    await composer.press('Enter');
    await page.getByRole('log').getByText('Four mugs are in your cart.').waitFor();
    // What the person sees: a card done for each call, the cart badge at the count.
    const statuses = page
      .getByRole('log')
      .getByRole('group', { name: /^add[ _]to[ _]cart$/i })
      .locator('.wmc-status');
    await expect
      .poll(() => statuses.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-status'))))
      .toEqual(IDS.map(() => 'done'));
    expect(await page.locator('#badge').textContent()).toBe(String(IDS.length));
    // What the server got: one resume, every id with its own result.
    const { requests, acceptedToolOutputs } = await shop.hooks.log('resume');
    expect(requests.filter((request) => request.status === 200)).toHaveLength(1);
    expect(Object.keys(acceptedToolOutputs).sort()).toEqual([...IDS].sort());
    expect(Object.values(acceptedToolOutputs)).toEqual(IDS.map(() => 1));
    await page.close();
  });
});
