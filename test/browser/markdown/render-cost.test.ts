/**
 * What keeps a frame's cost from growing with the answer, checked in real
 * Chromium: blocks of a long answer that are off screen are skipped by
 * rendering (content-visibility), and come back when scrolled to, with wide
 * code still scrolling sideways.
 */
import { type Signal, signal } from '@preact/signals-core';
import { options, type VNode } from 'preact';
import { initialChatState, type ChatState } from '../../../src/client/state.js';
import { mountPanel, type PanelView } from '../../../src/ui/index.js';
import { Transcript } from '../../../src/ui/transcript.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Resolves once this page is shown: a page behind another (two test pages run at once) renders no frames. */
function shown(): Promise<void> {
  if (document.visibilityState === 'visible') return Promise.resolve();
  return new Promise((resolve) => {
    const onChange = () => {
      if (document.visibilityState !== 'visible') return;
      document.removeEventListener('visibilitychange', onChange);
      resolve();
    };
    document.addEventListener('visibilitychange', onChange);
  });
}

/** Polls `condition` once per rendered frame until it holds, or fails after `frames` rendered frames. */
async function until(condition: () => boolean, what: string, frames = 300): Promise<void> {
  for (let i = 0; i < frames; i++) {
    if (condition()) return;
    // Frames only count while the page is shown: content-visibility is decided when a frame renders.
    await shown();
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

const WIDE = `const line = ${'wide_identifier_'.repeat(20)};`;
const ANSWER = Array.from({ length: 40 }, (_, i) => `## Part ${i}\n\nSome words about part ${i}.\n\n\`\`\`ts\n${WIDE}\n\`\`\`\n`).join(
  '\n',
);

let host: HTMLElement;
let view: PanelView | undefined;
afterEach(() => {
  view?.destroy();
  view = undefined;
  host.remove();
});

function mount(answer = ANSWER, streaming = false, display = 'block'): { root: ShadowRoot; state: Signal<ChatState> } {
  host = document.createElement('div');
  host.style.cssText = `display:${display};width:420px;height:600px`;
  host.setAttribute('inline', '');
  document.body.appendChild(host);
  const root = host.attachShadow({ mode: 'open' });
  const state = signal<ChatState>({
    ...initialChatState(),
    messages: [
      {
        id: 'u1',
        role: 'user',
        createdAt: 0,
        streaming: false,
        parts: [{ type: 'text', id: 'u1-t', text: 'show me code', done: true, rewrites: 0 }],
      },
      {
        id: 'a1',
        role: 'assistant',
        createdAt: 0,
        streaming,
        parts: [{ type: 'text', id: 'a1-t', text: answer, done: !streaming, rewrites: 0 }],
      },
    ],
  });
  view = mountPanel(root, {
    session: { state, send() {}, cancel() {}, retry() {}, approve() {} },
    options: { inline: true },
  } as unknown as Parameters<typeof mountPanel>[1]);
  return { root, state };
}

describe('a long answer', () => {
  it('skips rendering the blocks off screen, and renders them when scrolled to', async function () {
    // It waits on rendered frames, which come slowly on a loaded machine, and none while another test page is
    // in front: a generous bound (below the runner's 120 s per file), not a speed claim.
    this.timeout(100_000);
    const { root } = mount();
    await until(() => root.querySelectorAll('.wmc-md pre').length === 40, 'all 40 code blocks in the DOM');
    const log = root.querySelector<HTMLElement>('.wmc-log')!;
    // A skipped block keeps its box; what is inside it is what goes unrendered.
    const blocks = [...root.querySelectorAll<HTMLElement>('.wmc-md > pre > code')];
    // The log sticks to the end: the first blocks are far above the view.
    await until(() => log.scrollTop > 0, 'the log scrolled to the end');
    const skipped = () => blocks.filter((b) => !b.checkVisibility({ contentVisibilityAuto: true }));
    await until(() => skipped().length > blocks.length / 2, 'most blocks skipped while off screen');
    await until(
      () => blocks.at(-1)!.checkVisibility({ contentVisibilityAuto: true }) && log.scrollHeight - log.scrollTop - log.clientHeight < 2,
      `the end of the answer is shown (${log.scrollTop} + ${log.clientHeight} of ${log.scrollHeight})`,
    );

    const first = root.querySelector<HTMLElement>('.wmc-md pre')!;
    log.scrollTop = 0;
    await until(() => blocks[0]!.checkVisibility({ contentVisibilityAuto: true }), 'the first code block rendered once scrolled to');
    check(first.scrollWidth > first.clientWidth, `wide code overflows its block (${first.scrollWidth} > ${first.clientWidth})`);
    first.scrollLeft = 100;
    await until(() => first.scrollLeft > 0, 'wide code scrolls sideways');
    check(log.scrollWidth <= log.clientWidth, 'the transcript itself does not scroll sideways');
  });

  // A host that mounts the panel hidden and reveals it later: the whole answer is in the DOM before
  // anything was laid out, so the blocks' sizes settle over the first frames after it is shown
  // (content-visibility skips those off screen with no size recorded yet). It still ends at its end.
  it('ends at its end when it was mounted hidden and shown later', async function () {
    this.timeout(100_000);
    const { root } = mount(ANSWER, false, 'none');
    const log = root.querySelector<HTMLElement>('.wmc-log')!;
    await until(() => root.querySelectorAll('.wmc-md pre').length === 40, 'all 40 code blocks in the DOM');
    for (let i = 0; i < 5; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    host.style.display = 'block';
    const atEnd = () => log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    await until(() => log.scrollTop > 0 && atEnd(), `shown to its end (${log.scrollTop} + ${log.clientHeight} of ${log.scrollHeight})`);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    check(atEnd(), `still at its end (${log.scrollTop} + ${log.clientHeight} of ${log.scrollHeight})`);
  });

  it('follows a burst to its end, and leaves a person who scrolled up where they are', async function () {
    this.timeout(100_000);
    const { root, state } = mount(ANSWER.slice(0, 2000), true);
    const log = root.querySelector<HTMLElement>('.wmc-log')!;
    const grow = (text: string) => {
      const [user, answer] = state.value.messages;
      state.value = { ...state.value, messages: [user!, { ...answer!, parts: [{ ...answer!.parts[0]!, text } as never] }] };
    };
    const atEnd = () => log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    await until(() => log.scrollTop > 0 && atEnd(), 'the start of the answer shown to its end');
    // A burst: the rest at once, painted over several tasks.
    grow(ANSWER);
    await until(() => root.querySelectorAll('.wmc-md pre').length === 40 && atEnd(), 'the burst followed to its end');
    log.scrollTop = 0;
    await until(() => log.scrollTop === 0, 'scrolled to the top');
    grow(`${ANSWER}\n\n${ANSWER}`);
    await until(() => root.querySelectorAll('.wmc-md pre').length === 80, 'the second burst painted');
    for (let i = 0; i < 10; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    check(log.scrollTop === 0, `left at the top (scrollTop ${log.scrollTop})`);
  });

  it('a streaming answer grows on screen without a render of the transcript per token, followed to its end', async function () {
    this.timeout(100_000);
    const { root, state } = mount('Start.', true);
    const log = root.querySelector<HTMLElement>('.wmc-log')!;
    const answer = () => root.querySelectorAll('.wmc-md')[0]!.textContent ?? '';
    await until(() => answer() === 'Start.', 'the start painted');
    let transcriptRenders = 0;
    const diffed = options.diffed;
    options.diffed = (vnode: VNode) => {
      if (vnode.type === Transcript) transcriptRenders++;
      diffed?.(vnode);
    };
    try {
      const grow = (text: string, done = false) => {
        const [user, reply] = state.value.messages;
        const part = { ...reply!.parts[0]!, text, done } as never;
        state.value = { ...state.value, messages: [user!, { ...reply!, streaming: !done, parts: [part] }] };
      };
      let text = 'Start.';
      for (let i = 1; i <= 120; i++) {
        text += i % 12 === 0 ? `\n\nParagraph ${i}.` : ` word${i}`;
        grow(text);
        await until(() => answer().endsWith(`${i}.`) || answer().endsWith(`word${i}`), `token ${i} on screen`);
      }
      check(transcriptRenders === 0, `the transcript rendered ${transcriptRenders} times for 120 tokens`);
      const atEnd = () => log.scrollHeight - log.scrollTop - log.clientHeight < 2;
      await until(
        () => log.scrollTop > 0 && atEnd(),
        `followed to its end (${log.scrollTop} + ${log.clientHeight} of ${log.scrollHeight})`,
      );
      // The end of the answer is not only text: the transcript renders it.
      grow(text, true);
      await until(() => transcriptRenders > 0 && log.getAttribute('aria-busy') === 'false', 'the finished answer rendered');
      check(
        root.querySelectorAll('.wmc-md p').length === 11,
        `ten paragraphs after the first: ${root.querySelectorAll('.wmc-md p').length}`,
      );
    } finally {
      options.diffed = diffed;
    }
  });
});
