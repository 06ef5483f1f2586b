/**
 * The one way protocol code reaches zod. zod compiles fast paths with
 * `new Function` unless told not to, which a page with `script-src 'self'`
 * reports as a CSP violation. Every schema module imports `z` from here, so
 * the switch is set before any schema exists, however a bundler re-routes
 * re-exports.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });

export { z };
