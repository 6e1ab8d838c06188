// npm test: lint, typecheck, unit + integration tests, renderer build, Electron security scan, end-to-end tests in Chromium.
// Prints one closing line "N passed, N failed[, N skipped]" counting every test and every check.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];

function run(label, cmd, args) {
  process.stdout.write(`\n== ${label} ==\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const ok = r.status === 0;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function check(label, cmd, args) {
  if (run(label, cmd, args)) totals.passed++;
  else totals.failed++;
}

function vitest(label, args, jsonFile) {
  rmSync(jsonFile, { force: true });
  const ok = run(label, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`]);
  if (!existsSync(jsonFile)) {
    totals.failed++; // the runner itself failed before reporting
    return;
  }
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load counts as a failure even when no test inside it ran.
  const brokenSuites = report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
  totals.failed += brokenSuites;
  if (!ok && report.numFailedTests === 0 && brokenSuites === 0) totals.failed++;
}

check('lint (ESLint, walls of architecture.md)', 'npx', ['eslint', '.']);
check('typecheck (tsc strict, one config per layer)', 'node', ['scripts/typecheck.mjs']);
vitest('unit + integration (vitest, real SQLite)', [], 'test-results/unit.json');
const built = run('build renderer (vite)', 'npx', ['vite', 'build', '--logLevel', 'warn']);
if (built) totals.passed++;
else totals.failed++;
// Electron security anti-patterns in the shell and the built page; every finding fixed or explained in place.
if (built) check('Electron security scan (electronegativity)', 'node', ['scripts/electronegativity.mjs']);
if (built && !process.env.SKIP_E2E) vitest('end-to-end (Chromium via the bridge)', ['--config', 'vitest.e2e.config.ts'], 'test-results/e2e.json');

process.stdout.write(`\n${summary.join('\n')}\n\n`);
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.exit(totals.failed === 0 ? 0 : 1);
