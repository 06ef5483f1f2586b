/**
 * `webmcp-chat/polyfill`: load it first (its own script tag, or the first
 * import of an SPA) and `document.modelContext` exists, unless the browser or
 * another library already provides one.
 */
import { installPolyfill } from './bridge/polyfill.js';

installPolyfill();
