/**
 * Reads a signal in a component and re-renders when it changes. This is all
 * the panel needs of @preact/signals' Preact adapter, whose option hooks into
 * every render cost ~1 KB gzip on every product page.
 */
import type { ReadonlySignal } from '@preact/signals-core';
import { useLayoutEffect, useReducer } from 'preact/hooks';

export function useSignalValue<T>(source: ReadonlySignal<T>): T {
  const value = source.peek();
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  // `subscribe` calls back at once with the current value: a change between
  // this render and the subscription is not missed.
  useLayoutEffect(() => source.subscribe((next) => next !== value && rerender(0)), [source, value]);
  return value;
}
