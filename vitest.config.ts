import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts', 'test/pack/**/*.test.ts'],
    environment: 'node',
    // Real HTTP servers on loopback: give slow CI machines room, never rely on timing.
    testTimeout: 20_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/vitest.json' },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
