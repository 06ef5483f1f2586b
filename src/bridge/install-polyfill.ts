/**
 * Where the polyfill goes, and when it steps aside. The rule, whatever the
 * order of the script tags:
 * - a page (or browser) that already has `document.modelContext` keeps it: we
 *   install nothing there (loaded last, we do nothing);
 * - loaded first, ours is an accessor on `document`: when the page then
 *   installs its own (assigning `document.modelContext`, or defining it), ours
 *   hands it the tools registered so far and forwards every call to it;
 * - pages that install their own only when none is there keep ours, which
 *   serves what theirs would (form tools, iframes, the older navigator shape);
 * - non-secure pages get nothing, as native WebMCP is `[SecureContext]`.
 * The Chrome-146 `navigator.modelContext` alias is added wherever a
 * `document.modelContext` exists and it does not (Chromium 156 has none).
 */
import { installNavigatorAlias } from './navigator-alias.js';
import { captureRegistrations } from './registrations.js';
import { ModelContextPolyfill } from './polyfill.js';
import type { ModelContext } from './model-context.js';
import type { PolyfillExtras } from './polyfill-extras.js';

type Doc = Document & { modelContext?: ModelContext };

/**
 * Puts the polyfill on `document.modelContext` unless the page already has a
 * WebMCP (native, MCP-B, or the older `navigator.modelContext`).
 * Returns whether it installed.
 */
export function installPolyfill(
  win: Window | undefined = globalThis.window,
  loadExtras?: () => Promise<{ extras: PolyfillExtras }>,
): boolean {
  captureRegistrations(win); // native keeps only some hints: see registrations.ts
  const doc = win?.document as Doc | undefined;
  if (!win || !doc || win.isSecureContext === false) return false;
  const aliasOver = (context: ModelContext) => installNavigatorAlias(win, () => loadExtras?.().then(({ extras }) => extras.alias(context)));
  if (doc.modelContext) {
    aliasOver(doc.modelContext);
    return false;
  }
  // The older shape alone (Chromium 146–151, old libraries): theirs, left as it is.
  if ((win.navigator as { modelContext?: unknown } | undefined)?.modelContext) return false;
  // Loaded once a page shows it needs it: an iframe, a form tool, an origin list.
  let loaded: Promise<PolyfillExtras | undefined> | undefined;
  const extras = (force: boolean) => {
    if (!loaded && loadExtras && (force || win.frames?.length || doc.querySelector('form[toolname]'))) {
      loaded = loadExtras().then(
        ({ extras }) => extras.watchForms(ours, doc).then(() => extras),
        () => undefined,
      );
    }
    return loaded;
  };
  const ours = new ModelContextPolyfill(win, extras);
  let current: ModelContext = ours;
  Object.defineProperty(doc, 'modelContext', {
    configurable: true,
    get: () => current,
    // `document.modelContext = theirs`: the page's own implementation wins.
    set(theirs: ModelContext) {
      ours.handOver(theirs);
      current = theirs;
    },
  });
  // `instanceof ModelContext` holds, as it does on native.
  // (Not enumerable, as interface objects are: the page sees no new key on window.)
  Object.defineProperty(win, 'ModelContext', { value: ModelContextPolyfill, configurable: true, writable: true });
  aliasOver(ours);
  // Once the page's scripts ran: a page that defined its own over ours gets ours' tools
  // (any call on ours hands them over), and form tools already in the page are registered.
  doc.addEventListener('DOMContentLoaded', () => ours.getTools());
  return true;
}
