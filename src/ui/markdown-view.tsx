import { useLayoutEffect, useReducer, useRef } from 'preact/hooks';
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
 * At most this much new text is fed in per task: a burst (a megabyte the
 * network delivered faster than frames came) is painted over several tasks,
 * so no single one blocks the page.
 */
const SLICE = 16 * 1024;

/** Paints streaming markdown into its own element: only the new text is fed in. */
export function MarkdownView({ text, done, rewrites = 0, images, imageLabel }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const painted = useRef<{ md: MarkdownStream; length: number; rewrites: number } | null>(null);
  const [slices, more] = useReducer((n: number) => n + 1, 0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    let p = painted.current;
    if (!p || p.rewrites !== rewrites || text.length < p.length) {
      el.replaceChildren();
      const md = new MarkdownStream(el, { images, imageLabel: (alt) => `[${imageLabel}${alt ? `: ${alt}` : ''}]` });
      p = painted.current = { md, length: 0, rewrites };
    }
    const upTo = Math.min(text.length, p.length + SLICE);
    p.md.push(text.slice(p.length, upTo));
    p.length = upTo;
    if (upTo < text.length) {
      const timer = setTimeout(more, 0);
      return () => clearTimeout(timer);
    }
    if (done) p.md.end();
  }, [text, done, rewrites, slices]);
  return <div class="wmc-md" dir="auto" ref={ref} />;
}
