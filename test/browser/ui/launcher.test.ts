/**
 * The launcher, the only UI before the first open: it sits 20 px from the
 * corner the host chose, of what the person sees (the visual viewport), is a
 * named button that says whether the chat is open, and asks for the panel
 * once when a pointer or focus comes near.
 */
import { setViewport } from '@web/test-runner-commands';
import { createLauncher } from '../../../src/ui/launcher.js';
import type { Corner } from '../../../src/ui/theme.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

describe('launcher', () => {
  let host: HTMLElement;
  beforeEach(() => {
    host = document.body.appendChild(document.createElement('div'));
  });
  afterEach(async () => {
    host.remove();
    await setViewport({ width: 800, height: 600 });
  });

  for (const corner of ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as Corner[]) {
    it(`${corner}: 20 px from that corner of the visual viewport, on a wide screen and a phone`, async () => {
      const root = host.attachShadow({ mode: 'open' });
      for (const [width, height] of [
        [800, 600],
        [390, 844],
      ] as const) {
        await setViewport({ width, height });
        // Made after the resize: a page behind another gets no frames, so no resize events, in this runner.
        const launcher = createLauncher(root, { label: 'Open chat', corner, onToggle: () => {} });
        const box = launcher.element.getBoundingClientRect();
        const view = window.visualViewport!;
        const [vertical, horizontal] = corner.split('-');
        const gapX = horizontal === 'left' ? box.left - view.offsetLeft : view.offsetLeft + view.width - box.right;
        const gapY = vertical === 'top' ? box.top - view.offsetTop : view.offsetTop + view.height - box.bottom;
        check(Math.round(gapX) === 20 && Math.round(gapY) === 20, `${width}×${height}: gaps ${gapX}, ${gapY}`);
        launcher.remove();
      }
    });
  }

  it('is a named button that says whether the chat is open, busy while loading, and hints intent once', async () => {
    let toggles = 0;
    let intents = 0;
    const launcher = createLauncher(host.attachShadow({ mode: 'open' }), {
      label: 'Chat with us',
      onToggle: () => toggles++,
      onIntent: () => intents++,
    });
    const button = launcher.element;
    check(button.getAttribute('aria-label') === 'Chat with us', 'named');
    check(button.getAttribute('aria-expanded') === 'false' && button.getAttribute('aria-haspopup') === 'dialog', 'closed dialog opener');
    const icon = button.querySelector('path')!.getAttribute('d');
    button.focus();
    button.dispatchEvent(new PointerEvent('pointerenter'));
    check(intents === 1, `intent hinted once, got ${intents}`);
    button.click();
    check(toggles === 1, 'a click toggles');
    launcher.setOpen(true);
    check(button.getAttribute('aria-expanded') === 'true', 'says open');
    check(button.querySelector('path')!.getAttribute('d') !== icon, 'shows the close icon while open');
    launcher.setBusy(true);
    check(button.getAttribute('aria-busy') === 'true', 'busy');
    launcher.remove();
    check(!host.shadowRoot!.querySelector('button') && host.shadowRoot!.adoptedStyleSheets.length === 0, 'gone with its styles');
  });
});
