#!/usr/bin/env node
// The extension host log stays clean when the window reloads (issue 15 §2): the .vsix installed in
// VS Code 1.100.3 (code-server), a DataFlow file open with the server answering, then Developer:
// Reload Window. Before the fix every reload logged "provider FAILED" / "Channel has been closed"
// (VS Code disposes an extension's subscriptions without waiting for deactivate(), so the stopping
// language client wrote to a closed output channel). A second extension that takes 1.5 s to
// deactivate keeps the host up, as in a window with other extensions, so the client's writes after
// our deactivate() ("Server process exited") show too. Reads every extension host log of the session.
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
    // A second extension slow to deactivate keeps the extension host up after ours deactivated,
    // as other extensions do in a real window: what our client does after deactivate() shows.
    '--extension', path.join(root, 'test', 'integration', 'reload', 'slow-deactivate'), '--tests', path.join(root, 'test', 'integration', 'reload', 'index.cjs'),
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
    // A log entry is its timestamped line and the stack lines under it; an error is ours when the
    // entry names this extension's id (its installed folder in a stack, "[id] provider FAILED"). VS Code's own
    // extensions log errors of theirs too (json-language-features: "Channel has been closed").
    const entries = logs.flatMap((f) => fs.readFileSync(f, 'utf8').split(/\n(?=\d{4}-\d\d-\d\d )/).map((e) => ({ host: path.basename(path.dirname(f)), e })));
    const failed = entries.filter(({ e }) => /\[error\]|provider FAILED|Channel has been closed/i.test(e));
    const ours = failed.filter(({ e }) => /dataflow-performance\.dataflow-performance/i.test(e));
    const show = ({ host, e }) => `${host}: ${e.split('\n').slice(0, 6).join('\n    ')}`;
    if (failed.length > ours.length) console.log(`reload check: other extensions logged ${failed.length - ours.length} error(s), not counted:\n${failed.filter((x) => !ours.includes(x)).map((x) => show(x).split('\n')[0]).join('\n')}`);
    if (logs.length < 2) console.error(`reload check: expected the logs of two extension hosts (before and after the reload), found ${logs.length}`);
    else if (ours.length) console.error(`reload check: the extension host logged errors of the extension:\n${ours.map(show).join('\n')}`);
    else { console.log(`reload check: extension host logs clean across a window reload (${logs.length} hosts)`); code = 0; }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(code);
