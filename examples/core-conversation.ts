import { z } from 'zod';
import { createBridge, createChatSession, defineTool } from '../src/core.js';

export async function shopConversation(apiUrl: string, clientToken: string) {
  const cart: string[] = [];
  // Page tools, typed by their zod schemas; registered on document.modelContext.
  const tools = [
    defineTool({
      name: 'add_to_cart',
      description: 'Add a product to the cart by its sku',
      input: z.object({ sku: z.string() }),
      execute: ({ sku }) => {
        cart.push(sku);
        return { added: sku, items: cart.length };
      },
    }),
    defineTool({ name: 'get_cart', description: 'Read the cart', input: z.object({}), execute: () => ({ items: cart }) }),
  ];
  await Promise.all(tools.map((unregister) => unregister.ready));

  const session = createChatSession({ apiUrl, clientToken, bridge: createBridge(), storage: 'memory' });
  session.on('toolresult', (result) => console.log('a page tool ran', result));
  await session.send('add_to_cart "mug-1"');
  await session.send("what's in my cart? get_cart");
  await session.idle();
  return { transcript: session.transcript(), cart };
}
