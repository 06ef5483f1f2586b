/**
 * `webmcp-polyfill.js`, the script-tag build of the polyfill. Iframe and
 * form-tool support is `webmcp-polyfill-extras.js` beside it, imported on
 * first need (an ES module: same origin, so `script-src 'self'` covers it).
 */
import { installPolyfill } from './bridge/polyfill.js';

const src = (document.currentScript as HTMLScriptElement | null)?.src;
installPolyfill(globalThis.window, src ? () => import(`${new URL('webmcp-polyfill-extras.js', src)}`) : undefined);
