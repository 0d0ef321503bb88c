#!/usr/bin/env node
// The real-VS-Code suite as `npm test` runs it: package the .vsix, install it into a clean
// extensions folder of VS Code 1.100.3 (from code-server, shown by headless Chromium), and run
// test/integration/suite in it against a fresh copy of the fixture workspace. What users install
// is what is tested. Missing prerequisites skip with a reason locally and fail under CI.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);
const results = path.join(root, 'test-results', 'integration');
fs.mkdirSync(results, { recursive: true });

const missing = [];
if (!fs.existsSync('/usr/bin/chromium')) missing.push('Debian chromium (/usr/bin/chromium)');
if (!fs.existsSync(path.join(root, 'test-env', 'node_modules', 'code-server'))) missing.push('test-env (bash test-env/install.sh)');
if (!fs.existsSync(path.join(root, 'out', 'test', 'integration', 'suite', 'index.js'))) missing.push('the compiled suite (npm run build)');
if (missing.length) {
  const msg = `real-VS-Code suite: missing ${missing.join(', ')}`;
  if (process.env.CI) { console.error(`${msg}; CI requires it`); process.exit(1); }
  console.log(`skipped: ${msg}. Install with: bash test-env/install.sh`);
  process.exit(0);
}

const started = Date.now();
const vsix = path.join(results, 'dataflow-performance.vsix');
const pack = spawnSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', vsix], { encoding: 'utf8' });
if (pack.status !== 0) { console.error(pack.stdout, pack.stderr); console.error('vsce package failed'); process.exit(1); }
console.log(`packaged ${path.relative(root, vsix)}: ${(fs.statSync(vsix).size / 1024).toFixed(0)} KB`);

// "Profile with Python" runs the oracle's venv (the real DataFlow): the editor runs with a temporary
// HOME, so name the oracle's per-machine cache here, where HOME is still the user's.
const oracleHome = process.env.DATAFLOW_ORACLE_HOME || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'dataflow-oracle');

// The suite edits files: give it a private copy of the fixture workspace.
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-it-'));
fs.cpSync(path.join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });

const run = spawnSync(process.execPath, [
  path.join(root, 'test', 'integration', 'runner', 'run-tests.mjs'),
  '--extension', root,
  '--tests', path.join(root, 'out', 'test', 'integration', 'suite', 'index.js'),
  '--workspace', workspace,
  '--vsix', vsix,
  '--screenshot', path.join(results, 'workbench.png'),
  '--ui-check', path.join(root, 'test', 'integration', 'ui-checks.mjs'),
  '--logs', path.join(results, 'logs'),
  '--timeout', String(10 * 60 * 1000),
], { stdio: 'inherit', env: { ...process.env, DATAFLOW_IT_RESULTS: results, DATAFLOW_ORACLE_HOME: oracleHome } });
fs.rmSync(workspace, { recursive: true, force: true });
// The extension host log across a window reload (a second, short session with the same .vsix).
const reload = spawnSync(process.execPath, [path.join(root, 'test', 'integration', 'reload-check.mjs'), vsix], { stdio: 'inherit' });
console.log(`real-VS-Code suite: ${((Date.now() - started) / 1000).toFixed(1)} s wall (screenshot: ${path.relative(root, path.join(results, 'workbench.png'))})`);
process.exit(run.status === 0 && reload.status !== 0 ? 1 : run.status ?? 1);
