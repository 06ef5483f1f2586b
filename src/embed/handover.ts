/**
 * What the script tag's loader already carries and hands the panel, so that
 * `webmcp-chat-panel.js` does not ship a second copy. The panel is only ever
 * imported by the loader, which calls `handOver()` first (script-tag.ts); the
 * panel's build (vite.config.ts) reads these modules' exports from the handed
 * list instead of bundling them. A name the panel imports that is missing
 * from HANDED_OVER fails the panel's build; test/unit/embed/handover.test.ts
 * holds `handOver()` to HANDED_OVER's order. The npm build bundles every
 * module as usual.
 */
import { captureRegistrations, isMcpB, registryOf } from '../bridge/registrations.js';
import { ChatError } from '../client/chat-error.js';
import { Emitter } from '../client/emitter.js';
import { callEach } from '../shared/call-each.js';
import { adoptCss } from '../ui/launcher.js';
import { trackVisualViewport } from '../ui/viewport.js';

/** Each export handed over, with the module it comes from, in the order `handOver()` lists them. */
export const HANDED_OVER = [
  ['src/shared/call-each.ts', 'callEach'],
  ['src/client/emitter.ts', 'Emitter'],
  ['src/client/chat-error.ts', 'ChatError'],
  ['src/ui/launcher.ts', 'adoptCss'],
  ['src/ui/viewport.ts', 'trackVisualViewport'],
  ['src/bridge/registrations.ts', 'captureRegistrations'],
  ['src/bridge/registrations.ts', 'isMcpB'],
  ['src/bridge/registrations.ts', 'registryOf'],
] as const;

/** The global (a `Symbol.for` key) the list is put under. */
export const HANDOVER = 'webmcp-chat.loader';

/** Set by the build to HANDOVER and a hash of the handed modules (vite.config.ts), so only a panel of the same build reads the list. */
declare const __HANDOVER_KEY__: string | undefined;

/** The key this build's loader hands its list under (HANDOVER alone when running from source). */
export const HANDOVER_KEY = typeof __HANDOVER_KEY__ === 'string' ? __HANDOVER_KEY__ : HANDOVER;

/** Puts the loader's modules where the panel looks for them: a list, not an object, so no names travel. */
export function handOver(): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(HANDOVER_KEY)] = [
    callEach,
    Emitter,
    ChatError,
    adoptCss,
    trackVisualViewport,
    captureRegistrations,
    isMcpB,
    registryOf,
  ] satisfies unknown[] & { length: (typeof HANDED_OVER)['length'] };
}
