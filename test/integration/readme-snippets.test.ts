/**
 * The README's script-tag snippets, run as written: its HTML (polyfill, queue
 * stub, widget tag) and its registration script as a classic script, under
 * the README's own CSP recipe (the stub's hash included), with only the
 * placeholders a site owner fills in replaced (the token and the API URL).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { ensureBuilt, launchChromium, startApi, startSite, watchPage, type Site } from './support.js';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Add the chat to your site (script tag)'), readme.indexOf('## Use it from npm (SPA)'));

function block(language: string, after = 0): string {
  const start = section.indexOf(`\`\`\`${language}\n`, after);
  expect(start, `a \`\`\`${language} block in the README's script-tag section`).toBeGreaterThan(-1);
  const body = start + language.length + 4;
  return section.slice(body, section.indexOf('```', body));
}

const html = block('html');
const registration = block('js', section.indexOf('register your tools'));
const stubHash = /'sha256-[A-Za-z0-9+/=]+'/.exec(section)?.[0];

let browser: Browser;
let api: RunningServer;
let site: Site;
const pages: Record<string, string> = {};
const headers: Record<string, string> = {};

beforeAll(async () => {
  ensureBuilt();
  site = await startSite(pages, headers);
  api = await startApi([site.origin]);
  browser = await launchChromium();
  const dist = (file: string) => readFileSync(join(root, 'dist', file), 'utf8');
  Object.assign(pages, {
    '/': `<!doctype html><html><head><title>Shop</title></head><body>
<script src="/cart.js"></script>
${html.replace('ct_live_…', 'ct_test_widget').replace('https://agent-api.example.com', api.url)}
<script src="/register.js"></script>
</body></html>`,
    '/js/webmcp-polyfill.js': dist('webmcp-polyfill.js'),
    '/js/webmcp-chat.js': dist('webmcp-chat.js'),
    '/js/webmcp-chat-panel.js': dist('webmcp-chat-panel.js'),
    // What the snippet calls: the shop's own cart.
    '/cart.js':
      'window.added = []; window.cart = { add: (productId, quantity) => (window.added.push([productId, quantity]), { ok: true }) };',
    '/register.js': registration,
  });
  // The README's CSP recipe: scripts from the site plus the stub's hash, the API for fetches.
  headers['content-security-policy'] = `default-src 'self'; script-src 'self' ${stubHash}; style-src 'self'; connect-src 'self' ${api.url}`;
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await site?.close();
});

describe("the README's script-tag snippets", () => {
  it('run as written: the tool registers, the chat calls it, no error and no CSP violation', async () => {
    expect(stubHash, 'the README gives the stub its CSP hash').toBeDefined();
    expect(registration).toContain('registerTool');
    const page = await browser.newPage();
    const seen = await watchPage(page);
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    const tools = await page.evaluate(async () => {
      const context = (document as unknown as { modelContext: { getTools(): Promise<{ name: string }[]> } }).modelContext;
      return (await context.getTools()).map((tool) => tool.name);
    });
    expect(tools).toEqual(['add_to_cart']);

    await fetch(`${api.url}/__test/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: 'ct_test_widget',
        turns: [[{ toolCall: { name: 'add_to_cart', arguments: { productId: 'mug-1' } } }], 'Added the mug.'],
      }),
    });
    await page.getByRole('button', { name: 'Open chat' }).click();
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('add the mug to my cart');
    await input.press('Enter');
    await page.getByRole('log').getByText('Added the mug.').waitFor();
    expect(await page.evaluate(() => (window as unknown as { added: unknown[] }).added)).toEqual([['mug-1', 1]]);
    expect(seen.errors).toEqual([]);
    expect(seen.violations).toEqual([]);
    await page.close();
  });
});
