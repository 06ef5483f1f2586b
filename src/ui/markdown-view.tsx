import { useLayoutEffect, useRef } from 'preact/hooks';
import { MarkdownStream } from './markdown/stream.js';

interface Props {
  text: string;
  done: boolean;
  /** Goes up when the text was replaced, not appended to: paint again from scratch. */
  rewrites?: number;
  images?: boolean | readonly string[];
  imageLabel: string;
}

/** Paints streaming markdown into its own element: only the new text is fed in. */
export function MarkdownView({ text, done, rewrites = 0, images, imageLabel }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const painted = useRef<{ md: MarkdownStream; length: number; rewrites: number } | null>(null);
  useLayoutEffect(() => {
    let p = painted.current;
    if (!p || p.rewrites !== rewrites || text.length < p.length) {
      const el = ref.current!;
      el.replaceChildren();
      const md = new MarkdownStream(el, { images, imageLabel: (alt) => `[${imageLabel}${alt ? `: ${alt}` : ''}]` });
      p = painted.current = { md, length: 0, rewrites };
    }
    p.md.push(text.slice(p.length));
    p.length = text.length;
    if (done) p.md.end();
  }, [text, done, rewrites]);
  return <div class="wmc-md" dir="auto" ref={ref} />;
}
