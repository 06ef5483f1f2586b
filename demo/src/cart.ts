/**
 * The cart: real state, kept in localStorage so it survives a reload and is
 * shared by the storefront's views. Changes fire `change` on the store.
 */
import { COUPONS, findProduct, type Product } from './catalog.js';

export interface CartLine {
  productId: string;
  quantity: number;
}

export interface CartState {
  lines: CartLine[];
  coupon: string | null;
  /** The last order placed, shown on the confirmation view. */
  lastOrder: { id: string; total: number; items: number } | null;
}

export interface CartSummary {
  items: { productId: string; name: string; quantity: number; unitPrice: number; lineTotal: number }[];
  itemCount: number;
  subtotal: number;
  discount: number;
  total: number;
  coupon: string | null;
}

const KEY = 'webmcp-demo-cart';

export class Cart extends EventTarget {
  #state: CartState;

  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {
    super();
    this.#state = this.#load();
    // Another tab (or the other view) changed the cart.
    globalThis.addEventListener?.('storage', (event) => {
      if (event.key === KEY) {
        this.#state = this.#load();
        this.dispatchEvent(new Event('change'));
      }
    });
  }

  get state(): CartState {
    return this.#state;
  }

  summary(): CartSummary {
    const items = this.#state.lines.flatMap((line) => {
      const product = findProduct(line.productId);
      return product
        ? [
            {
              productId: product.id,
              name: product.name,
              quantity: line.quantity,
              unitPrice: product.price,
              lineTotal: product.price * line.quantity,
            },
          ]
        : [];
    });
    const subtotal = items.reduce((sum, item) => sum + item.lineTotal, 0);
    const coupon = this.#state.coupon;
    const discount = coupon ? Math.round((subtotal * (COUPONS[coupon]?.percentOff ?? 0)) / 100) : 0;
    return {
      items,
      itemCount: items.reduce((sum, item) => sum + item.quantity, 0),
      subtotal,
      discount,
      total: subtotal - discount,
      coupon,
    };
  }

  add(product: Product, quantity = 1): CartLine {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99) throw new RangeError('quantity must be a whole number from 1 to 99');
    const lines = this.#state.lines.map((line) => ({ ...line }));
    let line = lines.find((candidate) => candidate.productId === product.id);
    if (!line) {
      line = { productId: product.id, quantity: 0 };
      lines.push(line);
    }
    if (line.quantity + quantity > product.stock) throw new RangeError(`only ${product.stock} of ${product.name} in stock`);
    line.quantity += quantity;
    this.#set({ ...this.#state, lines });
    return { ...line };
  }

  setQuantity(productId: string, quantity: number): void {
    const lines = this.#state.lines
      .map((line) => (line.productId === productId ? { ...line, quantity } : line))
      .filter((line) => line.quantity > 0);
    this.#set({ ...this.#state, lines });
  }

  applyCoupon(code: string): { ok: true; label: string } | { ok: false; reason: string } {
    const normalized = code.trim().toUpperCase();
    const coupon = COUPONS[normalized];
    if (!coupon) return { ok: false, reason: `coupon ${normalized || '(empty)'} does not exist` };
    this.#set({ ...this.#state, coupon: normalized });
    return { ok: true, label: coupon.label };
  }

  checkout(): { orderId: string; total: number; items: number } {
    const summary = this.summary();
    if (summary.itemCount === 0) throw new Error('the cart is empty');
    const order = { id: `order_${Date.now().toString(36)}`, total: summary.total, items: summary.itemCount };
    this.#set({ lines: [], coupon: null, lastOrder: order });
    return { orderId: order.id, total: order.total, items: order.items };
  }

  clear(): void {
    this.#set({ lines: [], coupon: null, lastOrder: null });
  }

  #set(state: CartState): void {
    this.#state = state;
    try {
      this.storage?.setItem(KEY, JSON.stringify(state));
    } catch {
      // Private mode or quota: the cart still works for this page.
    }
    this.dispatchEvent(new Event('change'));
  }

  #load(): CartState {
    const empty: CartState = { lines: [], coupon: null, lastOrder: null };
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(KEY) ?? 'null');
      if (!parsed || typeof parsed !== 'object') return empty;
      const record = parsed as Partial<CartState>;
      const lines = Array.isArray(record.lines)
        ? record.lines.filter(
            (line): line is CartLine => typeof line?.productId === 'string' && Number.isInteger(line.quantity) && line.quantity > 0,
          )
        : [];
      return { lines, coupon: typeof record.coupon === 'string' ? record.coupon : null, lastOrder: record.lastOrder ?? null };
    } catch {
      return empty;
    }
  }
}
