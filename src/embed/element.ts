/**
 * `<webmcp-chat>`: the one host every way in shares. It paints the launcher
 * at once and loads the panel (Preact, client, bridge) on first open, or when
 * the page is idle with `preload`. `createChat()` and the script tag both make
 * one of these, so there is a single code path to test.
 */
import { Emitter } from '../client/emitter.js';
import { ChatError } from '../client/errors.js';
import { takeMovedNote } from '../client/form-navigation.js';
import type { ChatSession } from '../client/session.js';
import {
  OPTION_ATTRIBUTES,
  optionsFromAttributes,
  type ChatCommands,
  type ChatEventMap,
  type ChatEventName,
  type ChatOptions,
} from './options.js';
import type { PanelHandle, PanelModule } from './panel-contract.js';
import { createLauncher, type Launcher } from '../ui/launcher.js';

type PanelLoader = () => Promise<PanelModule>;

let panelLoader: PanelLoader | undefined;

/** Each entry point says where the panel code comes from (a URL, or a bundler chunk). */
export function setPanelLoader(loader: PanelLoader): void {
  panelLoader = loader;
}

export class WebMCPChatElement extends HTMLElement implements ChatCommands {
  static get observedAttributes(): string[] {
    return OPTION_ATTRIBUTES;
  }

