/**
 * Small screens: the panel covers what the person sees, the visual viewport,
 * not the layout viewport. A host page wider than the screen makes the
 * layout viewport wider (and taller) than the screen, and a panel sized by
 * `inset: 0` would put its header and Send button out of sight. The
 * position and size go to CSS variables (`--wmc-vl`, `-vt`, `-vw`, `-vh`); the
 * panel's stylesheet uses them only while `data-small` is set, the launcher's
 * always.
 */
export function trackVisualViewport(el: HTMLElement): () => void {
  const view = window.visualViewport;
  if (!view) return () => {};
  const update = () => {
    // Screen width in CSS pixels at 100% zoom: the page's own width does not count.
    el.toggleAttribute('data-small', view.width * view.scale <= 480);
    for (const [name, px] of [
      ['l', view.offsetLeft],
      ['t', view.offsetTop],
      ['w', view.width],
      ['h', view.height],
    ] as const)
      el.style.setProperty(`--wmc-v${name}`, `${px}px`);
  };
  update();
  const listen = (add: boolean) => {
    for (const type of ['resize', 'scroll']) view[add ? 'addEventListener' : 'removeEventListener'](type, update);
  };
  listen(true);
  return () => listen(false);
}
