// Prints the closing line CI reads ("N passed, N failed") from the vitest and Playwright
// JSON reports, counting a failed non-test step (typecheck, lint, format) as a failure.
import { existsSync, readFileSync } from 'node:fs';

const failedSteps = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

const read = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined);

const vitest = read('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
}
const pw = read('test-results/playwright.json');
if (pw) {
  passed += pw.stats.expected + pw.stats.flaky;
  failed += pw.stats.unexpected;
  skipped += pw.stats.skipped;
}
const testSteps = ['unit and server tests', 'e2e (Playwright, Chromium)'];
const stepFailures = failedSteps.filter((s) => !testSteps.includes(s));
const missingReports = [!vitest && 'vitest', !pw && 'playwright'].filter(Boolean);

if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
if (missingReports.length) console.log(`missing test reports: ${missingReports.join(', ')}`);
failed += stepFailures.length + missingReports.length;
// A runner that failed without reporting a failed test (crash, config error) still fails.
if (failed === 0 && failedSteps.length) failed = failedSteps.length;

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
