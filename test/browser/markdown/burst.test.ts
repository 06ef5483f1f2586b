/**
 * A burst (text that arrived faster than frames came) is painted over several
 * tasks, and the answer ends up exactly as if it had been rendered in one go,
 * checked in real Chromium on the pathological one-line answers.
 */
import { h, render } from 'preact';
import { MarkdownView } from '../../../src/ui/markdown-view.js';
import { renderMarkdown } from '../../../src/ui/markdown/stream.js';
import { PANEL_CSS } from '../../../src/ui/styles.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// Enough to take many tasks; the bench has the megabyte.
const SIZE = 256 * 1024;
/** Each answer, and the direction the view gives it (none: no letter to go by, so the page's own). */
const ANSWERS: Record<string, [text: string, dir: string]> = {
  'one line of <img> markup': ['<img src="https://shop.example/p.png" alt="a product" onerror="x()"> '.repeat(SIZE / 70), 'ltr'],
  'one line of plain text': ['x'.repeat(SIZE), 'ltr'],
  'one line of links and emphasis': [
    '[a *link*](https://shop.example/p) **bold _words_** `code` ![i](https://x.example/i.png) '.repeat(SIZE / 88),
    'ltr',
  ],
  // No letter at all: with dir="auto" Chromium searched the whole answer for one after every slice.
  'thousands of openers, no letter': ['![ [ * _ ` '.repeat(SIZE / 11), ''],
  'right-to-left': [`${'** [ '.repeat(SIZE / 20)}שלום עולם **מודגש** `.repeat(4), 'rtl'],
  // Thousands of blocks, lists and quotes among them that go on arriving after they are first shown.
  'an answer of many blocks': [
    Array.from(
      { length: SIZE / 128 },
      (_, i) =>
        `## Part ${i}\n\nSome *words* about part ${i}.\n\n- one\n- two\n  - deeper ${i}\n\n> quoted ${i}\n> more\n\n\`\`\`\ncode ${i}\n\`\`\`\n\n1. first\n2. second\n`,
    ).join('\n'),
    'ltr',
  ],
};

/** Waits, a task at a time, until `condition` holds. */
async function until(condition: () => boolean, what: string, tasks = 5000): Promise<void> {
  for (let i = 0; i < tasks; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error(`never happened: ${what}`);
}

let host: HTMLElement;
before(() => {
  // The panel's rules: a long paragraph is laid out in chunks, as in the widget.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PANEL_CSS);
  document.adoptedStyleSheets = [sheet];
});
beforeEach(() => {
  host = document.body.appendChild(document.createElement('div'));
  host.style.cssText = 'width:420px;height:600px;overflow:auto';
});
afterEach(() => {
  render(null, host);
  host.remove();
});

/**
 * The same DOM, up to where a run of text is split into adjacent Text nodes
 * (a slice can end mid-run; it reads and renders the same).
 */
function sameDom(el: Element, expected: Element): boolean {
  if (el.textContent !== expected.textContent) return false;
  const [a, b] = [el.cloneNode(true), expected.cloneNode(true)];
  a.normalize();
  b.normalize();
  return a.isEqualNode(b);
}

function oneShot(text: string, dir: string): HTMLElement {
  const expected = document.createElement('div');
  expected.className = 'wmc-md';
  if (dir) expected.dir = dir;
  renderMarkdown(expected, text, { imageLabel: (alt) => `[Image${alt ? `: ${alt}` : ''}]` });
  return expected;
}

const view = (text: string, done: boolean) => h(MarkdownView, { text, done, imageLabel: 'Image' });

describe('a burst of markdown', () => {
  for (const [name, [text, dir]] of Object.entries(ANSWERS)) {
    it(`${name}, ${text.length >> 10} KiB at once: painted over several tasks, the same DOM as rendered whole`, async function () {
      this.timeout(60_000);
      render(view(text, true), host);
      const el = host.querySelector('.wmc-md')!;
      const first = el.textContent?.length ?? 0;
      check(first > 0 && first < text.length / 2, `the first task painted part of it (${first} chars)`);
      check(el.getAttribute('aria-busy') === 'true', 'busy while catching up');
      const expected = oneShot(text, dir);
      await until(() => !el.hasAttribute('aria-busy'), 'no longer busy');
      check(sameDom(el, expected), 'the same DOM as rendered whole');
    });
  }

  it('text that grows while a burst is still being painted ends the same as rendered whole', async function () {
    this.timeout(60_000);
    const [text, dir] = ANSWERS['one line of links and emphasis']!;
    const cuts = [30_000, 30_001, 100_000, 200_000, text.length];
    for (const cut of cuts) {
      render(view(text.slice(0, cut), cut === text.length), host);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const el = host.querySelector('.wmc-md')!;
    await until(() => sameDom(el, oneShot(text, dir)), 'the same DOM as rendered whole');
  });
});
