/**
 * The first page of session.test.ts's reload test, run in an iframe: our
 * polyfill, a `slow_tool` that never ends (each run counted in the parent),
 * and a session on IndexedDB. Removing the iframe ends this page the way a
 * reload does: no cancel, no resume, and the platform frees what it held.
 */
import { createBridge, installPolyfill } from '../../../src/bridge/index.js';
import { createChatSession } from '../../../src/client/index.js';

const params = new URLSearchParams(location.search);
installPolyfill(window);
const host = parent as unknown as { __firstPageRuns: number };
await (document as unknown as { modelContext: { registerTool(tool: unknown): Promise<void> } }).modelContext.registerTool({
  name: 'slow_tool',
  description: 'The slow_tool tool',
  inputSchema: { type: 'object', properties: {} },
  execute: () => {
    host.__firstPageRuns += 1;
    return new Promise(() => {});
  },
});
(window as unknown as { session: unknown }).session = createChatSession({
  apiUrl: params.get('api')!,
  clientToken: params.get('token')!,
  bridge: createBridge(),
  storage: 'indexeddb',
});
