/**
 * Small screens: the panel covers what the person sees, the visual viewport,
 * not the layout viewport. A host page wider than the screen makes the
 * layout viewport wider (and taller) than the screen, and a panel sized by
 * `inset: 0` would put its header and Send button out of sight. The
 * position and size go to CSS variables; the stylesheet uses them only while
 * `data-small` is set.
 */
const SMALL_SCREEN = 480;

export function trackVisualViewport(el: HTMLElement): () => void {
  const view = el.ownerDocument.defaultView?.visualViewport;
  if (!view) return () => {};
  const update = () => {
    // Screen width in CSS pixels at 100% zoom: the page's own width does not count.
    el.toggleAttribute('data-small', view.width * view.scale <= SMALL_SCREEN);
    el.style.setProperty('--wmc-vl', `${view.offsetLeft}px`);
    el.style.setProperty('--wmc-vt', `${view.offsetTop}px`);
    el.style.setProperty('--wmc-vw', `${view.width}px`);
    el.style.setProperty('--wmc-vh', `${view.height}px`);
  };
  update();
  view.addEventListener('resize', update);
  view.addEventListener('scroll', update);
  return () => {
    view.removeEventListener('resize', update);
    view.removeEventListener('scroll', update);
  };
}
