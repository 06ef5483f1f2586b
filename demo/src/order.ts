/**
 * The quick-order page: a form tool whose submission loads the confirmation
 * page. Chromium with WebMCP registers the form itself; elsewhere the same
 * tool is registered here, and it submits the form the same way, so the page
 * really moves on in the middle of the agent's call.
 */
import { modelContext, register } from './model-context.js';

const form = document.getElementById('quick-order') as HTMLFormElement;

async function offerFormTool(): Promise<void> {
  const context = modelContext();
  if (!context) return;
  const tools = await context.getTools().catch(() => []);
  if (tools.some((tool) => tool.name === 'place_order')) return; // registered natively from the form
  await register<{ product?: string; quantity?: number }>({
    name: 'place_order',
    description: form.getAttribute('tooldescription') ?? '',
    inputSchema: {
      type: 'object',
      properties: {
        product: { type: 'string', description: 'The coffee’s product id, for example colombia-huila' },
        quantity: { type: 'integer', minimum: 1, description: 'How many 250 g bags' },
      },
      required: ['product'],
    },
    execute: ({ product = '', quantity = 1 }) => {
      (form.elements.namedItem('product') as HTMLInputElement).value = product;
      (form.elements.namedItem('quantity') as HTMLInputElement).value = String(quantity);
      form.requestSubmit();
      // The confirmation page loads now; the chat there reports the submission.
      return new Promise<never>(() => {});
    },
  });
}

void offerFormTool();
