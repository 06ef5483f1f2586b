/**
 * Which WebMCP a browser test really runs on, and a guard that it is the one
 * its web-test-runner group set out to test. The group's runner page names
 * it in `<meta name="webmcp-expected">` (web-test-runner.config.mjs); if that
 * implementation failed to load, our polyfill would quietly stand in and the
 * suites would pass while proving nothing about it, so every file that
 * imports this module fails before its first test instead.
 */
import { discover, isPolyfill, type BridgeWindow } from '../../../src/bridge/index.js';

export type InstalledWebMcp = 'native' | 'mcp-b' | 'polyfill' | 'none' | 'unknown';

/**
 * Identifies `document.modelContext` by what only that implementation has,
 * independently of the bridge's own detection (which the guard checks too).
 */
export function installedWebMcp(): InstalledWebMcp {
  const context = (document as unknown as { modelContext?: Record<string, unknown> }).modelContext;
  if (typeof context !== 'object' || context === null) return 'none';
  // @mcp-b/global's BrowserMcpServer: its own marker plus MCP's listTools(); neither native nor ours has either.
  if (context.__isBrowserMcpServer === true && typeof context.listTools === 'function') return 'mcp-b';
  if (isPolyfill(context)) return 'polyfill';
  // Chromium's: served by the getter on Document.prototype, not an own property a script put on `document`.
  const nativeGetter = Object.getOwnPropertyDescriptor(Document.prototype, 'modelContext')?.get;
  if (nativeGetter && !Object.hasOwn(document, 'modelContext') && nativeGetter.call(document) === context) return 'native';
  return 'unknown';
}

/** What the group's runner page asks for; null when run outside a group (e.g. `--files` alone). */
export function expectedWebMcp(): string | null {
  return document.querySelector('meta[name="webmcp-expected"]')?.getAttribute('content') ?? null;
}

/** Throws, saying what differs, unless the page runs on the expected WebMCP and the bridge sees it so. */
export function assertExpectedWebMcp(): void {
  const expected = expectedWebMcp();
  if (expected === null) return;
  const installed = installedWebMcp();
  if (installed !== expected) {
    throw new Error(
      `This test group is meant to run on "${expected}", but document.modelContext is "${installed}". ` +
        'Its runner page (web-test-runner.config.mjs) did not install that WebMCP; look for a failed script in the page.',
    );
  }
  const detected = discover(window as unknown as BridgeWindow)?.kind ?? 'none';
  if (detected !== installed) throw new Error(`The page runs on "${installed}", but the bridge detected "${detected}".`);
}

// A root hook in every file that imports this module. `beforeEach`, not
// `before`: it must run after the file's own `before` hooks (one installs our
// polyfill there); once it passed, the page's WebMCP does not change.
let checked = false;
beforeEach(() => {
  if (checked) return;
  assertExpectedWebMcp();
  checked = true;
});
