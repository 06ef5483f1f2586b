/**
 * Inline markdown → DOM nodes (text, strong, em, del, code, a, br, img), built
 * with createElement/textContent only. Model text is data: anything that is
 * not one of these constructs, raw HTML included, stays text.
 *
 * Streaming: a paragraph is parsed in segments. While text may still come
 * (`final` false), the parser also reports "clean" cut points: positions at
 * top level, after whitespace, before which nothing is left open (no unmatched
 * emphasis opener, bracket, code span or autolink that later text could close).
 * The text before a clean point parses the same whatever follows, so the
 * caller freezes it and never parses it again.
 */
import { safeHref, safeImageSrc } from './url.js';

export interface InlineEnv {
  readonly doc: Document;
  /** See `safeImageSrc`. */
  readonly images: boolean | readonly string[] | undefined;
  /** The placeholder text for an image that is not loaded. */
  readonly imageLabel: (alt: string) => string;
  /** Work counters, for tests and benchmarks. */
  readonly stats: { inlineParses: number; inlineChars: number };
}

const isWS = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const PUNCT = /[!-/:-@[-`{-~]/;

/** Appends the nodes for `src` to `parent`; returns the clean cut points (empty when `final`). */
export function renderInline(src: string, parent: Node, env: InlineEnv, final: boolean): number[] {
  env.stats.inlineParses++;
  env.stats.inlineChars += src.length;
  const p = new InlineParser(src, env, final);
  p.range(0, src.length, parent, true, false);
  return p.clean;
}

class InlineParser {
  readonly clean: number[] = [];
  #dirty = false;
  /** `[` position → its matching `]` (or -1), found in one pass on first use. */
  #brackets: Map<number, number> | null = null;
  /** Code span closers searched for in vain: `n,to` → the earliest start that failed. */
  readonly #codeMisses = new Map<string, number>();
  readonly #src: string;
  readonly #env: InlineEnv;
  readonly #final: boolean;

  constructor(src: string, env: InlineEnv, final: boolean) {
    this.#src = src;
    this.#env = env;
    this.#final = final;
  }

  /** A search ran off the end of text that may still grow: nothing after `at` is settled. */
  #open(to: number) {
    if (to === this.#src.length && !this.#final) this.#dirty = true;
  }

  #el(tag: string, parent: Node): HTMLElement {
    return parent.appendChild(this.#env.doc.createElement(tag));
  }

  range(from: number, to: number, parent: Node, top: boolean, inLink: boolean): void {
    const src = this.#src;
    const env = this.#env;
    const doc = env.doc;
    let text = '';
    const flush = () => {
      if (text) parent.appendChild(doc.createTextNode(text));
      text = '';
    };
    const noCloser = new Set<string>();
    let i = from;
    while (i < to) {
      const c = src.charAt(i);
      if (top && !this.#dirty && i > 0 && isWS(src[i - 1]) && !isWS(c)) this.clean.push(i);
      if (c === '\\') {
        const n = src[i + 1];
        if (n === '\n' && i + 1 < to) {
          text = text.replace(/[ \t]+$/, '');
          flush();
          this.#el('br', parent);
          i += 2;
        } else if (n !== undefined && i + 1 < to && PUNCT.test(n)) {
          text += n;
          i += 2;
        } else {
          text += c;
          i++;
        }
      } else if (c === '\n') {
        // Chat text means its line breaks: every newline is a break.
        text = text.replace(/[ \t]+$/, '');
        flush();
        this.#el('br', parent);
        i++;
      } else if (c === '`') {
        const n = runLength(src, i, to);
        const close = this.#codeClose(i + n, to, n);
        if (close < 0) {
          this.#open(to);
          text += src.slice(i, i + n);
          i += n;
        } else {
          flush();
          let code = src.slice(i + n, close).replace(/\n/g, ' ');
          if (code.length > 2 && code[0] === ' ' && code[code.length - 1] === ' ' && code.trim()) code = code.slice(1, -1);
          this.#el('code', parent).textContent = code;
          i = close + n;
        }
      } else if (c === '*' || c === '_' || c === '~') {
        const n = runLength(src, i, to);
        const next = src[i + n];
        const canOpen = (c === '~' ? n === 2 : n <= 3) && i + n < to && !isWS(next) && (c !== '_' || !isAlnum(src[i - 1]));
        const key = c + n;
        const close = canOpen && !noCloser.has(key) ? this.#emphasisClose(c, n, i + n, to) : -1;
        if (close < 0) {
          if (canOpen) {
            noCloser.add(key);
            this.#open(to);
          }
          text += src.slice(i, i + n);
          i += n;
        } else {
          flush();
          let inner: HTMLElement;
          if (c === '~') inner = this.#el('del', parent);
          else if (n === 1) inner = this.#el('em', parent);
          else if (n === 2) inner = this.#el('strong', parent);
          else inner = this.#el('em', this.#el('strong', parent));
          this.range(i + n, close, inner, false, inLink);
          i = close + n;
        }
      } else if ((c === '[' || (c === '!' && src[i + 1] === '[')) && !inLink) {
        const image = c === '!';
        const start = i + (image ? 2 : 1);
        const link = this.#link(start, to);
        if (!link) {
          text += image ? '![' : '[';
          i = start;
          continue;
        }
        flush();
        if (image) this.#image(src.slice(start, link.textEnd), link.dest, parent);
        else {
          const href = safeHref(link.dest);
          const a = href ? this.#anchor(href, parent) : parent;
          this.range(start, link.textEnd, a, false, true);
        }
        i = link.end;
      } else if (c === '<' && !inLink) {
        let k = i + 1;
        while (k < to && !' \t\n<>'.includes(src.charAt(k))) k++;
        const inner = src.slice(i + 1, k);
        const href =
          src[k] !== '>'
            ? null
            : /^[a-z][a-z0-9+.-]{1,31}:/i.test(inner)
              ? safeHref(inner)
              : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(inner)
                ? safeHref(`mailto:${inner}`)
                : null;
        if (k === to) this.#open(to);
        if (href) {
          flush();
          this.#anchor(href, parent).textContent = inner;
          i = k + 1;
        } else {
          text += c;
          i++;
        }
      } else if (c === 'h' && !inLink && !isAlnum(src[i - 1]) && /^https?:\/\/./.test(src.slice(i, i + 9))) {
        // A bare address, as chat text often has them.
        let k = i;
        while (k < to && !isWS(src[k]) && src[k] !== '<') k++;
        if (k === to) this.#open(to);
        k = trimUrlEnd(src, i, k);
        const url = src.slice(i, k);
        const href = safeHref(url);
        if (href) {
          flush();
          this.#anchor(href, parent).textContent = url;
        } else text += url;
        i = k;
      } else {
        text += c;
        i++;
      }
    }
    flush();
  }

  #anchor(href: string, parent: Node): HTMLElement {
    const a = this.#el('a', parent);
    a.setAttribute('href', href);
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
    return a;
  }

  #image(alt: string, dest: string, parent: Node) {
    const src = safeImageSrc(dest, this.#env.images);
    if (src) {
      const img = this.#el('img', parent);
      img.setAttribute('alt', alt);
      img.setAttribute('loading', 'lazy');
      img.setAttribute('referrerpolicy', 'no-referrer');
      img.setAttribute('src', src);
      return;
    }
    // No request leaves: a label, a link to open it on purpose when the address is safe.
    const href = safeHref(dest);
    const label = href ? this.#anchor(href, parent) : this.#el('span', parent);
    label.className = 'md-img';
    label.textContent = this.#env.imageLabel(alt);
  }

  /**
   * Index of the closing backtick run of exactly `n`, or -1. A search that
   * failed from `from` fails from any later start too (starts always follow a
   * whole run), so thousands of unclosed runs cost one scan, not one each.
   */
  #codeClose(from: number, to: number, n: number): number {
    const src = this.#src;
    const key = `${n},${to}`;
    const missed = this.#codeMisses.get(key);
    if (missed !== undefined && from >= missed) return -1;
    let k = src.indexOf('`', from);
    for (; k >= 0 && k < to; k = src.indexOf('`', k)) {
      const m = runLength(src, k, to);
      if (m === n) {
        this.#env.stats.inlineChars += k - from;
        return k;
      }
      k += m;
    }
    this.#env.stats.inlineChars += to - from;
    this.#codeMisses.set(key, from);
    return -1;
  }

  /**
   * The `]` that closes the `[` at `open`, or -1. All brackets are paired in
   * one pass (skipping escapes and code spans), so a text of thousands of
   * unclosed `[` or `![` stays linear instead of scanning to the end from each.
   */
  #bracketClose(open: number): number {
    if (!this.#brackets) {
      const src = this.#src;
      const pairs = new Map<number, number>();
      const stack: number[] = [];
      for (let k = 0; k < src.length; k++) {
        const d = src[k];
        if (d === '\\') k++;
        else if (d === '`') {
          const m = runLength(src, k, src.length);
          const close = this.#codeClose(k + m, src.length, m);
          k = (close < 0 ? k + m : close + m) - 1;
        } else if (d === '[') {
          stack.push(k);
          pairs.set(k, -1);
        } else if (d === ']') {
          const open = stack.pop();
          if (open !== undefined) pairs.set(open, k);
        }
      }
      this.#env.stats.inlineChars += src.length;
      this.#brackets = pairs;
    }
    return this.#brackets.get(open) ?? -1;
  }

  #emphasisClose(c: string, n: number, from: number, to: number): number {
    const src = this.#src;
    let k = from + 1; // not empty
    while (k < to) {
      const d = src[k];
      if (d === '\\') k += 2;
      else if (d === '`') {
        const m = runLength(src, k, to);
        const close = this.#codeClose(k + m, to, m);
        k = close < 0 ? k + m : close + m;
      } else if (d === c) {
        const m = runLength(src, k, to);
        if (m === n && !isWS(src[k - 1]) && (c !== '_' || !isAlnum(src[k + m]))) break;
        k += m;
      } else k++;
    }
    this.#env.stats.inlineChars += Math.min(k, to) - from;
    return k < to ? k : -1;
  }

  /** `[text](dest "title")` from just after `[`; null when it is not one. */
  #link(start: number, to: number): { textEnd: number; dest: string; end: number } | null {
    const src = this.#src;
    const close = this.#bracketClose(start - 1);
    let k = close < 0 ? to : close;
    if (k >= to - 1) {
      this.#open(to);
      return null;
    }
    if (src[k + 1] !== '(') return null;
    const textEnd = k;
    k += 2;
    while (k < to && isWS(src[k])) k++;
    let dest = '';
    if (src[k] === '<') {
      const close = src.indexOf('>', k);
      if (close < 0 || close >= to || src.slice(k, close).includes('\n')) return this.#fail(to);
      dest = src.slice(k + 1, close);
      k = close + 1;
    } else {
      const from = k;
      let parens = 0;
      for (; k < to && !isWS(src[k]); k++) {
        if (src[k] === '\\') k++;
        else if (src[k] === '(') parens++;
        else if (src[k] === ')' && parens-- === 0) break;
      }
      dest = src.slice(from, k);
    }
    while (k < to && isWS(src[k])) k++;
    const q = src[k];
    if (q === '"' || q === "'" || q === '(') {
      const close = src.indexOf(q === '(' ? ')' : q, k + 1);
      if (close < 0 || close >= to) return this.#fail(to);
      k = close + 1;
      while (k < to && isWS(src[k])) k++;
    }
    if (k >= to) return this.#fail(to);
    if (src[k] !== ')') return null;
    return { textEnd, dest: dest.replace(/\\([!-/:-@[-`{-~])/g, '$1'), end: k + 1 };
  }

  #fail(to: number): null {
    this.#open(to);
    return null;
  }
}

function runLength(src: string, i: number, to: number): number {
  const c = src[i];
  let k = i;
  while (k < to && src[k] === c) k++;
  return k - i;
}

/** Trailing punctuation is the sentence's, not the address's; `)` only when unbalanced. */
function trimUrlEnd(src: string, from: number, to: number): number {
  // Counted once, then kept up to date: a run of `)` stays linear.
  let balance = 0;
  for (let k = from; k < to; k++) balance += src[k] === '(' ? 1 : src[k] === ')' ? -1 : 0;
  while (to > from) {
    const c = src.charAt(to - 1);
    if ('.,:;!?\'"*_~'.includes(c)) to--;
    else if (c === ')' && balance < 0) {
      to--;
      balance++;
    } else break;
  }
  return to;
}
