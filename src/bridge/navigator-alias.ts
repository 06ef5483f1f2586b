/**
 * The Chrome-146-era shape on `navigator.modelContext`, over whatever
 * `document.modelContext` is (native, ours, another library), so older pages
 * register into the same registry the bridge lists:
 * - `registerTool(tool)` registers (through a signal of our own);
 * - `unregisterTool(name)` removes a tool registered through this alias;
 * - `provideContext({ tools })` replaces the alias's tools with these;
 * - `clearContext()` removes them all.
 * Those pages never listed or ran tools themselves, so that is the whole shape.
 */
import type { ModelContext, ModelContextTool } from './model-context.js';

export type NavigatorAlias = Record<(typeof ALIAS_METHODS)[number], (...args: never[]) => unknown>;

export const ALIAS_METHODS = ['registerTool', 'unregisterTool', 'provideContext', 'clearContext'] as const;

/** The alias's methods over `context` (the lazily loaded part builds it; install-polyfill.ts puts a stub in place first). */
export function navigatorAlias(context: ModelContext): NavigatorAlias {
  // Every registration made here, by name; aborting one that failed changes nothing.
  const stops = new Set<[string, AbortController]>();
  const remove = (name?: string) =>
    stops.forEach((entry) => {
      if (name !== undefined && entry[0] !== `${name}`) return;
      entry[1].abort();
      stops.delete(entry);
    });
  const registerTool = (tool: ModelContextTool) => {
    const stop = new AbortController();
    stops.add([`${tool?.name}`, stop]);
    return context.registerTool(tool, { signal: stop.signal });
  };
  const unregisterTool = (name: string) => remove(`${name}`);
  const clearContext = () => remove();
  const provideContext = (options: { tools?: ModelContextTool[] } = {}) => {
    clearContext();
    return Promise.all([...(options.tools ?? [])].map(registerTool));
  };
  return { registerTool, unregisterTool, provideContext, clearContext };
}

/**
 * Puts the alias on `navigator.modelContext` at once, as a stub whose calls
 * wait for the lazily loaded part and then run in the order they were made,
 * so the core stays small and a page calling it inline still works.
 */
export function installNavigatorAlias(win: Window, load: () => Promise<NavigatorAlias> | undefined): void {
  const nav = win.navigator as Navigator & { modelContext?: unknown };
  if (!nav || nav.modelContext) return;
  const stub: Record<string, unknown> = {};
  // One promise for every call, so their callbacks run in the order the page called.
  let loaded: Promise<NavigatorAlias> | undefined;
  for (const key of ALIAS_METHODS) {
    stub[key] = (...args: never[]) => {
      loaded ??= load();
      return loaded?.then((alias) => alias[key](...args));
    };
  }
  nav.modelContext = stub;
}
