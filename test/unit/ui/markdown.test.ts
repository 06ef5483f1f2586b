// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { MarkdownStream, renderMarkdown } from '../../../src/ui/markdown/stream';
import { safeHref, safeImageSrc } from '../../../src/ui/markdown/url';
import { direction } from '../../../src/ui/markdown/direction';
import { seededRandom } from '../../support/seeded-random.js';

/** A plain serialisation (no innerHTML): tags, attributes, text. */
function html(node: Node): string {
  let out = '';
  node.childNodes.forEach((n) => {
    if (n.nodeType === 3) out += (n.textContent ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;');
    else if (n instanceof Element) {
      const tag = n.tagName.toLowerCase();
      const attrs = [...n.attributes].map((a) => ` ${a.name}="${a.value}"`).join('');
      out += `<${tag}${attrs}>${html(n)}</${tag}>`;
    }
  });
  return out.replace(/<(br|hr|img)([^>]*)><\/\1>/g, '<$1$2>');
}

const md = (text: string, images?: boolean | string[]) => {
  const el = document.createElement('div');
  renderMarkdown(el, text, { images });
  return html(el);
};

function streamed(text: string, splits: number[]) {
  const el = document.createElement('div');
  const s = new MarkdownStream(el);
  let at = 0;
  for (const cut of splits) {
    s.push(text.slice(at, cut));
    at = cut;
  }
  s.push(text.slice(at));
  s.end();
  return { html: html(el), stats: s.stats };
}

const A = ' target="_blank" rel="noopener noreferrer"';

describe('markdown grammar', () => {
  const cases: [string, string][] = [
    ['hello world', '<p>hello world</p>'],
    ['a\n\nb', '<p>a</p><p>b</p>'],
    ['line one\nline two', '<p>line one<br>line two</p>'],
    [
      '*em* _em_ **strong** __strong__ ***both*** ~~gone~~',
      '<p><em>em</em> <em>em</em> <strong>strong</strong> <strong>strong</strong> <strong><em>both</em></strong> <del>gone</del></p>',
    ],
    ['snake_case_name and 2*3*4', '<p>snake_case_name and 2<em>3</em>4</p>'],
    ['use `a *b* c` here', '<p>use <code>a *b* c</code> here</p>'],
    ['``code with ` tick``', '<p><code>code with ` tick</code></p>'],
    ['\\*not em\\*', '<p>*not em*</p>'],
    // A code span or an escape right after an opener counts before any closer.
    ['*`a* b`', '<p>*<code>a* b</code></p>'],
    ['*\\*a*', '<p><em>*a</em></p>'],
    ['# One\n## Two ##\n###### Six', '<h1>One</h1><h2>Two</h2><h6>Six</h6>'],
    ['#hashtag', '<p>#hashtag</p>'],
    ['> quoted *text*\n> more', '<blockquote><p>quoted <em>text</em><br>more</p></blockquote>'],
    ['> lazy\ncontinued', '<blockquote><p>lazy<br>continued</p></blockquote>'],
    ['- a\n- b\n  - c\n- d', '<ul><li><p>a</p></li><li><p>b</p><ul><li><p>c</p></li></ul></li><li><p>d</p></li></ul>'],
    ['1. one\n2. two', '<ol><li><p>one</p></li><li><p>two</p></li></ol>'],
    ['3) three\n4) four', '<ol start="3"><li><p>three</p></li><li><p>four</p></li></ol>'],
    ['text\n- item', '<p>text</p><ul><li><p>item</p></li></ul>'],
    ['text\n2. not a list', '<p>text<br>2. not a list</p>'],
    ['- a\n\n  more a\n- b', '<ul><li><p>a</p><p>more a</p></li><li><p>b</p></li></ul>'],
    ['```ts\nconst a = 1;\n  <b>x</b>\n```\nafter', '<pre data-lang="ts"><code>const a = 1;\n  &lt;b>x&lt;/b></code></pre><p>after</p>'],
    ['~~~\nunclosed', '<pre><code>unclosed</code></pre>'],
    ['- ```\n  code\n  ```', '<ul><li><pre><code>code</code></pre></li></ul>'],
    ['a\n\n---\n\n* * *', '<p>a</p><hr><hr>'],
    ['[link](https://shop.example/a?b=1 "title")', `<p><a href="https://shop.example/a?b=1"${A}>link</a></p>`],
    [
      '<https://x.example> <me@shop.example>',
      `<p><a href="https://x.example/"${A}>https://x.example</a> <a href="mailto:me@shop.example"${A}>me@shop.example</a></p>`,
    ],
    ['see https://shop.example/p/1.', `<p>see <a href="https://shop.example/p/1"${A}>https://shop.example/p/1</a>.</p>`],
    ['(https://shop.example/a_(b))', `<p>(<a href="https://shop.example/a_(b)"${A}>https://shop.example/a_(b)</a>)</p>`],
    ['hard  \nbreak', '<p>hard<br>break</p>'],
    ['<b>bold</b> &amp; <script>x</script>', '<p>&lt;b>bold&lt;/b> &amp;amp; &lt;script>x&lt;/script></p>'],
    ['**unclosed and *also', '<p>**unclosed and *also</p>'],
    ['[not a link] (x)', '<p>[not a link] (x)</p>'],
    ['trailing   ', '<p>trailing</p>'],
  ];
  for (const [src, want] of cases) it(JSON.stringify(src), () => expect(md(src)).toBe(want));

  it('images: a placeholder link by default, an img only when allowed', () => {
    expect(md('![a cat](https://img.example/cat.png)')).toBe(
      `<p><a href="https://img.example/cat.png"${A} class="md-img">[image: a cat]</a></p>`,
    );
    expect(md('![a cat](https://img.example/cat.png)', true)).toBe(
      '<p><img alt="a cat" loading="lazy" referrerpolicy="no-referrer" src="https://img.example/cat.png"></p>',
    );
    expect(md('![x](https://img.example/cat.png)', ['https://other.example'])).toContain('class="md-img"');
    expect(md('![x](https://img.example/cat.png)', ['https://img.example'])).toContain('<img');
    expect(md('![x](http://img.example/cat.png)', true)).not.toContain('<img');
    expect(md('![x](javascript:alert(1))', true)).toBe('<p><span class="md-img">[image: x]</span></p>');
  });
});

// ---- streaming ----

const SAMPLE = [
  '# Title with *em*',
  '',
  'A paragraph with **bold**, _em_, `code`, ~~del~~ and [a link](https://a.example/x).',
  'Second line https://bare.example/y, and \\*escaped\\*.',
  '',
  '> quote *one*',
  '> - item in quote',
  '',
  '- first **item**',
  '- second',
  '  - nested `x`',
  '',
  '1. one',
  '2. two',
  '',
  '```js',
  'const s = "**no**";',
  '```',
  '',
  '***',
  'Ending with <tags> & entities &amp; *unclosed',
  '- [ ] box',
  '   ## indented heading',
  'last',
].join('\n');

describe('streaming', () => {
  const whole = md(SAMPLE);
  it('gives the same DOM for every split of the text', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = seededRandom(seed);
      const splits: number[] = [];
      for (let at = 0; at < SAMPLE.length; ) {
        at += 1 + Math.floor(r() * (seed % 3 === 0 ? 2 : 12));
        splits.push(at);
      }
      expect(streamed(SAMPLE, splits).html, `seed ${seed}`).toBe(whole);
    }
  });
  it('char by char equals whole', () => {
    expect(
      streamed(
        SAMPLE,
        [...SAMPLE].map((_, i) => i + 1),
      ).html,
    ).toBe(whole);
  });
  it('CRLF and split CR/LF give the same result', () => {
    const crlf = SAMPLE.replace(/\n/g, '\r\n');
    expect(
      streamed(
        crlf,
        [...crlf].map((_, i) => i + 1),
      ).html,
    ).toBe(whole);
  });
  it('a long paragraph is laid out in chunks, the same for any split', () => {
    const text = '<img src=x alt="a"> and **bold** [link](https://a.example) words '.repeat(600);
    const whole = md(text);
    expect(whole.match(/<span class="wmc-chunk">/g)?.length).toBeGreaterThan(3);
    for (const step of [7, 64, 1000]) {
      const cuts = Array.from({ length: Math.floor(text.length / step) }, (_, i) => (i + 1) * step);
      expect(streamed(text, cuts).html, `deltas of ${step}`).toBe(whole);
    }
  });
  it('long hostile segments are cut at the same place whatever the split', () => {
    const hostile = `*open ${'word '.repeat(1500)}${'x'.repeat(6000)} end*`;
    const w = md(hostile);
    expect(
      streamed(
        hostile,
        Array.from({ length: 900 }, (_, i) => (i + 1) * 13),
      ).html,
    ).toBe(w);
  });
});