  /** The host's listeners: kept across restarts (a changed attribute); only `destroy()` clears them. */
  #emitter = new Emitter<ChatEventMap>();
  #programmatic: Partial<ChatOptions> = {};
  #launcher: Launcher | undefined;
  #panel: PanelHandle | undefined;
  /** Settles undefined when the element was torn down while the code loaded. */
  #loading: Promise<PanelHandle | undefined> | undefined;
  #isOpen = false;
  /** `open` was announced and `close` not yet: events say what the person saw. */
  #announcedOpen = false;
  /** Texts sent before the panel existed, delivered in order once it does. */
  #pendingSends: string[] = [];
  /** Where the launcher and the panel live (the element's open shadow root). */
  readonly #root: ShadowRoot;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  /** Options given as a property (objects, functions, an element to mount in). */
  set options(value: Partial<ChatOptions>) {
    this.#programmatic = { ...value };
  }
  get options(): ChatOptions {
    return { ...optionsFromAttributes((name) => this.getAttribute(name)), ...this.#programmatic } as ChatOptions;
  }

  /** The headless session, once the panel has loaded. */
  get session(): ChatSession | undefined {
    return this.#panel?.session;
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }

  get inline(): boolean {
    return this.hasAttribute('inline');
  }

  connectedCallback(): void {
    if (this.#launcher || this.#panel || this.#loading) return;
    const options = this.options;
    if (this.inline) {
      void this.open();
      return;
    }
    this.#launcher = createLauncher(this.#root, {
      corner: options.corner ?? 'bottom-right',
      label: options.strings?.launcherLabel ?? 'Open chat',
      accentColor: options.accentColor,
      onToggle: () => void this.toggle(),
      // Moving toward the launcher is a strong hint: start fetching the panel.
      onIntent: () => void this.#load().catch(() => {}),
    });
    // A form a tool submitted brought the person here mid-conversation: carry on without a click.
    if (options.open || takeMovedNote(options.clientToken)) void this.open();
    else if (options.preload) idle(() => void this.#load().catch(() => {}));
  }

  /** A changed option after the panel loaded restarts the widget with it. */
  attributeChangedCallback(_name: string, previous: string | null, next: string | null): void {
    if (previous === next || !(this.#panel || this.#loading)) return;
    const wasOpen = this.#isOpen;
    this.#teardown();
    this.#isOpen = false;
    // Still announced as open: the restarted panel reopens without a second `open`.
    if (!wasOpen) this.#announcedOpen = false;
    this.connectedCallback();
    if (wasOpen) void this.open();
  }

  disconnectedCallback(): void {
    // Moving the element in the DOM disconnects and reconnects it at once.
    queueMicrotask(() => {
      if (!this.isConnected) {
        this.#teardown();
        this.#isOpen = false;
        this.#announceClose();
      }
    });
  }

  async open(): Promise<void> {
    this.#isOpen = true;
    this.#launcher?.setOpen(true);
    try {
      const panel = await this.#load();
      // close() (or destroy()) ran while the panel loaded: nothing opened.
      if (!panel || !this.#isOpen || this.#panel !== panel) return;
      panel.setOpen(true);
      if (!this.#announcedOpen) {
        this.#announcedOpen = true;
        this.#emitter.emit('open', undefined);
      }
    } catch (error) {
      this.#isOpen = false;
      this.#launcher?.setOpen(false);
      this.#announceClose();
      this.#emitter.emit(
        'error',
        new ChatError({
          code: 'panel_load_failed',
          hint: 'The chat could not load. Check your connection and try again.',
          retryable: true,
          cause: error,
        }),
      );
    }
  }

  close(): void {
    if (!this.#isOpen || this.inline) return;
    this.#isOpen = false;
    this.#panel?.setOpen(false);
    this.#launcher?.setOpen(false);
    this.#launcher?.focus();
    this.#announceClose();
  }

  #announceClose(): void {
    if (!this.#announcedOpen) return;
    this.#announcedOpen = false;
    this.#emitter.emit('close', undefined);
  }

  toggle(): Promise<void> | void {
    return this.#isOpen ? this.close() : this.open();
  }

  /** Sends a message as if the person typed it; opens the panel. */
  send(text: string): void {
    if (this.#panel) this.#panel.send(text);
    else this.#pendingSends.push(text);
    void this.open();
  }

  async clear(): Promise<void> {
    await this.#panel?.clear();
  }

  on<K extends ChatEventName>(name: K, listener: (detail: ChatEventMap[K]) => void): () => void {
    return this.#emitter.on(name, listener);
  }

  off<K extends ChatEventName>(name: K, listener: (detail: ChatEventMap[K]) => void): void {
    this.#emitter.off(name, listener);
  }

  /** Removes the widget and everything it holds (listeners, session, streams). */
  destroy(): void {
    this.#teardown();
    this.#isOpen = false;
    this.#announcedOpen = false;
    this.#emitter.clear();
    this.remove();
  }

  #load(): Promise<PanelHandle | undefined> {
    if (!this.#loading) {
      if (!panelLoader) return Promise.reject(new Error('webmcp-chat: no panel loader was set'));
      const launcher = this.#launcher;
      launcher?.setBusy(true);
      const loading: Promise<PanelHandle | undefined> = panelLoader()
        .then((module) => {
          // Torn down (destroyed, removed, restarted) while the code loaded: start nothing.
          if (this.#loading !== loading) return undefined;
          const panel = module.startPanel(this.#root, this.options, {
            requestClose: () => this.close(),
            emit: (name, detail) => this.#emitter.emit(name, detail),
          });
          this.#panel = panel;
          for (const text of this.#pendingSends.splice(0)) panel.send(text);
          this.#emitter.emit('ready', { session: panel.session });
          return panel;
        })
        .catch((error: unknown) => {
          if (this.#loading === loading) this.#loading = undefined; // a later open may retry a failed load
          throw error;
        })
        .finally(() => launcher?.setBusy(false));
      this.#loading = loading;
    }
    return this.#loading;
  }

  #teardown(): void {
    this.#panel?.destroy();
    this.#panel = undefined;
    this.#launcher?.remove();
    this.#launcher = undefined;
    this.#loading = undefined;
  }
}

function idle(callback: () => void): void {
  if ('requestIdleCallback' in window) requestIdleCallback(callback, { timeout: 5000 });
  else setTimeout(callback, 1500);
}

/** Defines the element once, however many copies of the script run. */
export function defineChatElement(): typeof WebMCPChatElement {
  const existing = customElements.get('webmcp-chat');
  if (existing) return existing as typeof WebMCPChatElement;
  customElements.define('webmcp-chat', WebMCPChatElement);
  return WebMCPChatElement;
}
