/**
 * `createChat(options)` for SPAs: the same `<webmcp-chat>` host the script
 * tag makes, with the panel as a chunk the app's bundler splits off.
 */
import { defineChatElement as define, type WebMCPChatElement } from './element.js';
import { checkRequestOptions } from '../client/request-options.js';
import type { ChatCommands, ChatOptions } from './options.js';

/** What `createChat()` returns: the element's verbs (`ChatCommands`, typed by event), plus the element itself. */
export interface ChatWidget extends ChatCommands {
  readonly element: WebMCPChatElement;
}

/** Defines `<webmcp-chat>` for markup of the app's own (`createChat()` does it too), its panel a chunk loaded on first open. */
export function defineChatElement(): typeof WebMCPChatElement {
  return define(() => import('./panel-entry.js'));
}

export function createChat(options: ChatOptions): ChatWidget {
  if (!options?.clientToken) throw new TypeError('createChat: `clientToken` is required');
  // The panel loads later; a bad `metadata` or `flowId` is reported now, to the code that passed it.
  checkRequestOptions(options);
  defineChatElement();
  const element = document.createElement('webmcp-chat') as WebMCPChatElement;
  const mount = typeof options.mount === 'string' ? document.querySelector<HTMLElement>(options.mount) : options.mount;
  if (options.mount && !mount) throw new TypeError(`createChat: no element matches mount ${String(options.mount)}`);
  if (mount) element.setAttribute('inline', '');
  element.options = options;
  (mount ?? document.body).append(element);
  return {
    open: () => element.open(),
    close: () => element.close(),
    toggle: () => element.toggle(),
    send: (text) => element.send(text),
    clear: () => element.clear(),
    destroy: () => element.destroy(),
    on: (name, listener) => element.on(name, listener),
    off: (name, listener) => element.off(name, listener),
    get session() {
      return element.session;
    },
    get isOpen() {
      return element.isOpen;
    },
    element,
  };
}
