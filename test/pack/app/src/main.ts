// An app that installed webmcp-chat from its tarball: both entry points, typed
// as a new user would write them. Type-checked with skipLibCheck off, built
// with Vite, and run in Chromium by test/pack/pack.test.ts.
import 'webmcp-chat/polyfill';
import { createChat, defineTool, type ChatEventMap, type ChatWidget } from 'webmcp-chat';
import { createBridge, createChatSession, isChatError, messageText, type ChatSession, type ToolCallState } from 'webmcp-chat/core';

declare global {
  interface Window {
    shop: { cart: string[]; events: string[]; answer?: string; chat: ChatWidget };
  }
}

const params = new URLSearchParams(location.search);
const apiUrl = params.get('api')!;
const clientToken = params.get('token')!;
const cart: string[] = [];
const events: string[] = [];

// A page tool with a hand-written Standard Schema (no zod in this app).
defineTool({
  name: 'add_to_cart',
  description: 'Add a product to the cart by its sku',
  input: {
    '~standard': {
      version: 1,
      vendor: 'shop',
      validate: (value: unknown) => {
        const sku = (value as { sku?: unknown } | null)?.sku;
        return typeof sku === 'string' ? { value: { sku } } : { issues: [{ message: 'sku must be a string', path: ['sku'] }] };
      },
    },
  },
  jsonSchema: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
  execute: ({ sku }: { sku: string }) => {
    cart.push(sku);
    return { added: sku, items: cart.length };
  },
});

const chat = createChat({ clientToken, apiUrl, storage: 'memory', title: 'Shop help', metadata: { app: 'pack-test' } });
chat.on('toolresult', (call: ToolCallState) => events.push(`toolresult:${call.name}:${call.status}`));
chat.on('message', (message: ChatEventMap['message']) => {
  events.push(`message:${message.role}`);
  if (message.role === 'assistant') window.shop.answer = message.text;
});
chat.on('error', (error) => events.push(`error:${error.code}:${error.hint}`));
chat.on('ready', ({ session }) => void session.signals.status.value);
window.shop = { cart, events, chat };

// The headless entry point type-checks and builds too (not started: one chat per page).
export function headless(): ChatSession {
  const session = createChatSession({ apiUrl, clientToken, bridge: createBridge({ allowlist: ['add_*'] }), storage: 'memory' });
  session.on('error', (error) => console.log(isChatError(error) && error.code));
  session.on('message', (message) => console.log(messageText(message)));
  return session;
}
