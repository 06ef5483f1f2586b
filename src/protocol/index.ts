/**
 * The contract, written once: shapes of every request, response and stream
 * event, the limits, allowlist matching and the tool-set fingerprint.
 * Browser and server code both import this; it imports nothing of ours.
 * zod-free on purpose: its types reach the published declarations. The zod
 * schemas (server, tests) are in schemas.ts.
 */
export * from './limits.js';
export * from './tools.js';
export * from './allowlist.js';
export * from './fingerprint.js';
export * from './requests.js';
export * from './responses.js';
export * from './events.js';
export * from './shape.js';
export * from './errors.js';
