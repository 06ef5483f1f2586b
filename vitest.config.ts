import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts', 'test/pack/**/*.test.ts'],
    environment: 'node',
    // Real HTTP servers, Chromium and CPU-heavy property tests run side by side in several
    // workers: a test that takes 4 s alone took over 80 s on a loaded two-core machine. The
    // limits only catch a hang, so they are generous; no test relies on timing.
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // A poll waits for the page or the server to get somewhere; its default (1 s) is a race on a loaded machine.
    expect: { poll: { timeout: 30_000 } },
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/vitest.json' },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
