#!/usr/bin/env node
// Takes the screenshots of docs/images in the real VS Code (the harness of run.mjs): the
// extension built at ROOT (default: this checkout; an older commit's worktree for "before"
// pictures, built first) is packaged, installed and driven by test/integration/screens (compiled
// from this checkout), on a copy of ROOT's fixture workspace.
//   node test/integration/screenshots.mjs [--extension ROOT] [--out DIR] [--suffix -before]
// Writes DIR/extension-page<suffix>.png, report-summary<suffix>.png, report-seeded<suffix>.png.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const root = path.resolve(arg('--extension', here));
const outDir = path.resolve(arg('--out', path.join(here, 'test-results', 'screenshots')));
const suffix = arg('--suffix', '');
fs.mkdirSync(outDir, { recursive: true });
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-screens-'));

const vsix = path.join(shots, 'dataflow-performance.vsix');
const pack = spawnSync(process.execPath, [path.join(here, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', vsix], { cwd: root, encoding: 'utf8' });
if (pack.status !== 0) {
  console.error(pack.stdout, pack.stderr);
  process.exit(1);
}
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-screens-ws-'));
fs.cpSync(path.join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });
const run = spawnSync(process.execPath, [
  path.join(here, 'test', 'integration', 'runner', 'run-tests.mjs'),
  '--extension', root,
  '--tests', path.join(here, 'out', 'test', 'integration', 'screens', 'index.js'),
  '--workspace', workspace,
  '--vsix', vsix,
  '--ui-check', path.join(here, 'test', 'integration', 'ui-checks.mjs'),
  '--timeout', String(5 * 60 * 1000),
], { stdio: 'inherit', env: { ...process.env, DATAFLOW_SCREENS_DIR: shots } });
fs.rmSync(workspace, { recursive: true, force: true });
for (const f of ['extension-page.png', 'report-summary.png', 'report-seeded.png']) {
  const from = path.join(shots, f);
  if (fs.existsSync(from)) fs.copyFileSync(from, path.join(outDir, f.replace(/\.png$/, `${suffix}.png`)));
}
fs.rmSync(shots, { recursive: true, force: true });
console.log(`screenshots${suffix ? ` (${suffix})` : ''} in ${path.relative(process.cwd(), outDir) || '.'}`);
process.exit(run.status ?? 1);
