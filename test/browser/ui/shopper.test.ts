/**
 * The panel as a shopper meets it, in real Chromium over a fake session:
 * what the approval card says, where focus goes after each decision, what
 * the live region announces, axe-core over every state, the copy on errors
 * and failed sends, the typing indicator, and the small-screen layout on a
 * host page wider than the screen.
 */
import { signal } from '@preact/signals-core';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import type { ApprovalDecision } from '../../../src/bridge/types.js';
import { ChatError } from '../../../src/client/errors.js';
import {
  initialChatState,
  type ChatState,
  type MessageState,
  type PendingApproval,
  type ToolCallState,
} from '../../../src/client/state.js';
import { createLauncher } from '../../../src/ui/launcher.js';
import { mountPanel, type PanelOptions, type PanelView } from '../../../src/ui/index.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Polls a condition (the panel paints on its own schedule); fails with `what` after 3 s. */
async function until(condition: () => unknown, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function fakeSession(state: Partial<ChatState> = {}) {
  const approvals: [string, ApprovalDecision][] = [];
  const s = signal<ChatState>({ ...initialChatState(), ...state });
  return {
    approvals,
    state: s,
    send: () => {},
    cancel: () => {},
    retry: () => {},
    approve: (id: string, d: ApprovalDecision) => {
      approvals.push([id, d]);
      // As the real session does: the request is answered and goes away.
      s.value = { ...s.value, pendingApprovals: s.value.pendingApprovals.filter((request) => request.toolCallId !== id) };
    },
    set(patch: Partial<ChatState>) {
      s.value = { ...s.value, ...patch };
    },
  };
}

const user = (id: string, text: string, failed = false): MessageState => ({
  id,
  role: 'user',
  createdAt: 0,
  streaming: false,
  parts: [{ type: 'text', id: `${id}-t`, text, done: true, rewrites: 0 }],
  ...(failed && { failed }),
});
const assistant = (id: string, text: string, streaming = false): MessageState => ({
  id,
  role: 'assistant',
  createdAt: 0,
  streaming,
  parts: text ? [{ type: 'text', id: `${id}-t`, text, done: !streaming, rewrites: 0 }] : [],
});

function approval(id: string, patch: Partial<PendingApproval> = {}): PendingApproval {
  return {
    toolCallId: id,
    toolName: 'checkout',
    title: 'Check out',
    description: 'Place the order and charge the saved card. Ask the shopper before calling.',
    arguments: { shippingMethod: 'express', giftWrap: true },
    pageOrigin: 'https://shop.example',
    reason: 'consequential',
    requestedAt: 0,
    ...patch,
  };
}

function call(id: string, patch: Partial<ToolCallState> = {}): ToolCallState {
  return { id, name: 'add_to_cart', arguments: {}, kind: 'client', status: 'done', untrusted: false, truncated: false, ...patch };
}

let host: HTMLElement;
let root: ShadowRoot;
let view: PanelView | undefined;
function mount(session: ReturnType<typeof fakeSession>, options: PanelOptions = {}, open = true) {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = host.attachShadow({ mode: 'open' });
  view = mountPanel(root, { session, options, open });
  return root;
}
afterEach(async () => {
  view?.destroy();
  view = undefined;
  host?.remove();
  await setViewport({ width: 800, height: 600 });
  await emulateMedia({ reducedMotion: 'no-preference' });
});

const $ = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector);
const buttons = (scope: ParentNode = root) => [...scope.querySelectorAll<HTMLButtonElement>('button')];
const button = (name: string, scope: ParentNode = root) => buttons(scope).find((b) => b.textContent === name);
const announcer = () => $('[data-testid=announcer]')!.textContent ?? '';