/** Markdown-ish text over the characters that open, close or escape something, and the block starts. */
function tricky(r: () => number, tokens: number): string {
  const INLINE = '**__``[[]()!<>\\  ab';
  const BLOCK = ['\n', '\n\n', '\n- ', '\n> ', '\n# ', '\n```\n', '\n1. ', '~~', 'https://a.example'];
  let text = '';
  for (let i = 0; i < tokens; i++) {
    text += r() < 0.06 ? BLOCK[Math.floor(r() * BLOCK.length)] : INLINE[Math.floor(r() * INLINE.length)];
  }
  return text;
}

/** Cut points: one character at a time, or random pieces of 1 to `most` characters. */
function pieces(r: () => number, length: number, most: number): number[] {
  const cuts: number[] = [];
  for (let at = 0; at < length; cuts.push(at)) at += most === 1 ? 1 : 1 + Math.floor(r() * most);
  return cuts;
}

describe('what streaming settles is what the whole render gives', () => {
  it('the minimal case: a code span closed after an emphasis look-ahead ran past its opener', () => {
    const whole = md('*[`* *`');
    expect(whole).toBe('<p>*[<code>* *</code></p>');
    expect(streamed('*[`* *`', [6]).html).toBe(whole);
  });
  it('the same for a link whose brackets pair around a code span not yet closed', () => {
    const text = '[`a](https://x.example) b`';
    const whole = md(text);
    expect(whole).toBe('<p>[<code>a](https://x.example) b</code></p>');
    expect(streamed(text, [text.length - 1]).html).toBe(whole);
  });
  // A `[` whose `]` lies more than SEGMENT characters on: a stream that has not seen the `]` yet
  // cuts anyway at the forced cut, which here falls inside a code span. The whole text cuts there
  // too, instead of taking the clean points it sees only because it sees the `]`.
  it('the minimal long case: a bracket paired past the forced cut', () => {
    const text = `[a${' b'.repeat(510)} \`x y\`] d`;
    const whole = md(text);
    expect(whole).toContain(' b `x y`] d</p>');
    for (let at = 1020; at < text.length; at++) expect(streamed(text, [at]).html, `split at ${at}`).toBe(whole);
  });
  // Once the known gap: the bracket pass took the backtick inside the address for a code span
  // opener, closed by the first backtick of `x y`, so from the top it hid `[a]`: unpaired, no clean
  // point after it, and the forced cut, decided from that parse, fell inside `x y`. A stream that
  // cut before the `[` pairs it and keeps `x y` whole. Now the pass reads the address as the parser
  // does, and a forced cut is taken only when the text from the last cut shows no clean point in time.
  it('a backtick inside a bare address, then a bracket pair and a page of text', () => {
    const text = `https://a.example/\`x [a]${' b'.repeat(509)} \`x y\` c`;
    const whole = md(text);
    expect(whole).toContain(' b <code>x y</code> c</p>');
    expect(streamed(text, pieces(seededRandom(1), text.length, 1)).html).toBe(whole);
    for (let at = 1; at < text.length; at += 7) expect(streamed(text, [at]).html, `split at ${at}`).toBe(whole);
  });
  it('the same behind an autolink and a link destination', () => {
    for (const atom of ['<https://a.example/`x>', '<mailto:a`x@b.example>', '[l](https://a.example/`x)', '[l](a`x)']) {
      const text = `${atom} [a]${' b'.repeat(509)} \`x y\` c`;
      const whole = md(text);
      expect(whole, atom).toContain(' b <code>x y</code> c</p>');
      expect(streamed(text, pieces(seededRandom(2), text.length, 1)).html, atom).toBe(whole);
    }
  });
  // A backslash before a newline is a hard break, and the break trims the blanks before it. A
  // stream that cut before the backslash (after the blank, a clean point) had already settled the
  // blank; the whole text trimmed it. Found by streaming long multi-line documents.
  it('the minimal case: a blank before a backslash hard break, cut before the backslash', () => {
    const text = 'one \\\ntwo';
    const whole = md(text);
    expect(whole).toBe('<p>one<br>two</p>');
    for (let at = 0; at <= text.length; at++) expect(streamed(text, [at]).html, `split at ${at}`).toBe(whole);
  });
  // Once the known gap (found among 100 long paragraphs of seed 11, shrunk): the whole text showed
  // `[]()` as text, a stream that had not yet seen the last backtick took it for an empty link
  // (shown as nothing). The emphasis look-ahead read every backtick as a code span opener: it took
  // the one inside the address `http://\`` for a span closed by the next, so it stepped over the
  // backtick after that, which opens a span to the last one, and closed the emphasis at the `*`
  // inside it. The parser, bounded by the emphasis, showed that backtick as text; the bracket pass
  // saw its span and hid `[]()`, which a stream without the last backtick paired. Now the
  // look-ahead reads addresses, autolinks and link destinations as the parser and the pass do: the
  // span is one, so that `*` is text and `[]()* \` code (code spans bind tighter than emphasis).
  it('an address between backtick runs inside emphasis, then an empty link', () => {
    const text = '*`_``b`a``<``*`(`_``` ``` `[`_*` `http://` `[]()* \\` >';
    const whole = md(text);
    expect(whole).toContain('</a> <code>[]()* \\</code> ></p>');
    for (let at = 1; at < text.length; at++) expect(streamed(text, [at]).html, `split at ${at}`).toBe(whole);
  });
  it('the same for backtick runs around addresses, autolinks and link destinations inside emphasis', () => {
    for (const mark of ['*', '_', '**']) {
      for (const ticks of ['`', '``', '```']) {
        const atoms = [
          `http://${ticks}`,
          `https://a.example/${ticks}x`,
          `<https://a.example/${ticks}x>`,
          `<mailto:a${ticks}b@c.example>`,
          `[l](a${ticks}x)`,
        ];
        for (const atom of atoms) {
          for (const brackets of ['[]()', '[a](https://b.example)', '![x]()']) {
            const text = `${mark}x ${atom} ${ticks}${brackets}${mark} \\${ticks} >`;
            const whole = md(text);
            expect(whole, text).toContain(`<code>${brackets}${mark} \\</code> ></p>`);
            for (let at = 1; at < text.length; at++) expect(streamed(text, [at]).html, `${text} split at ${at}`).toBe(whole);
          }
        }
      }
    }
  });
  it('thousands of generated documents, each streamed in several splits', () => {
    const r = seededRandom(20261126);
    const failures: string[] = [];
    for (let n = 0; n < 2500; n++) {
      const text = tricky(r, n % 50 === 49 ? 300 : 1 + Math.floor(r() * 24));
      const whole = md(text);
      for (const most of [1, 3, 16]) {
        if (streamed(text, pieces(r, text.length, most)).html !== whole) {
          failures.push(`${JSON.stringify(text)} in pieces of up to ${most}`);
          break;
        }
      }
    }
    expect(failures.slice(0, 5), `${failures.length} of 2500 documents stream to another DOM`).toEqual([]);
  });
  /** How many of `count` long paragraphs (seed 7) stream to another DOM than their whole render. */
  function longParagraphFailures(count: number): string[] {
    const r = seededRandom(7);
    const failures: string[] = [];
    for (let n = 0; n < count; n++) {
      const text = tricky(r, 3000).replace(/\n+/g, ' ');
      const whole = md(text);
      for (const most of [20]) {
        if (streamed(text, pieces(r, text.length, most)).html !== whole) {
          failures.push(`${JSON.stringify(text)} in pieces of up to ${most}`);
          break;
        }
      }
    }
    return failures;
  }

  it('long generated paragraphs, past the length where a segment is cut anyway', () => {
    const failures = longParagraphFailures(4);
    expect(failures.slice(0, 2), `${failures.length} of 4 documents stream to another DOM`).toEqual([]);
  });

  // Once the known gap: a stream that ran SEGMENT characters past its last cut without seeing a
  // clean point cut anyway, while the whole text took clean points a look-ahead from further on
  // decided (a `[` paired a page later). Now neither takes a clean point shown that late.
  it('all of twelve long generated paragraphs stream as they render whole', () => {
    const failures = longParagraphFailures(12);
    expect(failures.slice(0, 2), `${failures.length} of 12 documents stream to another DOM`).toEqual([]);
  });
});

