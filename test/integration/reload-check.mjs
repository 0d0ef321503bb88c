#!/usr/bin/env node
// The extension host log stays clean when the window reloads (issue 15 §2): the .vsix installed in
// VS Code 1.100.3 (code-server), a DataFlow file open with the server answering, then Developer:
// Reload Window. Before the fix every reload logged "provider FAILED" / "Channel has been closed"
// (VS Code disposes an extension's subscriptions without waiting for deactivate(), so the stopping
// language client wrote to a closed output channel). Reads every extension host log of the session.
// Usage: node test/integration/reload-check.mjs VSIX   (run by test/integration/run.mjs)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsix = path.resolve(process.argv[2] ?? '');
if (!fs.existsSync(vsix)) { console.error(`reload check: no .vsix at ${vsix}`); process.exit(1); }
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-reload-'));
const workspace = path.join(work, 'workspace');
fs.cpSync(path.join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });
fs.mkdirSync(path.join(work, 'marker'));
let code = 1;
try {
  const run = spawnSync(process.execPath, [
    path.join(root, 'test', 'integration', 'runner', 'run-tests.mjs'),
    '--extension', root, '--tests', path.join(root, 'test', 'integration', 'reload', 'index.cjs'),
    '--workspace', workspace, '--vsix', vsix, '--timeout', String(3 * 60 * 1000),
  ], { encoding: 'utf8', env: { ...process.env, DATAFLOW_TEST_KEEP_TMP: '1', DATAFLOW_RELOAD_MARKER_DIR: path.join(work, 'marker'), TMPDIR: work } });
  const out = `${run.stdout}\n${run.stderr}`;
  const kept = /kept (\S+)/.exec(out)?.[1];
  if (run.status !== 0 || !kept) {
    console.error(out.split('\n').slice(-30).join('\n'));
    console.error(`reload check: the session failed (exit ${run.status})`);
  } else {
    const logs = [];
    const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (e.name === 'remoteexthost.log') logs.push(p); } };
    walk(path.join(kept, 'user-data', 'logs'));
    const bad = logs.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => /provider FAILED|Channel has been closed|dataflow-performance.*\[error\]|\[error\].*dataflow/i.test(l)).map((l) => `${path.basename(path.dirname(f))}: ${l}`));
    if (logs.length < 2) console.error(`reload check: expected the logs of two extension hosts (before and after the reload), found ${logs.length}`);
    else if (bad.length) console.error(`reload check: the extension host logged errors of the extension:\n${bad.join('\n')}`);
    else { console.log(`reload check: extension host logs clean across a window reload (${logs.length} hosts)`); code = 0; }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(code);
