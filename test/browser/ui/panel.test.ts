/**
 * The panel in real Chromium over a fake session (plain signals holding a
 * ChatState): roles, the keyboard path, and hostile markdown staying inert.
 */
import { signal } from '@preact/signals-core';
import { sendKeys } from '@web/test-runner-commands';
import type { ApprovalDecision } from '../../../src/bridge/types.js';
import { initialChatState, type ChatState, type MessageState } from '../../../src/client/state.js';
import { createLauncher } from '../../../src/ui/launcher.js';
import { mountPanel, type PanelView } from '../../../src/ui/index.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
// The panel renders at most once per 16 ms (src/ui/use-signal.ts), from a
// timer set when the state changes; a 20 ms timer set after that change fires
// after it, by timer order, then Preact's own microtask render has run.
// (Not requestAnimationFrame: a background tab gets no frames, and the runner
// keeps two pages open at once.)
const frame = () => new Promise((r) => setTimeout(r, 20)).then(() => new Promise((r) => setTimeout(r, 0)));

function fakeSession(state: Partial<ChatState> = {}) {
  const calls: { send: string[]; cancel: number; retry: number; approve: [string, ApprovalDecision][] } = {
    send: [],
    cancel: 0,
    retry: 0,
    approve: [],
  };
  const s = signal<ChatState>({ ...initialChatState(), ...state });
  return {
    calls,
    state: s,
    send: (text: string) => calls.send.push(text),
    cancel: () => calls.cancel++,
    retry: () => calls.retry++,
    approve: (id: string, d: ApprovalDecision) => calls.approve.push([id, d]),
  };
}

const assistant = (id: string, text: string, streaming = false): MessageState => ({
  id,
  role: 'assistant',
  createdAt: 0,
  streaming,
  parts: [{ type: 'text', id: `${id}-t`, text, done: !streaming, rewrites: 0 }],
});

const sheets = (r: ShadowRoot): number => r.adoptedStyleSheets.length;
let host: HTMLElement;
let root: ShadowRoot;
let view: PanelView | undefined;
function setup() {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = host.attachShadow({ mode: 'open' });
}
afterEach(() => {
  view?.destroy();
  view = undefined;
  host.remove();
});

