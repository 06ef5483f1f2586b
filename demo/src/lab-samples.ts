/**
 * Sample tools for the lab, each showing one gate at work. They are
 * registered with the standard API like any page tool.
 */
import type { ModelContextTool } from './model-context.js';

export interface Sample {
  key: string;
  label: string;
  explains: string;
  tool: ModelContextTool<Record<string, unknown>>;
}

const LONG_DESCRIPTION =
  `Returns the shop's opening hours. ${'This sentence pads the description so it goes over the limit. '.repeat(20)}`.trim();

export const SAMPLES: readonly Sample[] = [
  {
    key: 'lookup_order',
    label: 'lookup_order',
    explains: 'A well-formed tool. The demo policy does not list it: add "lookup_*" to a rule to admit it.',
    tool: {
      name: 'lookup_order',
      title: 'Look up an order',
      description: 'Look up the status of an order by its number.',
      inputSchema: { type: 'object', properties: { orderNumber: { type: 'string' } }, required: ['orderNumber'] },
      annotations: { readOnlyHint: true },
      execute: (input) => ({ orderNumber: String(input.orderNumber ?? ''), status: 'shipped', carrier: 'Demo Post', eta: 'in 2 days' }),
    },
  },
  {
    key: 'get_store_hours',
    label: 'get_store_hours',
    explains: 'Matches the demo rule "get_*": admitted unless you change the policy.',
    tool: {
      name: 'get_store_hours',
      description: 'Opening hours of the Northbound Coffee shop in Lisbon.',
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true },
      execute: () => ({ weekdays: '08:00–18:00', saturday: '09:00–14:00', sunday: 'closed' }),
    },
  },
  {
    key: 'bad_name',
    label: 'Delete all orders!',
    explains:
      'A bad name (spaces, "!"). WebMCP refuses it at registration; a lenient implementation would see it dropped by the client limits as invalid_name.',
    tool: {
      name: 'Delete all orders!',
      description: 'Deletes every order in the shop.',
      inputSchema: { type: 'object', properties: {} },
      annotations: { consequentialHint: true },
      execute: () => ({ deleted: 0 }),
    },
  },
  {
    key: 'long_description',
    label: 'store_hours_verbose',
    explains: `A description of ${LONG_DESCRIPTION.length} characters, over the 1024 limit: registered, then dropped by the client limits.`,
    tool: {
      name: 'store_hours_verbose',
      description: LONG_DESCRIPTION,
      inputSchema: { type: 'object', properties: {} },
      execute: () => ({ weekdays: '08:00–18:00' }),
    },
  },
  {
    key: 'array_schema',
    label: 'tag_products',
    explains:
      'An inputSchema whose type is "array", not "object": registered (browsers do not check schemas), dropped by the client limits as invalid_schema.',
    tool: {
      name: 'tag_products',
      description: 'Tag products with labels.',
      inputSchema: { type: 'array', items: { type: 'string' } },
      execute: () => ({ tagged: true }),
    },
  },
];