describe('linear work', () => {
  function work(text: string) {
    const cuts = Array.from({ length: Math.ceil(text.length / 4) }, (_, i) => (i + 1) * 4);
    return streamed(text, cuts).stats;
  }
  const body = (n: number) => {
    let s = '';
    for (let i = 0; s.length < n; i++) {
      s +=
        i % 5 === 0
          ? `## Part ${i}\n\n`
          : i % 5 === 1
            ? '- an *item* with `code`\n- another [link](https://a.example)\n\n'
            : i % 5 === 2
              ? '```\nlet x = 1;\n```\n\n'
              : `${'Some words with **bold text** and _soft_ words, then more plain words to read. '.repeat(4)}\n\n`;
    }
    return s;
  };
  it('inline work per character stays flat as the message doubles', () => {
    const a = work(body(20_000));
    const b = work(body(40_000));
    const c = work(body(80_000));
    const perChar = (s: { inlineChars: number; chars: number }) => s.inlineChars / s.chars;
    expect(perChar(b)).toBeLessThan(perChar(a) * 1.15);
    expect(perChar(c)).toBeLessThan(perChar(a) * 1.15);
    expect(perChar(c)).toBeLessThan(40);
  });
  it('one endless paragraph and one endless word stay bounded per delta', () => {
    for (const text of [
      'word '.repeat(3000),
      'x'.repeat(15_000),
      '*'.repeat(15_000),
      '*a '.repeat(5000),
      '[x '.repeat(5000),
      '`a '.repeat(5000),
      `# ${'h'.repeat(15_000)}`,
    ]) {
      const s = work(text);
      expect(s.inlineChars / s.chars, text.slice(0, 6)).toBeLessThan((6 * 1024) / 4 + 10);
    }
  });
  describe('pathological input stays linear, whatever the delta size', () => {
    const IMG = '<img src=x onerror="alert(1)" alt="a picture"> ';
    const fill = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length));
    const INPUTS: [string, (n: number) => string][] = [
      ['one line of <img> markup', (n) => fill(IMG, n)],
      ['one unbroken line', (n) => 'x'.repeat(n)],
      ['thousands of image openers', (n) => fill('![', n)],
      ['thousands of link openers', (n) => fill('[a ', n)],
      ['nested brackets never closed', (n) => fill('[', n)],
      ['unclosed emphasis runs', (n) => fill('*a _b **c ', n)],
      ['unclosed code spans', (n) => fill('`a ``b ', n)],
      ['emphasis and links around code spans never closed', (n) => fill('*[`a* [`b](x) ', n)],
      ['an address ending in parentheses', (n) => `see https://a.example/${')'.repeat(n)}`],
      // Each clean point inside shows only past SEGMENT characters: checked, then cut anyway.
      ['brackets paired a page later', (n) => fill(`[a${' b'.repeat(600)}] `, n)],
      // The bracket pass reads addresses, autolinks and link destinations; their backticks are not
      // openers. Read any other way, each bracket pair after one is seen from its own cut only.
      ['addresses with backticks, each before a bracket pair', (n) => fill('https://a.example/`x [a] ', n)],
      [
        'addresses with backticks between brackets paired far on',
        (n) => {
          const k = Math.ceil(n / 32);
          return `${'[x https://a/`y '.repeat(k)}${']'.repeat(k)}`;
        },
      ],
      ['link destinations with backticks, each before a bracket pair', (n) => fill('[l](a`b) [a] ', n)],
      ['autolinks with backticks, each before a bracket pair', (n) => fill('<mailto:a`b@c.d> [a] ', n)],
      ['thousands of autolink openers and backticks', (n) => fill('<`a ', n)],
    ];
    /** Inline work per character fed, in deltas of `size` (0: all at once). */
    function perChar(text: string, size: number): number {
      const el = document.createElement('div');
      const s = new MarkdownStream(el);
      for (let at = 0; at < text.length; at += size || text.length) s.push(text.slice(at, at + (size || text.length)));
      s.end();
      return s.stats.inlineChars / s.stats.chars;
    }
    for (const [name, make] of INPUTS) {
      it(name, () => {
        for (const size of [64, 8192, 0]) {
          const small = perChar(make(32_768), size);
          const big = perChar(make(131_072), size);
          // Flat as the text quadruples (quadratic work would grow 4×), and bounded.
          expect(big, `${name}, deltas of ${size || 'all'}`).toBeLessThan(small * 1.15 + 1);
          expect(big, `${name}, deltas of ${size || 'all'}`).toBeLessThan((6 * 1024) / 64 + 10);
        }
      });
    }
    // The dearest input known (src/ui/markdown/README.md): after each `(<` the autolink check reads
    // ahead once past the window, so its work is above the window bound, but it stays flat.
    it('the dearest input known, thousands of [a](< and a backtick in 64-char deltas', () => {
      const unit = '[a](<`';
      const small = perChar(fill(unit, 8192), 64);
      const big = perChar(fill(unit, 32_768), 64);
      expect(big).toBeLessThan(small * 1.15 + 1);
      expect(big).toBeLessThan((2 * 6 * 1024) / 64 + 10);
    });
    it('a megabyte that arrives at once is parsed in windows, not once per cut', () => {
      expect(perChar('x'.repeat(1 << 20), 0)).toBeLessThan(4);
      expect(perChar(fill(IMG, 1 << 20), 0)).toBeLessThan(4);
    });
    it('deep nesting is capped, so later lines do not walk a deep chain', () => {
      for (const text of [`${'> '.repeat(5000)}x`, `${'- '.repeat(5000)}y`, `${fill('> - 1. ', 30_000)}z`]) {
        const el = document.createElement('div');
        renderMarkdown(el, text);
        let depth = 0;
        for (let node: Element | null = el; node; node = node.lastElementChild) depth++;
        expect(depth, text.slice(0, 6)).toBeLessThan(60);
        expect(el.textContent!.length).toBeGreaterThan(0);
      }
    });
  });
  it('long code streams by appending only', () => {
    const s = work(`\`\`\`\n${'line of code;\n'.repeat(5000)}\`\`\`\n`);
    expect(s.inlineChars).toBe(0);
  });
});

