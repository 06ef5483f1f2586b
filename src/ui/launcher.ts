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
  remove(): void;
}

// It sits in the corner of what the person sees (the visual viewport, tracked
// by viewport.ts), so a host page wider than a phone's screen cannot carry it
// out of sight. Motion only for those who have not asked for less. While open
// it shows a cross: the plus below, turned.
const CSS = `.wmc-launcher{position:fixed;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;cursor:pointer;display:grid;place-items:center;background:var(--wmc-accent,#2f5bea);color:var(--wmc-on-accent,#fff);box-shadow:0 4px 14px #0004;left:calc(var(--wmc-vl) + var(--wmc-vw) - 76px);top:calc(var(--wmc-vt) + var(--wmc-vh) - 76px)}
.left{left:calc(var(--wmc-vl) + 20px)}.top{top:calc(var(--wmc-vt) + 20px)}
@media (prefers-reduced-motion:no-preference){.wmc-launcher{transition:scale .15s}.wmc-launcher:hover{scale:1.05}}
.wmc-launcher:focus-visible{outline:3px solid var(--wmc-focus,#1d4ed8);outline-offset:3px}
.wmc-launcher[aria-busy=true]{opacity:.7;cursor:progress}.wmc-launcher svg{width:26px;height:26px;fill:currentColor}.wmc-launcher[aria-expanded=true] svg{rotate:45deg}`;

const SVG = 'http://www.w3.org/2000/svg';
const CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
const CLOSE = 'M11 2h2v20h-2zM2 11h20v2H2z';

/** Adds `css` to a shadow root: an adopted stylesheet, or a `<style>` where sheets cannot be constructed. */
export function adoptCss(root: ShadowRoot, css: string): () => void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return () => (root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet));
  } catch {
    const style = root.appendChild(root.ownerDocument.createElement('style'));
    style.textContent = css;
    return () => style.remove();
  }
}

export function createLauncher(root: ShadowRoot, options: LauncherOptions): Launcher {
  const doc = root.ownerDocument;
  const unstyle = adoptCss(root, CSS);
  const button = doc.createElement('button');
  // `bottom-right` → classes `bottom right`: only `left` and `top` move it from the default corner.
  button.className = `wmc-launcher ${(options.corner ?? '').replace('-', ' ')}`;
  // Attributes, not ARIA reflection (`ariaLabel`): Firefox reflects only from 119, and we support 101.
  button.setAttribute('aria-label', options.label);
  button.setAttribute('aria-haspopup', 'dialog');
  if (options.accentColor) button.style.setProperty('--wmc-accent', options.accentColor);
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = svg.appendChild(doc.createElementNS(SVG, 'path'));
  button.appendChild(svg);
  button.onclick = options.onToggle;
  const intent = () => {
    for (const type of ['pointerenter', 'focus', 'touchstart']) button.removeEventListener(type, intent);
    options.onIntent?.();
  };
  for (const type of ['pointerenter', 'focus', 'touchstart']) button.addEventListener(type, intent, { passive: true });
  root.appendChild(button);
  const untrack = trackVisualViewport(button);
  const launcher: Launcher = {
    element: button,
    setOpen(open) {
      button.setAttribute('aria-expanded', `${open}`);
      path.setAttribute('d', open ? CLOSE : CHAT);
    },
    setBusy(busy) {
      button.setAttribute('aria-busy', `${busy}`);
    },
    remove() {
      untrack();
      button.remove();
      unstyle();
    },
  };
  launcher.setOpen(false);
  return launcher;
}
