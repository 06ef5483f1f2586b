/**
 * `<webmcp-chat>`: the one host every way in shares. It paints the launcher
 * at once and loads the panel (Preact, client, bridge) on first open, or when
 * the page is idle with `preload`. `createChat()` and the script tag both make
 * one of these, so there is a single code path to test.
 */
import { Emitter } from '../client/emitter.js';
import { ChatError } from '../client/chat-error.js';
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

/** Where the panel code comes from (a URL next to the script tag, or a bundler chunk): each way in sets it when it defines the element. */
let panelLoader: PanelLoader;

export class WebMCPChatElement extends HTMLElement implements ChatCommands {
  static observedAttributes = OPTION_ATTRIBUTES;

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
  /** Where the launcher and the panel live (open: hosts and tests may look in). */
  readonly #root = this.attachShadow({ mode: 'open' });

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
    // A panel (or its load) implies #loading.
    if (this.#launcher || this.#loading) return;
    const options = this.options;
    if (this.inline) return void this.open();
    this.#launcher = createLauncher(this.#root, {
      corner: options.corner,
      label: options.strings?.launcherLabel ?? 'Open chat',
      accentColor: options.accentColor,
      onToggle: () => void this.toggle(),
      // Moving toward the launcher is a strong hint: start fetching the panel.
      onIntent: () => this.#preload(),
    });
    // A form a tool submitted brought the person here mid-conversation: carry on without a click.
    if (options.open || takeMovedNote(options.clientToken)) void this.open();
    else if (options.preload) {
      if ('requestIdleCallback' in window) requestIdleCallback(() => this.#preload(), { timeout: 5000 });
      else setTimeout(() => this.#preload(), 1500);
    }
  }

  /** A changed option after the panel loaded restarts the widget with it. */
  attributeChangedCallback(_name: string, previous: string | null, next: string | null): void {
    if (previous === next || !this.#loading) return;
    const wasOpen = this.#isOpen;
    this.#teardown();
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
        this.#announce(false);
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
      this.#announce(true);
    } catch (error) {
      this.#isOpen = false;
      this.#launcher?.setOpen(false);
      this.#announce(false);
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
    this.#launcher?.element.focus();
    this.#announce(false);
  }

  /** Emits `open` or `close` when it changes what the host was last told. */
  #announce(open: boolean): void {
    if (this.#announcedOpen === open) return;
    this.#announcedOpen = open;
    this.#emitter.emit(open ? 'open' : 'close', undefined);
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
    this.#emitter.clear();
    this.#teardown();
    this.#announcedOpen = false;
    this.remove();
  }

  #preload(): void {
    this.#load().catch(() => {});
  }

  #load(): Promise<PanelHandle | undefined> {
    if (!this.#loading) {
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

  /** Stops the panel and removes the launcher; the element is closed (not yet announced). */
  #teardown(): void {
    this.#panel?.destroy();
    this.#launcher?.remove();
    this.#panel = this.#launcher = this.#loading = undefined;
    this.#isOpen = false;
  }
}

/** Defines the element once, however many copies of the widget run, with where its panel code comes from. */
export function defineChatElement(loader: PanelLoader): typeof WebMCPChatElement {
  panelLoader = loader;
  if (!customElements.get('webmcp-chat')) customElements.define('webmcp-chat', WebMCPChatElement);
  return customElements.get('webmcp-chat') as typeof WebMCPChatElement;
}
