/**
 * Several tabs of one shop, one conversation (issue 9): the built widget in
 * two and three real tabs of one Chromium profile (same IndexedDB, Web Locks
 * and BroadcastChannel), on our polyfill and on native WebMCP.
 *
 * What a person checks: the tool ran once, in one tab; every tab shows the
 * same cards and answer; an approval can be given in any tab; closing the
 * tab that ran a tool leaves the conversation going in another; after a
 * reload nothing either tab asked is missing. What the server checks: one
 * resume per round, with the real result (never `interrupted` for a call a
 * live tab held).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, useStorefront, widgetPage } from './support.js';

/**
 * `checkout` asks for approval (consequentialHint survives native listing) and
 * finishes when the test says so; every run is counted in the tab that ran it.
 */
const TOOLS = `
window.__runs = 0;
let finish;
window.__finish = (value) => finish?.(value);
document.modelContext.registerTool({
  name: 'checkout', description: 'Pay for the cart',
  annotations: { consequentialHint: true },
  inputSchema: { type: 'object', properties: { total: { type: 'number' } } },
  execute: async ({ total }) => { window.__runs += 1; return { paid: total }; },
});
document.modelContext.registerTool({
  name: 'pack_order', description: 'Pack the order (slow)',
  inputSchema: { type: 'object', properties: {} },
  execute: () => { window.__runs += 1; return new Promise((done) => { finish = done; }); },
});
`;

const MODES = [
  { mode: 'polyfill', flags: [] as string[] },
  { mode: 'native', flags: ['--enable-features=WebMCP'] },
] as const;

const shop = useStorefront((shop) => {
  shop.pages['/'] = widgetPage(shop.api.url);
  shop.pages['/tools.js'] = TOOLS;
});

interface Tab {
  page: Page;
  errors: string[];
  card(name: string): ReturnType<Page['locator']>;
  answer(text: string): ReturnType<Page['locator']>;
  send(text: string): Promise<void>;
  runs(): Promise<number>;
}

/** `beforeLoad` runs before the page loads (e.g. an init script of its own). */
async function openTab(context: BrowserContext, beforeLoad?: (page: Page) => Promise<unknown>): Promise<Tab> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await beforeLoad?.(page);
  await page.goto(`${shop.site.origin}/`);
  await page.getByRole('dialog').waitFor();
  const log = page.getByRole('log');
  return {
    page,
    errors,
    // The card is named by the tool's title, or its name in words (pack_order → "Pack order").
    card: (name) => log.getByRole('group', { name: new RegExp(`^${name.replace(/_/g, '[ _]')}$`, 'i') }),
    answer: (text) => log.locator('.wmc-assistant').getByText(text),
    async send(text) {
      const composer = page.getByRole('textbox');
      await composer.fill(text);
      await composer.press('Enter');
      await log.locator('.wmc-user').getByText(text).waitFor();
    },
    runs: () => page.evaluate(() => (window as unknown as { __runs: number }).__runs),
  };
}

/** The tab's run is over: it let go of the run's Web Lock, after its last state went out. */
const runOver = (tab: Tab) => expect.poll(() => tab.page.evaluate(async () => (await navigator.locks.query()).held?.length)).toBe(0);

const status = (tab: Tab, name: string) => tab.card(name).locator('.wmc-status').getAttribute('data-status');

async function resumes() {
  return (await shop.hooks.log('resume')).requests.filter((request) => request.status === 200 && !request.replayed);
}

