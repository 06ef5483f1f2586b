/**
 * `<webmcp-chat>`: the one host every way in shares. It paints the launcher
 * at once and loads the panel (Preact, client, bridge) on first open, or when
 * the page is idle with `preload`. `createChat()` and the script tag both make
 * one of these, so there is a single code path to test.
 */
import { Emitter } from '../client/emitter.js';
import { takeMovedNote } from '../client/form-navigation.js';

type Listener = (detail: unknown) => void;
import { OPTION_ATTRIBUTES, optionsFromAttributes, type ChatOptions } from './options.js';
import type { PanelHandle, PanelModule } from './panel-contract.js';
import { createLauncher, type Launcher } from '../ui/launcher.js';

type PanelLoader = () => Promise<PanelModule>;

let panelLoader: PanelLoader | undefined;

/** Each entry point says where the panel code comes from (a URL, or a bundler chunk). */
export function setPanelLoader(loader: PanelLoader): void {
  panelLoader = loader;
}

export class WebMCPChatElement extends HTMLElement {
  static get observedAttributes(): string[] {
    return OPTION_ATTRIBUTES;
  }

  #emitter = new Emitter<Record<string, unknown>>();
  #programmatic: Partial<ChatOptions> = {};
  #launcher: Launcher | undefined;
  #panel: PanelHandle | undefined;
  #loading: Promise<PanelHandle> | undefined;
  #isOpen = false;
  /** Texts sent before the panel existed, delivered in order once it does. */
  #pendingSends: string[] = [];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }

  /** Options given as a property (objects, functions, an element to mount in). */
  set options(value: Partial<ChatOptions>) {
    this.#programmatic = { ...value };
  }
  get options(): ChatOptions {
    return { ...optionsFromAttributes((name) => this.getAttribute(name)), ...this.#programmatic } as ChatOptions;
  }

  /** The headless session, once the panel has loaded. */
  get session(): unknown {
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
    this.#launcher = createLauncher(this.shadowRoot!, {
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
    this.connectedCallback();
    if (wasOpen) void this.open();
  }

  disconnectedCallback(): void {
    // Moving the element in the DOM disconnects and reconnects it at once.
    queueMicrotask(() => {
      if (!this.isConnected) this.#teardown();
    });
  }

  async open(): Promise<void> {
    this.#isOpen = true;
    this.#launcher?.setOpen(true);
    try {
      const panel = await this.#load();
      if (this.#isOpen) panel.setOpen(true);
      this.#emitter.emit('open', undefined);
    } catch (error) {
      this.#isOpen = false;
      this.#launcher?.setOpen(false);
      this.#emitter.emit('error', {
        code: 'panel_load_failed',
        hint: 'The chat could not load. Check your connection and try again.',
        cause: error,
      });
    }
  }

  close(): void {
    if (!this.#isOpen || this.inline) return;
    this.#isOpen = false;
    this.#panel?.setOpen(false);
    this.#launcher?.setOpen(false);
    this.#launcher?.focus();
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

  on(name: string, listener: Listener): () => void {
    return this.#emitter.on(name, listener);
  }

  off(name: string, listener: Listener): void {
    this.#emitter.off(name, listener);
  }

  /** Removes the widget and everything it holds (listeners, session, streams). */
  destroy(): void {
    this.#teardown();
    this.remove();
  }

  #load(): Promise<PanelHandle> {
    if (!this.#loading) {
      if (!panelLoader) return Promise.reject(new Error('webmcp-chat: no panel loader was set'));
      this.#launcher?.setBusy(true);
      this.#loading = panelLoader()
        .then((module) => {
          const panel = module.startPanel(this.shadowRoot!, this.options, {
            requestClose: () => this.close(),
            emit: (name, detail) => this.#emitter.emit(name, detail),
          });
          this.#panel = panel;
          for (const text of this.#pendingSends.splice(0)) panel.send(text);
          this.#emitter.emit('ready', { session: panel.session });
          return panel;
        })
        .catch((error: unknown) => {
          this.#loading = undefined; // a later open may retry a failed load
          throw error;
        })
        .finally(() => this.#launcher?.setBusy(false));
    }
    return this.#loading;
  }

  #teardown(): void {
    this.#panel?.destroy();
    this.#panel = undefined;
    this.#launcher?.remove();
    this.#launcher = undefined;
    this.#loading = undefined;
    this.#emitter.clear();
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
