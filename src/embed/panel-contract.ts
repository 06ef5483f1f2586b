/**
 * What the lazily loaded panel module offers the host. The host (in the
 * small first-paint script) knows only this; Preact, the client and the
 * bridge live behind it and load on first open.
 */
import type { ChatSession } from '../client/session.js';
import type { ChatEventMap, ChatEventName, ChatOptions } from './options.js';

export interface PanelHooks {
  /** The panel asks to close (Escape, close button). */
  requestClose(): void;
  /** Session events forwarded to the host's listeners. */
  emit<K extends ChatEventName>(name: K, detail: ChatEventMap[K]): void;
}

export interface PanelHandle {
  /** The headless session behind the panel (`webmcp-chat/core`'s ChatSession). */
  readonly session: ChatSession;
  setOpen(open: boolean): void;
  send(text: string): void;
  clear(): Promise<void>;
  destroy(): void;
}

export interface PanelModule {
  startPanel(root: ShadowRoot, options: ChatOptions, hooks: PanelHooks): PanelHandle;
}
