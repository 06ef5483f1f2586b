/**
 * Reads a signal in a component and re-renders when it changes. This is all
 * the panel needs of @preact/signals' Preact adapter, whose option hooks into
 * every render cost ~1 KB gzip on every product page.
 *
 * Renders are throttled: a streamed answer changes the state once per token,
 * and a burst of buffered tokens would otherwise cost a render (and a forced
 * layout) each. The first change renders at once; changes within the next
 * frame's worth of time are folded into one render. When it is due, `skip`
 * may take care of the change itself (see live-text.ts) and spare the render.
 */
import type { ReadonlySignal } from '@preact/signals-core';
import { useLayoutEffect, useReducer, useRef } from 'preact/hooks';

const FRAME_MS = 16;

export function useSignalValue<T>(source: ReadonlySignal<T>, skip?: (shown: T, next: T) => boolean): T {
  const value = source.peek();
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const lastRender = useRef(0);
  lastRender.current = performance.now();
  useLayoutEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    // `subscribe` calls back at once with the current value: a change between
    // this render and the subscription is not missed.
    const unsubscribe = source.subscribe((next) => {
      if (next === value || timer !== undefined) return;
      const wait = Math.max(0, lastRender.current + FRAME_MS - performance.now());
      timer = setTimeout(() => {
        timer = undefined;
        if (!live) return;
        if (!skip?.(value, source.peek())) return rerender(0);
        // Taken care of: the next change waits its frame from now, as after a render.
        lastRender.current = performance.now();
      }, wait);
    });
    return () => {
      live = false;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [source, value]);
  return value;
}
