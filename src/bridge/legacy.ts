/**
 * Chromium 146–151 pages: tools listed by `navigator.modelContextTesting.listTools()`
 * and run by name with a JSON string (`executeTool(name, json)`).
 * Schemas there are JSON strings; there are no annotations and no frames.
 */
import type { BridgeWindow, LegacyModelContextTesting } from './model-context.js';
import type { Backend } from './discover.js';
import type { RawTool } from './snapshot.js';

export function legacyBackend(testing: LegacyModelContextTesting, win: BridgeWindow | undefined): Backend {
  async function listTools(): Promise<RawTool[]> {
    const tools = await testing.listTools();
    return (Array.isArray(tools) ? tools : []).map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      ...(win?.location?.origin ? { origin: win.location.origin } : {}),
      handle: tool.name,
    }));
  }

  return {
    kind: 'legacy',
    listTools,
    callTool: (raw, args, signal) => testing.executeTool(String(raw.handle), JSON.stringify(args), { signal }),
    onChange(listener) {
      const handler = () => listener();
      if (typeof testing.addEventListener === 'function') {
        testing.addEventListener('toolchange', handler);
        return () => testing.removeEventListener?.('toolchange', handler);
      }
      // Older builds had a single callback slot and no way to remove it.
      let active = true;
      testing.registerToolsChangedCallback?.(() => active && listener());
      return () => void (active = false);
    },
  };
}
