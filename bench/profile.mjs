#!/usr/bin/env node
// The profiler's own cost, next to baselines measured in the same run (embedded PGlite):
//   1. overhead: a reference workflow of 2,000 nodes (create / read / list, mixed) run with and
//      without the profiler attached (collection + sqlcommenter); target under 5 %;
//   2. report building for a run of 10,000 statements (grouping, N+1, display SQL, assembly),
//      next to the time the run itself took;
//   3. what-if time per suggested index on a 10,000-row table, next to one plain EXPLAIN.
// Medians of several runs; ratios printed; always exits 0.
//
//   npm run bench:profile        (or: node bench/profile.mjs; builds out/ with tsc when missing)
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out', 'server', 'src');
if (!fs.existsSync(path.join(out, 'profiler', 'index.js'))) {
  console.log('building out/ with tsc …');
  try {
    execSync('npx tsc -p tsconfig.json', { cwd: root, stdio: 'ignore' });
  } catch {
    // type errors elsewhere do not stop the emit
  }
}
const require = createRequire(import.meta.url);
const { PgliteDatabase } = require(path.join(out, 'runtime/db'));
const { DataFlowRuntime } = require(path.join(out, 'runtime/dataflow'));
const { NodeRegistry, WorkflowBuilder, executeWorkflow } = require(path.join(out, 'runtime/workflow'));
const { Profiler, missingIndexWhatIfs, explainStatement } = require(path.join(out, 'profiler'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const pct = (r) => `${((r - 1) * 100).toFixed(1)} %`;

const MODELS = [
  {
    name: 'Product',
    fields: [
      { name: 'name', type: 'str' },
      { name: 'price', type: 'float' },
      { name: 'category', type: 'str', default: 'misc' },
    ],
  },
];

async function main() {
  const dataDir = path.join(os.tmpdir(), 'dataflow-bench-profile-pglite');
  const t0 = performance.now();
  const db = await PgliteDatabase.open({ dataDir, schema: 'df_bench' });
  const rt = new DataFlowRuntime({ db, models: MODELS });
  await rt.resetSchema();
  console.log(`PGlite opened in ${fmt(performance.now() - t0)} (${db.description})\n`);

  // ---------------------------------------------------------------------------------------------
  // 1. overhead on a reference workflow of 2,000 nodes
  // ---------------------------------------------------------------------------------------------
  const NODES = 2000;
  const build = () => {
    const wf = new WorkflowBuilder(new NodeRegistry(rt), { seed: 'bench' });
    for (let i = 0; i < NODES / 4; i++) {
      const loc = { file: 'bench.py', line: 10, loops: [{ kind: 'for', line: 9, iteration: i }] };
      wf.addNode('ProductCreateNode', `c${i}`, { name: `n${i}`, price: i, category: `cat${i % 7}` }, loc);
      wf.addNode('ProductReadNode', `r${i}`, {}, { ...loc, line: 11 });
      wf.addConnection(`c${i}`, 'id', `r${i}`, 'id');
      wf.addNode('ProductListNode', `l${i}`, { filter: { category: `cat${i % 7}`, price: { $gte: i } }, limit: 5 }, { ...loc, line: 12 });
      wf.addNode('ProductReadNode', `x${i}`, { id: 1, raise_on_not_found: false }, { ...loc, line: 13 });
    }
    return wf.build();
  };
  const REPS = 7;
  const plain = [];
  const profiled = [];
  const noComments = [];
  let lastProfiler;
  let statements = 0;
  // warm-up (JIT, PGlite caches)
  await rt.resetSchema();
  await executeWorkflow(rt, build());
  for (let rep = 0; rep < REPS; rep++) {
    for (const withProfiler of rep % 2 ? [true, 'bare', false] : [false, 'bare', true]) {
      await rt.resetSchema();
      rt.queryCache.clear();
      const wf = build();
      if (withProfiler === 'bare') {
        // The profiler without the sqlcommenter: separates the comment's cost (every statement
        // text differs per node, so the server parses and plans each one afresh).
        const p = new Profiler({ runtimes: [rt], sqlComments: false }).start();
        const s = performance.now();
        await p.execute(rt, wf);
        noComments.push(performance.now() - s);
        p.stop();
      } else if (withProfiler) {
        const p = new Profiler({ runtimes: [rt] }).start();
        const s = performance.now();
        await p.execute(rt, wf);
        profiled.push(performance.now() - s);
        p.stop();
        statements = p.collector.total;
        lastProfiler = p;
      } else {
        const s = performance.now();
        await executeWorkflow(rt, wf);
        plain.push(performance.now() - s);
      }
    }
  }
  const base = median(plain);
  const withP = median(profiled);
  const pairRatio = median(plain.map((b, i) => profiled[i] / b));
  console.log(`1. profiler overhead: ${NODES} nodes (create / read / list / read), ${statements} statements, median of ${REPS}`);
  console.log(`   without profiler (baseline) ${fmt(base)}`);
  console.log(`   with profiler               ${fmt(withP)}   ratio ${(withP / base).toFixed(3)}  overhead ${pct(withP / base)}  (target < 5 %)`);
  console.log(`   median of per-pair ratios   ${pairRatio.toFixed(3)}  overhead ${pct(pairRatio)}`);
  const bare = median(noComments);
  console.log(`   with profiler, no sqlcommenter ${fmt(bare)}   ratio ${(bare / base).toFixed(3)}  overhead ${pct(bare / base)}`);
  console.log(`   hook bookkeeping (measured) ${fmt(lastProfiler.collector.hookMs)} = ${((lastProfiler.collector.hookMs / base) * 100).toFixed(1)} % of the baseline run\n`);

  // full analysis of that run (plans + what-ifs), for scale
  const sFull = performance.now();
  const full = await lastProfiler.buildReport({ source: { file: 'bench.py' } });
  const fullMs = performance.now() - sFull;
  console.log(`   full report of that run (EXPLAIN of ${full.plans.length} fingerprints, ${full.recommendations.length} what-ifs): ${fmt(fullMs)} = ${(fullMs / base).toFixed(2)} × the run\n`);

  // ---------------------------------------------------------------------------------------------
  // 2. report building for 10,000 statements
  // ---------------------------------------------------------------------------------------------
  const N = 10_000;
  const times = [];
  let run10k = 0;
  let report;
  for (let rep = 0; rep < 5; rep++) {
    const p = new Profiler({ runtimes: [rt] });
    const track = p.tracker.startRun({ workflowId: 'synthetic' });
    const s0 = performance.now();
    for (let i = 0; i < N; i++) {
      const loop = { kind: 'for', line: 20 + (i % 5), iteration: i };
      p.tracker.nodeStart(track, { id: `n${i}`, type: i % 3 ? 'ProductReadNode' : 'ProductListNode', location: { file: 'bench.py', line: 21, loops: [loop] } });
      const inN = 1 + (i % 50);
      const sql =
        i % 3
          ? 'SELECT "id", "name", "price", "category", "created_at", "updated_at" FROM "products" WHERE "id" = $1'
          : `SELECT * FROM "products" WHERE "category" IN (${Array.from({ length: inN }, (_, k) => `$${k + 1}`).join(', ')}) ORDER BY "id" DESC LIMIT $${inN + 1} OFFSET $${inN + 2}`;
      const params = i % 3 ? [i % 97] : [...Array.from({ length: inN }, (_, k) => `cat${k}`), 10, 0];
      p.collector.onStatement(db, { sql, params, durationMs: 0.2, waitMs: 0, rowCount: 1, command: 'SELECT', tag: `n${i}`, backend: 'pglite', connectionId: 0, inTransaction: false, startedAt: Date.now() });
      p.tracker.nodeEnd(track, { id: `n${i}`, type: 'ProductReadNode', startedAt: Date.now(), ms: 0.3, statements: 1, rows: 1, location: { file: 'bench.py', line: 21, loops: [loop] } });
    }
    p.tracker.endRun(track);
    run10k = performance.now() - s0;
    const s = performance.now();
    report = await p.buildReport({ source: { file: 'bench.py' }, collectedOnly: true });
    JSON.stringify(report);
    times.push(performance.now() - s);
  }
  const rb = median(times);
  console.log(`2. report building for ${N.toLocaleString('en-US')} statements (grouping, N+1, display SQL, JSON), median of 5`);
  console.log(`   collecting them (baseline, hook only)  ${fmt(run10k)}`);
  console.log(`   building the report                    ${fmt(rb)}   = ${(rb / N * 1000).toFixed(1)} µs per statement; ${report.groups.similar.length} similar groups, ${report.groups.nPlusOne.length} N+1\n`);

  // ---------------------------------------------------------------------------------------------
  // 3. what-if time per suggested index
  // ---------------------------------------------------------------------------------------------
  await rt.resetSchema();
  await rt.seedRows(['Product'], 10_000);
  const p = new Profiler({ runtimes: [rt], whatIfRuns: 3 }).start();
  const wf = new WorkflowBuilder(new NodeRegistry(rt), { seed: 'bench-ix' });
  wf.addNode('ProductListNode', 'by_name', { filter: { name: 'name_5000' } }, { file: 'bench.py', line: 30 });
  wf.addNode('ProductListNode', 'by_cat', { filter: { category: 'category_77' } }, { file: 'bench.py', line: 31 });
  wf.addNode('ProductListNode', 'by_price', { filter: { price: { $gt: 9990 } }, order_by: ['price'] }, { file: 'bench.py', line: 32 });
  await p.execute(rt, wf.build());
  p.stop();
  const aggs = [...p.collector.byFingerprint.values()];
  const explainMs = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await explainStatement(db, aggs[0].rep.sql, aggs[0].rep.params);
    explainMs.push(performance.now() - s);
  }
  const perIndex = [];
  let drafts = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    drafts = await missingIndexWhatIfs(aggs, { allowOnUserDb: false, runs: 3, minCost: 100, minSavingsPct: 50, max: 10, fallbackFile: 'bench.py', location: () => undefined });
    perIndex.push((performance.now() - s) / Math.max(1, drafts.length));
  }
  const wi = median(perIndex);
  const ex = median(explainMs);
  console.log(`3. what-if per suggested index (10,000 rows; ANALYZE + EXPLAIN + 3 EXPLAIN ANALYZE per side, in a rolled-back transaction), median of 3`);
  console.log(`   one plain EXPLAIN (baseline)  ${fmt(ex)}`);
  console.log(`   what-if per index             ${fmt(wi)}   = ${(wi / ex).toFixed(1)} × one EXPLAIN`);
  for (const d of drafts) console.log(`     ${d.title}: ${d.verdict} — ${d.before.plan} → ${d.after.plan} (cost ${d.before.cost} → ${d.after.cost})`);

  await db.close();
}

main()
  .catch((e) => {
    console.error('bench failed:', e);
  })
  .finally(() => process.exit(0));
