// Compiles only if widget.d.ts serves a script-tag user: the global, the
// element, events with their payloads, and WebMCP registration, all typed.
// Checked by `npm run typecheck` (tsconfig.widget.json, skipLibCheck off).
import type {
  ModelContextTool,
  WebMCPChatElement,
  WebMCPChatError,
  WebMCPChatErrorCode,
  WebMCPChatEvents,
  WebMCPChatOptions,
  WebMCPChatEventName,
  WebMCPChatSession,
  WebMCPChatStringKey,
} from '../../widget.js';

export async function storefront(): Promise<void> {
  await window.WebMCPChat('open');
  const off = window.WebMCPChat('on', 'toolresult', (detail) => {
    const ms: number | undefined = detail.durationMs;
    const who: 'not-required' | 'allowed-once' | 'always-allowed' | 'remembered' | 'declined' | undefined = detail.approval;
    const failed: boolean = detail.status === 'failed' || detail.status === 'timed-out';
    void [ms, who, failed, detail.result, detail.error?.toUpperCase()];
  });
  off();
  window.WebMCPChat('on', 'message', (message) => {
    // What the message event carries: its text, and the parts it came from.
    const text: string = message.text;
    const role: 'user' | 'assistant' = message.role;
    const reasoning = message.parts.filter((part) => part.type === 'reasoning').map((part) => part.text);
    void [text, role, reasoning, message.createdAt.toFixed(), message.streaming];
  });
  window.WebMCPChat('send', 'add the red mug to my cart');

  const element: WebMCPChatElement = document.createElement('webmcp-chat');
  element.options = {
    clientToken: 'ct_test_demo',
    corner: 'bottom-left',
    toolAllowlist: ['search_*'],
    strings: { launcherLabel: 'Help', status_done: 'Finished' },
    metadata: { cartId: 'c_1' },
    flowId: 'flow_support',
  };
  element.on('error', (error) => {
    const code: WebMCPChatErrorCode = error.code;
    if (error.retryable && code === 'rate_limited') console.log(error.hint, error.retryAfterMs);
    if (error instanceof Error) console.log(error.message);
  });
  element.on('ready', async ({ session }) => {
    await session.send('hello');
    await session.idle();
  });
  // The README's troubleshooting line, as written.
  await element.session?.idle();

  const tool: ModelContextTool<{ query: string }> = {
    name: 'search_products',
    description: 'Search the catalog',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    annotations: { readOnlyHint: true },
    execute: ({ query }) => ({ results: [query] }),
  };
  await document.modelContext?.registerTool(tool);
}

// @ts-expect-error an unknown string key is refused
export const badStrings: WebMCPChatOptions['strings'] = { launcherLable: 'typo' };

// widget.d.ts stands alone for script-tag users; the widget's own contract is
// src/embed/options.ts (and the client types it names). These fail to compile
// the day the two drift: options, events and their payloads, commands, codes.
import type { ChatCommands, ChatEventMap, ChatEventName, ChatOptions, ChatStringKey } from '../../src/embed/options.js';
import type { WebMCPChatElement as ElementClass } from '../../src/embed/element.js';
import type { ChatErrorCode, ChatError } from '../../src/client/errors.js';
import type { ChatSession } from '../../src/client/session.js';
/** Identical types (optional and readonly modifiers included). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Each assignable to the other: the same values are accepted both ways. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assignable<A, B> = [A] extends [B] ? true : false;

export const optionsMatch: Same<ChatOptions, WebMCPChatOptions> = true;
export const stringKeysMatch: Same<ChatStringKey, WebMCPChatStringKey> = true;
export const eventNamesMatch: Same<ChatEventName, WebMCPChatEventName> = true;
export const errorCodesMatch: Same<ChatErrorCode, WebMCPChatErrorCode> = true;
export const errorsMatch: Mutual<ChatError, WebMCPChatError> = true;
// Every payload but `ready` is the same type; `ready`'s session is the full ChatSession, which serves the declared one.
export const payloadsMatch: Mutual<Omit<ChatEventMap, 'ready'>, Omit<WebMCPChatEvents, 'ready'>> = true;
export const sessionServes: Assignable<ChatSession, WebMCPChatSession> = true;
export const readyServes: Assignable<ChatEventMap['ready'], WebMCPChatEvents['ready']> = true;
// The element class is what widget.d.ts declares, and has exactly the commands.
export const elementServes: Assignable<ElementClass, WebMCPChatElement> = true;
type Verbs<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];
export const commandsMatch: Same<Verbs<ChatCommands>, Exclude<Verbs<WebMCPChatElement>, Verbs<HTMLElement>>> = true;