// ---- safety ----

const HOSTILE_HREFS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  ' javascript:alert(1)',
  'javascript&colon;alert(1)',
  '&#106;avascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:image/svg+xml;base64,PHN2Zz4=',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '//evil.example/x',
  '/relative/path',
  'relative',
  '#frag',
  'https:evil.example',
  'https:\\\\evil.example',
  'https:/\\evil.example',
  'http://shop.example@evil.example/',
  'https://user:pw@evil.example',
  'https://evil\u200b.example',
  'https://\u202eelpmaxe.live',
  'https://a.example/\u0000x',
  'blob:https://a.example/uuid',
  'about:blank',
  'chrome://settings',
  'ftp://a.example',
  'ws://a.example',
  'mailto:/\\/evil',
  '\u0001javascript:alert(1)',
  'javascript://%0aalert(1)',
  'https://',
  'http://:80',
];

describe('link safety', () => {
  for (const href of HOSTILE_HREFS) it(`refuses ${JSON.stringify(href)}`, () => expect(safeHref(href)).toBeNull());
  for (const [href, want] of [
    ['https://shop.example/a', 'https://shop.example/a'],
    ['HTTP://Shop.Example', 'http://shop.example/'],
    ['mailto:help@shop.example', 'mailto:help@shop.example'],
  ])
    it(`keeps ${href}`, () => expect(safeHref(href!)).toBe(want));
  it('images need an opt-in and https', () => {
    expect(safeImageSrc('https://i.example/a.png', undefined)).toBeNull();
    expect(safeImageSrc('https://i.example/a.png', [])).toBeNull();
    expect(safeImageSrc('https://i.example/a.png', ['https://i.example'])).toBe('https://i.example/a.png');
  });

  const ALLOWED = new Set([
    'P',
    'BR',
    'EM',
    'STRONG',
    'DEL',
    'CODE',
    'PRE',
    'A',
    'SPAN',
    'UL',
    'OL',
    'LI',
    'BLOCKQUOTE',
    'H1',
    'H2',
    'H3',
    'H4',
    'H5',
    'H6',
    'HR',
    'DIV',
  ]);
  const DOCS = [
    ...HOSTILE_HREFS.map((h) => `[click](${h})`),
    ...HOSTILE_HREFS.map((h) => `![img](${h})`),
    ...HOSTILE_HREFS.map((h) => `<${h}>`),
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '<iframe src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '[x](javascript:alert(1) "t")',
    '[x](<javascript:alert(1)>)',
    '[[x](javascript:a)](https://ok.example)',
    '[x]( javascript:alert(1) )',
    '[x](https://ok.example" onclick="alert(1))',
    '[a](https://ok.example)](javascript:alert(1))',
    '```\n<script>alert(1)</script>\n```',
    '`<img src=x onerror=alert(1)>`',
    '&lt;script&gt;',
    '<style>*{}</style>',
    '<math><mi>x</mi></math>',
    "[x](https://ok.example/'onmouseover=alert(1)//)",
    '<javascript:alert(1)>',
    'javascript:alert(1)',
    'http://ok.example/"><script>',
  ];
  it(`renders ${DOCS.length} hostile documents inert`, () => {
    for (const doc of DOCS) {
      const el = document.createElement('div');
      renderMarkdown(el, doc, { images: true });
      for (const node of el.querySelectorAll('*')) {
        if (node.tagName === 'IMG') {
          expect(node.getAttribute('src'), doc).toMatch(/^https:\/\//);
          continue;
        }
        expect(ALLOWED.has(node.tagName), `${node.tagName} in ${doc}`).toBe(true);
        for (const attr of node.attributes) {
          expect(attr.name.startsWith('on'), doc).toBe(false);
          expect(['href', 'target', 'rel', 'class', 'start', 'data-lang']).toContain(attr.name);
          if (attr.name === 'href') expect(attr.value, doc).toMatch(/^(https?:\/\/[^/]|mailto:)/);
        }
      }
    }
  });
});

describe('the direction of an answer', () => {
  it('follows its first letter, past markup, digits and punctuation', () => {
    expect(direction('Hello')).toBe('ltr');
    expect(direction('**1. [שלום** world')).toBe('rtl');
    expect(direction('> 42 — مرحبا')).toBe('rtl');
    expect(direction('`x` مرحبا')).toBe('ltr');
    expect(direction('12 ** 漢字')).toBe('ltr');
    // Adlam, outside the BMP: a surrogate pair read as one letter.
    expect(direction('- \u{1E900}')).toBe('rtl');
  });
  it('is not decided while there is no letter', () => {
    expect(direction('')).toBeUndefined();
    expect(direction('![ [ * _ ` 123 — ')).toBeUndefined();
  });
});
