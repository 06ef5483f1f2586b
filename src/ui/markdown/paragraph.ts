/**
 * A paragraph or heading while it streams. Only its unsettled tail is kept
 * (a megabyte kept whole would be copied on every slice) and re-parsed, from
 * its last clean cut point (see inline.ts), which is at most a word or an open
 * construct behind. A construct left open for more than `SEGMENT` characters
 * is cut anyway, at a place that depends only on the text, so the work per
 * delta stays bounded even for hostile text, and any split of the stream
 * gives the same DOM.
 */
import { type CleanPoints, type InlineEnv, renderInline } from './inline.js';

/** Past this many characters without a clean cut, a segment is cut anyway. */
export const SEGMENT = 1024;
/** Characters parsed per pass: past the latest forced cut (4 × SEGMENT, +1 for a surrogate pair), plus room. */
const WINDOW = 5 * SEGMENT;
/** A paragraph longer than this is laid out in blocks of about this many characters. */
const CHUNK = 8 * SEGMENT;

export interface Paragraph {
  add(text: string): void;
  /** Re-renders the open segment if it changed; with `final`, the whole rest, for good. */
  render(final: boolean): void;
}

export function paragraph(el: HTMLElement, env: InlineEnv, heading: boolean): Paragraph {
  /** The text not yet settled; the `settled` characters before it are in the DOM for good. */
  let text = '';
  let settled = 0;
  let changed = false;
  /**
   * Where inline content goes: the element itself, then, once the paragraph
   * has run past CHUNK characters, a block `span.wmc-chunk` per CHUNK. One
   * block of a megabyte would be laid out whole on every frame; chunks before
   * the open one are settled, and off screen they are skipped (styles.ts).
   * Chunks start at cut points, so any split of the stream gives the same ones.
   */
  let box = el;
  let chunkStart = 0;
  /**
   * How many of the box's last children show the open segment. Counted, not
   * read from `childNodes.length`: after each change Chromium recounts a live
   * child list from the start, which made a paragraph with thousands of
   * children quadratic.
   */
  let openNodes = 0;

  const parse = (src: string): [DocumentFragment, CleanPoints] => {
    const nodes = env.doc.createDocumentFragment();
    return [nodes, renderInline(src, nodes, env)];
  };
  /**
   * The nodes a parse of the text up to its clean point `j` shows: the text
   * before a clean point parses the same whatever follows, so they are the
   * parse's own nodes up to there, with the text node the point falls in cut.
   */
  const upToClean = (parsed: DocumentFragment, points: CleanPoints, j: number) => {
    const chars = points.nodes[2 * j + 1] as number;
    // From the end: what follows a clean point is short, what precedes it may be long.
    for (let n = parsed.childNodes.length - (points.nodes[2 * j] as number) - (chars ? 1 : 0); n > 0; n--) parsed.lastChild?.remove();
    if (chars) (parsed.lastChild as Text).data = (parsed.lastChild as Text).data.slice(0, chars);
    return parsed;
  };
  /** Replaces the open segment's nodes with `nodes`, which stay for good when `settle`. */
  const show = (nodes: DocumentFragment, settle: boolean) => {
    for (; openNodes > 0; openNodes--) box.lastChild?.remove();
    if (!settle) openNodes = nodes.childNodes.length;
    box.append(nodes);
  };

  /**
   * The last clean point (relative to the window) that the text from `cut`
   * shows once it runs SEGMENT + 1 characters on: `c` when the window is no
   * longer than that. A stream that far along may cut anyway (`forcedCut`)
   * before it sees a clean point that a look-ahead past there decides (a `[`
   * paired with a `]` a page on): such a point is taken by no one, or the
   * whole text would cut where a stream does not.
   */
  const showsInTime = (rest: string, cut: number, c: number) => (rest.length <= cut + SEGMENT + 1 ? c : lastShown(rest, cut));
  /** The last clean point the text from `cut` shows within SEGMENT + 1 characters, or `cut`. */
  const lastShown = (rest: string, cut: number) => cut + (parse(rest.slice(cut, cut + SEGMENT + 1))[1].at.pop() ?? 0);

  return {
    add(more) {
      text += more;
      changed = true;
    },
    render(final) {
      if (!changed && !final) return;
      changed = false;
      let seg = 0;
      // Freeze what is settled: walk the clean cut points, cutting anyway when
      // a segment runs past SEGMENT characters without one. Each pass parses a
      // window of at most WINDOW characters (enough to see the next forced
      // cut), so a megabyte arriving at once costs passes over a window each.
      for (;;) {
        const rest = text.slice(seg, seg + WINDOW);
        const [open, points] = parse(rest);
        const clean = points.at.slice();
        // A heading is one line: cut only when forced, so its end can be trimmed.
        if (heading) clean.length = 0;
        // Past the last clean point: only a forced cut, when it falls in the window.
        clean.push(rest.length + 1);
        let cut = 0;
        // Where the current chunk is long enough to end, relative to `seg`.
        const chunkAt = chunkStart + CHUNK - settled - seg;
        /** Clean points up to here show within SEGMENT characters of the cut they follow. */
        let shown = 0;
        for (let j = 0; j < clean.length; ) {
          const c = clean[j] as number;
          if (c > shown && c <= rest.length) shown = showsInTime(rest, cut, c);
          // Shown too late to count: cut anyway once the stream would (within the window), else wait.
          const late = c <= rest.length && c > shown;
          const limit = late || c > cut + SEGMENT ? forcedCut(text, seg + cut) : -1;
          if (limit >= 0 && (late ? limit - seg <= rest.length : c > limit - seg)) {
            // The list came from a parse from `seg`, whose look-ahead may have seen what one from
            // `cut` does not (a backtick inside an address taken for a code span that hides a later
            // bracket pair): a stream that cut at `cut` would take what it shows in time instead.
            const seen = late ? shown : lastShown(rest, cut);
            if (seen > cut) {
              cut = shown = seen;
              if (cut >= chunkAt) break;
              continue;
            }
            cut = limit - seg;
            break;
          }
          if (late || c > rest.length) break;
          cut = c;
          j++;
          if (cut >= chunkAt) break;
        }
        if (!cut) {
          if (!final) show(open, false);
          break;
        }
        const j = points.at.indexOf(cut);
        show(j < 0 ? parse(rest.slice(0, cut))[0] : upToClean(open, points, j), true);
        seg += cut;
        if (cut >= chunkAt) {
          // The first cut point past CHUNK characters: what follows goes into a
          // new block, so layout and paint leave the chunks before it alone.
          box = el.appendChild(env.doc.createElement('span'));
          box.className = 'wmc-chunk';
          chunkStart = settled + seg;
        }
      }
      if (final) {
        const rest = text.slice(seg).trimEnd();
        show(parse(heading ? rest.replace(/(^|[ \t]+)#+$/, '').trimEnd() : rest)[0], true);
      }
      settled += seg;
      text = text.slice(seg);
    },
  };
}

/** Where a segment starting at `at` must be cut at the latest, or -1 while the text is too short to tell. */
function forcedCut(text: string, at: number): number {
  const soft = at + SEGMENT;
  const hard = at + 4 * SEGMENT;
  if (soft >= text.length) return -1;
  // The first word that starts past `soft`.
  const word = text.slice(soft - 1, hard).search(/\s\S/);
  if (word >= 0) return soft + word;
  if (hard >= text.length) return -1;
  return /[\udc00-\udfff]/.test(text.charAt(hard)) ? hard + 1 : hard;
}
