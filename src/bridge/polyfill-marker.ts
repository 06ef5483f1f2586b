/**
 * How our polyfill is recognised, apart from the polyfill itself: the bridge
 * needs only the test, and importing it from polyfill.ts would ship the whole
 * polyfill class in the panel.
 */

/** Marks our object, so the bridge reports `polyfill` rather than `native`. */
export const POLYFILL_MARKER = '__isWebMcpChatPolyfill';

/** True when `value` is our polyfill (by marker, so it works across bundles and frames). */
export function isPolyfill(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[POLYFILL_MARKER] === true;
}

/**
 * Our polyfill's answer to "is this listed tool still registered, unchanged?"
 * without listing every tool: the bridge's check right before a call. A global
 * symbol, so a widget bundle can ask a polyfill bundle loaded apart from it.
 */
export const STILL_REGISTERED = Symbol.for('webmcp-chat.still-registered');
