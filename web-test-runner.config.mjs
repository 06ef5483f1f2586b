// Browser tests in Debian's Chromium (never a downloaded browser).
// Groups: `polyfill` runs every browser test without native WebMCP (our
// polyfill stands in); `native` runs the WebMCP suites with
// --enable-features=WebMCP; `mcpb` runs them over @mcp-b/global.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countReporter } from './test/support/wtr-count-reporter.mjs';
import { startReferenceServer } from './test/support/reference-server.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/support/chromium.mjs';

// Helpers running suites side by side pick their own port (9871–9879 are allowed
// by test/fixtures/server-config.json).
export const TEST_PORT = Number(process.env.WTR_PORT ?? 9871);
const baseArgs = [
  ...CHROMIUM_ARGS,
  // Test pages run two at a time; a background page must not have its timers slowed.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

function chromium(extraArgs = []) {
  return chromeLauncher({
    launchOptions: {
      executablePath: CHROMIUM_PATH,
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
/** Conversations through the real bridge and the reference API. */
const turnSuites = 'test/browser/{core,client}/**/*.test.ts';
/** Whole turns with tools that misbehave. */
const reliabilitySuites = 'test/browser/reliability/**/*.test.ts';

// wtr 0.20 semantics (read from @web/test-runner's parseConfig/createSessionGroups):
// - with no top-level `files`, `wtr` runs every group once; there is no
//   implicit "default" group, and top-level `browsers` only fills in for a
//   group without its own.
// - `--group X` runs X alone, but a group's own `files` beat the CLI's
//   `--files`, so `--group polyfill --files one.test.ts` would silently run all
//   of the group. So when `--files` is given, groups leave `files` unset and
//   inherit the CLI's.
// - `--files` without `--group` also makes a "default" group (top-level
//   browsers, plain Chromium, the same setup as `polyfill`), so `polyfill` is
//   left out then to avoid running the same files twice.
const argv = process.argv.slice(2);
const hasFlag = (flag) => argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
const cliFiles = hasFlag('--files');
const cliGroup = hasFlag('--group');
const filesOr = (pattern) => (cliFiles ? {} : { files: pattern });

/**
 * The runner page of a group: it names the WebMCP the group means to test, for
 * test/browser/support/webmcp-group.ts to check, plus anything to load first.
 */
const runnerHtml =
  (expected, head = '') =>
  (testFramework) =>
    `<!doctype html>
<html>
  <head><meta name="webmcp-expected" content="${expected}">${head}</head>
  <body><script type="module" src="${testFramework}"></script></body>
</html>`;

// @mcp-b/global's self-contained script build, as a classic script so it runs
// before any module. Its ES module entry cannot load here: wtr resolves bare
// imports without the `browser` export condition, so
// `@modelcontextprotocol/server/_shims` resolves to the Node shim (which
// imports `node:process`), the server answers 500 and the whole module graph
// fails, silently leaving the page to our polyfill.
const mcpbScript = relative(process.cwd(), fileURLToPath(import.meta.resolve('@mcp-b/global/iife')))
  .split(sep)
  .join('/');

/**
 * Suites that measure what the page renders, or how it shares its main thread
 * between tasks and frames: they need a page in front, so each gets a browser
 * of its own.
 */
const renderDir = 'test/browser/markdown';
const frontSuites = [
  ...readdirSync(renderDir)
    .filter((name) => /\.test\.tsx?$/.test(name))
    .map((name) => `${renderDir}/${name}`),
  'test/browser/client/read-pace.test.ts',
];
/** Every other group leaves them out: once, in front, is what they need. */
const notFront = frontSuites.map((file) => `!${file}`);

const groups = [
  {
    name: 'polyfill',
    ...filesOr(['test/browser/**/*.test.{ts,tsx}', ...notFront]),
    browsers: [chromium()],
    testRunnerHtml: runnerHtml('polyfill'),
  },
  // Two test pages in one browser means one of them is behind the other, and a page behind renders no frames
  // (and may be hidden, where the read loop rightly never pauses): content-visibility and animation checks
  // would wait on frames that never come, and a panel mounted there is laid out unseen. One page, one browser:
  // a group (so a browser) per suite, as `concurrency` would otherwise open two of them side by side in one.
  ...frontSuites.map((file) => ({
    name: `front-${basename(file).replace(/\.test\.tsx?$/, '')}`,
    ...filesOr(file),
    browsers: [chromium()],
    testRunnerHtml: runnerHtml('polyfill'),
  })),
  // Whole turns run on native and MCP-B too: the same cases over each WebMCP.
  {
    name: 'native',
    ...filesOr([webmcpSuites, turnSuites, reliabilitySuites, ...notFront]),
    browsers: [chromium(['--enable-features=WebMCP'])],
    testRunnerHtml: runnerHtml('native'),
  },
  {
    name: 'mcpb',
    ...filesOr([webmcpSuites, turnSuites, reliabilitySuites, ...notFront]),
    browsers: [chromium()],
    testRunnerHtml: runnerHtml('mcp-b', `<script src="/${mcpbScript}"></script>`),
  },
];

export default {
  nodeResolve: true,
  port: TEST_PORT,
  hostname: 'localhost',
  rootDir: '.',
  concurrency: 2,
  testFramework: { config: { timeout: 15000 } },
  plugins: [
    esbuildPlugin({ ts: true, tsx: true, jsx: true, jsxFactory: 'h', target: 'es2022', tsconfig: 'tsconfig.json' }),
    referenceApiPlugin(),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter('.reports/wtr.json')],
  // Used by the "default" group that `--files` without `--group` creates.
  browsers: [chromium()],
  groups: cliFiles && !cliGroup ? groups.filter((group) => group.name !== 'polyfill' && !group.name.startsWith('front-')) : groups,
};
