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

/** Polls `condition` (in Node) until true; fails with `what` after 10 s. */
async function until(condition, what) {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Page tools the chat calls, in order, as the host sees them through the `toolcall` event. */
async function recordToolCalls(page) {
  await page.waitForFunction(() => window.WebMCPChat?.instance);
  await page.evaluate(() => {
    const seen = new Set();
    window.__toolCalls = [];
    window.WebMCPChat('on', 'toolcall', (call) => {
      if (seen.has(call.id)) return;
      seen.add(call.id);
      window.__toolCalls.push(call.name);
    });
  });
  return {
    mark: () => page.evaluate(() => window.__toolCalls.length),
    since: (mark) => page.evaluate((from) => window.__toolCalls.slice(from), mark),
  };
}

/** The prompts the storefront suggests (`<q>` in its hero), as a shopper reads them. */
async function suggestedPrompts(page) {
  return page.locator('.hints q').allInnerTexts();
}

/** Asks, then waits for the answer bubble and for the composer to be ready again. */
async function ask(widget, text, answer) {
  await widget.say(text);
  const bubble = widget.host.locator('.wmc-assistant').filter({ hasText: answer }).last();
  await bubble.waitFor();
  await widget.send.waitFor();
  return bubble.innerText();
}

/** The widget's panel, header and Send button, against what the person sees (the visual viewport). */
async function panelInView(page) {
  return page.evaluate(() => {
    const root = document.querySelector('webmcp-chat').shadowRoot;
    const view = window.visualViewport;
    const inside = (selector) => {
      const box = root.querySelector(selector).getBoundingClientRect();
      return (
        box.left >= view.offsetLeft - 1 &&
        box.top >= view.offsetTop - 1 &&
        box.right <= view.offsetLeft + view.width + 1 &&
        box.bottom <= view.offsetTop + view.height + 1
      );
    };
    return { header: inside('.wmc-header'), send: inside('.wmc-composer button'), layoutWidth: window.innerWidth, visualWidth: view.width };
  });
}

/** Every prompt the demo suggests: the page tools it must call, in order, and the answer a shopper reads. */
const PROMPTS = {
  'add the Colombian coffee to my cart': {
    tools: ['search_products', 'search_products', 'add_to_cart'],
    answer: /^Done: added Colombia Huila, 250 g\. Your cart now has 1 item: Colombia Huila, 250 g \(\$12\.90\); total \$12\.90\.$/,
  },
  'what is good for pour-over under $30?': {
    tools: ['search_products'],
    answer: /^I found one match for “pour-over”: Ceramic Pour-over Dripper \(\$28\.00\)\.$/,
  },
  "what's in my cart?": {
    tools: ['get_cart'],
    answer: /^Your cart has 1 item: Colombia Huila, 250 g \(\$12\.90\); total \$12\.90\.$/,
  },
  'check out': {
    tools: ['checkout'],
    approval: { title: 'Check out', summary: 'Pay $12.90 to Northbound Coffee' },
    answer: /^Done: checkout\. Your order number is order_\w+\. Total: \$12\.90\.$/,
  },
};

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
      await widget.say('place_order "colombia-huila"');
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
      // What the call reported, in the card's result.
      await card.getByText('Result').click();
      await card
        .getByText(/submitted; the page moved to \/order-placed\.html/)
        .waitFor()
        .catch(async (error) => {
          const shown = (await next.host.getByRole('log').innerText()).replace(/\s+/g, ' ');
          throw new Error(`${error.message.split('\n')[0]}; the chat shows: "${shown}"`);
        });
      assert.equal(await card.locator('[data-status]').first().getAttribute('data-status'), 'done');
      assert.equal(await next.host.getByText('place_order "colombia-huila"').count(), 1);
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
        .getByText(/Done: added Colombia Huila, 250 g\./)
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
      // The agent answers from what the tool call returned: the refusal reached it.
      await widget.host
        .getByText(/you declined, so checkout did not run/i)
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
        .getByText(/Done: subscribe newsletter\./i)
        .first()
        .waitFor();
      await screenshot(page, 'chat-form-tool');
    },
  },
  {
    name: 'chat: every prompt the demo suggests calls the right tools and answers in plain sentences',
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/`);
      await page.waitForFunction((count) => document.getElementById('tool-count')?.textContent === String(count), STORE_TOOLS.length);
      const prompts = await suggestedPrompts(page);
      assert.deepEqual([...prompts].sort(), Object.keys(PROMPTS).sort(), 'the e2e knows every suggested prompt');
      const calls = await recordToolCalls(page);
      const widget = chat(page);
      await widget.launcher.click();
      await widget.dialog.waitFor();
      const report = [];
      for (const prompt of prompts) {
        const expected = PROMPTS[prompt];
        const mark = await calls.mark();
        await widget.say(prompt);
        if (expected.approval) {
          const card = widget.host.getByRole('group', { name: expected.approval.title });
          await card.getByText(expected.approval.summary).waitFor();
          assert.equal(await widget.host.getByRole('group', { name: expected.approval.title }).count(), 1, 'one card for the call');
          assert.equal(await card.getByRole('button', { name: /always allow/i }).count(), 0, 'no Always allow for checkout');
          assert.doesNotMatch(await card.innerText(), /Ask the shopper/, 'no model-facing text on the card');
          await screenshot(page, 'desktop-light-approval');
          await card.getByRole('button', { name: 'Allow once' }).click();
        }
        const bubble = widget.host.locator('.wmc-assistant').filter({ hasText: expected.answer }).last();
        await bubble.waitFor();
        await widget.send.waitFor();
        const answer = await bubble.innerText();
        assert.match(answer, expected.answer, prompt);
        assert.doesNotMatch(answer, /[{}[\]]/, 'no raw JSON in the answer');
        const tools = await calls.since(mark);
        assert.deepEqual(tools, expected.tools, `tools for "${prompt}"`);
        report.push(`${prompt} → ${tools.join(', ')} → ${answer}`);
        if (prompt.startsWith('what is good')) await screenshot(page, 'desktop-light-answer');
      }
      assert.equal(await badge(page), 0, 'checked out: the cart is empty');
      console.log(`    ${report.join('\n    ')}`);
    },
  },
  {
    name: 'colour: the light storefront keeps a light panel under a dark OS; a host that picks dark gets a dark one',
    contextOptions: { colorScheme: 'dark' },
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('tool-count')?.textContent !== '0');
      const widget = chat(page);
      const background = () =>
        page.evaluate(() => getComputedStyle(document.querySelector('webmcp-chat').shadowRoot.querySelector('.wmc-panel')).backgroundColor);
      await widget.launcher.click();
      await widget.dialog.waitFor();
      assert.equal(await background(), 'rgb(255, 255, 255)', 'data-color-scheme="light" wins over the OS');
      await ask(widget, "what's in my cart?", /Your cart is empty\./);
      await screenshot(page, 'desktop-light-under-dark-os');
      // A host that wants dark says so; changing an option restarts the widget, open, with the conversation kept.
      await page.evaluate(() => {
        const element = document.querySelector('webmcp-chat');
        element.options = { ...element.options, colorScheme: 'dark' };
        element.setAttribute('color-scheme', 'dark');
      });
      await until(async () => (await background().catch(() => '')) === 'rgb(22, 25, 29)', 'the dark panel');
      await widget.host.getByText('Your cart is empty.').first().waitFor();
      await screenshot(page, 'desktop-dark');
      // After a reload the surface's own placeholder and welcome are still there (kept with the session).
      await page.reload();
      await chat(page).launcher.click();
      await widget.host.getByText('Hi! I can search the catalog, look at your cart and check out.').waitFor();
      await until(async () => (await widget.input.getAttribute('placeholder')) === 'Ask about products…', 'the surface placeholder');
    },
  },
  {
    name: 'mobile 390×844 on a page wider than the screen: the whole panel in view, light and dark',
    contextOptions: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    async run({ base, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('tool-count')?.textContent !== '0');
      // A host page that overflows: the layout viewport grows wider than the screen.
      await page.evaluate(() => {
        const wide = document.createElement('div');
        wide.style.width = '1400px';
        wide.style.height = '40px';
        wide.textContent = 'a banner wider than the phone';
        document.body.prepend(wide);
      });
      await until(async () => (await page.evaluate(() => window.innerWidth)) > 390, 'the layout viewport to widen');
      const launcherInView = await page.evaluate(() => {
        const box = document.querySelector('webmcp-chat').shadowRoot.querySelector('button').getBoundingClientRect();
        const view = window.visualViewport;
        return (
          box.left >= view.offsetLeft &&
          box.top >= view.offsetTop &&
          box.right <= view.offsetLeft + view.width &&
          box.bottom <= view.offsetTop + view.height
        );
      });
      assert.ok(launcherInView, 'the launcher is in sight before the first open');
      const widget = chat(page);
      // By keyboard: a pointer click makes Playwright scroll the visual viewport first, and the panel
      // follows the visual viewport, so its hit test chases a moving target (a person just taps).
      await widget.launcher.focus();
      await page.keyboard.press('Enter');
      await widget.dialog.waitFor();
      await widget.input.fill('what is good for pour-over under $30?');
      await widget.input.press('Enter');
      await widget.host
        .locator('.wmc-assistant')
        .filter({ hasText: /Ceramic Pour-over Dripper/ })
        .waitFor();
      await until(async () => {
        const view = await panelInView(page);
        return view.header && view.send;
      }, 'the header and Send button in view');
      const view = await panelInView(page);
      assert.ok(view.layoutWidth > view.visualWidth, `the page overflows (${view.layoutWidth} > ${view.visualWidth})`);
      await screenshot(page, 'mobile-light');
      await page.evaluate(() => {
        const element = document.querySelector('webmcp-chat');
        element.options = { ...element.options, colorScheme: 'dark' };
        element.setAttribute('color-scheme', 'dark');
      });
      await widget.host
        .locator('.wmc-assistant')
        .filter({ hasText: /Ceramic Pour-over Dripper/ })
        .first()
        .waitFor();
      await until(async () => {
        const inView = await panelInView(page).catch(() => ({}));
        return inView.header && inView.send;
      }, 'the dark panel in view');
      await screenshot(page, 'mobile-dark');
    },
  },
  {
    name: 'offline: a failed send shows once with Retry; back online, Retry sends it once',
    async run({ base, context, page: open, screenshot }) {
      const page = await open();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('tool-count')?.textContent !== '0');
      const widget = chat(page);
      await widget.launcher.click();
      await widget.dialog.waitFor();
      await ask(widget, "what's in my cart?", /Your cart is empty\./);
      await context.setOffline(true);
      const question = 'what is good for pour-over under $30?';
      await widget.say(question);
      const alert = widget.host.getByRole('alert');
      await alert.getByRole('button', { name: 'Retry' }).waitFor();
      await until(async () => (await widget.input.inputValue()) === question, 'the question back in the box');
      assert.equal(await widget.host.locator('.wmc-user', { hasText: question }).count(), 0, 'not also shown as sent');
      await screenshot(page, 'error-offline');
      await context.setOffline(false);
      await alert.getByRole('button', { name: 'Retry' }).click();
      await widget.host
        .locator('.wmc-assistant')
        .filter({ hasText: /Ceramic Pour-over Dripper/ })
        .waitFor();
      assert.equal(await widget.host.locator('.wmc-user', { hasText: question }).count(), 1, 'sent once');
      assert.equal(await widget.input.inputValue(), '', 'no copy left to send twice');
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
      // The chat connects on the first message: shoppers read a plain sentence, the developer's
      // hint goes to the console (and the lab's error listener above); what was typed stays.
      const warnings = [];
      page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
      const widget = chat(page);
      await widget.say('hello from the wrong origin');
      await page.locator('webmcp-chat').getByRole('alert').getByText('The chat is not available on this page right now.').waitFor();
      assert.doesNotMatch(await page.locator('webmcp-chat').getByRole('alert').innerText(), /allowedOrigins/);
      assert.equal(await widget.input.inputValue(), 'hello from the wrong origin');
      await until(() => warnings.some((text) => /origin_not_allowed: .*allowedOrigins/.test(text)), 'the hint in the console');
      await screenshot(page, 'lab-narrow-403');
    },
  },
];
