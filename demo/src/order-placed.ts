/** The confirmation page: says what was ordered, from the submitted form's query. */
import { findProduct } from './catalog.js';

const query = new URLSearchParams(location.search);
const product = findProduct(query.get('product') ?? '');
const quantity = Number(query.get('quantity') ?? 1) || 1;
const summary = document.getElementById('order-summary');
if (!summary) throw new Error('order-placed: the page has no #order-summary element');
summary.textContent = product
  ? `Thank you: ${quantity} × ${product.name} is on its way.`
  : 'Thank you. (No such product: nothing will be sent.)';
