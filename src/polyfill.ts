/**
 * `webmcp-chat/polyfill`: import it first (the first import of an SPA) and
 * `document.modelContext` exists, unless the browser or another library
 * already provides one. Iframe and form-tool support load on first need.
 */
import { installPolyfill } from './bridge/polyfill.js';

installPolyfill(globalThis.window, () => import('./bridge/polyfill-extras.js'));
