import { describe, expect, it } from 'vitest';
import { ADD_TO_CART, GET_CART, SEARCH, frames, ofType, start, tool, types } from './helpers.js';

const APPLY_COUPON = tool('apply_coupon', 'Apply a discount coupon code to the cart', 'webmcp', { code: { type: 'string' } }, ['code']);
const SET_SIZE = tool(
  'set_size',
  'Choose a shoe size',
  'webmcp',
  { size: { type: 'string', enum: ['small', 'medium', 'large'] }, count: { type: 'number' } },
  ['size'],
);
const ALL = [SEARCH, GET_CART, ADD_TO_CART, APPLY_COUPON, SET_SIZE];

async function ask(text: string, clientTools = ALL) {
  const api = await start();
  const sessionId = await api.init();
  const list = await frames(await api.chat(sessionId, text, { clientTools }));
  return { api, sessionId, list, executionId: (list[0]!.event as { executionId: string }).executionId };
}

describe('the scripted agent', () => {
  it.each([
    ['search products for "red shoes"', 'search_products', { query: 'red shoes' }],
    ['please search for blue hats', 'search_products', { query: 'blue hats' }],
    ['show me my cart', 'get_cart', {}],
    ['apply coupon SAVE10 please', 'apply_coupon', { code: 'SAVE10' }],
    ['add to cart "sku-42" 3', 'add_to_cart', { productId: 'sku-42', quantity: 3 }],
    ['set size large, 2 of them', 'set_size', { size: 'large', count: 2 }],
    ['use the discount coupon code WINTER25', 'apply_coupon', { code: 'WINTER25' }],
  ])('for %j calls %s with %j', async (text, name, args) => {
    const { list } = await ask(text);
    const awaits = ofType(list, 'await');
    expect(awaits.map((frame) => [frame.toolName, frame.parameters])).toEqual([[name, args]]);
  });

  it('calls two tools in parallel when asked for two things', async () => {
    const { list } = await ask('search products for lamps and show my cart');
    expect(ofType(list, 'await').map((frame) => [frame.toolName, frame.parameters])).toEqual([
      ['search_products', { query: 'lamps' }],
      ['get_cart', {}],
    ]);
  });

  it('quotes the results after a resume', async () => {
    const { api, sessionId, list, executionId } = await ask('search products for lamps and show my cart');
    const [a, b] = ofType(list, 'await');
    const resumed = await frames(
      await api.resume(sessionId, executionId, {
        [a!.toolCallId]: { result: [{ name: 'Desk lamp' }] },
        [b!.toolCallId]: { error: 'cart is locked' },
      }),
    );
    const text = ofType(resumed, 'execution_complete')[0]!.finalOutput as string;
    expect(text).toContain('Desk lamp');
    expect(text).toContain('**get_cart** failed: cart is locked');
  });

  it('answers in markdown over several deltas when no tool fits, listing the tools it has', async () => {
    const { list } = await ask('what is the weather like?', [SEARCH]);
    expect(types(list)).not.toContain('await');
    expect(ofType(list, 'text_delta').length).toBeGreaterThan(3);
    const text = ofType(list, 'execution_complete')[0]!.finalOutput as string;
    expect(text).toContain('**reference agent**');
    expect(text).toContain('`search_products`');
  });

  it('never calls a tool that admission dropped', async () => {
    const api = await start();
    const sessionId = await api.init('ct_test_strict');
    const list = await frames(await api.chat(sessionId, 'add to cart "sku-1"', { clientTools: [ADD_TO_CART, SEARCH] }));
    expect(types(list)).not.toContain('await');
  });
});
