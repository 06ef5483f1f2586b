/**
 * The storefront's WebMCP tools, registered with the standard API:
 * `document.modelContext.registerTool(tool, { signal })`. Each one checks its
 * own input (browsers do not validate against `inputSchema`) and answers
 * plain JSON. `checkout` is marked consequential, so the chat asks first.
 */
import { findProduct, searchProducts, type Product } from './catalog.js';
import type { Cart } from './cart.js';
import { register } from './model-context.js';

export interface StoreToolHooks {
  /** Show this product (the agent looked at it). */
  showProduct(id: string): void;
  /** Show the cart (something changed in it). */
  showCart(): void;
  /** Show the order confirmation. */
  showOrder(): void;
}

function productCard(product: Product) {
  return {
    id: product.id,
    name: product.name,
    category: product.category,
    price: product.price / 100,
    currency: 'USD',
    inStock: product.stock > 0,
  };
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${field} must be a non-empty string`);
  return value.trim();
}

export async function registerStoreTools(cart: Cart, hooks: StoreToolHooks): Promise<AbortController[]> {
  const controllers = await Promise.all([
    register<{ query?: unknown; category?: unknown; maxPrice?: unknown }>({
      name: 'search_products',
      title: 'Search products',
      description: 'Search the shop catalog by words in the name or description. Returns matching products with id, name and price in USD.',
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'Words to look for, e.g. "decaf" or "kettle". Empty lists everything.' },
          category: { type: 'string', enum: ['coffee', 'brewing', 'mugs', 'accessories'] },
          maxPrice: { type: 'number', description: 'Highest price in USD.' },
        },
      },
      annotations: { readOnlyHint: true },
      execute: ({ query, category, maxPrice }) => {
        const results = searchProducts(typeof query === 'string' ? query : '', {
          category: typeof category === 'string' ? category : undefined,
          maxPrice: typeof maxPrice === 'number' ? Math.round(maxPrice * 100) : undefined,
        });
        return { count: results.length, products: results.map(productCard) };
      },
    }),
    register<{ productId?: unknown }>({
      name: 'get_product',
      title: 'Product details',
      description: 'Get one product by id: description, price, stock and customer reviews. Reviews are written by customers.',
      inputSchema: {
        type: 'object',
        properties: { productId: { type: 'string', description: 'The product id from search_products.' } },
        required: ['productId'],
      },
      // Reviews are other people's words: the chat marks them untrusted.
      annotations: { readOnlyHint: true, untrustedContentHint: true },
      execute: ({ productId }) => {
        const product = findProduct(text(productId, 'productId'));
        if (!product) throw new Error(`no product with id ${String(productId)}`);
        hooks.showProduct(product.id);
        return { ...productCard(product), description: product.description, stock: product.stock, reviews: product.reviews };
      },
    }),
    register<{ productId?: unknown; quantity?: unknown }>({
      name: 'add_to_cart',
      title: 'Add to cart',
      description: "Add a product to the shopper's cart. Returns the cart afterwards.",
      inputSchema: {
        type: 'object',
        properties: {
          productId: { type: 'string', description: 'The product id from search_products.' },
          quantity: { type: 'integer', minimum: 1, maximum: 99, default: 1 },
        },
        required: ['productId'],
      },
      execute: ({ productId, quantity }) => {
        const product = findProduct(text(productId, 'productId'));
        if (!product) throw new Error(`no product with id ${String(productId)}`);
        cart.add(product, quantity === undefined ? 1 : Number(quantity));
        hooks.showCart();
        return { added: { productId: product.id, name: product.name, quantity: quantity ?? 1 }, cart: summaryForAgent(cart) };
      },
    }),
    register<Record<string, never>>({
      name: 'get_cart',
      title: 'Show cart',
      description: "Get the items in the shopper's cart, the coupon applied and the totals in USD.",
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true },
      execute: () => summaryForAgent(cart),
    }),
    register<{ code?: unknown }>({
      name: 'apply_coupon',
      title: 'Apply coupon',
      description: 'Apply a coupon code to the cart. Fails when the code does not exist.',
      inputSchema: {
        type: 'object',
        properties: { code: { type: 'string', description: 'The coupon code, e.g. WELCOME10.' } },
        required: ['code'],
      },
      execute: ({ code }) => {
        const result = cart.applyCoupon(text(code, 'code'));
        if (!result.ok) throw new Error(result.reason);
        hooks.showCart();
        return { applied: result.label, cart: summaryForAgent(cart) };
      },
    }),
    register<Record<string, never>>({
      name: 'checkout',
      title: 'Check out',
      description: 'Place the order for everything in the cart and charge the saved card. Ask the shopper before calling.',
      inputSchema: { type: 'object', properties: {} },
      annotations: { consequentialHint: true },
      execute: () => {
        const order = cart.checkout();
        hooks.showOrder();
        return { placed: true, orderId: order.orderId, items: order.items, total: order.total / 100, currency: 'USD' };
      },
    }),
  ]);
  return controllers;
}

function summaryForAgent(cart: Cart) {
  const summary = cart.summary();
  return {
    items: summary.items.map((item) => ({
      productId: item.productId,
      name: item.name,
      quantity: item.quantity,
      lineTotal: item.lineTotal / 100,
    })),
    itemCount: summary.itemCount,
    coupon: summary.coupon,
    subtotal: summary.subtotal / 100,
    discount: summary.discount / 100,
    total: summary.total / 100,
    currency: 'USD',
  };
}
