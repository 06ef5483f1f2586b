/**
 * What the storefront tells the chat beyond its script tag: the one line a
 * shopper reads on the checkout approval card, with the amount it will
 * charge. The script tag creates the `<webmcp-chat>` element (async), so this
 * waits for it and adds the option; the panel reads options on first open.
 */
import type { WebMCPChatApprovalRequest, WebMCPChatElement } from '../../widget.js';
import type { Cart } from './cart.js';
import { money } from './dom.js';

export const SHOP_NAME = 'Northbound Coffee';

export function describeForApproval(cart: Cart, request: WebMCPChatApprovalRequest): string | undefined {
  if (request.toolName === 'checkout') return `Pay ${money(cart.summary().total)} to ${SHOP_NAME}`;
  return undefined;
}

export function configureChat(cart: Cart): void {
  const apply = (element: WebMCPChatElement) => {
    element.options = { ...element.options, approvalSummary: (request) => describeForApproval(cart, request) };
  };
  const existing = document.querySelector<WebMCPChatElement>('webmcp-chat');
  if (existing) {
    apply(existing);
    return;
  }
  const observer = new MutationObserver(() => {
    const element = document.querySelector<WebMCPChatElement>('webmcp-chat');
    if (!element) return;
    observer.disconnect();
    apply(element);
  });
  observer.observe(document.body, { childList: true });
}