describe('ui panel', () => {
  it('is a labelled dialog with a log; the launcher paints without Preact', async () => {
    setup();
    const launcher = createLauncher(root, { label: 'Open chat', corner: 'bottom-left', onToggle: () => {} });
    check(launcher.element.getAttribute('aria-label') === 'Open chat', 'launcher label');
    check(sheets(root) === 1, 'launcher styles adopted');
    const session = fakeSession({ welcomeMessage: 'Hi! Ask me about our shoes.', placeholder: 'Ask about shoes' });
    view = mountPanel(root, { session, options: { title: 'Shoe help', strings: { send: 'Go' } } });
    await frame();
    const dialog = root.querySelector('[role=dialog]')!;
    check(dialog, 'dialog');
    const label = root.getElementById(dialog.getAttribute('aria-labelledby')!);
    check(label?.textContent === 'Shoe help', 'dialog labelled by its title');
    check(root.querySelector('[role=log]'), 'log');
    check(root.querySelector('textarea')!.placeholder === 'Ask about shoes', 'placeholder from init');
    check(dialog.textContent!.includes('Hi! Ask me about our shoes.'), 'welcome message');
    check(
      [...root.querySelectorAll('button')].some((b) => b.textContent === 'Go'),
      'strings overridable',
    );
    check(sheets(root) === 2, 'panel styles adopted');
    check(!root.querySelector('style'), 'no style element');
  });

  it('keyboard: Enter sends, Shift+Enter is a new line, Escape closes and focus returns to the launcher', async () => {
    setup();
    const session = fakeSession();
    let closed = 0;
    const launcher = createLauncher(root, { label: 'Open chat', onToggle: () => {} });
    view = mountPanel(root, {
      session,
      onClose: () => {
        closed++;
        view!.setOpen(false);
        launcher.setOpen(false);
        launcher.element.focus();
      },
    });
    await frame();
    const input = root.querySelector('textarea')!;
    check(root.activeElement === input, 'the message box has focus on open');
    await sendKeys({ type: 'first line' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'second' });
    check(input.value === 'first line\nsecond', `shift+enter newline, got ${JSON.stringify(input.value)}`);
    check(session.calls.send.length === 0, 'nothing sent yet');
    await sendKeys({ press: 'Enter' });
    check(session.calls.send[0] === 'first line\nsecond', 'Enter sends');
    check(String(input.value) === '', 'cleared after send');
    await sendKeys({ press: 'Escape' });
    await frame();
    check(closed === 1, 'Escape closes');
    check(root.querySelector<HTMLElement>('[role=dialog]')!.hidden, 'dialog hidden');
    check(root.activeElement === launcher.element, 'focus back on the launcher');
  });

  it('a message the session refuses before it leaves goes back into the message box', async () => {
    setup();
    const session = fakeSession();
    const refused: string[] = [];
    const warn = console.warn;
    console.warn = () => {};
    try {
      session.send = (text: string) => {
        refused.push(text);
        return Promise.reject(new Error('Another tab of this site is answering.')) as never;
      };
      view = mountPanel(root, { session });
      await frame();
      const input = root.querySelector('textarea')!;
      input.focus();
      await sendKeys({ type: 'two bags of Huila' });
      await sendKeys({ press: 'Enter' });
      check(refused[0] === 'two bags of Huila', 'the panel asked the session to send it');
      for (let i = 0; i < 50 && input.value === ''; i++) await frame();
      check(input.value === 'two bags of Huila', `the words are back, got ${JSON.stringify(input.value)}`);
    } finally {
      console.warn = warn;
    }
  });

  it('Stop while streaming; errors show their hint and Retry', async () => {
    setup();
    const session = fakeSession({ status: 'streaming', messages: [assistant('a1', 'Hel', true)] });
    view = mountPanel(root, { session });
    await frame();
    check(root.querySelector('[role=log]')!.getAttribute('aria-busy') === 'true', 'log busy while streaming');
    const stop = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Stop')!;
    stop.click();
    check(session.calls.cancel === 1, 'stop cancels');
    const { ChatError } = await import('../../../src/client/errors.js');
    session.state.value = {
      ...session.state.value,
      status: 'error',
      messages: [assistant('a1', 'Hello there.')],
      draft: 'my question',
      error: new ChatError({ code: 'network', hint: 'Could not reach the chat service.', retryable: true }),
    };
    await frame();
    const alert = root.querySelector('[role=alert]')!;
    check(alert.textContent!.includes('Could not reach the chat service.'), 'hint shown');
    check(root.querySelector('textarea')!.value === 'my question', 'what was typed is back');
    [...alert.querySelectorAll('button')].find((b) => b.textContent === 'Retry')!.click();
    check(session.calls.retry === 1, 'retry');
    check(root.querySelector('[data-testid=announcer]')!.textContent === 'Hello there.', 'finished message announced once');
  });

  it('a very long finished answer is announced in part, cut at a word, and shown whole', async () => {
    setup();
    const words = 'the lamp ships in two days and the desk in five. ';
    const long = words.repeat(20_000);
    // Streamed text only grows: the answer so far is the start of the whole.
    const session = fakeSession({ status: 'streaming', messages: [assistant('a1', long.slice(0, 3), true)] });
    view = mountPanel(root, { session });
    await frame();
    session.state.value = { ...session.state.value, status: 'idle', messages: [assistant('a1', long)] };
    const said = root.querySelector('[data-testid=announcer]')!;
    for (let i = 0; i < 100 && !said.textContent; i++) await frame();
    const text = said.textContent!;
    check(text.length > 3000 && text.length <= 4001, `a part is said (${text.length} chars)`);
    check(text.endsWith('…') && long.startsWith(text.slice(0, -1)), 'the start of the answer, then an ellipsis');
    check(long[text.length - 1] === ' ', 'cut where a word ends');
    const md = root.querySelector('.wmc-md')!;
    for (let i = 0; i < 500 && md.textContent!.length < long.trim().length; i++) await frame();
    check(md.textContent === long.trim(), `the whole answer is in the log (${md.textContent!.length} of ${long.trim().length} chars)`);
  });

  it('tool cards and the approval card are operable by keyboard', async () => {
    setup();
    const session = fakeSession({
      status: 'awaiting-approval',
      messages: [
        {
          id: 'm1',
          role: 'assistant',
          createdAt: 0,
          streaming: true,
          parts: [
            { type: 'tool-call', toolCallId: 'c1' },
            { type: 'tool-call', toolCallId: 'c2' },
          ],
        },
      ],
      toolCalls: {
        c1: {
          id: 'c1',
          name: 'search_products',
          arguments: { q: 'red shoes' },
          kind: 'client',
          status: 'running',
          origin: 'webmcp',
          // A tool from another site (a frame) says whose it is; the page's own need not.
          pageOrigin: 'https://widgets.example',
          startedAt: Date.now() - 1500,
          untrusted: true,
          truncated: false,
        },
        c2: {
          id: 'c2',
          name: 'add_to_cart',
          title: 'Add to cart',
          arguments: { sku: 'A1' },
          kind: 'client',
          status: 'awaiting-approval',
          untrusted: false,
          truncated: false,
        },
      },
      pendingApprovals: [
        {
          toolCallId: 'c2',
          toolName: 'add_to_cart',
          title: 'Add to cart',
          description: 'Adds an item',
          arguments: { sku: 'A1' },
          // Asked by the host's confirmTools: "Always allow" is offered (not for consequential tools).
          reason: 'policy',
          requestedAt: 0,
        },
      ],
    });
    view = mountPanel(root, { session });
    await frame();
    const card = root.querySelector('.wmc-card[data-status=running]')!;
    check(card.textContent!.includes('Search products') && card.textContent!.includes('widgets.example'), 'readable name and host');
    check(card.querySelector('.wmc-untrusted'), 'untrusted mark');
    check(card.querySelector('details:not([open])'), 'arguments collapsed');
    const before = card.querySelector('.wmc-elapsed')!.textContent;
    await new Promise((r) => setTimeout(r, 450));
    check(card.querySelector('.wmc-elapsed')!.textContent !== before, 'elapsed time is live');
    // Tab from the message box backwards to the approval buttons, then press.
    const buttons = [...root.querySelectorAll<HTMLButtonElement>('.wmc-approval button')];
    check(buttons.map((b) => b.textContent).join('|') === 'Allow once|Always allow on this site|Decline', 'three choices');
    buttons[0]!.focus();
    await sendKeys({ press: 'Tab' });
    check(root.activeElement === buttons[1], 'Tab reaches Always allow');
    await sendKeys({ press: 'Tab' });
    check(root.activeElement === buttons[2], 'Tab reaches Decline');
    await sendKeys({ press: 'Enter' });
    check(session.calls.approve[0]?.[0] === 'c2' && session.calls.approve[0]?.[1] === 'decline', 'Decline by keyboard');
    buttons[1]!.focus();
    await sendKeys({ press: 'Space' });
    check(session.calls.approve[1]?.[1] === 'always-allow', 'Always allow by keyboard');
  });

  it('hostile markdown renders inert: no script runs, no request leaves', async () => {
    setup();
    const violations: string[] = [];
    const onViolation = (e: SecurityPolicyViolationEvent) => violations.push(e.blockedURI);
    document.addEventListener('securitypolicyviolation', onViolation);
    const w = window as unknown as { __pwned?: number };
    w.__pwned = 0;
    const requested: string[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) requested.push(entry.name);
    });
    observer.observe({ type: 'resource', buffered: false });
    const added: string[] = [];
    const mutations = new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) added.push(node.tagName);
    });
    const probe = `${location.origin}/__probe-${Date.now()}`;
    const hostile = [
      '<script>window.__pwned=1</script>',
      `<img src="${probe}-a.png" onerror="window.__pwned=2">`,
      '<svg onload="window.__pwned=3">',
      '<iframe src="javascript:window.__pwned=4"></iframe>',
      `![remote](${probe}-b.png)`,
      `![remote](https://images.example/c.png)`,
      '[click](javascript:window.__pwned=5)',
      '[x](JaVaScRiPt:window.__pwned=6)',
      '[x](data:text/html,<script>parent.__pwned=7</script>)',
      '<a href="javascript:window.__pwned=8">a</a>',
      '`<img src=x onerror=window.__pwned=9>`',
      '```html\n<script>window.__pwned=10</script>\n```',
      '[ok](https://shop.example/p)',
      '\u202eevil \u200b text',
    ].join('\n\n');
    const session = fakeSession({ messages: [assistant('h1', hostile)] });
    view = mountPanel(root, { session });
    mutations.observe(root, { childList: true, subtree: true });
    // Stream it too: token by token into a second message.
    const stream = assistant('h2', '', true);
    session.state.value = { ...session.state.value, messages: [...session.state.value.messages, stream] };
    for (let i = 0; i < hostile.length; i += 7) {
      const text = hostile.slice(0, i + 7);
      session.state.value = {
        ...session.state.value,
        messages: [session.state.value.messages[0]!, { ...stream, parts: [{ type: 'text', id: 'h2-t', text, done: false, rewrites: 0 }] }],
      };
      await Promise.resolve();
    }
    await frame();
    await new Promise((r) => setTimeout(r, 300));
    observer.disconnect();
    mutations.disconnect();
    document.removeEventListener('securitypolicyviolation', onViolation);
    check(w.__pwned === 0, `script ran: ${w.__pwned}`);
    check(violations.length === 0, `CSP violations: ${violations.join(', ')}`);
    const leaked = requested.filter((u) => u.includes('__probe') || u.includes('images.example'));
    check(leaked.length === 0, `requests left: ${leaked.join(', ')}`);
    const bad = ['SCRIPT', 'IMG', 'IFRAME', 'SVG', 'svg', 'STYLE', 'OBJECT', 'EMBED'];
    check(!added.some((t) => bad.includes(t)), `unexpected elements: ${added.join(',')}`);
    const log = root.querySelector('[role=log]')!;
    check(!log.querySelector('script,img,iframe,object,embed'), 'no active elements in the log');
    for (const el of log.querySelectorAll('*')) {
      for (const a of el.attributes) check(!a.name.startsWith('on'), `event attribute ${a.name}`);
      if (el.tagName === 'A') {
        check(/^(https?:|mailto:)/.test(el.getAttribute('href') ?? ''), `href ${el.getAttribute('href')}`);
        check(el.getAttribute('rel') === 'noopener noreferrer' && el.getAttribute('target') === '_blank', 'rel/target');
      }
    }
    check(log.textContent!.includes('<script>window.__pwned=1</script>'), 'raw HTML shown as text');
    check(log.querySelectorAll('.md-img').length >= 4, 'images are placeholders');
  });
});
