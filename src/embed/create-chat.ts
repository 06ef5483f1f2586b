/**
 * `createChat(options)` for SPAs: the same `<webmcp-chat>` host the script
 * tag makes, with the panel as a chunk the app's bundler splits off.
 */
import { defineChatElement, setPanelLoader, type WebMCPChatElement } from './element.js';
import type { ChatEventName, ChatOptions } from './options.js';

/** The element's own verbs, typed by event name, plus the element itself. */
export interface ChatWidget extends Pick<WebMCPChatElement, 'open' | 'close' | 'toggle' | 'send' | 'clear' | 'destroy' | 'session'> {
  on(name: ChatEventName, listener: (detail: unknown) => void): () => void;
  off(name: ChatEventName, listener: (detail: unknown) => void): void;
  readonly element: WebMCPChatElement;
}

export function createChat(options: ChatOptions): ChatWidget {
  if (!options?.clientToken) throw new TypeError('createChat: `clientToken` is required');
  setPanelLoader(() => import('./panel-entry.js'));
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
    element,
  };
}
