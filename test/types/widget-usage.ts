// Compiles only if widget.d.ts serves a script-tag user: the global, the
// element, events and WebMCP registration, all typed. Checked by `npm run typecheck`.
import type { ModelContextTool, WebMCPChatElement } from '../../widget.js';

export async function storefront(): Promise<void> {
  window.WebMCPChat('open');
  const off = window.WebMCPChat('on', 'toolresult', (detail) => {
    const ms: number | undefined = detail.durationMs;
    void ms;
  });
  off();
  window.WebMCPChat('send', 'add the red mug to my cart');

  const element: WebMCPChatElement = document.createElement('webmcp-chat');
  element.options = { clientToken: 'ct_test_demo', corner: 'bottom-left', toolAllowlist: ['search_*'] };
  element.on('error', (error) => console.log(error.hint));

  const tool: ModelContextTool<{ query: string }> = {
    name: 'search_products',
    description: 'Search the catalog',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    annotations: { readOnlyHint: true },
    execute: ({ query }) => ({ results: [query] }),
  };
  await document.modelContext?.registerTool(tool);
}

// widget.d.ts stands alone for script-tag users; the widget's own option and
// element types live in src/. These fail to compile the day the two drift.
import type { ChatOptions, ChatEventName } from '../../src/embed/options.js';
import type { WebMCPChatOptions, WebMCPChatEventName } from '../../widget.js';
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const optionsMatch: Same<ChatOptions, WebMCPChatOptions> = true;
export const eventNamesMatch: Same<ChatEventName, WebMCPChatEventName> = true;
