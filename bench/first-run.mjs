#!/usr/bin/env node
// The first Run on a fresh machine and the Runs after it (issue 12 target 5), each figure beside
// its baseline from the same run:
//   1. embedded data directory set-up in a fresh process: from the bundled seed (dist/pglite-seed.tgz)
//      vs PGlite's own initdb (what every first run paid before the seed);
//   2. through the runtime worker the editor uses (a fresh process, a fresh data directory, a
//      10-node workflow): request -> result of the first run with no preparation, of the first run
//      after the background preparation (initializationOptions.prepareRuntime), and of later runs;
//      targets: first run <= 3 s, later runs <= 300 ms;
//   3. `dataflow-run` from a shell on a fresh data directory, wall time, beside `node -e 0`.
// Medians; always exits 0.
//
//   npm run bench:first-run      (needs the build: npm run build)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out', 'server', 'src');
for (const f of [path.join(out, 'run', 'worker', 'workerClient.js'), path.join(root, 'dist', 'dataflow-run.js'), path.join(root, 'dist', 'runtime-worker.js'), path.join(root, 'dist', 'pglite-seed.tgz')]) {
  if (!fs.existsSync(f)) { console.log(`${path.relative(root, f)} is missing: run npm run build first`); process.exit(0); }
}
const require = createRequire(import.meta.url);
const REPS = Number(process.argv[process.argv.indexOf('--reps') + 1]) || 3;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-bench-first-run-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(scratch, `pglite-${n++}`);

const WORKFLOW = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://localhost/bench")


@db.model
class Ticket:
    title: str
    points: int = 1


def ten(prefix="t"):
    wf = WorkflowBuilder()
    for i in range(8):
        wf.add_node("TicketCreateNode", f"create_{i}", {"title": f"{prefix}{i}", "points": i})
    wf.add_node("TicketListNode", "list", {"filter": {"points": {"$gte": 4}}, "limit": 5})
    wf.add_node("TicketCountNode", "count", {})
    results, _ = LocalRuntime().execute(wf.build())
    return results["count"]["count"]
`;
const file = path.join(scratch, 'tickets.py');
fs.writeFileSync(file, WORKFLOW);

/** Runs `script` in a fresh Node process and returns what it printed as JSON. */
function inFreshProcess(script, env = {}) {
  const js = path.join(scratch, `probe-${n++}.cjs`);
  fs.writeFileSync(js, script);
  return JSON.parse(execFileSync(process.execPath, [js], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim().split('\n').pop());
}

// 1. ------------------------------------------------------------------------------------------
const openProbe = (seed) => `
const { PgliteDatabase } = require(${JSON.stringify(path.join(out, 'runtime', 'db', 'pgliteDatabase.js'))});
(async () => {
  const t0 = performance.now();
  const db = await PgliteDatabase.open({ dataDir: ${JSON.stringify('DIR')}.replace('DIR', process.env.BENCH_DIR), schema: 'bench'${seed ? '' : ', seed: null'} });
  await db.query('SELECT 1');
  const ms = performance.now() - t0;
  const how = db.takePreparation().how;
  await db.close();
  console.log(JSON.stringify({ ms, how }));
})();`;
const seeded = [];
const initdb = [];
for (let i = 0; i < REPS; i++) {
  seeded.push(inFreshProcess(openProbe(true), { BENCH_DIR: freshDir() }).ms);
  initdb.push(inFreshProcess(openProbe(false), { BENCH_DIR: freshDir() }).ms);
}
console.log('1. embedded data directory set-up, fresh process (open + SELECT 1)');
console.log(`   from the bundled seed ${fmt(median(seeded)).padStart(9)}   initdb (before) ${fmt(median(initdb)).padStart(9)}   ratio ${(median(seeded) / median(initdb)).toFixed(2)}`);
console.log(`   seed size ${(fs.statSync(path.join(root, 'dist', 'pglite-seed.tgz')).size / 1e6).toFixed(1)} MB in the .vsix\n`);

// 2. ------------------------------------------------------------------------------------------
const { WorkerClient } = require(path.join(out, 'run', 'worker', 'workerClient.js'));
async function withWorker(dataDir, fn) {
  const saved = process.env.DATAFLOW_PERF_DATA_DIR;
  process.env.DATAFLOW_PERF_DATA_DIR = dataDir; // the forked worker reads it
  const w = new WorkerClient({ log: () => undefined, workerPath: path.join(root, 'dist', 'runtime-worker.js') }); // the bundle the editor runs
  try { return await fn(w); } finally { w.dispose(); if (saved === undefined) delete process.env.DATAFLOW_PERF_DATA_DIR; else process.env.DATAFLOW_PERF_DATA_DIR = saved; }
}
const text = WORKFLOW;
const runOnce = async (w, prefix) => {
  const t0 = performance.now();
  const r = await w.run({ file, text, entry: 'ten', args: { prefix }, database: { kind: 'embedded' } }, undefined, () => undefined);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { ms: performance.now() - t0, nodes: r.runs[0].nodes.length, prepared: r.databasePreparedMs };
};
const cold = [];
const afterPrepare = [];
const later = [];
let nodes = 0;
for (let i = 0; i < REPS; i++) {
  await withWorker(freshDir(), async (w) => {
    const first = await runOnce(w, 'a');
    cold.push(first.ms);
    nodes = first.nodes;
    for (let k = 0; k < 5; k++) later.push((await runOnce(w, `l${k}`)).ms);
  });
  const dir = freshDir();
  await withWorker(dir, async (w) => {
    w.prepare();
    while (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500)); // the editor's delay after the scan is 2 s; the set-up ends meanwhile
    afterPrepare.push((await runOnce(w, 'p')).ms);
  });
}
console.log(`2. the runtime worker, ${nodes}-node workflow, request -> result`);
console.log(`   first run, fresh worker and data directory ${fmt(median(cold)).padStart(9)}   target <= 3 s ${median(cold) <= 3000 ? '✓' : '✗'}`);
console.log(`   first run after the background preparation ${fmt(median(afterPrepare)).padStart(9)}   (${(median(afterPrepare) / median(cold)).toFixed(2)} of the above)`);
console.log(`   later runs                                 ${fmt(median(later)).padStart(9)}   target <= 300 ms ${median(later) <= 300 ? '✓' : '✗'}\n`);

// 3. ------------------------------------------------------------------------------------------
const wall = (args, env = {}) => { const t0 = performance.now(); try { execFileSync(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' }); } catch { /* exit codes are not the point */ } return performance.now() - t0; };
const cli = [];
const cliWarm = [];
const bare = [];
for (let i = 0; i < REPS; i++) {
  const dir = freshDir();
  cli.push(wall([path.join(root, 'dist', 'dataflow-run.js'), `${file}:ten`], { DATAFLOW_PERF_DATA_DIR: dir }));
  cliWarm.push(wall([path.join(root, 'dist', 'dataflow-run.js'), `${file}:ten`], { DATAFLOW_PERF_DATA_DIR: dir }));
  bare.push(wall(['-e', '0']));
}
console.log('3. dataflow-run from a shell (wall, process start to exit)');
console.log(`   fresh data directory ${fmt(median(cli)).padStart(9)}   existing one ${fmt(median(cliWarm)).padStart(9)}   node -e 0 ${fmt(median(bare)).padStart(9)}`);
console.log(`\n(${REPS} repetitions each, medians; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
