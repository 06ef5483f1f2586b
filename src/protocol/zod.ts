/**
 * The one way protocol code reaches zod. zod compiles fast paths with
 * `new Function` unless told not to, which a page with `script-src 'self'`
 * reports as a CSP violation. Every schema module imports from here, so the
 * switch is set before any schema exists, however a bundler re-routes
 * re-exports.
 *
 * `export *` (not `export { z }`): a re-exported namespace object would keep
 * all of zod, locales included, in every bundle; static member access on a
 * star re-export lets bundlers keep only what the schemas use.
 */
import { config } from 'zod/mini';

config({ jitless: true });

export * from 'zod/mini';
