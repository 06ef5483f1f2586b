// Browser tests in Debian's Chromium (never a downloaded browser).
// Groups: `polyfill` runs every browser test without native WebMCP (our
// polyfill stands in); `native` runs the WebMCP suites with
// --enable-features=WebMCP; `mcpb` runs them over @mcp-b/global.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countReporter } from './test/support/wtr-count-reporter.mjs';
import { startReferenceServer } from './test/support/reference-server.mjs';

// Helpers running suites side by side pick their own port (9871–9876 are allowed
// by test/fixtures/server-config.json).
export const TEST_PORT = Number(process.env.WTR_PORT ?? 9871);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const baseArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

function chromium(extraArgs = []) {
  return chromeLauncher({
    launchOptions: {
      executablePath: CHROMIUM,
      headless: true,
      args: [...baseArgs, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'wtr-chromium-'))}`, ...extraArgs],
    },
  });
}

/** Starts the reference API on another origin and tells the pages where it is. */
function referenceApiPlugin() {
  let server;
  return {
    name: 'reference-api',
    async serverStart() {
      if (!existsSync('src/server/cli.ts')) return; // before the reference API exists
      server = await startReferenceServer({ config: 'test/fixtures/server-config.json', extraArgs: ['--test-hooks'] });
    },
    async serverStop() {
      server?.stop();
    },
    serve(context) {
      if (context.path === '/__env.json') {
        return { body: JSON.stringify({ apiUrl: server?.url ?? null }), type: 'application/json' };
      }
    },
  };
}

const webmcpSuites = 'test/browser/webmcp/**/*.test.ts';

export default {
  nodeResolve: true,
  port: TEST_PORT,
  hostname: 'localhost',
  rootDir: '.',
  concurrency: 2,
  testFramework: { config: { timeout: 15000 } },
  plugins: [esbuildPlugin({ ts: true, tsx: true, jsx: true, jsxFactory: 'h', target: 'es2022', tsconfig: 'tsconfig.json' }), referenceApiPlugin()],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter('.reports/wtr.json')],
  browsers: [chromium()],
  groups: [
    { name: 'polyfill', files: 'test/browser/**/*.test.{ts,tsx}', browsers: [chromium()] },
    { name: 'native', files: webmcpSuites, browsers: [chromium(['--enable-features=WebMCP'])] },
  ],
};
