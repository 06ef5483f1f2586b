/**
 * The launcher: the only UI on the page before the first open. Plain DOM, no
 * Preact, its own tiny stylesheet, so it paints before the panel code loads.
 */
import type { Corner } from './theme.js';
import { trackVisualViewport } from './viewport.js';

export interface LauncherOptions {
  corner?: Corner;
  /** Accessible name, e.g. "Open chat". */
  label: string;
  accentColor?: string;
  onToggle(): void;
  /** Pointer or focus comes near: a good moment to start loading the panel. */
  onIntent?(): void;
}

export interface Launcher {
  readonly element: HTMLButtonElement;
  setOpen(open: boolean): void;
  setBusy(busy: boolean): void;
  focus(): void;
  remove(): void;
}

// Motion only for those who have not asked for less.
const CSS = `.wmc-launcher{position:fixed;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;cursor:pointer;display:grid;place-items:center;background:var(--wmc-accent,#2f5bea);color:var(--wmc-on-accent,#fff);box-shadow:0 4px 14px rgba(0,0,0,.25)}
@media (prefers-reduced-motion:no-preference){.wmc-launcher{transition:transform .15s}.wmc-launcher:hover{transform:scale(1.05)}}
.wmc-launcher:focus-visible{outline:3px solid var(--wmc-focus,#1d4ed8);outline-offset:3px}
.wmc-launcher[aria-busy=true]{opacity:.7;cursor:progress}.wmc-launcher svg{width:26px;height:26px;fill:currentColor}
.bottom-right{right:20px;bottom:20px}.bottom-left{left:20px;bottom:20px}.top-right{right:20px;top:20px}.top-left{left:20px;top:20px}
.wmc-launcher[data-small]{right:auto;bottom:auto;left:calc(var(--wmc-vl) + var(--wmc-vw) - 76px);top:calc(var(--wmc-vt) + var(--wmc-vh) - 76px)}
.wmc-launcher[data-small]:is(.bottom-left,.top-left){left:calc(var(--wmc-vl) + 20px)}.wmc-launcher[data-small]:is(.top-right,.top-left){top:calc(var(--wmc-vt) + 20px)}`;

const SVG = 'http://www.w3.org/2000/svg';
const CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
const CLOSE = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z';

/** Adds `css` to a shadow root: an adopted stylesheet, or a `<style>` where that is missing. */
export function adoptCss(root: ShadowRoot, css: string): () => void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return () => (root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet));
  }
  const style = root.ownerDocument.createElement('style');
  style.textContent = css;
  root.appendChild(style);
  return () => style.remove();
}

export function createLauncher(root: ShadowRoot, options: LauncherOptions): Launcher {
  const doc = root.ownerDocument;
  const unstyle = adoptCss(root, CSS);
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = `wmc-launcher ${options.corner ?? 'bottom-right'}`;
  button.setAttribute('aria-label', options.label);
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-haspopup', 'dialog');
  if (options.accentColor) button.style.setProperty('--wmc-accent', options.accentColor);
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = doc.createElementNS(SVG, 'path');
  path.setAttribute('d', CHAT);
  svg.appendChild(path);
  button.appendChild(svg);
  button.addEventListener('click', () => options.onToggle());
  let intent = options.onIntent;
  const onIntent = () => {
    intent?.();
    intent = undefined;
  };
  button.addEventListener('pointerenter', onIntent);
  button.addEventListener('focus', onIntent);
  button.addEventListener('touchstart', onIntent, { passive: true });
  root.appendChild(button);
  // On a phone, a host page wider than the screen must not carry the launcher out of sight (see viewport.ts).
  const untrack = trackVisualViewport(button);
  return {
    element: button,
    setOpen(open) {
      button.setAttribute('aria-expanded', String(open));
      path.setAttribute('d', open ? CLOSE : CHAT);
    },
    setBusy(busy) {
      button.setAttribute('aria-busy', String(busy));
    },
    focus() {
      button.focus();
    },
    remove() {
      untrack();
      button.remove();
      unstyle();
    },
  };
}
