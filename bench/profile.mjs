#!/usr/bin/env node
// The profiler's own cost, next to baselines measured in the same run:
//   1. overhead: a reference workflow of 2,000 nodes (create / read / list, mixed) run with and
//      without the profiler attached, on the embedded PGlite and on PostgreSQL (TEST_DATABASE_URL,
//      default postgres://postgres@127.0.0.1:5432/test; left out with a note when it does not
//      answer); the profiler as it runs by default (collection; the sqlcommenter on PostgreSQL
//      only) and with the other sqlcommenter setting; target under 5 %;
//   2. report building for a run of 10,000 statements (grouping, N+1, display SQL, assembly),
//      next to the time the run itself took;
//   3. what-if time per suggested index on a 10,000-row table, next to one plain EXPLAIN.
// Medians of several runs (BENCH_PROFILE_REPS rounds for 1, default 21); ratios printed; always exits 0.
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
const { PgliteDatabase, PostgresDatabase } = require(path.join(out, 'runtime/db'));
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

const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PG_URL_REDACTED = PG_URL.replace(/:[^:@/]*@/, ':***@');
const PG_SCHEMA = 'df_bench_profile';

async function openPostgres() {
  try {
    return await PostgresDatabase.open({ url: PG_URL, schema: PG_SCHEMA, connectTimeoutMs: 3000 });
  } catch {
    return undefined;
  }
}

/**
 * The profiler's overhead on one database: the same 2,000-node workflow run without the profiler,
 * with it as it runs by default, and with the other sqlcommenter setting, in turn (the order
 * alternating), REPS times. The figure is the median of the per-round ratios (with / without):
 * rounds share the machine's state of the moment, so a busy second moves both sides.
 */
async function overhead(rt, title, other) {
  const NODES = 2000;
  const REPS = Number(process.env.BENCH_PROFILE_REPS) || 21;
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
  const wall = { plain: [], profiled: [], other: [] };
  const cpu = { plain: [], profiled: [], other: [] };
  let lastProfiler;
  let statements = 0;
  // warm-up (JIT, caches)
  await rt.resetSchema();
  await executeWorkflow(rt, build());
  for (let rep = 0; rep < REPS; rep++) {
    for (const variant of rep % 2 ? ['profiled', 'other', 'plain'] : ['plain', 'other', 'profiled']) {
      await rt.resetSchema();
      rt.queryCache.clear();
      const wf = build();
      const p = variant === 'plain' ? undefined : new Profiler({ runtimes: [rt], ...(variant === 'other' ? other.options : {}) }).start();
      const c0 = process.cpuUsage();
      const s = performance.now();
      if (p) await p.execute(rt, wf);
      else await executeWorkflow(rt, wf);
      wall[variant].push(performance.now() - s);
      const c = process.cpuUsage(c0);
      cpu[variant].push((c.user + c.system) / 1000);
      p?.stop();
      if (variant === 'profiled') {
        statements = p.collector.total;
        lastProfiler = p;
      }
    }
  }
  const base = median(wall.plain);
  const pair = (v) => median(wall.plain.map((b, i) => wall[v][i] / b));
  const cpuPair = (v) => median(cpu.plain.map((b, i) => cpu[v][i] / b));
  console.log(`1. profiler overhead, ${title}: ${NODES} nodes (create / read / list / read), ${statements} statements, ${REPS} rounds`);
  console.log(`   without profiler (baseline)   ${fmt(base)}   process CPU ${fmt(median(cpu.plain))}`);
  console.log(`   with profiler (as by default) ${fmt(median(wall.profiled))}   overhead ${pct(pair('profiled'))} (median of per-round ratios; target < 5 %)   CPU ${pct(cpuPair('profiled'))}`);
  console.log(`   ${other.label.padEnd(29)} ${fmt(median(wall.other))}   overhead ${pct(pair('other'))}   CPU ${pct(cpuPair('other'))}`);
  console.log(`   hook bookkeeping (measured)   ${fmt(lastProfiler.collector.hookMs)} = ${((lastProfiler.collector.hookMs / base) * 100).toFixed(1)} % of the baseline run\n`);
  return { lastProfiler, base };
}

async function main() {
  const dataDir = path.join(os.tmpdir(), 'dataflow-bench-profile-pglite');
  const t0 = performance.now();
  const db = await PgliteDatabase.open({ dataDir, schema: 'df_bench' });
  const rt = new DataFlowRuntime({ db, models: MODELS });
  await rt.resetSchema();
  console.log(`PGlite opened in ${fmt(performance.now() - t0)} (${db.description})\n`);

  // ---------------------------------------------------------------------------------------------
  // 1. overhead on a reference workflow of 2,000 nodes, on each database
  // ---------------------------------------------------------------------------------------------
  const pgDb = await openPostgres();
  const pgRt = pgDb ? new DataFlowRuntime({ db: pgDb, models: MODELS }) : undefined;
  // the profiler as it runs by default: sqlcommenter on a PostgreSQL server, off on the embedded database
  const pgliteRun = await overhead(rt, 'PGlite (embedded)', { label: 'with the sqlcommenter (off by default here)', options: { sqlComments: true } });
  let pgRun;
  if (pgRt) {
    pgRun = await overhead(pgRt, 'PostgreSQL', { label: 'without the sqlcommenter (on by default here)', options: { sqlComments: false } });
    await pgDb.query(`DROP SCHEMA IF EXISTS "${PG_SCHEMA}" CASCADE`);
    await pgDb.close();
  } else {
    console.log(`   PostgreSQL: not measured (${PG_URL_REDACTED} did not answer)\n`);
  }
  const lastProfiler = pgliteRun.lastProfiler;
  const base = pgliteRun.base;

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
