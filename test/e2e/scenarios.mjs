// The end-to-end scenarios, run in order by test/e2e/run.mjs. Each gets a
// fresh browser profile. Chat selectors go by role and accessible name;
// Playwright locators reach into the widget's open shadow root.
import assert from 'node:assert/strict';

const STORE_TOOLS = ['add_to_cart', 'apply_coupon', 'checkout', 'get_cart', 'get_product', 'search_products', 'subscribe_newsletter'];

/** The widget as a person meets it. */
function chat(page) {
  const host = page.locator('webmcp-chat');
  return {
    host,
    launcher: host.getByRole('button', { name: /open chat/i }),
    dialog: host.getByRole('dialog'),
    input: host.getByRole('textbox'),
    send: host.getByRole('button', { name: /^send$/i }),
    allow: host.getByRole('button', { name: /allow once/i }),
    decline: host.getByRole('button', { name: /decline/i }),
    async say(text) {
      await this.input.fill(text);
      await this.send.click();
    },
  };
}

async function toolNames(page) {
  return page.evaluate(async () => (await document.modelContext.getTools()).map((tool) => tool.name).sort());
}

async function badge(page) {
  return Number(await page.getByTestId('cart-count').textContent());
}

export const SCENARIOS = [
  ...['polyfill', 'native'].map((mode) => ({
    name: `quick order (${mode}): the form tool's submission moves the page, the chat carries on there by itself`,
    flags: mode === 'native' ? ['--enable-features=WebMCP'] : [],
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/order.html`);
      await page.waitForFunction(async () => (await document.modelContext.getTools()).some((tool) => tool.name === 'place_order'));
      const widget = chat(page);
      await widget.launcher.click();
      await widget.dialog.waitFor();
      await widget.say('Please place_order colombia-huila');
      // Some setups ask before a form tool runs: allow it once if asked, until the page moves.
      while (!page.url().includes('/order-placed.html')) {
        if (await widget.allow.isVisible().catch(() => false)) await widget.allow.click().catch(() => {});
        await page.waitForURL(/order-placed\.html/, { timeout: 250 }).catch(() => {});
      }
      await page.getByText('Colombia Huila, 250 g is on its way').waitFor();
      // Nobody opens the chat on the new page: it opens, reports the submission and answers.
      const next = chat(page);
      await next.dialog.waitFor();
      const card = next.host.getByRole('group', { name: /place order|place_order/i }).first();
      await card.waitFor();
      // The answer quotes what the call reported (the card's own copy sits folded in its details).
      await next.host
        .locator('.wmc-assistant')
        .getByText(/submitted; the page moved to \/order-placed\.html/)
        .first()
        .waitFor()
        .catch(async (error) => {
          const shown = (await next.host.getByRole('log').innerText()).replace(/\s+/g, ' ');
          throw new Error(`${error.message.split('\n')[0]}; the chat shows: "${shown}"`);
        });
      assert.equal(await card.locator('[data-status]').first().getAttribute('data-status'), 'done');
      assert.equal(await next.host.getByText('Please place_order colombia-huila').count(), 1);
      await screenshot(page, `quick-order-${mode}`);
    },
  })),
  {
    name: 'storefront: CSP header, tools registered through the polyfill, no CSP violation',
    async run({ base, page: open }) {
      const page = await open();
      const response = await page.goto(`${base}/`);
      assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'; style-src 'self'/);
      await page.getByRole('heading', { name: /small-batch coffee/i }).waitFor();
      await page.waitForFunction((count) => document.getElementById('tool-count')?.textContent === String(count), STORE_TOOLS.length);
      assert.equal(await page.locator('#webmcp-kind').textContent(), 'polyfill');
      assert.deepEqual(await toolNames(page), STORE_TOOLS);
    },
  },
  {
    name: 'storefront: native WebMCP (--enable-features=WebMCP) sees the same tools, the form tool included',
    flags: ['--enable-features=WebMCP'],
    async run({ base, page: open }) {
      const page = await open();
      await page.goto(`${base}/`);
      await page.waitForFunction((count) => document.getElementById('tool-count')?.textContent === String(count), STORE_TOOLS.length);
      assert.equal(await page.locator('#webmcp-kind').textContent(), 'native');
      assert.deepEqual(await toolNames(page), STORE_TOOLS);
    },
  },
  {
    name: 'chat: ask to add a product → tool card → the cart badge changes',
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('tool-count')?.textContent !== '0');
      assert.equal(await badge(page), 0);
      const widget = chat(page);
      await widget.launcher.click();
      await widget.dialog.waitFor();
      await widget.say('Please add "colombia-huila" to my cart');
      // The tool card: a group named by the tool's title (or its name).
      await widget.host
        .getByRole('group', { name: /add to cart|add_to_cart/i })
        .first()
        .waitFor();
      await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '1');
      await widget.host
        .getByText(/returned/i)
        .first()
        .waitFor();
      await page.getByRole('cell', { name: 'Colombia Huila, 250 g', exact: true }).waitFor();
      await screenshot(page, 'chat-add-to-cart');
    },
  },
  {
    name: 'chat: ask to check out → approval → decline → the model is told, nothing ordered',
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('tool-count')?.textContent !== '0');
      await page.getByRole('button', { name: /Add Stoneware Mug/ }).click();
      assert.equal(await badge(page), 1);
      const widget = chat(page);
      await widget.launcher.click();
      await widget.say('Please checkout now');
      await widget.decline.waitFor();
      await widget.allow.waitFor();
      await screenshot(page, 'chat-checkout-approval');
      await widget.decline.click();
      // The scripted agent quotes what the tool call returned: the refusal reached it.
      await widget.host
        .getByText(/checkout failed: .*declined/i)
        .first()
        .waitFor();
      assert.equal(await badge(page), 1, 'the cart must be untouched');
      assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('webmcp-demo-cart') ?? '{}').lastOrder ?? null), null);
      await screenshot(page, 'chat-checkout-declined');
    },
  },
  {
    name: 'chat: the declarative form tool fills the form, the person submits, the model gets the answer',
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('tool-count')?.textContent === '7');
      const widget = chat(page);
      await widget.launcher.click();
      await widget.say('subscribe_newsletter "ana@example.com"');
      // Without toolautosubmit the agent only fills the form: the person presses Subscribe.
      await page.waitForFunction(() => document.getElementById('newsletter-email')?.value === 'ana@example.com');
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.getByRole('status').filter({ hasText: 'Subscribed ana@example.com' }).waitFor();
      await widget.host
        .getByText(/subscribe_newsletter returned/i)
        .first()
        .waitFor();
      await screenshot(page, 'chat-form-tool');
    },
  },
  {
    name: 'lab: live tool list and the verdict at every gate, policy applied to the API at once',
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/lab.html`);
      const row = (name) => page.locator(`#tool-rows tr[data-tool="${name}"]`);
      await row('search_products').waitFor();
      const policyOf = () =>
        page.evaluate(async () => (await (await fetch('/__dev/info')).json()).tokens.find((t) => t.token === 'ct_test_demo').policy);
      const original = await policyOf();
      for (const label of ['lookup_order', 'Delete all orders!', 'store_hours_verbose', 'tag_products']) {
        await page.locator('#samples li', { hasText: label }).getByRole('button', { name: 'Register' }).click();
      }
      await row('tag_products').waitFor();
      const text = async (name) => (await row(name).innerText()).replace(/\s+/g, ' ');
      assert.match(await text('Delete all orders!'), /InvalidStateError/);
      assert.match(await text('store_hours_verbose'), /description_too_long/);
      assert.match(await text('tag_products'), /invalid_schema/);
      assert.match(await text('lookup_order'), /no_matching_rule/);
      assert.match(await text('add_to_cart'), /admitted as webmcp:add_to_cart/);

      // Admit only lookup_* from this origin: the server's verdict flips for both tools.
      await page.locator('#rules .rule-origin').first().fill(base);
      await page.locator('#rules .rule-tools').first().fill('lookup_*');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.locator('#policy-status', { hasText: 'Applied' }).waitFor();
      assert.match(await text('lookup_order'), /admitted as webmcp:lookup_order/);
      assert.match(await text('add_to_cart'), /no_matching_rule/);
      assert.deepEqual(await policyOf(), { enabled: true, allowlist: [{ origin: base, tools: ['lookup_*'] }] });

      // Unregistering is aborting the signal: the row goes away on toolchange.
      await page.locator('#samples li', { hasText: 'lookup_order' }).getByRole('button', { name: 'Unregister' }).click();
      await row('lookup_order').waitFor({ state: 'detached' });
      await screenshot(page, 'lab-gates');

      // Put the demo policy back for the scenarios after this one.
      await page.evaluate(
        (policy) =>
          fetch('/__dev/tokens/ct_test_demo/policy', {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(policy),
          }),
        original,
      );
    },
  },
  {
    name: 'lab: a turn reports the server admission (webmcp.admission) next to the prediction',
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/lab.html`);
      await page.locator('#tool-rows tr[data-tool="search_products"]').waitFor();
      await page.locator('#samples li', { hasText: 'lookup_order' }).getByRole('button', { name: 'Register' }).click();
      const widget = chat(page);
      await widget.input.waitFor();
      await widget.say('search products for "kettle"');
      await page.locator('#tool-rows tr[data-tool="lookup_order"]', { hasText: /reported by the server/i }).waitFor();
      assert.match(await page.locator('#tool-rows tr[data-tool="lookup_order"]').innerText(), /no_matching_rule/);
      assert.match(await page.locator('#tool-rows tr[data-tool="search_products"]').innerText(), /admitted[\s\S]*reported by the server/i);
      await screenshot(page, 'lab-reported');
    },
  },
  {
    name: 'origin-scoped rule: a tool admitted on the first origin is dropped on the second',
    async run({ base, other, page: open, screenshot }) {
      const setPolicy = (page, policy) =>
        page.evaluate(
          (body) =>
            fetch('/__dev/tokens/ct_test_demo/policy', {
              method: 'PUT',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            }).then((r) => r.status),
          policy,
        );
      const first = await open();
      await first.goto(`${base}/lab.html`);
      const original = await first.evaluate(
        async () => (await (await fetch('/__dev/info')).json()).tokens.find((t) => t.token === 'ct_test_demo').policy,
      );
      assert.equal(await setPolicy(first, { enabled: true, allowlist: [{ origin: base, tools: ['search_*'] }] }), 200);
      try {
        for (const [page, origin, verdict] of [
          [first, base, /admitted as webmcp:search_products/],
          [await open(), other, /no_matching_rule/],
        ]) {
          if (page !== first) await page.goto(`${origin}/lab.html`);
          else await page.reload();
          await chat(page).say('search products for "mug"');
          const row = page.locator('#tool-rows tr[data-tool="search_products"]', { hasText: /reported by the server/i });
          await row.waitFor();
          assert.match(await row.innerText(), verdict, origin);
        }
        await screenshot(first.context().pages().at(-1), 'lab-second-origin-dropped');
      } finally {
        await setPolicy(first, original);
      }
    },
  },
  {
    name: 'lab on the second origin: ct_test_narrow is refused with 403 and a hint',
    async run({ other, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${other}/lab.html?token=ct_test_narrow`);
      await page.getByRole('button', { name: /Try/ }).click();
      const status = page.locator('#client-status', { hasText: '403' });
      await status.waitFor();
      assert.match(await status.innerText(), /origin_not_allowed: .*allowedOrigins/);
      // The chat connects on the first message, and shows the hint too; what was typed stays.
      const widget = chat(page);
      await widget.say('hello from the wrong origin');
      await page
        .locator('webmcp-chat')
        .getByRole('alert')
        .getByText(/allowedOrigins|not allowed/i)
        .first()
        .waitFor();
      await screenshot(page, 'lab-narrow-403');
    },
  },
];
