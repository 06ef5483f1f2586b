/**
 * The script-tag entry (`dist/webmcp-chat.js`, an IIFE):
 *
 *   <script>window.WebMCPChat=window.WebMCPChat||function(){(WebMCPChat.q=WebMCPChat.q||[]).push(arguments)}</script>
 *   <script async src="/webmcp-chat.js" data-client-token="ct_live_…" data-api-url="https://…"></script>
 *
 * It defines `<webmcp-chat>`, makes one floating instance from the tag's
 * `data-*` options, and replaces the queue stub with the real `WebMCPChat`,
 * replaying queued calls in order. The panel code loads from a URL next to
 * this script. Loading the script twice changes nothing.
 */
import { defineChatElement, type WebMCPChatElement } from './element.js';
import { optionsFromAttributes, type ChatCommands, type ChatOptions } from './options.js';
import type { PanelModule } from './panel-contract.js';
import { HANDOVER_KEY, handOver } from './handover.js';
import { captureRegistrations } from '../bridge/registrations.js';

/** `init`, and every verb of the element (`ChatCommands`): one definition for all three ways in. */
type Command =
  | 'init'
  | { [K in keyof ChatCommands]: ChatCommands[K] extends (...args: never[]) => unknown ? K : never }[keyof ChatCommands];
interface GlobalApi {
  (command: Command, ...args: unknown[]): unknown;
  q?: ArrayLike<unknown>[];
  /** Set once the real script has run: a second copy sees it and stands down. */
  version?: string;
  instance?: WebMCPChatElement;
}

const win = window as unknown as { WebMCPChat?: GlobalApi };
const script = document.currentScript as HTMLScriptElement | null;

if (!win.WebMCPChat?.version) {
  captureRegistrations(); // before the page's tools register, so native keeps their hints
  // Asked for by the handed modules' hash, so no cache gives this loader a panel that expects other ones.
  const panelUrl = new URL(`webmcp-chat-panel.js?v=${HANDOVER_KEY.slice(-12)}`, script?.src || location.href).href;
  handOver(); // what the panel takes from this file instead of carrying it again
  defineChatElement(() => import(/* @vite-ignore */ panelUrl) as Promise<PanelModule>);

  const queued = win.WebMCPChat?.q ?? [];
  let instance: WebMCPChatElement | undefined;

  const create = (options: Partial<ChatOptions>): WebMCPChatElement => {
    instance?.destroy();
    const element = document.createElement('webmcp-chat') as WebMCPChatElement;
    const mount = typeof options.mount === 'string' ? document.querySelector(options.mount) : options.mount;
    if (mount) element.setAttribute('inline', '');
    element.options = options;
    (mount ?? document.body).append(element);
    api.instance = instance = element;
    return element;
  };

  const api: GlobalApi = (command, ...args) => {
    if (command === 'init') return create(args[0] as Partial<ChatOptions>);
    const method = instance?.[command as Exclude<Command, 'init'>] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof method === 'function') return method.apply(instance, args);
    // A developer's mistake: say which, briefly.
    console.warn(`WebMCPChat('${String(command)}'): ${instance ? 'unknown command' : 'no chat yet: set data-client-token or call init'}`);
  };
  api.version = '0.1.0';
  win.WebMCPChat = api;

  const start = () => {
    const fromTag = optionsFromAttributes((name) => script?.getAttribute(`data-${name}`) ?? null);
    if (fromTag.clientToken) create(fromTag);
    for (const call of Array.from(queued)) api(...(Array.from(call) as [Command, ...unknown[]]));
  };
  // `async` scripts can run before <body> exists.
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
