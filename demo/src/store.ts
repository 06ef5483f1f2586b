/**
 * The storefront: product grid, product page, cart and order confirmation,
 * routed by the URL hash so the chat stays open while the shopper browses.
 * The page registers its tools once; the views follow the cart's state.
 */
import { Cart } from './cart.js';
import { findProduct, PRODUCTS, type Product } from './catalog.js';
import { $, h, money, replace } from './dom.js';
import { declareFormTool } from './form-tool.js';
import { modelContext, webmcpKind } from './model-context.js';
import { registerStoreTools } from './store-tools.js';
import { configureChat } from './chat-setup.js';

const cart = new Cart();
const view = $('#view');
configureChat(cart);

function go(hash: string): void {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function render(): void {
  const [, route = '', id = ''] = location.hash.split('/');
  if (route === 'product') renderProduct(findProduct(decodeURIComponent(id)));
  else if (route === 'cart') renderCart();
  else if (route === 'order') renderOrder();
  else renderGrid();
}

function tile(product: Product, size: 'small' | 'large' = 'small'): HTMLElement {
  const element = h('div', { class: `tile tile-${size} tile-${product.category}`, 'aria-hidden': 'true' }, product.name.slice(0, 1));
  element.style.setProperty('--hue', String(product.hue));
  return element;
}

function addButton(product: Product): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'add',
      'aria-label': `Add ${product.name} to cart`,
      onclick: () => {
        try {
          cart.add(product, 1);
        } catch (error) {
          alertInline((error as Error).message);
        }
      },
    },
    'Add to cart',
  );
}

/** What to ask the chat; the end-to-end test asks every one of these. */
const CHAT_HINTS = ['add the Colombian coffee to my cart', 'what is good for pour-over under $30?', "what's in my cart?", 'check out'];

function hintList(): (Node | string)[] {
  return CHAT_HINTS.flatMap((hint, index) => [index === 0 ? '' : index === CHAT_HINTS.length - 1 ? ' or ' : ', ', h('q', {}, hint)]);
}

function renderGrid(): void {
  document.title = 'Northbound Coffee';
  replace(
    view,
    h(
      'section',
      { class: 'hero' },
      h('h1', {}, 'Small-batch coffee and the gear to brew it'),
      h('p', { class: 'hints' }, 'Try the chat in the corner: ', ...hintList()),
    ),
    h(
      'ul',
      { class: 'grid', 'aria-label': 'Products' },
      PRODUCTS.map((product) =>
        h(
          'li',
          { class: 'card' },
          h('a', { href: `#/product/${product.id}`, class: 'card-link' }, tile(product), h('h2', {}, product.name)),
          h('p', { class: 'blurb' }, product.blurb),
          h('p', { class: 'price' }, money(product.price)),
          addButton(product),
        ),
      ),
    ),
  );
}

function renderProduct(product: Product | undefined): void {
  if (!product) {
    replace(view, h('p', {}, 'That product does not exist. ', h('a', { href: '#/' }, 'Back to the shop')));
    return;
  }
  document.title = `${product.name} · Northbound Coffee`;
  replace(
    view,
    h(
      'article',
      { class: 'product' },
      tile(product, 'large'),
      h(
        'div',
        { class: 'product-info' },
        h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Shop'), ` / ${product.category}`),
        h('h1', {}, product.name),
        h('p', { class: 'price' }, money(product.price)),
        h('p', {}, product.description),
        h('p', { class: 'stock' }, product.stock > 0 ? `${product.stock} in stock` : 'Sold out'),
        addButton(product),
        h('h2', {}, 'Reviews'),
        product.reviews.length === 0
          ? h('p', {}, 'No reviews yet.')
          : h(
              'ul',
              { class: 'reviews' },
              product.reviews.map((review) =>
                h('li', {}, h('strong', {}, `${'★'.repeat(review.rating)} ${review.author}`), h('p', {}, review.text)),
              ),
            ),
      ),
    ),
  );
}

