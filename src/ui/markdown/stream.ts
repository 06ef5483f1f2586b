/**
 * Streaming markdown → DOM, linear in the length of the message.
 *
 * The block structure is decided line by line, CommonMark style (containers:
 * block quotes, lists, list items; leaves: paragraphs, headings, fenced code,
 * rules). A line's place is decided as soon as its head is known: at its first
 * character that cannot be part of a block marker, or at its end. The rest of
 * the line then streams straight into its leaf, so a closed block is never
 * looked at again and its DOM is never touched again. Only the open paragraph
 * (or heading) is re-parsed when text arrives, and only its tail (paragraph.ts).
 * Because every decision depends only on the text (never on where the deltas
 * split), a message streamed in any pieces ends up as the same DOM as the
 * message rendered whole.
 *
 * Not supported, by choice (chat answers rarely use them): setext headings,
 * indented code, tables, reference links, HTML (shown as text), entities (shown
 * as written). Every newline inside a paragraph is a line break.
 */
import type { InlineEnv } from './inline.js';
import { type Paragraph, paragraph } from './paragraph.js';

export interface MarkdownOptions {
  /** Load images: `true` for any https image, or a list of allowed origins. Default: none. */
  images?: boolean | readonly string[];
  /** Text shown in place of an image that is not loaded. */
  imageLabel?: (alt: string) => string;
}

export interface MarkdownStats {
  /** Characters fed in. */
  chars: number;
  /** Characters the inline parser covered. */
  inlineChars: number;
}

