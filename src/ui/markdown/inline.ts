/**
 * Inline markdown → DOM nodes (text, strong, em, del, code, a, br, img), built
 * with createElement/textContent only. Model text is data: anything that is
 * not one of these constructs, raw HTML included, stays text.
 *
 * Streaming: a paragraph is parsed in segments, and the parser reports "clean"
 * cut points: positions at top level, after whitespace, before which nothing
 * is left open (no unmatched emphasis opener, bracket, code span or autolink
 * that later text could close, and no closer matched past a backtick run that
 * later text could close). The text before a clean point parses the same
 * whatever follows, so the caller freezes it and never parses it again.
 */
import { safeHref, safeImageSrc } from './url.js';

export interface InlineEnv {
  readonly doc: Document;
  /** See `safeImageSrc`. */
  readonly images: boolean | readonly string[] | undefined;
  /** The placeholder text for an image that is not loaded. */
  readonly imageLabel: (alt: string) => string;
  /** Characters parsed, look-ahead scans included: tests and benchmarks check it stays linear. */
  readonly stats: { inlineChars: number };
}

const isWS = (c: string | undefined) => !!c && ' \t\n\r\f'.includes(c);
const isAlnum = (c: string) => /[\p{L}\p{N}]/u.test(c);
const SCHEME = /^[a-z][a-z0-9+.-]{1,31}:/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Where a bare address ends. */
const ADDRESS_END = ' \t\n\r\f<';
/** Where an autolink's `<…` stops: at its `>`, or it is not one. */
const AUTOLINK_END = ' \t\n<>';
/** What a backslash escapes (a newline: a hard break). */
const ESCAPABLE = /[!-/:-@[-`{-~\n]/;

const setAttributes = (el: Element, attributes: Record<string, string>) => {
  for (const name in attributes) el.setAttribute(name, attributes[name] ?? '');
  return el;
};

/**
 * The clean cut points of a parse, and for each where its nodes end in the
 * parent: `nodes[2j]` whole nodes, then `nodes[2j + 1]` characters of the
 * next (a text node the point falls in), so the caller can keep what comes
 * before a point without parsing it again.
 */
export interface CleanPoints {
  at: number[];
  nodes: number[];
}

/** Appends the nodes for `src` to `parent`; returns the clean cut points. */
export function renderInline(src: string, parent: ParentNode, env: InlineEnv): CleanPoints {
  const { doc, stats } = env;
  const clean: number[] = [];
  const nodes: number[] = [];
  /** Nodes appended to `parent` so far. */
  let topNodes = 0;
  /** A look-ahead ran off the end of the text, which may still grow: no clean point after it. */
  let dirty = false;
  /** `[` position → its matching `]` (or -1), found in one pass on first use. */
  let brackets: Map<number, number> | undefined;
  /** Each `]` the bracket pass paired → whether that pair is settled. */
  const closers = new Map<number, boolean>();
  /** Code span closers searched for in vain: `n,to` → the earliest start that failed. */
  const codeMisses = new Map<string, number>();
  stats.inlineChars += src.length;

  const ranOff = (to: number) => {
    dirty ||= to === src.length;
    return null;
  };
  /** Where the text from `k` reaches the first of `stops`, or `to`. */
  const reach = (k: number, stops: string, to: number) => {
    while (k < to && !stops.includes(src.charAt(k))) k++;
    return k;
  };
  /** The address of the autolink from `<` at `i` to `k`, or null when it is not one. */
  const autolink = (i: number, k: number) => {
    const inner = src.slice(i + 1, k);
    return src[k] === '>' && safeHref(SCHEME.test(inner) ? inner : EMAIL.test(inner) ? `mailto:${inner}` : '');
  };
  /** A bare address starts at `i` (it does not go on a word). */
  const isAddress = (i: number) => !isAlnum(src.charAt(i - 1)) && /^https?:\/\/./.test(src.slice(i, i + 9));
  const el = (tag: string, p: ParentNode) => {
    if (p === parent) topNodes++;
    return p.appendChild(doc.createElement(tag));
  };
  const anchor = (href: string, p: ParentNode) =>
    setAttributes(el('a', p), { href, target: '_blank', rel: 'noopener noreferrer' }) as HTMLElement;
  const runLength = (i: number, to: number) => {
    let k = i;
    while (k < to && src[k] === src[i]) k++;
    return k - i;
  };

  /**
   * Index of the closing backtick run of exactly `n`, or -1. A search that
   * failed from `from` fails from any later start too (starts always follow a
   * whole run), so thousands of unclosed runs cost one scan, not one each.
   */
  const codeClose = (from: number, to: number, n: number) => {
    const key = `${n},${to}`;
    if (from >= (codeMisses.get(key) ?? to + 1)) return -1;
    for (let k = src.indexOf('`', from); k >= 0 && k < to; k = src.indexOf('`', k)) {
      const m = runLength(k, to);
      if (m === n) {
        stats.inlineChars += k - from;
        return k;
      }
      k += m;
    }
    stats.inlineChars += to - from;
    codeMisses.set(key, from);
    return -1;
  };

  /**
   * Code spans a look-ahead took as text because the text so far does not
   * close them. A later backtick could still make one a span that swallows
   * what the look-ahead matched past it: a decision that counted on such a
   * miss is not settled.
   */
  let openCode = 0;
  /** Where the text from `k` reaches the first of `ends` or `to` (counted: look-aheads read with it). */
  const upTo = (k: number, ends: string, to: number) => {
    const end = reach(k, ends, to);
    stats.inlineChars += end - k;
    return end;
  };
  /** Where the bare address or autolink that `range` would take at `k`, up to `to`, ends, or 0. */
  const atomAt = (k: number, to: number) => {
    if (src[k] === 'h' && isAddress(k)) return upTo(k, ADDRESS_END, to);
    const end = src[k] === '<' ? upTo(k + 1, AUTOLINK_END, to) : 0;
    return end && autolink(k, end) ? end : 0;
  };
  /** For look-ahead scans: the end of the escape or code span at `k`, or `k` when none starts there. */
  const skip = (k: number, to: number) => {
    if (src[k] === '\\' && ESCAPABLE.test(src.charAt(k + 1))) return k + 2;
    if (src[k] !== '`') return k;
    const m = runLength(k, to);
    const close = codeClose(k + m, to, m);
    if (close < 0 && to === src.length) openCode++;
    return (close < 0 ? k : close) + m;
  };

  /**
   * A left-to-right look-ahead up to `to` that sees code spans where `range`
   * does: a bare address, an autolink or a link's `(dest "title")` owns its
   * backticks, so they open no span (`atoms`: false in link text, where
   * `range` takes no address or autolink). The bracket pass and the emphasis
   * look-ahead both read with one, so the three agree on where spans lie.
   */
  const reader = (to: number, atoms: boolean) => {
    /** Where the address, autolink or link destination the reader is in ends. */
    let atomEnd = 0;
    return {
      /** The end of the escape or code span at `k`, or `k` when none starts there. */
      skip(k: number) {
        if (atoms && k >= atomEnd) atomEnd = atomAt(k, to);
        return src[k] === '`' && k < atomEnd ? k : skip(k, to);
      },
      /** The `]` at `k` closes a link text: what follows may be its destination. */
      linkText(k: number) {
        if (atoms) atomEnd = tail(k, to)?.[0] ?? atomEnd;
      },
    };
  };

  /**
   * The `]` that closes the `[` at `open`, or -1. All brackets are paired in
   * one pass, so a text of thousands of unclosed `[` or `![` stays linear
   * instead of scanning to the end from each.
   *
   * The pass reads a bare address, an autolink or a link's `(dest "title")` as
   * `range` does: their backticks are theirs, not code span openers. Taken for
   * openers, they made spans no one shows that hid later brackets from a parse
   * starting before the address only, so a parse from the paragraph's top saw
   * no clean point past a bracket a stream that had cut after the address
   * pairs, and cut anyway elsewhere.
   */
  const pairBrackets = () => {
    if (!brackets) {
      brackets = new Map();
      const stack: number[] = [];
      const read = reader(src.length, true);
      const openBefore = openCode;
      for (let k = 0; k < src.length; ) {
        const next = read.skip(k);
        if (next > k) {
          k = next;
          continue;
        }
        if (src[k] === '[') {
          stack.push(k);
          brackets.set(k, -1);
        } else if (src[k] === ']') {
          const open = stack.pop();
          // A pair closed after an open code span is not settled (that span
          // may yet swallow either bracket): mark it by its negated end.
          if (open !== undefined) {
            brackets.set(open, openCode ? ~k : k);
            closers.set(k, !openCode);
            read.linkText(k);
          }
        }
        k++;
      }
      stats.inlineChars += src.length;
      // The spans the pass left open are its own: an emphasis look-ahead that
      // ran it on the way must not count them as ones it crossed.
      openCode = openBefore;
    }
    return brackets;
  };
  const bracketClose = (open: number) => pairBrackets().get(open) ?? -1;
  /** Whether the pair the `]` at `k` closes is settled; undefined when it closes none. */
  const pairClosedAt = (k: number) => pairBrackets() && closers.get(k);

  /**
   * The run of exactly `n` × `c` that closes emphasis opened before `from`, or
   * -1. It reads code spans as `range` will inside and the bracket pass does
   * from the top: a closer past a span only it saw (one opened by an address's
   * backtick) left `range` a backtick it showed as text, while the pass took it
   * for a span past the closer that hid the brackets after it, and a stream
   * that had not seen the span's end paired them.
   */
  const emphasisClose = (c: string, n: number, from: number, to: number, inLink: boolean) => {
    const before = openCode;
    let unsettledPair = false;
    const read = reader(to, !inLink);
    // Not empty; a code span or escape right after the opener is skipped too.
    let k = Math.max(read.skip(from), from + 1);
    while (k < to) {
      const next = read.skip(k);
      if (next > k) k = next;
      else if (src[k] === c) {
        const m = runLength(k, to);
        if (m === n && !isWS(src[k - 1]) && (c !== '_' || !isAlnum(src.charAt(k + m)))) break;
        k += m;
      } else {
        // A link's `(dest)` owns its backticks, as `range` will take them.
        const settled = !inLink && src[k] === ']' && src[k + 1] === '(' ? pairClosedAt(k) : undefined;
        if (settled !== undefined) {
          unsettledPair ||= !settled;
          read.linkText(k);
        }
        k++;
      }
    }
    stats.inlineChars += Math.min(k, to) - from;
    dirty ||= openCode > before || unsettledPair;
    return k < to ? k : -1;
  };

  /**
   * The `(dest "title")` after a link's `]` at `k`: [its end, the destination];
   * null when it is not one, undefined when it runs off `to`.
   */
  const tail = (k: number, to: number): [number, string] | null | undefined => {
    if (src[++k] !== '(') return null;
    k++;
    const spaces = () => {
      while (k < to && isWS(src[k])) k++;
    };
    spaces();
    let dest: string;
    if (src[k] === '<') {
      const close = src.indexOf('>', k);
      if (close < 0 || close >= to || src.slice(k, close).includes('\n')) return;
      dest = src.slice(k + 1, close);
      k = close + 1;
    } else {
      const from = k;
      for (let parens = 0; k < to && !isWS(src[k]); k++) {
        if (src[k] === '\\') k++;
        else if (src[k] === '(') parens++;
        else if (src[k] === ')' && parens-- === 0) break;
      }
      dest = src.slice(from, k);
    }
    spaces();
    const q = src.charAt(k);
    if (/["'(]/.test(q)) {
      const close = src.indexOf(q === '(' ? ')' : q, k + 1);
      if (close < 0 || close >= to) return;
      k = close + 1;
      spaces();
    }
    if (k >= to) return;
    return src[k] === ')' ? [k + 1, dest.replace(/\\([!-/:-@[-`{-~])/g, '$1')] : null;
  };

  /** `[text](dest "title")` from just after `[`: [end of text, dest, end]; null when it is not one. */
  const link = (start: number, to: number): [number, string, number] | null => {
    let textEnd = bracketClose(start - 1);
    if (textEnd < -1) {
      textEnd = ~textEnd;
      // Only a pair this range could take as a link makes the decision unsettled.
      dirty ||= textEnd < to - 1;
    }
    if (textEnd < 0 || textEnd >= to - 1) return ranOff(to);
    const found = tail(textEnd, to);
    if (found === undefined) return ranOff(to);
    return found && [textEnd, found[1], found[0]];
  };

  const image = (alt: string, dest: string, p: ParentNode) => {
    const url = safeImageSrc(dest, env.images);
    if (url) {
      setAttributes(el('img', p), { alt, loading: 'lazy', referrerpolicy: 'no-referrer', src: url });
      return;
    }
    // No request leaves: a label, a link to open it on purpose when the address is safe.
    const href = safeHref(dest);
    const label = href ? anchor(href, p) : el('span', p);
    label.className = 'md-img';
    label.textContent = env.imageLabel(alt);
  };

  const range = (from: number, to: number, p: ParentNode, inLink: boolean): void => {
    let text = '';
    const flush = () => {
      if (text) {
        p.append(text);
        if (p === parent) topNodes++;
      }
      text = '';
    };
    // Chat text means its line breaks: every newline is a break.
    const br = () => {
      text = text.replace(/[ \t]+$/, '');
      flush();
      el('br', p);
    };
    /** Where the run from `k` up to the first of `stops` ends; a run to the end of growing text may go on. */
    const scan = (k: number, stops: string) => {
      k = reach(k, stops, to);
      if (k === to) ranOff(to);
      return k;
    };
    const noCloser = new Set<string>();
    for (let i = from; i < to; ) {
      const c = src.charAt(i);
      // A backslash before a newline is a break that trims the blanks before it: no cut between
      // them, nor before a backslash whose next character has not come yet.
      const hardBreak = c === '\\' && (i + 1 === to || src[i + 1] === '\n');
      if (p === parent && !inLink && !dirty && isWS(src[i - 1]) && !isWS(c) && !hardBreak) {
        clean.push(i);
        nodes.push(topNodes, text.length);
      }
      /** How many characters to take as text when no construct starts here. */
      let literal = 1;
      if (c === '\\' && i + 1 < to && ESCAPABLE.test(src.charAt(i + 1))) {
        if (src[i + 1] === '\n') br();
        else text += src[i + 1];
        i += 2;
        continue;
      }
      if (c === '\n') {
        br();
        i++;
        continue;
      }
      if (c === '`') {
        const n = runLength(i, to);
        const close = codeClose(i + n, to, n);
        if (close >= 0) {
          flush();
          let code = src.slice(i + n, close).replace(/\n/g, ' ');
          if (code[0] === ' ' && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
          el('code', p).textContent = code;
          i = close + n;
          continue;
        }
        ranOff(to);
        literal = n;
      } else if ('*_~'.includes(c)) {
        const n = runLength(i, to);
        const canOpen = (c === '~' ? n === 2 : n <= 3) && i + n < to && !isWS(src[i + n]) && (c !== '_' || !isAlnum(src.charAt(i - 1)));
        const key = c + n;
        const close = canOpen && !noCloser.has(key) ? emphasisClose(c, n, i + n, to, inLink) : -1;
        if (close >= 0) {
          flush();
          let inner = p;
          for (const tag of (c === '~' ? 'del' : n === 1 ? 'em' : n === 2 ? 'strong' : 'strong em').split(' ')) inner = el(tag, inner);
          range(i + n, close, inner, inLink);
          i = close + n;
          continue;
        }
        if (canOpen) {
          noCloser.add(key);
          ranOff(to);
        }
        literal = n;
      } else if ((c === '[' || (c === '!' && src[i + 1] === '[')) && !inLink) {
        const start = i + (c === '!' ? 2 : 1);
        const found = link(start, to);
        if (found) {
          const [textEnd, dest, end] = found;
          flush();
          if (c === '!') image(src.slice(start, textEnd), dest, p);
          else {
            const href = safeHref(dest);
            range(start, textEnd, href ? anchor(href, p) : p, true);
          }
          i = end;
          continue;
        }
        literal = start - i;
      } else if (c === '<' && !inLink) {
        const k = scan(i + 1, AUTOLINK_END);
        const href = autolink(i, k);
        if (href) {
          flush();
          anchor(href, p).textContent = src.slice(i + 1, k);
          i = k + 1;
          continue;
        }
      } else if (c === 'h' && !inLink && isAddress(i)) {
        // A bare address, as chat text often has them.
        const k = trimUrlEnd(src, i, scan(i, ADDRESS_END));
        const url = src.slice(i, k);
        const href = safeHref(url);
        if (href) {
          flush();
          anchor(href, p).textContent = url;
          i = k;
          continue;
        }
        literal = k - i;
      }
      text += src.slice(i, i + literal);
      i += literal;
    }
    flush();
  };

  range(0, src.length, parent, false);
  return { at: clean, nodes };
}

/** Trailing punctuation is the sentence's, not the address's; `)` only when unbalanced. */
function trimUrlEnd(src: string, from: number, to: number): number {
  // Counted once, then kept up to date: a run of `)` stays linear.
  let balance = 0;
  for (let k = from; k < to; k++) balance += src[k] === '(' ? 1 : src[k] === ')' ? -1 : 0;
  while (to > from && ('.,:;!?\'"*_~'.includes(src.charAt(to - 1)) || (src[to - 1] === ')' && balance++ < 0))) to--;
  return to;
}
