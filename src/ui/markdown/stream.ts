/**
 * Streaming markdown → DOM, linear in the length of the message.
 *
 * The block structure is decided line by line, CommonMark style (containers:
 * block quotes, lists, list items; leaves: paragraphs, headings, fenced code,
 * rules). A line's place is decided as soon as its head is known: at its first
 * character that cannot be part of a block marker, or at its end. The rest of
 * the line then streams straight into its leaf, so a closed block is never
 * looked at again and its DOM is never touched again.
 *
 * Only the open paragraph (or heading) is re-parsed when text arrives, and only
 * from its last clean cut point (see inline.ts), which is at most a word or an
 * open construct behind. A construct left open for more than `SEGMENT` chars is
 * cut anyway, at a deterministic place, so the work per delta stays bounded
 * even for hostile text. Because every decision depends only on the text (never
 * on where the deltas split), a message streamed in any pieces ends up as the
 * same DOM as the message rendered whole.
 *
 * Not supported, by choice (chat answers rarely use them): setext headings,
 * indented code, tables, reference links, HTML (shown as text), entities (shown
 * as written). Every newline inside a paragraph is a line break.
 */
import { renderInline, type InlineEnv } from './inline.js';

export interface MarkdownOptions {
  /** Load images: `true` for any https image, or a list of allowed origins. Default: none. */
  images?: boolean | readonly string[];
  /** Text shown in place of an image that is not loaded. */
  imageLabel?: (alt: string) => string;
}

export interface MarkdownStats {
  /** Characters fed in. */
  chars: number;
  /** Inline parser runs and the characters they covered. */
  inlineParses: number;
  inlineChars: number;
}

/** Past this many characters without a clean cut, a paragraph segment is cut anyway. */
export const SEGMENT = 1024;
/** Characters parsed per pass: past the latest forced cut (4 × SEGMENT, +1 for a surrogate pair), plus room. */
const WINDOW = 5 * SEGMENT;
/** A paragraph longer than this is laid out in blocks of about this many characters. */
const CHUNK = 8 * SEGMENT;
/** Containers (quotes, lists, items) nest at most this deep. */
const MAX_DEPTH = 24;

