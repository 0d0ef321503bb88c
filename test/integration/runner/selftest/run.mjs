#!/usr/bin/env node
// Self-test of the integration test runner: runs a throw-away extension's mocha suite in the real
// VS Code workbench twice, through the standard runTests() entry (run-tests.mjs):
//   1. development mode (extensionDevelopmentPath), with a Playwright UI check and a screenshot;
//   2. the same extension packed as a .vsix, installed into the fresh profile, tested as installed.
// Then checks that no process of the runs is left, and prints "N passed, N failed".
//   node test/integration/runner/selftest/run.mjs [--only=dev|vsix]
//   SELFTEST_FAIL=1 adds a deliberately failing test: the command must then exit non-zero.
// Artifacts (screenshot, .vsix, logs): test-results/runner-selftest/ at the repository root.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIntegrationTests } from '../run-tests.mjs';
import { packVsix } from './pack-vsix.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..', '..', '..');
const OUT = path.join(REPO, 'test-results', 'runner-selftest');
const only = (process.argv.find((a) => a.startsWith('--only=')) || '').slice('--only='.length);

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const results = path.join(OUT, 'results.jsonl');

// A private TMPDIR for the runs: every process they start (code-server, its extension host,
// Chromium) has it in its command line or environment, which is how leftovers are found below.
const privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rst-'));
process.env.TMPDIR = privateTmp;

function leftovers() {
  const found = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // zombie: already dead
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8');
      const environ = fs.readFileSync(`/proc/${e}/environ`, 'utf8');
      if (cmd.includes(privateTmp) || environ.includes(privateTmp)) found.push(`${e} ${cmd.replace(/\0/g, ' ').slice(0, 160)}`);
    } catch {}
  }
  return found;
}

const common = {
  extensionDevelopmentPath: path.join(HERE, 'extension'),
  extensionTestsPath: path.join(HERE, 'extension', 'test', 'index.js'),
  workspace: path.join(HERE, 'workspace'),
  timeoutMs: 5 * 60_000,
};
const runs = [
  {
    name: 'dev',
    options: {
      ...common,
      screenshot: path.join(OUT, 'workbench.png'),
      uiCheck: path.join(HERE, 'ui-checks.mjs'),
      logsDir: path.join(OUT, 'logs-dev'),
      env: { SELFTEST_RESULTS: results },
    },
  },
  {
    name: 'vsix',
    prepare: () => {
      const vsix = path.join(OUT, 'runner-selftest.vsix');
      const r = packVsix(path.join(HERE, 'extension'), vsix);
      console.log(`[selftest] packed ${vsix}: ${r.files.join(', ')}`);
      return { vsix };
    },
    options: {
      ...common,
      uiCheck: path.join(HERE, 'ui-checks.mjs'),
      logsDir: path.join(OUT, 'logs-vsix'),
      env: { SELFTEST_RESULTS: results, SELFTEST_EXPECT_INSTALLED: '1' },
    },
  },
].filter((r) => !only || r.name === only);

let exitCode = 0;
const timings = [];
for (const run of runs) {
  const extra = run.prepare ? run.prepare() : {};
  console.log(`[selftest] === ${run.name} run ===`);
  const t0 = Date.now();
  try {
    await runIntegrationTests({ ...run.options, ...extra });
  } catch (e) {
    console.error(`[selftest] ${run.name} run failed: ${e.message}`);
    exitCode = typeof e.code === 'number' && e.code !== 0 ? e.code : 1;
  }
  timings.push(`${run.name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  // The runner is gone; give the kernel a moment to reap, then nothing of it may be left.
  let left = leftovers();
  for (let i = 0; i < 20 && left.length; i++) {
    await new Promise((r) => setTimeout(r, 250));
    left = leftovers();
  }
  if (left.length) {
    console.error(`[selftest] processes left behind by the ${run.name} run:\n  ${left.join('\n  ')}`);
    exitCode = exitCode || 1;
  }
  if (exitCode) break;
}
fs.rmSync(privateTmp, { recursive: true, force: true });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of fs.existsSync(results) ? fs.readFileSync(results, 'utf8').split('\n').filter(Boolean) : []) {
  const r = JSON.parse(line);
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped || 0;
}
if (exitCode && failed === 0) failed = 1; // the run itself failed (timeout, crash): count it
console.log(`[selftest] timings: ${timings.join(', ')}`);
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(exitCode);
