// Writes passed/failed/skipped totals of a web-test-runner run to a JSON file,
// so scripts/test-all.mjs can print one line over every suite. A file that
// fails to load (syntax error, import error) counts as one failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function countSuite(suite, totals) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites ?? []) countSuite(child, totals);
}

export function countReporter(outputFile) {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = totals.passed + totals.failed + totals.skipped;
        if (session.testResults) countSuite(session.testResults, totals);
        const counted = totals.passed + totals.failed + totals.skipped - before;
        if ((session.errors?.length ?? 0) > 0 && (counted === 0 || session.passed === false) && !hasFailed(session)) {
          totals.failed += 1;
        }
      }
      mkdirSync(dirname(outputFile), { recursive: true });
      writeFileSync(outputFile, JSON.stringify(totals));
    },
  };
}

function hasFailed(session) {
  const walk = (suite) => (suite.tests ?? []).some((t) => !t.passed && !t.skipped) || (suite.suites ?? []).some(walk);
  return session.testResults ? walk(session.testResults) : false;
}
