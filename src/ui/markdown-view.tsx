import { useLayoutEffect, useRef } from 'preact/hooks';
import { direction } from './markdown/direction.js';
import { MarkdownStream } from './markdown/stream.js';
import type { Painter } from './live-text.js';

interface Props {
  text: string;
  done: boolean;
  /** Goes up when the text was replaced, not appended to: paint again from scratch. */
  rewrites?: number;
  images?: boolean | readonly string[];
  imageLabel: string;
  /** Where to say how this view paints text that grew between renders (live-text.ts); returns the way to stop. */
  live?: (painter: Painter) => () => void;
}

/**
 * A burst (a megabyte the network delivered faster than frames came) is fed
 * in pieces until a task has spent its budget, then the rest waits for the
 * next task, so no single one blocks the page. A piece is small enough that
 * the budget is overrun by little, large enough that the clock is read rarely.
 */
const PIECE = 2 * 1024;
const BUDGET_MS = 12;
/**
 * While a burst is painted, the blocks it adds are built off the page and
 * put on it at most this often (and at once when it is all painted). Each
 * frame that shows new blocks lays them out, styles them and decides which
 * are off screen; every 100 ms instead of every frame, a 20,000-token answer
 * arriving at once took about a sixth less CPU time (and 250 ms, a third,
 * but a page filling in four steps a second looks stuck). Text arriving at
 * reading pace is painted whole in each task, so it goes on the page at once.
 */
const SHOW_EVERY_MS = 100;

/** What a view has painted into its element, and what it is to show. */
interface Painting {
  md: MarkdownStream;
  /** The stream's root: top-level blocks wait here, off the page, until shown. */
  stage: HTMLElement;
  /** When its blocks last went on the page. */
  shownAt: number;
  length: number;
  rewrites: number;
  dir: boolean;
  text: string;
  done: boolean;
  /** Cancels the slice waiting for the next frame, if one is. */
  cancel?: () => void;
}

/** Paints streaming markdown into its own element: only the new text is fed in. */
export function MarkdownView({ text, done, rewrites = 0, images, imageLabel, live }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const painting = useRef<Painting | null>(null);

  /** Puts the blocks built since the last time on the page, after those already there. */
  const show = (el: HTMLElement, p: Painting) => {
    if (p.stage.firstChild) el.append(...p.stage.childNodes);
    p.shownAt = performance.now();
  };

  /** Paints what `p` is to show, a budget at a time. */
  const paint = (el: HTMLElement, p: Painting) => {
    p.cancel?.();
    p.cancel = undefined;
    const start = performance.now();
    const { text } = p;
    while (p.length < text.length) {
      const upTo = Math.min(text.length, p.length + PIECE);
      if (!p.dir) {
        // One character back: a letter split between two pieces is still seen whole.
        const dir = direction(text.slice(Math.max(0, p.length - 1), upTo));
        if (dir) el.dir = dir;
        p.dir = dir !== undefined;
      }
      p.md.push(text.slice(p.length, upTo));
      p.length = upTo;
      if (p.length < text.length && performance.now() - start >= BUDGET_MS) {
        if (performance.now() - p.shownAt >= SHOW_EVERY_MS) show(el, p);
        // Still catching up: assistive technology (and tests) can tell the answer is not all shown yet.
        el.setAttribute('aria-busy', 'true');
        // The rest after the next frame: each frame lays out one slice's worth, not several.
        // A hidden page renders no frames: it goes straight on.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const more = () => paint(el, p);
        const frame = document.hidden ? 0 : requestAnimationFrame(() => (timer = setTimeout(more, 0)));
        if (!frame) timer = setTimeout(more, 0);
        p.cancel = () => {
          cancelAnimationFrame(frame);
          clearTimeout(timer);
        };
        return;
      }
    }
    if (p.done) p.md.end();
    show(el, p);
    el.removeAttribute('aria-busy');
  };

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    let p = painting.current;
    if (!p || p.rewrites !== rewrites || text.length < p.length) {
      p?.cancel?.();
      el.replaceChildren();
      el.removeAttribute('dir');
      const stage = el.ownerDocument.createElement('div');
      const md = new MarkdownStream(stage, { images, imageLabel: (alt) => `[${imageLabel}${alt ? `: ${alt}` : ''}]` });
      // The first slice of an answer goes on the page at once.
      p = painting.current = { md, stage, shownAt: Number.NEGATIVE_INFINITY, length: 0, rewrites, dir: false, text, done };
    }
    p.text = text;
    p.done = done;
    paint(el, p);
  }, [text, done, rewrites]);

  useLayoutEffect(() => {
    const el = ref.current;
    const stop = live?.((grown) => {
      const p = painting.current;
      // Text that did not grow from what this view holds is the render's to handle.
      if (!el || !p || p.done || grown.length < p.text.length) return;
      p.text = grown;
      paint(el, p);
    });
    return () => {
      stop?.();
    };
  }, [live]);

  // Nothing left to paint once the view is gone.
  useLayoutEffect(() => () => painting.current?.cancel?.(), []);

  // No dir="auto": see direction.ts.
  return <div class="wmc-md" ref={ref} />;
}