/** Containers (quotes, lists, items) nest at most this deep. */
const MAX_DEPTH = 24;
// A line head made only of these may still become a marker, a rule, a fence or a blank line.
const MARKER_CHARS = /^[ \t>#*+\-_=`~0-9.)]*$/;
const QUOTE = /^ {0,3}> ?/;

/** The root, a quote, a list (it has a marker) or a list item (it has an indent). */
interface Container {
  el: HTMLElement;
  /** Item: the content indent; 0 for the others. */
  indent: number;
  /** List: the bullet, or the ordered delimiter. */
  marker?: string;
  /** Has held a block (an item that starts with a blank line ends there). */
  used?: boolean;
}

/** Where the rest of the current line goes; `null`: the line ended. */
type Sink = (text: string | null) => void;
const NOWHERE: Sink = () => {};

/** Drops up to `cols` columns of leading blanks (tab stops of 4): the rest, and the columns dropped. */
function dent(line: string, cols = 4): [string, number] {
  let n = 0;
  let i = 0;
  for (; n < cols; i++) {
    if (line[i] === ' ') n++;
    else if (line[i] === '\t') n += 4 - (n % 4);
    else break;
  }
  return [line.slice(i), n];
}

export class MarkdownStream {
  readonly stats: MarkdownStats = { chars: 0, inlineChars: 0 };
  /** Feeds more text of the message. */
  readonly push: (text: string) => void;
  /** The message is complete: settle the last line and close every block. */
  readonly end: () => void;

  constructor(root: HTMLElement, { images, imageLabel = (alt) => `[image${alt ? `: ${alt}` : ''}]` }: MarkdownOptions = {}) {
    const doc = root.ownerDocument;
    const env: InlineEnv = { doc, images, imageLabel, stats: this.stats };
    /**
     * The open containers, outermost first: a container's depth is its index.
     * The root is only ever appended to, so its caller may move the blocks it
     * holds elsewhere, in order (markdown-view.tsx shows a burst in steps).
     */
    const stack: Container[] = [{ el: root, indent: 0 }];
    const at = (depth: number) => stack[depth] as Container;
    /** The open leaf, in the deepest container: a paragraph or heading, or fenced code. */
    let leaf: Paragraph | null = null;
    let code: Text | null = null;
    /** The open code block's closing fence, and the indent its opening fence had. */
    let fence: RegExp | undefined;
    let fenceIndent = 0;
    let codeLines = 0;
    /** The current line while its place is not decided yet. */
    let head = '';
    let sink: Sink | null = null;
    let ended = false;

    const element = (tag: string) => doc.createElement(tag);
    const closeLeaf = () => {
      leaf?.render(true);
      leaf = code = null;
    };
    const closeBelow = (depth: number) => {
      closeLeaf();
      stack.length = depth + 1;
    };
    /** Lists hold items only: anything else goes beside the list. */
    const notList = (depth: number) => (at(depth).marker ? depth - 1 : depth);
    /** Closes what is open below the container at `depth` and appends `el` to it. */
    const open = (depth: number, el: HTMLElement) => {
      closeBelow(depth);
      const parent = at(depth);
      parent.used = true;
      return parent.el.appendChild(el);
    };
    const openContainer = (depth: number, el: HTMLElement, indent = 0, marker?: string) => {
      stack.push({ el: open(depth, el), indent, marker });
      return depth + 1;
    };
    const toLeaf: Sink = (text) => {
      if (text !== null) leaf?.add(text);
    };
    const toCode: Sink = (text) => {
      if (text) code?.appendData(text);
    };

    /** Places the current line (its head so far; `complete`: all of it) and returns where the rest goes. */
    const decide = (complete: boolean): Sink => {
      let rest = head;
      // 1. Which open containers does this line continue?
      let matched = 0;
      for (const box of stack.slice(1)) {
        if (box.indent) {
          const [inside, cols] = dent(rest, box.indent);
          if (complete && !rest.trim()) {
            if (!box.used) break;
            rest = '';
          } else if (cols >= box.indent) rest = inside;
          else break;
        } else if (!box.marker) {
          const q = QUOTE.exec(rest);
          if (!q) break;
          rest = rest.slice(q[0].length);
        }
        matched++;
      }

      // 2. Inside fenced code, a line is code unless it closes the fence.
      if (code && matched === stack.length - 1) {
        if (complete && fence?.test(rest)) {
          closeLeaf();
          return NOWHERE;
        }
        code.appendData((codeLines++ ? '\n' : '') + dent(rest, fenceIndent)[0]);
        return toCode;
      }

      // 3. A blank line closes the paragraph and whatever did not continue.
      if (complete && !rest.trim()) {
        closeBelow(notList(matched));
        return NOWHERE;
      }

      // 4. New containers and one-line blocks. Deeper than any answer nests,
      // further markers are text (each level costs every later line a step).
      let cur = matched;
      while (cur < MAX_DEPTH) {
        const quote = QUOTE.exec(rest);
        if (quote) {
          cur = openContainer(notList(cur), element('blockquote'));
          rest = rest.slice(quote[0].length);
          continue;
        }
        const [t, ind] = dent(rest);
        if (ind >= 4) break;
        const fenceMark = /^(`{3,}|~{3,})/.exec(t)?.[0];
        if (fenceMark) {
          const pre = open(notList(cur), element('pre'));
          code = pre.appendChild(element('code')).appendChild(doc.createTextNode(''));
          // Closed by a line of at least as many of the same character.
          fence = new RegExp(`^ {0,3}${fenceMark[0]}{${fenceMark.length},}[ \t]*$`);
          fenceIndent = ind;
          codeLines = 0;
          let info = t.slice(fenceMark.length);
          return (text) => {
            if (text !== null) info += text;
            else {
              const [word = ''] = info.trim().split(/\s/);
              const lang = word.slice(0, 32);
              if (/^[\w+#.-]+$/.test(lang)) pre.setAttribute('data-lang', lang);
            }
          };
        }
        const heading = /^#{1,6}(?:[ \t]+|$)/.exec(t)?.[0];
        if (heading) {
          leaf = paragraph(open(notList(cur), element(`h${heading.trim().length}`)), env, true);
          leaf.add(t.slice(heading.length));
          // A heading is one line.
          return (text) => (text === null ? closeLeaf() : toLeaf(text));
        }
        if (complete && /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(t)) {
          open(notList(cur), element('hr'));
          return NOWHERE;
        }
        const item = /^([-+*]|(\d{1,9})[.)])(?:([ \t]{1,4})(?![ \t])|[ \t]+|$)/.exec(t);
        if (!item) break;
        const [all, mark = '', digits, spaces] = item;
        const content = t.slice(all.length);
        const marker = mark.slice(-1);
        const sameList = at(cur).marker === marker;
        const empty = !content.trim() && (complete || !all.trim());
        // An item interrupts a paragraph only when it has text, and an ordered one only from 1.
        if (leaf && cur === matched && !sameList && (empty || (digits && digits !== '1'))) break;
        let list = cur;
        if (!sameList) {
          const el = element(digits ? 'ol' : 'ul');
          if (digits && digits !== '1') el.setAttribute('start', `${+digits}`);
          list = openContainer(notList(cur), el, 0, marker);
        }
        cur = openContainer(list, element('li'), ind + (spaces ? all.length : mark.length + 1));
        rest = content;
        if (empty) return NOWHERE;
      }

      // 5. Text: continues the open paragraph (lazily, too), or starts one.
      rest = rest.replace(/^[ \t]+/, '');
      if (cur === matched && leaf) leaf.add(`\n${rest}`);
      else {
        leaf = paragraph(open(notList(cur), element('p')), env, false);
        leaf.add(rest);
      }
      return toLeaf;
    };

    this.push = (text) => {
      if (ended) return;
      this.stats.chars += text.length;
      // A lone or split CR must not decide anything: drop them all.
      const lines = text.replace(/\r/g, '');
      if (!lines) return;
      lines.split('\n').forEach((piece, n) => {
        if (n) {
          (sink ?? decide(true))(null);
          sink = null;
          head = '';
        }
        if (sink) sink(piece);
        else {
          head += piece;
          // Testing only the new piece: a line of markers arriving bit by bit stays linear.
          if (!MARKER_CHARS.test(piece)) sink = decide(false);
        }
      });
      leaf?.render(false);
    };

    this.end = () => {
      if (ended) return;
      if (sink || head) (sink ?? decide(true))(null);
      closeBelow(0);
      ended = true;
    };
  }
}

/** Renders a whole message at once (the same path as streaming). */
export function renderMarkdown(el: HTMLElement, text: string, options?: MarkdownOptions): MarkdownStream {
  const md = new MarkdownStream(el, options);
  md.push(text);
  md.end();
  return md;
}
