/**
 * The part of the polyfill only some pages need, loaded on first use so the
 * core stays small: the tools of same-origin iframes (native lists them in the
 * parent's `getTools()`), declarative form tools, and the check of
 * `exposedTo` / `fromOrigins` lists, and the Chrome-146 navigator shape.
 */
import { syncFormTools } from './polyfill-forms.js';
import type { ModelContext, RegisteredTool } from './model-context.js';
import { originList } from './origins.js';
import { navigatorAlias, type NavigatorAlias } from './navigator-alias.js';

export interface PolyfillExtras {
  frameTools(win: Window | undefined, ownerOf: WeakMap<object, ModelContext>): Promise<RegisteredTool[]>;
  /** Keeps `<form toolname>` tools registered on `context` while they are in the document. */
  watchForms(context: ModelContext, doc: Document): Promise<void>;
  originList(value: unknown, member: string): string[];
  /** The Chrome-146 `navigator.modelContext` methods over `context`, one set per context. */
  alias(context: ModelContext): NavigatorAlias;
}

const aliases = new WeakMap<ModelContext, NavigatorAlias>();
function alias(context: ModelContext): NavigatorAlias {
  if (!aliases.has(context)) aliases.set(context, navigatorAlias(context));
  return aliases.get(context)!;
}

/** Tools of same-origin iframes whose own polyfill holds them; `ownerOf` learns which frame runs each. */
async function frameTools(win: Window | undefined, ownerOf: WeakMap<object, ModelContext>): Promise<RegisteredTool[]> {
  const found: RegisteredTool[] = [];
  for (let i = 0; i < (win?.frames?.length ?? 0); i++) {
    let context: ModelContext | undefined;
    try {
      context = (win!.frames[i]!.document as Document & { modelContext?: ModelContext }).modelContext;
    } catch {
      continue; // a cross-origin frame: not ours to read
    }
    if (!(context as unknown as Record<string, unknown> | undefined)?.__isWebMcpChatPolyfill) continue;
    for (const tool of await context!.getTools().catch(() => [])) {
      ownerOf.set(tool, context!);
      found.push(tool);
    }
  }
  return found;
}

export const extras: PolyfillExtras = { frameTools, watchForms: syncFormTools, originList, alias };
