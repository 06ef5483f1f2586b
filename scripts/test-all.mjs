#!/usr/bin/env node
// `npm test`: every suite in turn (vitest, then web-test-runner in Chromium,
// then the end-to-end run when present), whatever the previous one did, and
// one closing line `N passed, N failed` totalled over all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const suites = [
  { name: 'vitest', command: ['npx', 'vitest', 'run'], report: '.reports/vitest.json', read: readVitest },
  { name: 'web-test-runner', command: ['npx', 'wtr'], report: '.reports/wtr.json', read: readPlain },
];
if (existsSync('test/e2e/run.mjs')) {
  suites.push({ name: 'e2e', command: ['node', 'test/e2e/run.mjs'], report: '.reports/e2e.json', read: readPlain });
}

const totals = { passed: 0, failed: 0, skipped: 0 };

// The integration and e2e suites load the built widget, as a page would.
console.log('=== build ===');
const built = spawnSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) {
  console.log('build failed');
  totals.failed += 1;
}

for (const suite of suites) {
  rmSync(suite.report, { force: true });
  console.log(`\n=== ${suite.name} ===`);
  const run = spawnSync(suite.command[0], suite.command.slice(1), { stdio: 'inherit' });
  let counts = existsSync(suite.report) ? suite.read(suite.report) : { passed: 0, failed: 0, skipped: 0 };
  // A runner that crashed or failed without reporting a failing test still fails the run.
  if (run.status !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
  console.log(`${suite.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const key of Object.keys(totals)) totals[key] += counts[key];
}

console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);

function readVitest(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const suiteErrors = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + suiteErrors,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

function readPlain(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
