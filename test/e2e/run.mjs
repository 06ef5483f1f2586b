#!/usr/bin/env node
// End-to-end: the demo as a newcomer runs it, driven in Chromium.
//
//   node test/e2e/run.mjs [--headed] [--only NAME] [--no-build]
//
// Builds the widget when dist/ lacks it, starts `demo/serve.ts` itself on two
// free ports, runs the scenarios in test/e2e/scenarios.mjs one by one (each in
// a fresh browser profile), prints one line per scenario and a closing
// `N passed, N failed`, writes .reports/e2e.json and exits non-zero on any
// failure. Screenshots go to test/e2e/screenshots/ (gitignored).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { SCENARIOS } from './scenarios.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.mjs';

const repo = new URL('../..', import.meta.url).pathname;
const screenshots = join(repo, 'test/e2e/screenshots');

const SCENARIO_TIMEOUT_MS = 60_000;

const { values } = parseArgs({
  options: { headed: { type: 'boolean', default: false }, only: { type: 'string' }, 'no-build': { type: 'boolean', default: false } },
});

const results = [];
let demo;
try {
  ensureBuilt();
  demo = await startDemo();
  console.log(`demo up: ${demo.urls[0]} and ${demo.urls[1]} · cold start → page served ${demo.coldStartMs} ms`);
  mkdirSync(screenshots, { recursive: true });
  // Failure shots from an earlier run would be misleading.
  for (const file of readdirSync(screenshots)) if (file.startsWith('FAILED-')) rmSync(join(screenshots, file));
  const scenarios = SCENARIOS.filter((scenario) => !values.only || scenario.name.includes(values.only));
  for (const scenario of scenarios) results.push(await runScenario(scenario, demo));
} catch (error) {
  results.push({ name: 'setup', ok: false, ms: 0, error: error instanceof Error ? error.message : String(error) });
  console.log(`✗ setup: ${results.at(-1).error}`);
} finally {
  await demo?.stop();
}

const passed = results.filter((result) => result.ok).length;
const failed = results.length - passed;
mkdirSync(join(repo, '.reports'), { recursive: true });
writeFileSync(join(repo, '.reports/e2e.json'), JSON.stringify({ passed, failed, skipped: 0 }));
if (demo) console.log(`cold start (spawn → first page served): ${demo.coldStartMs} ms`);
console.log(`screenshots: ${screenshots}`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

// ---------- helpers ----------

/** `npm run demo` builds first; a test run builds only when the artifacts are missing. */
function ensureBuilt() {
  const needed = ['webmcp-chat.js', 'webmcp-chat-panel.js', 'webmcp-polyfill.js'].filter((file) => !existsSync(join(repo, 'dist', file)));
  if (needed.length === 0 || values['no-build']) return;
  console.log(`building the widget (dist/ lacks ${needed.join(', ')})…`);
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status}); the demo needs dist/${needed.join(', dist/')}`);
}

/** Spawns the demo on free ports and waits until its storefront answers. */
async function startDemo() {
  // The demo serves a snapshot of the widget: someone rebuilding dist/ during the run cannot break it.
  const dist = mkdtempSync(join(tmpdir(), 'webmcp-e2e-dist-'));
  for (let attempt = 1; ; attempt++) {
    try {
      for (const file of ['webmcp-chat.js', 'webmcp-chat-panel.js', 'webmcp-polyfill.js'])
        copyFileSync(join(repo, 'dist', file), join(dist, file));
      break;
    } catch (error) {
      // A build in progress empties dist/ for a second or two.
      if (attempt === 5) throw new Error(`cannot copy the widget from dist/: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  const startedAt = performance.now();
  const tsx = join(repo, 'node_modules/.bin/tsx');
  const child = spawn(tsx, ['demo/serve.ts', '--port', '0', '--port2', '0'], {
    cwd: repo,
    env: { ...process.env, DEMO_DIST_DIR: dist, DEMO_STREAM_DELAY_MS: '0', WEBMCP_OPENAI_BASE_URL: '', WEBMCP_OPENAI_MODEL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const urls = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start in 60 s:\n${output}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${output}`)));
    const check = setInterval(() => {
      const first = /Storefront\s+(\S+?)\/?\s/.exec(output)?.[1];
      const second = /Second origin\s+(\S+?)\/?\s/.exec(output)?.[1];
      if (first && second) {
        clearInterval(check);
        clearTimeout(timer);
        resolve([first, second]);
      }
    }, 20);
  });
  const page = await fetch(`${urls[0]}/`);
  if (!page.ok) throw new Error(`GET / answered ${page.status}`);
  await page.text();
  const coldStartMs = Math.round(performance.now() - startedAt);
  return {
    urls,
    coldStartMs,
    log: () => output,
    stop: async () => {
      rmSync(dist, { recursive: true, force: true });
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    },
  };
}

async function runScenario(scenario, demo) {
  const profile = mkdtempSync(join(tmpdir(), 'webmcp-e2e-'));
  const args = [...CHROMIUM_ARGS.filter((flag) => !(values.headed && flag === '--headless')), ...(scenario.flags ?? [])];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: !values.headed,
    args,
    viewport: { width: 1280, height: 860 },
    // A scenario may ask for a phone (viewport, isMobile, hasTouch) or a colour scheme.
    ...scenario.contextOptions,
  });
  context.setDefaultTimeout(15_000);
  const problems = [];
  const started = performance.now();
  const helpers = {
    base: demo.urls[0],
    other: demo.urls[1],
    context,
    problems,
    async page() {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text()))
          problems.push(`CSP: ${message.text()}`);
      });
      return page;
    },
    async screenshot(page, name) {
      const path = join(screenshots, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
  };
  let error;
  try {
    await withTimeout(scenario.run(helpers), SCENARIO_TIMEOUT_MS, scenario.name);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  } catch (failure) {
    error = failure instanceof Error ? failure.message.split('\n').slice(0, 6).join('\n    ') : String(failure);
    for (const page of context.pages()) {
      await page
        .screenshot({ path: join(screenshots, `FAILED-${slug(scenario.name)}-${context.pages().indexOf(page)}.png`) })
        .catch(() => {});
    }
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  const ms = Math.round(performance.now() - started);
  console.log(error ? `✗ ${scenario.name} (${ms} ms)\n    ${error}` : `✓ ${scenario.name} (${ms} ms)`);
  return { name: scenario.name, ok: !error, ms, error };
}

function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${name} took over ${ms / 1000} s`)), ms))),
  ]);
}
