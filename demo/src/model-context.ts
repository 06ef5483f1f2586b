/**
 * Finds `document.modelContext`. `/webmcp-polyfill.js` runs before this
 * module (a classic script above it in the page), so it exists either natively
 * (Chromium with WebMCP on) or through the polyfill.
 */
import type { ModelContext, ModelContextTool } from '../../widget.js';

export type { ModelContext, ModelContextTool };

export function modelContext(): ModelContext | undefined {
  return (document as Document & { modelContext?: ModelContext }).modelContext;
}

export function webmcpKind(): 'native' | 'polyfill' | 'other' | 'none' {
  const context = modelContext();
  if (!context) return 'none';
  if ((context as unknown as Record<string, unknown>).__isWebMcpChatPolyfill) return 'polyfill';
  return context.constructor?.name === 'ModelContext' ? 'native' : 'other';
}

/** Registers a tool; the returned controller's `abort()` unregisters it. */
export async function register<Input>(tool: ModelContextTool<Input>): Promise<AbortController> {
  const context = modelContext();
  if (!context) throw new Error('document.modelContext is missing: load /webmcp-polyfill.js first');
  const controller = new AbortController();
  await context.registerTool(tool, { signal: controller.signal });
  return controller;
}