function renderCart(): void {
  document.title = 'Cart · Northbound Coffee';
  const summary = cart.summary();
  if (summary.itemCount === 0) {
    replace(
      view,
      h(
        'section',
        { class: 'cart' },
        h('h1', {}, 'Your cart'),
        h('p', {}, 'The cart is empty. ', h('a', { href: '#/' }, 'Browse the shop')),
      ),
    );
    return;
  }
  const couponInput = h('input', { id: 'coupon', name: 'coupon', placeholder: 'WELCOME10', autocomplete: 'off' });
  replace(
    view,
    h(
      'section',
      { class: 'cart' },
      h('h1', {}, 'Your cart'),
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Item'),
            h('th', { scope: 'col' }, 'Qty'),
            h('th', { scope: 'col' }, 'Total'),
            h('th', {}, ''),
          ),
        ),
        h(
          'tbody',
          {},
          summary.items.map((item) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/product/${item.productId}` }, item.name)),
              h('td', {}, String(item.quantity)),
              h('td', {}, money(item.lineTotal)),
              h(
                'td',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    onclick: () => cart.setQuantity(item.productId, 0),
                    'aria-label': `Remove ${item.name}`,
                  },
                  'Remove',
                ),
              ),
            ),
          ),
        ),
      ),
      h(
        'dl',
        { class: 'totals' },
        h('dt', {}, 'Subtotal'),
        h('dd', {}, money(summary.subtotal)),
        summary.coupon ? [h('dt', {}, `Coupon ${summary.coupon}`), h('dd', {}, `−${money(summary.discount)}`)] : null,
        h('dt', { class: 'total' }, 'Total'),
        h('dd', { class: 'total' }, money(summary.total)),
      ),
      h(
        'form',
        {
          class: 'coupon',
          onsubmit: (event: Event) => {
            event.preventDefault();
            const result = cart.applyCoupon(couponInput.value);
            if (!result.ok) alertInline(result.reason);
          },
        },
        h('label', { for: 'coupon' }, 'Coupon'),
        couponInput,
        h('button', { type: 'submit' }, 'Apply'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: () => {
            cart.checkout();
            go('#/order');
          },
        },
        `Check out · ${money(summary.total)}`,
      ),
    ),
  );
}

function renderOrder(): void {
  const order = cart.state.lastOrder;
  replace(
    view,
    h(
      'section',
      { class: 'order' },
      order
        ? [
            h('h1', {}, 'Thank you!'),
            h(
              'p',
              {},
              `Order ${order.id}: ${order.items} item${order.items === 1 ? '' : 's'}, ${money(order.total)}. (A demo: nothing was charged.)`,
            ),
          ]
        : h('h1', {}, 'No order yet'),
      h('a', { href: '#/' }, 'Back to the shop'),
    ),
  );
}

function alertInline(message: string): void {
  const note = h('p', { class: 'notice', role: 'alert' }, message);
  view.prepend(note);
  setTimeout(() => note.remove(), 4000);
}

function updateBadge(): void {
  const count = cart.summary().itemCount;
  const badge = $('#cart-count');
  badge.textContent = String(count);
  $('#cart-link').setAttribute('aria-label', `Cart, ${count} item${count === 1 ? '' : 's'}`);
  badge.classList.remove('bump');
  void badge.offsetWidth; // restart the animation
  badge.classList.add('bump');
}

async function countTools(): Promise<void> {
  const tools = await modelContext()
    ?.getTools()
    .catch(() => []);
  $('#tool-count').textContent = String(tools?.length ?? 0);
}

cart.addEventListener('change', () => {
  updateBadge();
  const [, route] = location.hash.split('/');
  if (route === 'cart') render();
});
addEventListener('hashchange', render);
render();
updateBadge();

$('#webmcp-kind').textContent = webmcpKind();
modelContext()?.addEventListener('toolchange', () => void countTools());

await registerStoreTools(cart, {
  showProduct: (id) => go(`#/product/${id}`),
  showCart: () => {
    if (!location.hash.startsWith('#/cart')) go('#/cart');
  },
  showOrder: () => go('#/order'),
});
await declareFormTool($('#newsletter') as HTMLFormElement, async (data) => {
  const status = $('#newsletter-status');
  status.textContent = `Subscribed ${data.email ?? ''} (${data.frequency ?? 'monthly'}). Demo only: nothing was sent.`;
  return { subscribed: true, frequency: data.frequency };
});
await countTools();
