import { ModelContextPolyfill } from '../../../src/bridge/polyfill.js';
import type { BridgeWindow, ModelContextTool } from '../../../src/bridge/model-context.js';

export const ORIGIN = 'https://shop.example';

/** A window-like object holding our polyfill, so bridge tests need no DOM. */
export function fakePage(): { win: BridgeWindow & { document: { modelContext: ModelContextPolyfill } }; context: ModelContextPolyfill } {
  const win = { location: { origin: ORIGIN }, navigator: {}, document: {} } as BridgeWindow & {
    document: { modelContext: ModelContextPolyfill };
  };
  const context = new ModelContextPolyfill(win as unknown as Window);
  win.document.modelContext = context;
  return { win, context };
}

export function tool(
  name: string,
  execute: ModelContextTool['execute'] = () => 'ok',
  extra: Partial<ModelContextTool> = {},
): ModelContextTool {
  return { name, description: `${name} tool`, execute, ...extra };
}
