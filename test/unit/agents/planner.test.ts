// The offline planner agent, driven the way the engine drives it: one model
// call at a time, each tool result handed back, until it speaks. Two pages
// with different tools show it plans from the tools it is given, not from
// words written for one of them.
import { describe, expect, it } from 'vitest';
import { type DoneCall, nextStep } from '../../../src/server/agents/planner.js';
import type { AgentTool } from '../../../src/server/agents/types.js';

interface PageTool extends AgentTool {
  run(args: Record<string, unknown>): unknown;
}

/** Plays a conversation turn: the tools it called with their arguments, and what it said. */
function converse(text: string, tools: readonly PageTool[]) {
  const done: DoneCall[] = [];
  for (let step = 0; step < 8; step++) {
    const next = nextStep(text, tools, done);
    if ('say' in next) return { calls: done.map((call) => [call.name, call.arguments]), answer: next.say };
    const tool = tools.find((candidate) => candidate.name === next.call.name)!;
    try {
      done.push({ ...next.call, ok: true, value: JSON.parse(JSON.stringify(tool.run(next.call.arguments))), error: '' });
    } catch (error) {
      done.push({ ...next.call, ok: false, value: undefined, error: (error as Error).message });
    }
  }
  throw new Error('the planner never answered');
}

const PRODUCTS = [
  { id: 'ethiopia', name: 'Ethiopia Yirgacheffe, 250 g', category: 'coffee', price: 14.5, text: 'bright floral' },
  { id: 'colombia-huila', name: 'Colombia Huila, 250 g', category: 'coffee', price: 12.9, text: 'caramel' },
  { id: 'dripper', name: 'Ceramic Pour-over Dripper', category: 'brewing', price: 28, text: 'cone' },
  { id: 'kettle', name: 'Gooseneck Kettle', category: 'brewing', price: 59, text: 'pour-over kettle' },
];

function shop() {
  const cart: { productId: string; name: string; quantity: number; lineTotal: number }[] = [];
  const summary = () => ({
    items: cart,
    itemCount: cart.reduce((n, item) => n + item.quantity, 0),
    total: cart.reduce((n, item) => n + item.lineTotal, 0),
    currency: 'USD',
  });
  const tools: PageTool[] = [
    {
      name: 'webmcp:search_products',
      description: 'Search the shop catalog by words in the name or description. Returns matching products with id, name and price in USD.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'Words to look for. Empty lists everything.' },
          category: { type: 'string', enum: ['coffee', 'brewing'] },
          maxPrice: { type: 'number', description: 'Highest price in USD.' },
        },
      },
      run: ({ query = '', category, maxPrice }) => {
        const words = String(query).toLowerCase().split(/\s+/).filter(Boolean);
        const products = PRODUCTS.filter(
          (p) =>
            (!category || p.category === category) &&
            (maxPrice === undefined || p.price <= Number(maxPrice)) &&
            words.every((w) => `${p.name} ${p.text} ${p.category}`.toLowerCase().includes(w)),
        ).map(({ text: _text, ...card }) => ({ ...card, currency: 'USD' }));
        return { count: products.length, products };
      },
    },
    {
      name: 'webmcp:add_to_cart',
      description: "Add a product to the shopper's cart. Returns the cart afterwards.",
      parameters: {
        type: 'object',
        properties: { productId: { type: 'string', description: 'The product id from search_products.' }, quantity: { type: 'integer' } },
        required: ['productId'],
      },
      run: ({ productId, quantity = 1 }) => {
        const product = PRODUCTS.find((p) => p.id === productId);
        if (!product) throw new Error(`no product with id ${String(productId)}`);
        cart.push({ productId: product.id, name: product.name, quantity: Number(quantity), lineTotal: product.price * Number(quantity) });
        return { added: { productId: product.id, name: product.name, quantity }, cart: summary() };
      },
    },
    {
      name: 'webmcp:get_cart',
      description: "Get the items in the shopper's cart, the coupon applied and the totals in USD.",
      parameters: { type: 'object', properties: {} },
      run: summary,
    },
    {
      name: 'webmcp:checkout',
      description: 'Place the order for everything in the cart and charge the saved card.',
      parameters: { type: 'object', properties: {} },
      run: () => ({ placed: true, orderId: 'ORD-7', total: summary().total, currency: 'USD' }),
    },
  ];
  return { tools, cart };
}