describe('the approval card', () => {
  it('one card per call: shopper title, labelled values, the page summary and the host; no model text, no Always allow for checkout', async () => {
    const session = fakeSession({
      status: 'awaiting-approval',
      messages: [{ ...assistant('a1', '', true), parts: [{ type: 'tool-call', toolCallId: 'c1' }] }],
      toolCalls: { c1: call('c1', { name: 'checkout', title: 'Check out', status: 'awaiting-approval' }) },
      pendingApprovals: [approval('c1')],
    });
    mount(session, { approvalSummary: (request) => (request.toolName === 'checkout' ? 'Pay $12.90 to Northbound Coffee' : undefined) });
    await until(() => $('.wmc-approval'), 'the approval card');
    check(root.querySelectorAll('.wmc-card').length === 1, `one card for the call, got ${root.querySelectorAll('.wmc-card').length}`);
    const card = $('.wmc-approval')!;
    const text = card.textContent!;
    check(
      card.getAttribute('aria-labelledby') && root.getElementById(card.getAttribute('aria-labelledby')!)!.textContent === 'Check out',
      'titled',
    );
    check(text.includes('Pay $12.90 to Northbound Coffee'), 'the page summary');
    check(text.includes('shop.example') && !text.includes('https://'), `the host name, got ${text}`);
    const values = [...card.querySelectorAll('dt')].map((dt) => `${dt.textContent}=${dt.nextElementSibling!.textContent}`);
    check(values.join('|') === 'Shipping method=express|Gift wrap=true', `labelled values, got ${values.join('|')}`);
    check(!text.includes('Ask the shopper'), 'the model-facing description stays out');
    check(
      buttons(card)
        .map((b) => b.textContent)
        .join('|') === 'Allow once|Decline',
      'no Always allow for a consequential tool',
    );
  });

  it('offers Always allow for tools the host asked to confirm, and for consequential ones when the host opts in', async () => {
    const session = fakeSession({
      status: 'awaiting-approval',
      pendingApprovals: [approval('c1', { reason: 'policy', title: undefined, toolName: 'add_to_cart' })],
    });
    mount(session);
    await until(() => $('.wmc-approval'), 'the approval card');
    check($('.wmc-card-name')!.textContent === 'Add to cart', 'a readable name without a title');
    check(
      buttons($('.wmc-approval')!)
        .map((b) => b.textContent)
        .join('|') === 'Allow once|Always allow on this site|Decline',
      'three choices for a policy ask',
    );
    view!.destroy();
    host.remove();
    mount(fakeSession({ status: 'awaiting-approval', pendingApprovals: [approval('c2')] }), { alwaysAllowConsequential: true });
    await until(() => $('.wmc-approval'), 'the approval card');
    check(!!button('Always allow on this site'), 'the host opted in');
  });

  it('a throwing approvalSummary is ignored: the card still asks', async () => {
    mount(fakeSession({ status: 'awaiting-approval', pendingApprovals: [approval('c1')] }), {
      approvalSummary: () => {
        throw new Error('host bug');
      },
    });
    await until(() => button('Allow once'), 'the approval card');
    check(!$('.wmc-summary'), 'no summary line');
  });
});

