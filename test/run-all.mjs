// `npm test`: every suite in order — mocha (unit, rules, quick-fixes, protocol, runtime), the
// grammar tests, then the real-VS-Code suite when present — and one closing line
// "tests: N passed, N failed". Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
process.chdir(root);

let passed = 0, failed = 0;
const suites = [];

async function runMocha() {
  const Mocha = require('mocha');
  const config = require(path.join(root, 'test', '.mocharc.json'));
  const mocha = new Mocha({ timeout: config.timeout, reporter: 'spec' });
  const files = [];
  const { readdirSync, statSync } = await import('node:fs');
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) walk(p); else if (e.endsWith('.test.js')) files.push(p);
    }
  };
  for (const d of ['unit', 'rules', 'protocol', 'runtime', 'report', 'profiler', 'conformance']) walk(path.join(root, 'out', 'test', d));
  files.sort();
  for (const f of files) mocha.addFile(f);
  const result = await new Promise((resolve) => {
    const runner = mocha.run((failures) => resolve({ failures, stats: runner.stats }));
  });
  const { stats } = result;
  passed += stats.passes; failed += stats.failures;
  suites.push(`mocha: ${stats.passes} passed, ${stats.failures} failed${stats.pending ? `, ${stats.pending} skipped` : ''}`);
}

function runScript(name, cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, ...env } });
  process.stdout.write(r.stdout ?? '');
  const m = /(\d+) passed, (\d+) failed/.exec((r.stdout ?? '').trim().split('\n').reverse().find((l) => /passed, \d+ failed/.test(l)) ?? '');
  if (m) { passed += Number(m[1]); failed += Number(m[2]); }
  if (r.status !== 0 && (!m || Number(m[2]) === 0)) failed += 1;
  suites.push(`${name}: ${m ? `${m[1]} passed, ${m[2]} failed` : r.status === 0 ? 'ok' : `exit ${r.status}`}`);
}

await runMocha();
runScript('grammar', 'bash', ['test/grammar/run.sh']);
if (existsSync(path.join(root, 'test', 'integration', 'run.mjs'))) runScript('vscode', process.execPath, ['test/integration/run.mjs']);

console.log('\n' + suites.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
