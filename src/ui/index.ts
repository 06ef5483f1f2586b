/**
 * The panel, loaded lazily on first open: `mountPanel(shadowRoot, {...})`.
 * The launcher (./launcher.ts) is separate and needs no Preact.
 */
import { signal } from '@preact/signals-core';
import { render } from 'preact';
// The JSX runtime's element factory, as the .tsx files use: `h` would be a second one in the bundle.
import { jsx } from 'preact/jsx-runtime';
import { adoptCss } from './launcher.js';
import { Panel } from './panel.js';
import { resolveStrings } from './strings.js';
import { PANEL_CSS, SHOPPER_CSS } from './styles.js';
import { applyTheme } from './theme.js';
import type { PanelOptions, PanelSession } from './types.js';
import { trackVisualViewport } from './viewport.js';

export type { PanelOptions, PanelSession } from './types.js';
export { DEFAULT_STRINGS, resolveStrings, type StringKey, type Strings } from './strings.js';
export { THEME_PROPERTIES, type ColorScheme, type Corner, type ThemeOptions } from './theme.js';

export interface MountPanelInit {
  session: PanelSession;
  options?: PanelOptions;
  /** The person asked to close (Escape, close button). The host hides the panel and focuses the launcher. */
  onClose?(): void;
  /** Start open. Default true. */
  open?: boolean;
}

export interface PanelView {
  /** The panel root inside the shadow root. */
  readonly element: HTMLElement;
  setOpen(open: boolean): void;
  readonly isOpen: boolean;
  /** Focuses the message box. */
  focus(): void;
  destroy(): void;
}

export function mountPanel(root: ShadowRoot, init: MountPanelInit): PanelView {
  const options = init.options ?? {};
  const unstyle = adoptCss(root, PANEL_CSS + SHOPPER_CSS);
  const container = root.ownerDocument.createElement('div');
  container.className = options.inline ? 'wmc-root wmc-inline' : 'wmc-root';
  applyTheme(container, options);
  root.appendChild(container);
  const untrack = options.inline ? () => {} : trackVisualViewport(container);
  const open = signal(init.open ?? true);
  const t = resolveStrings(options.strings);
  const onClose = () => {
    if (init.onClose) init.onClose();
    else open.value = false;
  };
  render(jsx(Panel, { session: init.session, options, t, open, onClose }), container);
  return {
    element: container,
    setOpen(value) {
      open.value = value;
    },
    get isOpen() {
      return open.peek();
    },
    focus() {
      container.querySelector('textarea')?.focus();
    },
    destroy() {
      untrack();
      render(null, container);
      container.remove();
      unstyle();
    },
  };
}