describe('keyboard and screen readers', () => {
  it('focus moves to the next card after a decision, then to the message box; Escape still closes', async () => {
    const session = fakeSession({
      status: 'awaiting-approval',
      pendingApprovals: [approval('c1'), approval('c2', { title: 'Apply coupon', toolName: 'apply_coupon' })],
    });
    host = document.createElement('div');
    document.body.appendChild(host);
    root = host.attachShadow({ mode: 'open' });
    let closed = 0;
    view = mountPanel(root, { session, onClose: () => (closed++, view!.setOpen(false)) });
    await until(() => root.querySelectorAll('.wmc-approval').length === 2, 'two cards');
    button('Allow once', root.querySelectorAll('.wmc-approval')[0]!)!.focus();
    await sendKeys({ press: 'Enter' });
    check(session.approvals[0]?.join() === 'c1,allow-once', 'allowed by keyboard');
    await until(() => root.querySelectorAll('.wmc-approval').length === 1, 'the first card gone');
    await until(() => root.activeElement === button('Allow once', $('.wmc-approval')!), 'focus on the next card');
    const decline = button('Decline')!;
    decline.focus();
    await sendKeys({ press: 'Enter' });
    check(session.approvals[1]?.join() === 'c2,decline', 'declined by keyboard');
    await until(() => root.activeElement === $('textarea'), 'focus on the message box after the last decision');
    check(document.activeElement === host, 'focus stays in the widget, not on <body>');
    await sendKeys({ press: 'Escape' });
    check(closed === 1, 'Escape closes after decisions');
  });

  it('announces approval requests and failed tools politely, once each', async () => {
    const session = fakeSession();
    mount(session);
    await until(() => $('textarea'), 'the panel');
    check($('[data-testid=announcer]')!.getAttribute('aria-live') === 'polite', 'a polite region');
    session.set({ status: 'awaiting-approval', pendingApprovals: [approval('c1')] });
    await until(() => announcer() === 'Needs your approval: Check out', `the approval announced, got "${announcer()}"`);
    session.set({
      status: 'streaming',
      pendingApprovals: [],
      toolCalls: { c2: call('c2', { title: 'Add to cart', status: 'failed', error: 'out of stock' }) },
    });
    await until(() => announcer() === 'Add to cart: Failed', `the failure announced, got "${announcer()}"`);
    session.set({ toolCalls: { ...session.state.value.toolCalls }, messages: [assistant('a1', 'Sorry, it is out of stock.')] });
    await until(() => announcer() === 'Sorry, it is out of stock.', 'the answer announced');
    session.set({ messages: [...session.state.value.messages] });
    await new Promise((r) => setTimeout(r, 50));
    check(announcer() === 'Sorry, it is out of stock.', 'nothing announced twice');
  });
});

describe('copy for shoppers', () => {
  it('a setup error shows a plain sentence; the developer hint goes to the console', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const hint = "This origin is not allowed for this token: add it to the token's allowedOrigins.";
      mount(fakeSession({ status: 'error', error: new ChatError({ code: 'origin_not_allowed', hint, status: 403 }) }));
      await until(() => $('[role=alert]'), 'the alert');
      check(
        $('[role=alert]')!.textContent === 'The chat is not available on this page right now.',
        `shopper copy, got ${$('[role=alert]')!.textContent}`,
      );
      check(!root.textContent!.includes('allowedOrigins'), 'no developer hint in the panel');
      await until(() => warnings.some((w) => w.includes('origin_not_allowed') && w.includes('allowedOrigins')), 'the hint in the console');
    } finally {
      console.warn = warn;
    }
  });

  it('a failed send shows once: back in the message box with Retry, not also in the transcript', async () => {
    const session = fakeSession({
      status: 'error',
      messages: [user('u1', 'is the mug in stock?', true)],
      draft: 'is the mug in stock?',
      error: new ChatError({ code: 'network', hint: 'Could not reach the chat service.', retryable: true }),
    });
    mount(session);
    await until(() => $<HTMLTextAreaElement>('textarea')!.value === 'is the mug in stock?', 'the question back in the box');
    await until(() => !$('.wmc-user'), 'no second copy in the transcript');
    check(!!button('Retry', $('[role=alert]')!), 'a clear Retry');
    // The person types something else: the failed question must stay visible somewhere.
    const box = $<HTMLTextAreaElement>('textarea')!;
    box.value = 'something else';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await until(() => $('.wmc-user')?.textContent === 'is the mug in stock?', 'the failed question shown again');
  });

  it('a typing indicator while waiting for the first words, static under reduced motion', async () => {
    const session = fakeSession({ status: 'connecting', messages: [user('u1', 'hi')] });
    mount(session);
    await until(() => $('.wmc-typing'), 'the typing indicator');
    check($('.wmc-typing')!.getAttribute('aria-label') === 'The assistant is typing', 'named for screen readers');
    const dot = $('.wmc-typing span')!;
    check(getComputedStyle(dot).animationName === 'wmc-dot', 'it moves');
    await emulateMedia({ reducedMotion: 'reduce' });
    check(getComputedStyle(dot).animationName === 'none', 'it stands still under prefers-reduced-motion');
    session.set({ status: 'streaming', messages: [user('u1', 'hi'), assistant('a1', 'Hel', true)] });
    await until(() => !$('.wmc-typing'), 'gone with the first words');
  });
});

