import { useLayoutEffect, useReducer, useRef } from 'preact/hooks';
import { direction } from './markdown/direction.js';
import { MarkdownStream } from './markdown/stream.js';

interface Props {
  text: string;
  done: boolean;
  /** Goes up when the text was replaced, not appended to: paint again from scratch. */
  rewrites?: number;
  images?: boolean | readonly string[];
  imageLabel: string;
}

/**
 * A burst (a megabyte the network delivered faster than frames came) is fed
 * in pieces until a task has spent its budget, then the rest waits for the
 * next task, so no single one blocks the page. A piece is small enough that
 * the budget is overrun by little, large enough that the clock is read rarely.
 */
const PIECE = 2 * 1024;
const BUDGET_MS = 12;

/** Paints streaming markdown into its own element: only the new text is fed in. */
export function MarkdownView({ text, done, rewrites = 0, images, imageLabel }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const painted = useRef<{ md: MarkdownStream; length: number; rewrites: number; dir: boolean } | null>(null);
  const [slices, more] = useReducer((n: number) => n + 1, 0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    let p = painted.current;
    if (!p || p.rewrites !== rewrites || text.length < p.length) {
      el.replaceChildren();
      el.removeAttribute('dir');
      const md = new MarkdownStream(el, { images, imageLabel: (alt) => `[${imageLabel}${alt ? `: ${alt}` : ''}]` });
      p = painted.current = { md, length: 0, rewrites, dir: false };
    }
    const start = performance.now();
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
        // Still catching up: assistive technology (and tests) can tell the answer is not all shown yet.
        el.setAttribute('aria-busy', 'true');
        // The rest after the next frame: each frame lays out one slice's worth, not several.
        // A hidden page renders no frames: it goes straight on.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const frame = document.hidden ? 0 : requestAnimationFrame(() => (timer = setTimeout(more, 0)));
        if (!frame) timer = setTimeout(more, 0);
        return () => {
          cancelAnimationFrame(frame);
          clearTimeout(timer);
        };
      }
    }
    el.removeAttribute('aria-busy');
    if (done) p.md.end();
  }, [text, done, rewrites, slices]);
  // No dir="auto": see direction.ts.
  return <div class="wmc-md" ref={ref} />;
}
