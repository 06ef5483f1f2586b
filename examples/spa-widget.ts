import '../src/polyfill.js'; // first, if you want WebMCP everywhere
import { createChat, defineTool } from '../src/index.js';
import { z } from 'zod';

const cart: { sku: string; quantity: number }[] = []; // your app's own state

defineTool({
  name: 'get_cart',
  description: "The shopper's cart.",
  input: z.object({}),
  annotations: { readOnlyHint: true },
  execute: () => ({ items: cart }),
});
const chat = createChat({ clientToken: 'ct_live_…', apiUrl: 'https://agent-api.example.com' });
chat.on('toolresult', (call) => console.log(call.name, call.status, call.result));
chat.on('error', (error) => console.warn(error.code, error.hint));