describe('small screens', () => {
  it('390×844 on a host page wider than the screen: the whole panel is in view, header and Send included', async () => {
    await setViewport({ width: 390, height: 844 });
    const wide = document.createElement('div');
    wide.style.cssText = 'width:1400px;height:2000px';
    document.body.appendChild(wide);
    try {
      mount(fakeSession());
      await until(() => $('textarea'), 'the panel');
      window.scrollTo(300, 500);
      const vv = window.visualViewport!;
      await until(() => {
        const panel = $('.wmc-panel')!.getBoundingClientRect();
        return Math.round(panel.width) === Math.round(vv.width) && Math.round(panel.height) === Math.round(vv.height);
      }, 'the panel sized to the visual viewport');
      for (const selector of ['.wmc-header', '.wmc-composer button']) {
        const box = $(selector)!.getBoundingClientRect();
        check(
          box.left >= 0 && box.top >= 0 && box.right <= vv.width && box.bottom <= vv.height,
          `${selector} in view: ${JSON.stringify(box)}`,
        );
      }
    } finally {
      wide.remove();
      window.scrollTo(0, 0);
    }
  });
});

describe('axe-core', () => {
  async function axe(): Promise<{ run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: unknown[] }[] }> }> {
    const win = window as unknown as { axe?: unknown };
    if (!win.axe) {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      await new Promise((resolve, reject) => {
        script.onload = resolve;
        script.onerror = reject;
        document.head.append(script);
      });
    }
    return win.axe as never;
  }

  const STATES: [string, Partial<ChatState>, boolean][] = [
    ['closed', {}, false],
    ['open', { welcomeMessage: 'Hi! Ask me anything.' }, true],
    ['streaming', { status: 'streaming', messages: [user('u1', 'hi'), assistant('a1', 'Hello **there**, here is', true)] }, true],
    ['waiting', { status: 'connecting', messages: [user('u1', 'hi')] }, true],
    [
      'approval',
      {
        status: 'awaiting-approval',
        messages: [
          user('u1', 'check out'),
          {
            ...assistant('a1', '', true),
            parts: [
              { type: 'tool-call', toolCallId: 'c0' },
              { type: 'tool-call', toolCallId: 'c1' },
            ],
          },
        ],
        toolCalls: { c0: call('c0', { title: 'Show cart', result: { items: 1 } }), c1: call('c1', { status: 'awaiting-approval' }) },
        pendingApprovals: [approval('c1')],
      },
      true,
    ],
    [
      'error',
      {
        status: 'error',
        messages: [user('u1', 'hi', true)],
        draft: 'hi',
        error: new ChatError({ code: 'network', hint: 'Could not reach the chat service.', retryable: true }),
      },
      true,
    ],
  ];

  it('sees inside the shadow root (a nameless button is reported)', async () => {
    const engine = await axe();
    mount(fakeSession());
    await until(() => $('.wmc-panel'), 'the panel');
    $('.wmc-header')!.append(document.createElement('button'));
    const result = await engine.run(host, { resultTypes: ['violations'] });
    check(
      result.violations.some((v) => v.id === 'button-name'),
      'axe must report the nameless button',
    );
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const [name, state, open] of STATES) {
      it(`${name} (${scheme}): no violations`, async () => {
        const engine = await axe();
        const session = fakeSession(state);
        mount(session, { colorScheme: scheme, title: 'Northbound helper' }, open);
        createLauncher(root, { label: 'Open chat', onToggle: () => {} });
        await until(() => $('.wmc-panel'), 'the panel');
        // Let the open animation finish: colour contrast is measured on what is painted.
        await until(
          () =>
            root.getAnimations?.().length === 0 ||
            $('.wmc-panel')!
              .getAnimations()
              .every((a) => a.playState === 'finished'),
          'animations done',
        );
        const result = await engine.run(host, { resultTypes: ['violations'] });
        const found = result.violations.map((v) => `${v.id} (${v.nodes.length})`);
        check(found.length === 0, `axe violations: ${found.join(', ')}`);
      });
    }
  }
});