// A line head made only of these may still become a marker, a rule, a fence or a blank line.
const MARKER_CHARS = /^[ \t>#*+\-_=`~0-9.)]*$/;

type Box = Container | Leaf;

class Container {
  open: Box | null = null;
  closed = false;
  /** Item: the content indent. List: bullet char or ordered delimiter. */
  constructor(
    readonly kind: 'root' | 'quote' | 'list' | 'item',
    readonly el: HTMLElement,
    readonly parent: Container | null,
    readonly indent = 0,
    readonly marker = '',
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
  }
  hasContent = false;
  readonly depth: number;
}

interface Sink {
  append(text: string): void;
  endLine(): void;
}

class Leaf implements Sink {
  closed = false;
  readonly #out: MarkdownStream;

  constructor(
    readonly el: HTMLElement,
    readonly parent: Container,
    out: MarkdownStream,
  ) {
    this.#out = out;
    this.#box = el;
  }
  // Paragraph and heading: the text not yet settled (the rest is in the DOM
  // for good, and a megabyte kept here would be copied whole on every slice).
  text = '';
  /** How many characters before `text` are settled. */
  #settled = 0;
  /**
   * Where inline content goes: the element itself, then, once a paragraph has
   * run past CHUNK characters, a block `span.wmc-chunk` per CHUNK. One block
   * of a megabyte would be laid out whole on every frame; chunks before the
   * open one are settled, and off screen they are skipped (styles.ts). Chunks
   * start at cut points, which depend only on the text, so any split of the
   * stream gives the same chunks.
   */
  #box: HTMLElement;
  #chunkStart = 0;
  /** How many of the box's last children show the open segment (replaced on each render). */
  #openNodes = 0;
  dirty = false;
  heading = false;
  // Code
  code: Text | null = null;
  fence = '';
  fenceIndent = 0;
  info: string | null = null;
  #lines = 0;

  append(text: string) {
    if (this.info !== null) this.info += text;
    else if (this.code) this.code.appendData(text);
    else {
      this.text += text;
      this.#out.markDirty(this);
    }
  }

  newLine() {
    if (this.code) {
      if (this.#lines++ > 0) this.code.appendData('\n');
    } else {
      this.text += '\n';
      this.#out.markDirty(this);
    }
  }

  endLine() {
    if (this.info !== null) {
      const lang = (this.info.trim().split(/\s/)[0] ?? '').slice(0, 32);
      if (lang && /^[\w+#.-]+$/.test(lang)) this.el.setAttribute('data-lang', lang);
      this.info = null;
    } else if (this.heading) this.#out.close(this);
  }

  /** Re-renders the open segment; with `final`, the whole rest, for good. */
  render(final: boolean) {
    this.dirty = false;
    if (this.code) return;
    const env = this.#out.env;
    const el = this.el;
    const text = this.text;
    let seg = 0;
    // Freeze what is settled: walk the clean cut points, cutting anyway when a
    // segment runs past SEGMENT characters without one. Each pass parses a
    // window of at most WINDOW characters (enough to see the next forced cut),
    // so a megabyte arriving at once costs passes over a window each, not
    // passes over the whole megabyte each.
    for (;;) {
      const end = Math.min(text.length, seg + WINDOW);
      const windowed = end < text.length;
      const rest = text.slice(seg, end);
      const scratch = env.doc.createDocumentFragment();
      // A heading is one line: cut only when forced, so its end can be trimmed.
      const clean = renderInline(rest, scratch, env, false);
      if (this.heading) clean.length = 0;
      let cut = 0;
      let forced = false;
      // Where the current chunk is long enough to end (see `box`), relative to the window.
      const chunkAt = this.#chunkStart + CHUNK - this.#settled - seg;
      for (const c of clean) {
        const limit = forcedCut(text, seg, cut);
        if (limit !== -1 && c > limit) {
          cut = limit;
          forced = true;
          break;
        }
        cut = c;
        if (cut >= chunkAt) break;
      }
      if (!forced && cut < chunkAt) {
        const limit = forcedCut(text, seg, cut);
        // Past the window: freeze up to `cut` and decide from there on the next pass.
        if (limit !== -1 && limit <= rest.length) {
          cut = limit;
          forced = true;
        }
      }
      if (cut === 0) {
        if (!final) this.#paint(scratch);
        break;
      }
      const head = env.doc.createDocumentFragment();
      renderInline(rest.slice(0, cut), head, env, true);
      this.#clearOpen();
      this.#box.appendChild(head);
      seg += cut;
      if (cut >= chunkAt) {
        // The first cut point past CHUNK characters: what follows goes into a
        // new block, so layout and paint leave the chunks before it alone.
        this.#box = el.appendChild(env.doc.createElement('span'));
        this.#box.className = 'wmc-chunk';
        this.#chunkStart = this.#settled + seg;
        continue;
      }
      if (!forced && !final && !windowed) {
        const tail = env.doc.createDocumentFragment();
        renderInline(text.slice(seg), tail, env, false);
        this.#paint(tail);
        break;
      }
    }
    if (final) {
      let rest = text.slice(seg).replace(/\s+$/, '');
      if (this.heading) rest = rest.replace(/(^|[ \t]+)#+$/, '').replace(/\s+$/, '');
      const tail = env.doc.createDocumentFragment();
      renderInline(rest, tail, env, true);
      this.#paint(tail);
    }
    this.#settled += seg;
    this.text = text.slice(seg);
  }

  // Counted, not read from `childNodes.length`: after each change Chromium
  // recounts a live child list from the start, which made a paragraph with
  // thousands of children quadratic.
  #clearOpen() {
    for (; this.#openNodes > 0; this.#openNodes--) this.#box.lastChild?.remove();
  }

  #paint(nodes: DocumentFragment) {
    this.#clearOpen();
    this.#openNodes = nodes.childNodes.length;
    this.#box.appendChild(nodes);
  }
}

/**
 * Where a segment starting at `seg + from` must be cut at the latest, relative
 * to `seg`, or -1 if not yet known.
 */
function forcedCut(text: string, seg: number, from: number): number {
  const at = seg + from;
  const soft = at + SEGMENT;
  if (soft >= text.length) return -1;
  for (let k = soft; k < text.length && k < at + 4 * SEGMENT; k++) {
    if (/\s/.test(text.charAt(k - 1)) && !/\s/.test(text.charAt(k))) return k - seg;
  }
  const hard = at + 4 * SEGMENT;
  if (hard >= text.length) return -1;
  return (/[\udc00-\udfff]/.test(text.charAt(hard)) ? hard + 1 : hard) - seg;
}

/** Leading columns (tab = 4). */
function indentOf(line: string): number {
  let n = 0;
  for (const c of line) {
    if (c === ' ') n++;
    else if (c === '\t') n += 4 - (n % 4);
    else break;
  }
  return n;
}

/** Drops `cols` columns of leading whitespace. */
function dropIndent(line: string, cols: number): string {
  let n = 0;
  let i = 0;
  while (i < line.length && n < cols) {
    if (line[i] === ' ') n++;
    else if (line[i] === '\t') n += 4 - (n % 4);
    else break;
    i++;
  }
  return line.slice(i);
}

const NULL_SINK: Sink = { append() {}, endLine() {} };

export class MarkdownStream {
  readonly env: InlineEnv & { stats: MarkdownStats };
  readonly #root: Container;
  #head = '';
  #sink: Sink | null = null;
  readonly #dirty = new Set<Leaf>();
  #ended = false;

  constructor(el: HTMLElement, options: MarkdownOptions = {}) {
    this.#root = new Container('root', el, null);
    this.env = {
      doc: el.ownerDocument,
      images: options.images,
      imageLabel: options.imageLabel ?? ((alt) => `[image${alt ? `: ${alt}` : ''}]`),
      stats: { chars: 0, inlineParses: 0, inlineChars: 0 },
    };
  }

  get stats(): MarkdownStats {
    return this.env.stats;
  }

  /** Feeds more text of the message. */
  push(text: string): void {
    if (this.#ended || !text) return;
    this.env.stats.chars += text.length;
    // A lone or split CR must not decide anything: drop them all.
    if (text.includes('\r')) text = text.replace(/\r/g, '');
    let i = 0;
    while (i < text.length) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      const piece = text.slice(i, end);
      if (this.#sink) this.#sink.append(piece);
      else {
        this.#head += piece;
        // Testing only the new piece: a line of markers arriving bit by bit stays linear.
        if (!MARKER_CHARS.test(piece)) this.#decide(false);
      }
      if (nl < 0) break;
      this.#lineSink().endLine();
      this.#sink = null;
      this.#head = '';
      i = nl + 1;
    }
    this.#flush();
  }

  /** The message is complete: settle the last line and close every block. */
  end(): void {
    if (this.#ended) return;
    if (this.#sink || this.#head) this.#lineSink().endLine();
    this.#sink = null;
    this.#closeChildren(this.#root);
    this.#flush();
    this.#ended = true;
  }

  markDirty(leaf: Leaf) {
    this.#dirty.add(leaf);
  }

  #flush() {
    for (const leaf of this.#dirty) if (!leaf.closed) leaf.render(false);
    this.#dirty.clear();
  }

  close(box: Box) {
    if (box.closed) return;
    if (box instanceof Container) this.#closeChildren(box);
    box.closed = true;
    if (box instanceof Leaf) {
      this.#dirty.delete(box);
      box.render(true);
    }
  }

  #closeChildren(c: Container) {
    if (c.open) this.close(c.open);
    c.open = null;
  }

  #add<T extends Box>(parent: Container, box: T): T {
    this.#closeChildren(parent);
    parent.open = box;
    parent.hasContent = true;
    parent.el.appendChild(box.el);
    return box;
  }

  #element(tag: string): HTMLElement {
    return this.env.doc.createElement(tag);
  }

  #leaf(parent: Container, tag: string): Leaf {
    return this.#add(parent, new Leaf(this.#element(tag), parent, this));
  }

  /** Lists hold items only: anything else closes the list. */
  #notList(c: Container): Container {
    return c.kind === 'list' && c.parent ? c.parent : c;
  }

  /** Places the current line (its head so far) and sets where the rest of it goes. */
  /** The block a finished line goes to: `decide(true)` always picks one. */
  #lineSink(): Sink {
    if (!this.#sink) this.#decide(true);
    if (!this.#sink) throw new Error('Markdown: a complete line was given no block.');
    return this.#sink;
  }

  #decide(complete: boolean) {
    let rest = this.#head;
    // 1. Which open containers does this line continue?
    let matched = this.#root;
    for (let box = this.#root.open; box instanceof Container; box = box.open) {
      if (box.kind === 'quote') {
        const m = /^ {0,3}> ?/.exec(rest);
        if (!m) break;
        rest = rest.slice(m[0].length);
      } else if (box.kind === 'item') {
        if (complete && !rest.trim()) {
          if (!box.hasContent) break;
          rest = '';
        } else if (indentOf(rest) >= box.indent) rest = dropIndent(rest, box.indent);
        else break;
      }
      matched = box;
    }
    let deepest: Box | null = matched;
    while (deepest instanceof Container && deepest.open) deepest = deepest.open;
    const lazy = deepest instanceof Leaf && !deepest.code && !deepest.heading && !deepest.closed ? deepest : null;

    // 2. Inside fenced code, a line is code unless it closes the fence.
    const open = matched.open;
    if (open instanceof Leaf && open.code) {
      const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(rest);
      const fence = m?.[1];
      if (complete && fence && fence[0] === open.fence[0] && fence.length >= open.fence.length) {
        this.close(open);
        matched.open = null;
        this.#sink = NULL_SINK;
        return;
      }
      open.newLine();
      open.append(dropIndent(rest, open.fenceIndent));
      this.#sink = open;
      return;
    }

    // 3. A blank line closes the paragraph and whatever did not continue.
    if (complete && !rest.trim()) {
      this.#closeChildren(this.#notList(matched));
      this.#sink = NULL_SINK;
      return;
    }

    // 4. New containers and one-line blocks.
    let cur = matched;
    for (;;) {
      // Deeper than any answer nests: further markers are text (each level costs every later line a step).
      if (cur.depth >= MAX_DEPTH) break;
      const ind = indentOf(rest);
      if (ind >= 4) break;
      const t = dropIndent(rest, ind);
      if (t[0] === '>') {
        cur = this.#add(this.#notList(cur), new Container('quote', this.#element('blockquote'), this.#notList(cur)));
        rest = t.slice(t[1] === ' ' ? 2 : 1);
        continue;
      }
      const fence = /^(`{3,}|~{3,})/.exec(t);
      if (fence) {
        const code = this.#leaf(this.#notList(cur), 'pre');
        code.code = code.el.appendChild(this.#element('code')).appendChild(this.env.doc.createTextNode(''));
        code.fence = fence[0];
        code.fenceIndent = ind;
        code.info = '';
        code.append(t.slice(fence[0].length));
        this.#sink = code;
        return;
      }
      const heading = /^(#{1,6})(?:[ \t]+|$)/.exec(t);
      if (heading) {
        const h = this.#leaf(this.#notList(cur), `h${(heading[1] ?? '').length}`);
        h.heading = true;
        h.append(t.slice(heading[0].length));
        this.#sink = h;
        return;
      }
      if (complete && /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(t)) {
        this.#add(this.#notList(cur), new Leaf(this.#element('hr'), cur, this)).closed = true;
        this.#sink = NULL_SINK;
        return;
      }
      const m = /^(?:([-+*])|(\d{1,9})([.)]))(?:([ \t]{1,4})(?![ \t])|[ \t]+|$)/.exec(t);
      if (m) {
        const content = t.slice(m[0].length);
        const marker = m[1] ?? m[3] ?? '';
        const empty = !content.trim() && (complete || !m[0].trim());
        // An item interrupts a paragraph only when it has text, and an ordered one only from 1.
        const interrupts = lazy && cur === matched && !(cur.kind === 'list' && cur.marker === marker);
        if (!(interrupts && (empty || (m[2] !== undefined && m[2] !== '1')))) {
          const width = m[1] ? 1 : (m[2] ?? '').length + 1;
          const spaces = m[4] ? m[4].length : 1;
          let list = cur;
          if (!(cur.kind === 'list' && cur.marker === marker)) {
            const host = this.#notList(cur);
            list = this.#add(host, new Container('list', this.#element(m[1] ? 'ul' : 'ol'), host, 0, marker));
            if (m[2] !== undefined && m[2] !== '1') list.el.setAttribute('start', String(Number(m[2])));
          }
          cur = this.#add(list, new Container('item', this.#element('li'), list, ind + width + spaces));
          rest = content;
          if (empty) {
            this.#sink = NULL_SINK;
            return;
          }
          continue;
        }
      }
      break;
    }

    // 5. Text: continues the open paragraph (lazily, too), or starts one.
    if (cur === matched && lazy) {
      lazy.newLine();
      lazy.append(rest.replace(/^[ \t]+/, ''));
      this.#sink = lazy;
      return;
    }
    const p = this.#leaf(this.#notList(cur), 'p');
    p.append(rest.replace(/^[ \t]+/, ''));
    this.#sink = p;
  }
}

/** Renders a whole message at once (the same path as streaming). */
export function renderMarkdown(el: HTMLElement, text: string, options?: MarkdownOptions): MarkdownStream {
  const md = new MarkdownStream(el, options);
  md.push(text);
  md.end();
  return md;
}