describe.each(MODES)('several tabs, $mode', ({ flags }) => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium(flags);
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    await context?.close();
    context = await browser.newContext();
  });

  for (const where of ['A', 'B'] as const) {
    it(`approval pending in A while B opens: B shows the card, approving in ${where} runs the call once in A`, async () => {
      await shop.hooks.script([[{ toolCall: { name: 'webmcp:checkout', arguments: { total: 10 } } }], 'Paid, thank you.']);
      const a = await openTab(context);
      await a.send('pay please');
      // While the person decides, the call shows as its approval card.
      await a.card('checkout').getByRole('button', { name: 'Allow once' }).waitFor();
      const b = await openTab(context);
      // B shows A's approval card too, and says nothing to the server.
      await b.card('checkout').getByRole('button', { name: 'Allow once' }).waitFor();
      expect(await resumes()).toHaveLength(0);

      await (where === 'A' ? a : b).card('checkout').getByRole('button', { name: 'Allow once' }).click();
      for (const tab of [a, b]) {
        await tab.answer('Paid, thank you.').waitFor();
        await expect.poll(() => status(tab, 'checkout')).toBe('done');
      }
      expect(await a.runs()).toBe(1);
      expect(await b.runs()).toBe(0);
      const posted = await resumes();
      expect(posted).toHaveLength(1);
      expect(Object.values(posted[0]!.body!.toolOutputs!)).toEqual([{ result: { paid: 10 } }]);
      expect([...a.errors, ...b.errors]).toEqual([]);
    });
  }

  it('tool running in A while B opens: B shows it running, then the real result; one resume', async () => {
    await shop.hooks.script([[{ toolCall: { name: 'webmcp:pack_order', arguments: {} } }], 'Packed.']);
    const a = await openTab(context);
    await a.send('pack it');
    await expect.poll(() => status(a, 'pack_order')).toBe('running');
    const b = await openTab(context);
    await expect.poll(() => status(b, 'pack_order')).toBe('running');
    expect(await resumes()).toHaveLength(0);
    await a.page.evaluate(() => (window as unknown as { __finish(value: unknown): void }).__finish({ boxes: 2 }));
    for (const tab of [a, b]) await tab.answer('Packed.').waitFor();
    expect(await a.runs()).toBe(1);
    expect(await b.runs()).toBe(0);
    const posted = await resumes();
    expect(posted).toHaveLength(1);
    expect(Object.values(posted[0]!.body!.toolOutputs!)).toEqual([{ result: { boxes: 2 } }]);
  });

  it('Stop pressed in B while A runs a tool: A stops it, both show it cancelled, the server is told once', async () => {
    await shop.hooks.script([[{ toolCall: { name: 'webmcp:pack_order', arguments: {} } }], 'not reached']);
    const a = await openTab(context);
    await a.send('pack it');
    await expect.poll(() => status(a, 'pack_order')).toBe('running');
    const b = await openTab(context);
    await expect.poll(() => status(b, 'pack_order')).toBe('running');
    await b.page.getByRole('button', { name: 'Stop' }).click();
    for (const tab of [a, b]) await expect.poll(() => status(tab, 'pack_order')).toBe('cancelled');
    await expect
      .poll(async () => (await resumes()).map((request) => Object.values(request.body!.toolOutputs!)))
      .toEqual([[{ error: 'cancelled by the user' }]]);
    // Both tabs can ask again.
    await shop.hooks.script(['Ready when you are.']);
    await b.send('never mind');
    for (const tab of [a, b]) await tab.answer('Ready when you are.').waitFor();
  });

  it('A closed mid-tool with B and C open: exactly one of them reports it honestly, the conversation goes on there', async () => {
    await shop.hooks.script([
      [{ toolCall: { name: 'webmcp:pack_order', arguments: {} } }],
      'Sorry, packing was interrupted; shall I retry?',
    ]);
    const a = await openTab(context);
    await a.send('pack it');
    await expect.poll(() => status(a, 'pack_order')).toBe('running');
    const b = await openTab(context);
    const c = await openTab(context);
    await expect.poll(() => status(b, 'pack_order')).toBe('running');
    await expect.poll(() => status(c, 'pack_order')).toBe('running');
    await a.page.close();
    for (const tab of [b, c]) {
      await tab.answer('Sorry, packing was interrupted; shall I retry?').waitFor();
      await expect.poll(() => status(tab, 'pack_order')).toBe('interrupted');
    }
    expect((await b.runs()) + (await c.runs())).toBe(0);
    const posted = await resumes();
    expect(posted).toHaveLength(1);
    expect(Object.values(posted[0]!.body!.toolOutputs!)).toEqual([{ error: expect.stringMatching(/it may have run/) }]);
    // The conversation continues in the tabs that are left.
    await shop.hooks.script(['Here is your order status.']);
    await b.send('status?');
    for (const tab of [b, c]) await tab.answer('Here is your order status.').waitFor();
  });

  it('without BroadcastChannel: B never reports the call A holds, and picks the run up once A is closed', async () => {
    await context.addInitScript(() => {
      delete (window as { BroadcastChannel?: unknown }).BroadcastChannel;
    });
    await shop.hooks.script([[{ toolCall: { name: 'webmcp:pack_order', arguments: {} } }], 'Packing was cut short; shall I try again?']);
    const a = await openTab(context);
    await a.send('pack it');
    await expect.poll(() => status(a, 'pack_order')).toBe('running');
    const b = await openTab(context);
    await b.page.getByRole('log').locator('.wmc-user').getByText('pack it').waitFor();
    // No live updates, but no hijack either: while A lives, nobody answers for its call.
    expect(await resumes()).toHaveLength(0);
    await a.page.close();
    await b.answer('Packing was cut short; shall I try again?').waitFor();
    expect(await status(b, 'pack_order')).toBe('interrupted');
    expect(await b.runs()).toBe(0);
    expect(await resumes()).toHaveLength(1);
  });

  it('a lone tab posts nothing to other tabs while it answers; once a second tab opens, it does, and once that tab closes, it stops', async () => {
    // A listener of our own on the conversation's channel, from before the widget loads.
    await context.addInitScript(
      (name) => {
        const seen: string[] = [];
        (window as unknown as { __posts: string[] }).__posts = seen;
        new BroadcastChannel(name).onmessage = (event) => seen.push(event.data.type);
      },
      `webmcp-chat:${new URL(shop.api.url).origin}:ct_test_widget`,
    );
    const posts = (tab: Tab) => tab.page.evaluate(() => (window as unknown as { __posts: string[] }).__posts.slice());
    await shop.hooks.script([
      [{ text: ['Let me ', 'pack ', 'that.'] }, { toolCall: { name: 'webmcp:pack_order', arguments: {} } }],
      'Packed.',
    ]);
    const a = await openTab(context);
    await a.send('pack it');
    await expect.poll(() => status(a, 'pack_order')).toBe('running');
    await a.page.evaluate(() => (window as unknown as { __finish(value: unknown): void }).__finish({ boxes: 1 }));
    await a.answer('Packed.').waitFor();
    // Alone, the tab only said once that it opened: no state went out for a whole answer and a tool round.
    expect(await posts(a)).toEqual(['hello']);

    const b = await openTab(context);
    await shop.hooks.script(['Anything else?']);
    await a.send('thanks');
    await b.answer('Anything else?').waitFor();
    const after = await posts(a);
    expect(after.filter((type) => type === 'state' || type === 'change').length).toBeGreaterThan(0);
    expect([...a.errors, ...b.errors]).toEqual([]);

    // B closes: the next answer asks who is open (and still mirrors, for a tab slow to say so);
    // nobody answers, so the one after it posts nothing at all.
    await b.page.close();
    const closed = (await posts(a)).length;
    await shop.hooks.script(['Goodbye.']);
    await a.send('bye');
    await a.answer('Goodbye.').waitFor();
    await runOver(a);
    const before = await posts(a);
    expect(before.slice(closed)).toContain('hello');
    await shop.hooks.script(['See you.']);
    await a.send('see you');
    await a.answer('See you.').waitFor();
    await runOver(a);
    expect((await posts(a)).slice(before.length)).toEqual([]);
  });

  it('a tab slow to say it is there still gets the whole answer, and counts again once it speaks', async () => {
    const a = await openTab(context);
    // B holds back its `here` while the test says so: a tab whose thread is busy elsewhere.
    const b = await openTab(context, (page) =>
      page.addInitScript(() => {
        const post = BroadcastChannel.prototype.postMessage;
        const held: [BroadcastChannel, unknown][] = [];
        const w = window as unknown as { __holdHere: boolean; __releaseHere(): void };
        w.__holdHere = false;
        w.__releaseHere = () => {
          w.__holdHere = false;
          for (const [line, message] of held.splice(0)) post.call(line, message);
        };
        BroadcastChannel.prototype.postMessage = function (message: { type?: string }) {
          if (w.__holdHere && message?.type === 'here') held.push([this, message]);
          else post.call(this, message);
        };
      }),
    );
    await shop.hooks.script(['Hello.']);
    await a.send('hi');
    await b.answer('Hello.').waitFor();
    await runOver(a);

    await b.page.evaluate(() => {
      (window as unknown as { __holdHere: boolean }).__holdHere = true;
    });
    await shop.hooks.script(['Quick answer.']);
    await a.send('quick');
    await a.answer('Quick answer.').waitFor();
    await runOver(a);
    await b.answer('Quick answer.').waitFor();
    await b.page.evaluate(() => (window as unknown as { __releaseHere(): void }).__releaseHere());

    await shop.hooks.script(['And another.']);
    await a.send('more');
    await b.answer('And another.').waitFor();
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('a tab of an older widget (an older copy of the script from a cache) is sent whole states it can read, answer after answer', async () => {
    const a = await openTab(context);
    // The older widget's side of the line, as it spoke it: `hello` on opening, then it only reads `state`.
    // (It never speaks again, so an older tab that opened before every newer one cannot be heard.)
    shop.pages['/older-tab'] = '<!doctype html><title>older widget</title>';
    const older = await context.newPage();
    await older.goto(`${shop.site.origin}/older-tab`);
    const channelName = `webmcp-chat:${new URL(shop.api.url).origin}:ct_test_widget`;
    await older.evaluate((name) => {
      const seen: { type: string; last?: string }[] = [];
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const line = new BroadcastChannel(name);
      line.onmessage = ({ data }) => seen.push({ type: data.type, last: data.state && JSON.stringify(data.state.messages.at(-1)) });
      line.postMessage({ type: 'hello' });
    }, channelName);
    const seen = () => older.evaluate(() => (window as unknown as { __seen: { type: string; last?: string }[] }).__seen.slice());
    for (const [question, answer] of [
      ['hi', ['Hello, ', 'how ', 'can ', 'I ', 'help?']],
      ['pack it', ['Packing ', 'is ', 'done.']],
    ] as const) {
      await shop.hooks.script([[{ text: [...answer] }]]);
      await a.send(question);
      await a.answer(answer.join('')).waitFor();
      await expect.poll(async () => (await seen()).filter((post) => post.type === 'state').at(-1)?.last).toContain(answer.join(''));
    }
    expect((await seen()).filter((post) => post.type === 'change')).toEqual([]);
    expect(a.errors).toEqual([]);
  });

  it('a tab opened mid-answer shows the whole conversation, and the rest of the answer as it streams', async () => {
    const a = await openTab(context);
    const b = await openTab(context);
    await shop.hooks.script(['Hello, how can I help?']);
    await a.send('hi');
    await b.answer('Hello, how can I help?').waitFor();
    await shop.hooks.script([
      [{ text: ['Packing ', 'your ', 'order ', 'now. '] }, { toolCall: { name: 'webmcp:pack_order', arguments: {} } }],
      [{ text: ['Packed ', 'in ', 'two ', 'boxes.'] }],
    ]);
    await a.send('pack it');
    await expect.poll(() => status(a, 'pack_order')).toBe('running');
    // C opens while the answer is half way: earlier turns, the text so far and the running card.
    const c = await openTab(context);
    await c.answer('Packing your order now.').waitFor();
    await expect.poll(() => status(c, 'pack_order')).toBe('running');
    await a.page.evaluate(() => (window as unknown as { __finish(value: unknown): void }).__finish({ boxes: 2 }));
    const bubbles = (tab: Tab) => tab.page.getByRole('log').locator('.wmc-user, .wmc-assistant:not(.wmc-welcome)').allTextContents();
    await a.answer('Packed in two boxes.').waitFor();
    const expected = await bubbles(a);
    expect(expected.join(' ')).toMatch(/hi.*Hello, how can I help\?.*pack it.*Packing your order now\..*Packed in two boxes\./);
    for (const tab of [b, c]) {
      await expect.poll(() => bubbles(tab)).toEqual(expected);
      await expect.poll(() => status(tab, 'pack_order')).toBe('done');
    }
    expect((await b.runs()) + (await c.runs())).toBe(0);
    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
  });

  it('turns from A and B interleaved, then both reloaded: every question and answer is still there, once, in order', async () => {
    const a = await openTab(context);
    const b = await openTab(context);
    const turns = [
      [a, 'first from A', 'answer one'],
      [b, 'second from B', 'answer two'],
      [a, 'third from A', 'answer three'],
      [b, 'fourth from B', 'answer four'],
    ] as const;
    for (const [tab, question, answer] of turns) {
      await shop.hooks.script([answer]);
      await tab.send(question);
      for (const each of [a, b]) await each.answer(answer).waitFor();
    }
    const expected = turns.flatMap(([, question, answer]) => [question, answer]);
    for (const tab of [a, b]) {
      await tab.page.reload();
      await tab.page.getByRole('dialog').waitFor();
      const bubbles = tab.page.getByRole('log').locator('.wmc-user, .wmc-assistant:not(.wmc-welcome)');
      await expect.poll(() => bubbles.allTextContents()).toEqual(expected);
    }
    // And the model saw the whole conversation each time, whichever tab asked.
    const chats = (await shop.hooks.log('chat')).requests.filter((request) => request.status === 200);
    expect(chats.at(-1)!.body!.messages!.map((message) => message.content)).toEqual(expected.slice(0, -1));
  });
});