describe('the planner agent on a shop page', () => {
  it('finds a product by name before adding it, carrying the id from the search into the call', () => {
    const { tools, cart } = shop();
    const turn = converse('add the Colombian coffee to my cart', tools);
    expect(turn.calls).toEqual([
      ['webmcp:search_products', { query: 'colombian', category: 'coffee' }],
      ['webmcp:search_products', { category: 'coffee' }],
      ['webmcp:add_to_cart', { productId: 'colombia-huila' }],
    ]);
    expect(cart.map((item) => item.productId)).toEqual(['colombia-huila']);
    expect(turn.answer).toBe('Done: added Colombia Huila, 250 g. Your cart now has 1 item: Colombia Huila, 250 g ($12.90); total $12.90.');
  });

  it('uses an id given in quotes directly', () => {
    const { tools } = shop();
    expect(converse('add "kettle" to my cart, 2 please', tools).calls).toEqual([
      ['webmcp:add_to_cart', { productId: 'kettle', quantity: 2 }],
    ]);
  });

  it('reads a price limit into the schema bound and answers with names and prices', () => {
    const turn = converse('what is good for pour-over under $30?', shop().tools);
    expect(turn.calls).toEqual([['webmcp:search_products', { query: 'pour-over', maxPrice: 30 }]]);
    expect(turn.answer).toBe('I found one match for “pour-over”: Ceramic Pour-over Dripper ($28.00).');
  });

  it.each(["what's in my cart?", 'show my cart'])('reads the cart for %j', (question) => {
    const { tools } = shop();
    converse('add "dripper" to my cart', tools);
    const turn = converse(question, tools);
    expect(turn.calls).toEqual([['webmcp:get_cart', {}]]);
    expect(turn.answer).toBe('Your cart has 1 item: Ceramic Pour-over Dripper ($28.00); total $28.00.');
  });

  it('says an empty cart is empty', () => {
    expect(converse('show my cart', shop().tools).answer).toBe('Your cart is empty.');
  });

  it('checks out when asked, and reports the order', () => {
    const { tools } = shop();
    converse('add "dripper" to my cart', tools);
    const turn = converse('check out', tools);
    expect(turn.calls).toEqual([['webmcp:checkout', {}]]);
    expect(turn.answer).toBe('Done: checkout. Your order number is ORD-7. Total: $28.00.');
  });

  it('says a decline plainly, without the message meant for the model', () => {
    const { tools } = shop();
    const done: DoneCall[] = [
      {
        name: 'webmcp:checkout',
        arguments: {},
        ok: false,
        value: undefined,
        error: 'The person declined to run "checkout". Do not call it again.',
      },
    ];
    expect(nextStep('check out', tools, done)).toEqual({ say: 'Okay, you declined, so checkout did not run. Nothing was changed.' });
  });

  it('asks which one when several match equally, and says when nothing matches', () => {
    const { tools } = shop();
    expect(converse('add the 250 g coffee to my cart', tools).answer).toBe(
      'Which one do you mean: Ethiopia Yirgacheffe, 250 g or Colombia Huila, 250 g?',
    );
    expect(converse('add the tea to my cart', tools).answer).toMatch(/^I could not find “tea”\. There is /);
  });

  it('answers small talk with what it can do, in words, never a schema dump', () => {
    const turn = converse('hello there', shop().tools);
    expect(turn.calls).toEqual([]);
    expect(turn.answer).toBe('I can help you with: search products, add to cart, get cart and checkout. What would you like to do?');
  });

  it('never answers with raw JSON', () => {
    const { tools } = shop();
    for (const text of ['add the Colombian coffee to my cart', 'what is good for pour-over under $30?', 'show my cart', 'check out']) {
      expect(converse(text, tools).answer).not.toMatch(/[{}[\]"]/);
    }
  });
});

describe('the planner agent on a page with other tools', () => {
  const loans: string[] = [];
  const tools: PageTool[] = [
    {
      name: 'webmcp:find_books',
      description: 'Find books in the library by title or author.',
      parameters: { type: 'object', properties: { text: { type: 'string' } } },
      run: ({ text = '' }) => ({
        books: [
          { isbn: '111', title: 'Moby-Dick' },
          { isbn: '222', title: 'Middlemarch' },
        ].filter((book) => book.title.toLowerCase().includes(String(text).toLowerCase())),
      }),
    },
    {
      name: 'webmcp:borrowBook',
      description: 'Borrow a book for three weeks.',
      parameters: { type: 'object', properties: { bookId: { type: 'string', description: 'isbn from find_books' } }, required: ['bookId'] },
      run: ({ bookId }) => (loans.push(String(bookId)), { loan: { title: bookId === '222' ? 'Middlemarch' : 'Moby-Dick' } }),
    },
  ];

  it('chains a search into a camel-cased tool and names what it did', () => {
    const turn = converse('borrow middlemarch', tools);
    expect(turn.calls).toEqual([
      ['webmcp:find_books', { text: 'middlemarch' }],
      ['webmcp:borrowBook', { bookId: '222' }],
    ]);
    expect(loans).toEqual(['222']);
    expect(turn.answer).toBe('Done: borrowed Middlemarch.');
  });
});
