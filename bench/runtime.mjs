#!/usr/bin/env node
// The TypeScript DataFlow runtime's own cost, on the embedded PostgreSQL (PGlite) and on a real
// PostgreSQL, every figure next to a baseline measured in the same run:
//   1. per-node overhead: N ProductCreateNode executions (rt.runNode, and one N-node workflow
//      through executeWorkflow) against the identical INSERT statements sent with db.query; also
//      on a stub database that answers at once, to isolate the runtime's CPU cost from SQL time;
//   2. a loop of 1,000 CreateNodes in one workflow against one BulkCreateNode of the same rows,
//      directly and as whole Python files through the evaluator (runFile);
//   3. BulkCreate / BulkUpdate (filter mode; data mode on fewer rows) / BulkDelete of BENCH_ROWS
//      rows against the same statements sent raw, and a server-side bulk reference (COPY on PGlite,
//      INSERT/UPDATE ... FROM unnest(...) on PostgreSQL);
//   4. the query cache: ListNode hit against miss latency, and the hit rate of a read-heavy workflow;
//   5. the schema cache: ensureTableExists hit against miss;
//   6. embedded database start: PGlite cold (initdb) / warm (reopen) / in memory.
//
// Method: medians; the compared variants run back to back, their order alternated run by run,
// the garbage collector run before every timed run. A statement hook on each database adds up the
// time spent inside db.query's driver call ("SQL time"), so every comparison also has a figure
// "outside SQL" (wall time minus SQL time): the runtime's own cost, much less disturbed by commit
// latency on a busy disk than wall time is. Parts stop repeating after a time budget (the table
// shows the runs made). Nothing is asserted about times; the script always exits 0.
//
//   npm run bench:runtime            (or: node bench/runtime.mjs; builds out/ with tsc when missing or stale)
//   BENCH_ROWS=10000 node bench/runtime.mjs     quick run (default 100000 rows in part 3)
//   BENCH_NODES=500                             nodes in part 1 (default 2000)
//   BENCH_PARTS=3                               only these parts (comma-separated, default all; part 6's
//                                               PGlite start is measured anyway: the other parts use it)
//   TEST_DATABASE_URL=postgres://...            default postgres://postgres@127.0.0.1:5432/test
//
// PostgreSQL work happens in a temporary schema df_bench_rt_<pid>_<time>, dropped at the end (also
// on Ctrl-C); PGlite data directories and the Python files live in temporary directories, removed.
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createStubDatabase } from './runtime/stubDatabase.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out', 'server', 'src');
const started = performance.now();
const loadAtStart = os.loadavg();

// ---------------------------------------------------------------------------------------------
// Build out/ when a compiled module is missing or older than the runtime's sources
// ---------------------------------------------------------------------------------------------
const NEEDED = [
  'runtime/db/index.js',
  'runtime/db/statementHooks.js',
  'runtime/dataflow/index.js',
  'runtime/dataflow/schemaManager.js',
  'runtime/workflow/index.js',
  'run/runFile.js',
  'syntax/parser.js',
];
function newestTs(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}
{
  const missing = NEEDED.some((f) => !fs.existsSync(path.join(out, f)));
  const stale = !missing && newestTs(path.join(root, 'server', 'src', 'runtime')) > Math.min(...NEEDED.map((f) => fs.statSync(path.join(out, f)).mtimeMs));
  if (missing || stale) {
    console.error(`building out/ with tsc (${missing ? 'missing' : 'older than server/src/runtime'}) …`);
    try {
      execSync('npx tsc -p tsconfig.json', { cwd: root, stdio: 'ignore' });
    } catch {
      // type errors elsewhere do not stop the emit
    }
  }
}
const require = createRequire(import.meta.url);
const { PgliteDatabase, PostgresDatabase } = require(path.join(out, 'runtime/db'));
const { StatementHooks, commandOf } = require(path.join(out, 'runtime/db/statementHooks'));
const { DataFlowRuntime } = require(path.join(out, 'runtime/dataflow'));
const { ensureTableExists } = require(path.join(out, 'runtime/dataflow/schemaManager'));
const { NodeRegistry, WorkflowBuilder, executeWorkflow } = require(path.join(out, 'runtime/workflow'));
const { runFile } = require(path.join(out, 'run/runFile'));
const { initPython } = require(path.join(out, 'syntax/parser'));
const { PGlite } = require('@electric-sql/pglite');
const PGLITE_PACKAGE_VERSION = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')).version;
  } catch {
    return '(version unknown)';
  }
})();

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------
const envInt = (name, dflt, min) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v >= min ? v : dflt;
};
const BENCH_ROWS = envInt('BENCH_ROWS', 100_000, 100);
const NODES = envInt('BENCH_NODES', 2000, 10);
const DATA_MODE_ROWS = Math.max(100, Math.round(BENCH_ROWS / 100)); // BulkUpdate data mode: one UPDATE (one commit) per record
const CACHE_ROWS = Math.min(10_000, BENCH_ROWS); // the table the List nodes of part 4 read
const LOOP_NODES = 1000; // part 2
const PARTS = new Set((process.env.BENCH_PARTS ?? '1,2,3,4,5,6').split(',').map((p) => Number.parseInt(p.trim(), 10)).filter((p) => p >= 1 && p <= 6));
const part = (n) => PARTS.has(n);
const DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDACTED_URL = DATABASE_URL.replace(/:[^:@/]*@/, ':***@');
const PG_SCHEMA = `df_bench_rt_${process.pid}_${Date.now().toString(36)}`;
const PGLITE_SCHEMA = 'df_bench_rt';
const SECOND = 1000;

/** reps: the most runs; minReps: always made; budgetMs: no new round starts once a part took this long. */
const RUNS = {
  nodes: { reps: 5, minReps: 3, budgetMs: 20 * SECOND },
  stub: { reps: 11, minReps: 11 },
  loopTs: { reps: 5, minReps: 3, budgetMs: 12 * SECOND },
  loopPy: { reps: 3, minReps: 2, budgetMs: 15 * SECOND },
  bulk: { reps: 3, minReps: 2, budgetMs: 15 * SECOND },
  cacheWf: { reps: 3, minReps: 2, budgetMs: 10 * SECOND },
  warm: 3,
};

const MODEL = {
  name: 'Product',
  fields: [
    { name: 'name', type: 'str' },
    { name: 'price', type: 'float' },
    { name: 'category', type: 'str', default: 'misc' },
  ],
  dataflow: { indexes: [{ name: 'idx_products_category', fields: ['category'] }] },
};
const T = '"products"';
const CATEGORIES = 20;
// Prices are multiples of 1/4: exact in float4, so a REAL column echoes them unchanged.
const record = (i) => ({ name: `p${i}`, price: (i % 1000) / 4, category: `cat${i % CATEGORIES}` });

// ---------------------------------------------------------------------------------------------
// Timing, statistics, formatting
// ---------------------------------------------------------------------------------------------
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const n0 = (n) => Math.round(n).toLocaleString('en-US');
function ms(x) {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a < 0.01) return `${(x * 1000).toFixed(2)} µs`;
  if (a < 1) return `${x.toFixed(3)} ms`;
  if (a < 10) return `${x.toFixed(2)} ms`;
  if (a < 100) return `${x.toFixed(1)} ms`;
  return `${n0(x)} ms`;
}
const signedMs = (x) => (x >= 0 ? '+' : '−') + ms(Math.abs(x));
function ratio(a, b) {
  if (!(b > 0)) return 'n/a';
  const r = a / b;
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}
const rps = (rows, t) => `${n0((rows / t) * 1000)} rows/s`;
function check(cond, what) {
  if (!cond) throw new Error(`benchmark self-check failed: ${what}`);
}
const progress = (msg) => process.stderr.write(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

/**
 * A statement hook adding up SQL time (durationMs: the driver call inside db.query) and counting
 * statements; `record` (an array) collects them while set.
 */
function sqlClock(db) {
  const clock = { ms: 0, n: 0, record: undefined };
  db.onStatement((e) => {
    clock.ms += e.durationMs;
    clock.n++;
    if (clock.record && e.tag !== 'dataflow:ddl') clock.record.push({ sql: e.sql, params: e.params });
  });
  return clock;
}

/**
 * Run each variant up to `reps` times, alternating the order (forward, backward, ...), with untimed
 * `setup` before each run and a GC just before the clock starts. Returns wall and SQL times per
 * variant key, and statement counts.
 */
async function alternate(clock, variants, { reps, minReps = reps, budgetMs = Infinity }, setup) {
  const wall = Object.fromEntries(variants.map((v) => [v.key, []]));
  const sql = Object.fromEntries(variants.map((v) => [v.key, []]));
  const stmts = Object.fromEntries(variants.map((v) => [v.key, []]));
  const cpu = Object.fromEntries(variants.map((v) => [v.key, []]));
  const t0 = performance.now();
  for (let r = 0; r < reps && (r < minReps || performance.now() - t0 < budgetMs); r++) {
    for (const v of r % 2 ? [...variants].reverse() : variants) {
      if (setup) await setup(v, r);
      if (v.setup) await v.setup(r);
      gc();
      const s0 = clock.ms;
      const c0 = clock.n;
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      await v.run(r);
      wall[v.key].push(performance.now() - w0);
      const used = process.cpuUsage(cpu0);
      cpu[v.key].push((used.user + used.system) / 1000);
      sql[v.key].push(clock.ms - s0);
      stmts[v.key].push(clock.n - c0);
      if (v.verify) await v.verify(r);
    }
  }
  const outside = Object.fromEntries(variants.map((v) => [v.key, wall[v.key].map((w, i) => w - sql[v.key][i])]));
  return { wall, sql, outside, stmts, cpu, runs: wall[variants[0].key].length };
}
/** Median of per-run differences a[i] − b[i] (paired: both ran back to back). */
const pairedDiff = (a, b) => median(a.map((x, i) => x - b[i]));

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------
const HEAD = ['backend', 'measured', 'time', 'baseline (measured in the same run)', 'time', 'ratio', 'runs', 'result'];
const ALIGN = ['l', 'l', 'r', 'l', 'r', 'r', 'r', 'l'];
function printTable(title, rows, notes = []) {
  const w = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => {
        const s = String(c ?? '');
        const pad = ' '.repeat(Math.max(0, w[i] - s.length));
        return ALIGN[i] === 'r' ? pad + s : s + pad;
      })
      .join('  ')
      .trimEnd();
  console.log(title);
  console.log(line(HEAD));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const n of notes) console.log(`  ${n}`);
  console.log('');
}

// ---------------------------------------------------------------------------------------------
// Backends
// ---------------------------------------------------------------------------------------------
async function replay(db, statements) {
  for (const s of statements) await db.query(s.sql, s.params);
}

async function makeBackend(name, db) {
  const b = {
    name,
    db,
    clock: sqlClock(db),
    rt: await DataFlowRuntime.create({ db, models: [MODEL] }),
    async count() {
      return Number((await db.query(`SELECT COUNT(*) AS c FROM ${T}`)).rows[0].c);
    },
    async truncate() {
      await db.query(`TRUNCATE ${T} RESTART IDENTITY`);
      b.rt.queryCache.clear();
    },
    /** Set-up only (never timed): the rows record(i) gives, generated server-side, then ANALYZE. */
    async seed(n) {
      await b.truncate();
      await db.query(
        `INSERT INTO ${T} ("name", "price", "category") SELECT 'p' || i, (i % 1000) / 4.0, 'cat' || (i % ${CATEGORIES}) FROM generate_series(0, $1::int - 1) AS i`,
        [n],
      );
      await db.query(`ANALYZE ${T}`);
      b.rt.queryCache.clear();
    },
  };
  await b.rt.resetSchema();
  return b;
}

/** The stub database's runtime: generates exactly the SQL the real runtimes do, at no SQL cost. */
let stub;
async function stubBackend() {
  if (!stub) {
    const db = createStubDatabase({ StatementHooks, commandOf });
    stub = { name: 'stub (no SQL)', db, clock: sqlClock(db), rt: await DataFlowRuntime.create({ db, models: [MODEL] }) };
  }
  return stub;
}
/** The statements `fn(rt)` sends, generated on the stub runtime (raw baselines replay them). */
async function statementsOf(fn) {
  const s = await stubBackend();
  s.clock.record = [];
  try {
    await fn(s.rt);
    return s.clock.record;
  } finally {
    s.clock.record = undefined;
  }
}
/** The first timed node run on a real database must send exactly the replayed statements. */
function sameStatements(a, b) {
  return a.length === b.length && a.every((s, i) => s.sql === b[i].sql && s.params.length === b[i].params.length && s.params.every((p, j) => p === b[i].params[j]));
}

const workflowOf = (rt, nodes) => {
  const wf = new WorkflowBuilder(new NodeRegistry(rt), { seed: 'bench-runtime' });
  for (const [type, id, config] of nodes) wf.addNode(type, id, config);
  return wf.build();
};

// ---------------------------------------------------------------------------------------------
// 1. per-node overhead
// ---------------------------------------------------------------------------------------------
const CONFIGS = Array.from({ length: NODES }, (_, i) => record(i));
async function createsViaRunNode(rt) {
  const ctx = rt.newExecution();
  for (let i = 0; i < NODES; i++) {
    const o = await rt.runNode(ctx, 'ProductCreateNode', CONFIGS[i], {}, `c_${i}`);
    if (o.success === false) throw new Error(`create failed: ${o.error}`);
  }
}
async function createsViaWorkflow(rt) {
  const wf = new WorkflowBuilder(new NodeRegistry(rt), { seed: 'bench-runtime' });
  for (let i = 0; i < NODES; i++) wf.addNode('ProductCreateNode', `c_${i}`, CONFIGS[i]);
  const r = await executeWorkflow(rt, wf.build());
  check(r.order.length === NODES, 'workflow ran every node');
}

async function partNodes(b, statements, { isStub = false, label = b.name } = {}) {
  const { rt, db } = b;
  const verify = isStub ? undefined : async () => check((await b.count()) === NODES, `${NODES} rows inserted`);
  let first = true;
  const t = await alternate(
    b.clock,
    [
      { key: 'raw', run: () => replay(db, statements), verify },
      {
        key: 'runNode',
        run: async () => {
          if (first && !isStub) b.clock.record = [];
          await createsViaRunNode(rt);
          if (first && !isStub) check(sameStatements(b.clock.record, statements), 'the node sent exactly the replayed statements');
          b.clock.record = undefined;
          first = false;
        },
        verify,
      },
      { key: 'workflow', run: () => createsViaWorkflow(rt), verify },
    ],
    isStub ? RUNS.stub : RUNS.nodes,
    isStub ? undefined : () => b.truncate(),
  );
  const raw = median(t.wall.raw);
  const rows = [];
  for (const [key, what] of [
    ['runNode', `rt.runNode × ${n0(NODES)}`],
    ['workflow', `executeWorkflow: one ${n0(NODES)}-node workflow (builder + build + run)`],
  ]) {
    const w = median(t.wall[key]);
    const overWall = pairedDiff(t.wall[key], t.wall.raw) / NODES;
    const overOut = pairedDiff(t.outside[key], t.outside.raw) / NODES;
    rows.push([
      label,
      what,
      `${ms(w)} (${ms(w / NODES)}/node)`,
      `${isStub ? 'stub' : 'raw'} db.query × ${n0(NODES)}, same SQL + params`,
      `${ms(raw)} (${ms(raw / NODES)}/stmt)`,
      ratio(w, raw),
      t.runs,
      isStub
        ? `${signedMs(overWall)}/node overhead (target < 0.1 ms)`
        : `${signedMs(overWall)}/node wall, ${signedMs(overOut)}/node outside SQL (target < 0.1 ms)`,
    ]);
  }
  return { rows, perNode: median(t.wall.workflow) / NODES, outsidePerNode: pairedDiff(t.outside.workflow, t.outside.raw) / NODES };
}

// ---------------------------------------------------------------------------------------------
// 2. a loop of CreateNodes against one BulkCreateNode, in TypeScript and through Python files
// ---------------------------------------------------------------------------------------------
const PY_HEADER = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://bench@localhost:5432/bench")


@db.model
class Product:
    name: str
    price: float
    category: str = "misc"
    __dataflow__ = {"indexes": [{"name": "idx_products_category", "fields": ["category"]}]}


`;
const pyLoop = (n) => `${PY_HEADER}wf = WorkflowBuilder()
for i in range(${n}):
    wf.add_node("ProductCreateNode", f"c_{i}", {"name": f"p{i}", "price": (i % 1000) / 4, "category": f"cat{i % ${CATEGORIES}}"})
results, run_id = LocalRuntime().execute(wf.build())
print(len(results))
`;
const PY_BULK = `${PY_HEADER}rows = [{"name": f"p{i}", "price": (i % 1000) / 4, "category": f"cat{i % ${CATEGORIES}}"} for i in range(${LOOP_NODES})]
wf = WorkflowBuilder()
wf.add_node("ProductBulkCreateNode", "bulk", {"data": rows})
results, run_id = LocalRuntime().execute(wf.build())
print(results["bulk"]["inserted"])
`;

async function partLoop(b, pyDir) {
  const { rt, db } = b;
  const recs = Array.from({ length: LOOP_NODES }, (_, i) => record(i));
  const loopWf = () => workflowOf(rt, recs.map((r, i) => ['ProductCreateNode', `c_${i}`, r]));
  const bulkWf = () => workflowOf(rt, [['ProductBulkCreateNode', 'bulk', { data: recs }]]);
  const verify = async () => check((await b.count()) === LOOP_NODES, `${LOOP_NODES} rows`);
  const ts = await alternate(
    b.clock,
    [
      { key: 'loop', run: () => executeWorkflow(rt, loopWf()), verify },
      { key: 'bulk', run: () => executeWorkflow(rt, bulkWf()), verify },
    ],
    RUNS.loopTs,
    () => b.truncate(),
  );

  // Whole Python files through the evaluator: parse, DataFlow connect (DDL), workflow, run document.
  const runPy = async (file, expect) => {
    const r = await runFile({ file: path.join(pyDir, file), db, env: {} });
    check(r.exitCode === 0, `${file} ran: ${JSON.stringify(r.error)}`);
    check(r.log.at(-1) === String(expect), `${file} printed ${expect}, got ${r.log.at(-1)}`);
  };
  await db.resetSchema();
  await runPy('warmup.py', 50); // evaluator warm-up (parser, JIT) on a 50-node loop
  const py = await alternate(
    b.clock,
    [
      { key: 'loop', run: () => runPy('loop_creates.py', LOOP_NODES) },
      { key: 'bulk', run: () => runPy('bulk_create.py', LOOP_NODES) },
    ],
    RUNS.loopPy,
    () => db.resetSchema(),
  );
  await b.rt.resetSchema(); // the bench's own runtime: its table went with the schema

  const m = (x) => median(x);
  const [tl, tb, pl, pb] = [m(ts.wall.loop), m(ts.wall.bulk), m(py.wall.loop), m(py.wall.bulk)];
  const [otl, otb, opl, opb] = [m(ts.outside.loop), m(ts.outside.bulk), m(py.outside.loop), m(py.outside.bulk)];
  const perNodeEval = (opl - opb - (otl - otb)) / LOOP_NODES;
  return [
    [b.name, `loop: ${n0(LOOP_NODES)} ProductCreateNodes in one workflow`, ms(tl), `one ProductBulkCreateNode, same ${n0(LOOP_NODES)} rows`, ms(tb), ratio(tl, tb), ts.runs, `SQL time ${ms(m(ts.sql.loop))} vs ${ms(m(ts.sql.bulk))}`],
    [b.name, `runFile loop_creates.py (for … add_node × ${n0(LOOP_NODES)})`, ms(pl), 'runFile bulk_create.py (one BulkCreateNode)', ms(pb), ratio(pl, pb), py.runs, `SQL time ${ms(m(py.sql.loop))} vs ${ms(m(py.sql.bulk))}`],
    [
      b.name,
      'runFile loop_creates.py',
      ms(pl),
      `TypeScript: the same ${n0(LOOP_NODES)}-node workflow`,
      ms(tl),
      ratio(pl, tl),
      '',
      `outside SQL ${ms(opl)} vs ${ms(otl)}: evaluator ≈ ${signedMs(perNodeEval)}/node ${signedMs(opb - otb)}/file`,
    ],
  ];
}

// ---------------------------------------------------------------------------------------------
// 3. bulk nodes against the same statements sent raw, and a server-side bulk reference
// ---------------------------------------------------------------------------------------------
async function partBulk(b) {
  const { rt, db } = b;
  const N = BENCH_ROWS;
  const recs = Array.from({ length: N }, (_, i) => record(i));
  const rows = [];
  const runBulk = async (r, type, config) => {
    const res = await executeWorkflow(r, workflowOf(r, [[type, 'bulk', config]]));
    const o = res.results.bulk;
    check(o && o.success === true, `${type} succeeded: ${o?.error}`);
    return o;
  };
  /** Node variant whose first run checks that it sends exactly the replayed statements. */
  const nodeVariant = (statements, run, verify) => {
    let first = true;
    return {
      key: 'node',
      verify,
      run: async () => {
        if (first) b.clock.record = [];
        await run();
        if (first) check(sameStatements(b.clock.record, statements), 'the node sent exactly the replayed statements');
        b.clock.record = undefined;
        first = false;
      },
    };
  };
  const result = (t, n) => {
    const [tn, tr] = [median(t.wall.node), median(t.wall.raw)];
    const cpu = pairedDiff(t.outside.node, t.outside.raw);
    // process CPU time (this thread, PGlite's WASM and the drivers included): the node's own work,
    // much less disturbed than wall time when other processes share the CPUs
    const ownCpu = pairedDiff(t.cpu.node, t.cpu.raw);
    const pct = (x) => `${(x * 100).toFixed(1)} %`;
    return [
      ms(tn),
      ms(tr),
      ratio(tn, tr),
      t.runs,
      `${n0((n / tn) * 1000)} vs ${rps(n, tr)} = ${pct(tr / tn)} of raw (target ≥ 95 %); own time ${signedMs(cpu)} outside SQL → ${pct(tr / (tr + Math.max(0, cpu)))} at equal SQL time; own CPU ${signedMs(ownCpu)} (${ms(median(t.cpu.node))} vs ${ms(median(t.cpu.raw))} CPU)`,
    ];
  };
  const refRow = (label, t, n) => ['', '', '', label, ms(median(t.wall.ref)), ratio(median(t.wall.node), median(t.wall.ref)), '', `${rps(n, median(t.wall.ref))}; the node takes ${ratio(median(t.wall.node), median(t.wall.ref))} as long`];

  // --- BulkCreate ---------------------------------------------------------------------------
  {
    const config = { data: recs };
    const statements = await statementsOf((r) => runBulk(r, 'ProductBulkCreateNode', config));
    let ref;
    if (db.kind === 'pglite') {
      ref = {
        label: "reference: COPY … FROM '/dev/blob' (CSV, PGlite's query API)",
        run: async () => {
          const csv = recs.map((r) => `${r.name},${r.price},${r.category}\n`).join('');
          await db.pg.query(`COPY ${T} ("name", "price", "category") FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
        },
      };
    } else {
      ref = {
        label: 'reference: one INSERT … SELECT FROM unnest($1::text[], …) (not COPY)',
        run: () =>
          db.query(`INSERT INTO ${T} ("name", "price", "category") SELECT * FROM unnest($1::text[], $2::real[], $3::text[])`, [
            recs.map((r) => r.name),
            recs.map((r) => r.price),
            recs.map((r) => r.category),
          ]),
      };
    }
    const verify = async () => check((await b.count()) === N, `${N} rows inserted`);
    const t = await alternate(
      b.clock,
      [nodeVariant(statements, () => runBulk(rt, 'ProductBulkCreateNode', config), verify), { key: 'raw', run: () => replay(db, statements), verify }, { key: 'ref', run: ref.run, verify }],
      RUNS.bulk,
      () => b.truncate(),
    );
    rows.push([b.name, `ProductBulkCreateNode, ${n0(N)} rows (${statements.length} INSERTs of ≤ 1,000 rows)`, result(t, N)[0], `raw db.query, the same ${statements.length} statements + params`, ...result(t, N).slice(1)]);
    rows.push(refRow(ref.label, t, N));
    progress(`${b.name}: bulk create done`);
  }

  // --- BulkUpdate, filter mode: ONE UPDATE of every row -----------------------------------------
  {
    const config = { filter: { price: { $gte: 0 } }, fields: { category: 'updated' } };
    const statements = await statementsOf((r) => runBulk(r, 'ProductBulkUpdateNode', config));
    check(statements.length === 1, 'filter-mode BulkUpdate is one statement');
    await b.seed(N);
    await replay(db, statements); // the first UPDATE after a load sets hint bits on every row: not part of any variant
    const verify = async () => check(Number((await db.query(`SELECT COUNT(*) AS c FROM ${T} WHERE "category" = 'updated'`)).rows[0].c) === N, 'every row updated');
    const t = await alternate(
      b.clock,
      [nodeVariant(statements, () => runBulk(rt, 'ProductBulkUpdateNode', config), verify), { key: 'raw', run: () => replay(db, statements), verify }],
      RUNS.bulk,
      () => db.query(`VACUUM ${T}`),
    );
    rows.push([b.name, `ProductBulkUpdateNode filter mode, ${n0(N)} rows (one UPDATE)`, result(t, N)[0], 'raw db.query, the same UPDATE + params', ...result(t, N).slice(1)]);
    progress(`${b.name}: bulk update (filter mode) done`);
  }

  // --- BulkUpdate, data mode: one UPDATE (and one commit) per record ---------------------------
  {
    const M = DATA_MODE_ROWS;
    const data = Array.from({ length: M }, (_, i) => ({ id: i * Math.floor(N / M) + 1, price: 0.25 }));
    const config = { data };
    const statements = await statementsOf((r) => runBulk(r, 'ProductBulkUpdateNode', config));
    check(statements.length === M, 'data-mode BulkUpdate is one UPDATE per record');
    await b.seed(N);
    await replay(db, statements); // warm-up (hint bits, caches)
    const ref = () => db.query(`UPDATE ${T} AS p SET "price" = u.price FROM unnest($1::int[], $2::real[]) AS u(id, price) WHERE p."id" = u.id`, [data.map((r) => r.id), data.map((r) => r.price)]);
    const t = await alternate(
      b.clock,
      [nodeVariant(statements, () => runBulk(rt, 'ProductBulkUpdateNode', config)), { key: 'raw', run: () => replay(db, statements) }, { key: 'ref', run: ref }],
      RUNS.bulk,
      () => db.query(`VACUUM ${T}`),
    );
    rows.push([b.name, `ProductBulkUpdateNode data mode, ${n0(M)} records (${n0(M)} UPDATEs)`, result(t, M)[0], `raw db.query, the same ${n0(M)} UPDATEs + params`, ...result(t, M).slice(1)]);
    rows.push(refRow('reference: one UPDATE … FROM unnest($1::int[], $2::real[])', t, M));
    progress(`${b.name}: bulk update (data mode) done`);
  }

  // --- BulkDelete: SELECT COUNT(*) then DELETE ------------------------------------------------
  {
    const config = { filter: { price: { $gte: 0 } } };
    const statements = await statementsOf((r) => runBulk(r, 'ProductBulkDeleteNode', config));
    check(statements.length === 2 && statements[1].sql.startsWith('DELETE'), 'BulkDelete is COUNT(*) then DELETE');
    const verify = async () => check((await b.count()) === 0, 'every row deleted');
    const t = await alternate(
      b.clock,
      [
        nodeVariant(statements, () => runBulk(rt, 'ProductBulkDeleteNode', config), verify),
        { key: 'raw', run: () => replay(db, statements), verify },
        { key: 'ref', run: () => replay(db, statements.slice(1)), verify },
      ],
      RUNS.bulk,
      () => b.seed(N),
    );
    rows.push([b.name, `ProductBulkDeleteNode, ${n0(N)} rows (COUNT(*) + DELETE)`, result(t, N)[0], 'raw db.query, the same 2 statements + params', ...result(t, N).slice(1)]);
    rows.push(refRow("reference: the DELETE alone (without DataFlow's COUNT(*) first)", t, N));
    progress(`${b.name}: bulk delete done`);
  }
  await b.truncate();
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 4. query cache
// ---------------------------------------------------------------------------------------------
async function partQueryCache(b) {
  const { rt, db, clock } = b;
  await b.seed(CACHE_ROWS);
  const ctx = rt.newExecution();
  const cfg = { filter: { category: 'cat7' }, limit: 20 };
  const list = (extra) => rt.runNode(ctx, 'ProductListNode', extra ? { ...cfg, ...extra } : cfg, {}, 'list');
  const first = await list();
  check(first.count === 20 && first._cache?.hit === false, 'first List is a miss returning 20 rows');
  const [stmt] = await statementsOf((r) => r.runNode(r.newExecution(), 'ProductListNode', { ...cfg, enable_cache: false }, {}, 'list'));

  // Per-call latencies (and SQL time), in rounds with the variant order alternated.
  const PER_ROUND = 40;
  const ROUNDS = 6;
  const lat = { hit: [], miss: [], off: [], raw: [] };
  const sqlOf = { hit: [], miss: [], off: [], raw: [] };
  const variants = [
    ['hit', async () => check((await list())._cache.hit === true, 'hit')],
    ['miss', async () => check((await list())._cache.hit === false, 'miss'), () => rt.queryCache.invalidateModel('Product')],
    ['off', () => list({ enable_cache: false })],
    ['raw', () => db.query(stmt.sql, stmt.params)],
  ];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [key, fn, before] of r % 2 ? [...variants].reverse() : variants) {
      if (key === 'hit') await list(); // the entry exists
      gc();
      for (let i = 0; i < PER_ROUND; i++) {
        if (before) before();
        const s0 = clock.ms;
        const t0 = performance.now();
        await fn();
        lat[key].push(performance.now() - t0);
        sqlOf[key].push(clock.ms - s0);
      }
    }
  }
  const [hit, miss, off, raw] = ['hit', 'miss', 'off', 'raw'].map((k) => median(lat[k]));
  const outside = (k) => median(lat[k].map((x, i) => x - sqlOf[k][i]));

  // A read-heavy workflow: 1,000 Lists over 20 filters (pseudo-random, fixed seed), a Create after every 50.
  const READS = 1000;
  const EVERY = 50;
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ops = [];
  for (let i = 0; i < READS; i++) {
    ops.push(['ProductListNode', { filter: { category: `cat${Math.floor(rand() * CATEGORIES)}` }, limit: 20 }]);
    if ((i + 1) % EVERY === 0) ops.push(['ProductCreateNode', record(CACHE_ROWS + i)]);
  }
  const writes = ops.length - READS;
  // Ids sort in sequence order, so the workflow runs the operations in this order.
  const build = (cacheOn) => workflowOf(rt, ops.map(([type, c], i) => [type, `op_${String(i).padStart(5, '0')}`, type === 'ProductListNode' && !cacheOn ? { ...c, enable_cache: false } : c]));
  let stats;
  const wf = await alternate(
    clock,
    [
      {
        key: 'on',
        run: async () => {
          const s0 = rt.queryCache.stats();
          await executeWorkflow(rt, build(true));
          const s1 = rt.queryCache.stats();
          stats = { hits: s1.hits - s0.hits, misses: s1.misses - s0.misses };
        },
      },
      { key: 'off', run: () => executeWorkflow(rt, build(false)) },
    ],
    RUNS.cacheWf,
    () => b.seed(CACHE_ROWS),
  );
  const [won, woff] = [median(wf.wall.on), median(wf.wall.off)];
  const rate = (stats.hits / (stats.hits + stats.misses)) * 100;
  await b.truncate();
  const calls = ROUNDS * PER_ROUND;
  return [
    [b.name, 'ListNode, cache hit (same filter again)', ms(hit), 'ListNode, cache miss (first execution after invalidation: SELECT + store)', ms(miss), ratio(hit, miss), calls, `a hit costs ${((hit / miss) * 100).toFixed(1)} % of a miss`],
    [
      b.name,
      'ListNode, enable_cache=False (always runs the SELECT)',
      ms(off),
      'raw db.query, the same SELECT (20 of 500 matching rows)',
      ms(raw),
      ratio(off, raw),
      calls,
      `${signedMs(off - raw)} per List wall; outside SQL ${ms(outside('off'))} vs ${ms(outside('raw'))}`,
    ],
    [
      b.name,
      `read-heavy workflow, cache on: ${n0(READS)} Lists over ${CATEGORIES} filters + ${writes} Creates`,
      ms(won),
      'the same workflow, enable_cache=False on every List',
      ms(woff),
      ratio(won, woff),
      wf.runs,
      `hit rate ${rate.toFixed(1)} % (${stats.hits} hits, ${stats.misses} misses; each Create invalidates the model)`,
    ],
  ];
}

// ---------------------------------------------------------------------------------------------
// 5. schema cache
// ---------------------------------------------------------------------------------------------
async function partSchemaCache(b) {
  const { rt } = b;
  const before = rt.getSchemaCacheMetrics(); // parts 1–4: every node's ensure_table_exists
  await b.seed(100);
  const model = rt.models.get('Product');
  const url = rt.settings.url;
  const ctx = rt.newExecution();
  await ensureTableExists(ctx, model);
  // Hits: a Map lookup; timed in blocks of 10,000 calls.
  const HITS = 10_000;
  const BLOCKS = 5;
  const hitBlocks = [];
  for (let r = 0; r < BLOCKS; r++) {
    gc();
    const t0 = performance.now();
    for (let i = 0; i < HITS; i++) await ensureTableExists(ctx, model);
    hitBlocks.push((performance.now() - t0) / HITS);
  }
  // Misses: the entry cleared before each call, so the model's DDL runs (IF NOT EXISTS; the table exists).
  const MISSES = 30;
  const miss = [];
  for (let i = 0; i < MISSES; i++) {
    rt.schemaCache.clearTable(url, model.name);
    const t0 = performance.now();
    await ensureTableExists(ctx, model);
    miss.push(performance.now() - t0);
  }
  // The same at node level: a ReadNode by id, hit and miss blocks alternated.
  const read = () => rt.runNode(ctx, 'ProductReadNode', { id: 1 }, {}, 'read');
  const nodeHit = [];
  const nodeMiss = [];
  for (let r = 0; r < 6; r++) {
    for (const which of r % 2 ? ['miss', 'hit'] : ['hit', 'miss']) {
      for (let i = 0; i < 5; i++) {
        if (which === 'miss') rt.schemaCache.clearTable(url, model.name);
        const t0 = performance.now();
        const o = await read();
        (which === 'hit' ? nodeHit : nodeMiss).push(performance.now() - t0);
        check(o.id === 1, 'read row 1');
      }
    }
  }
  const [h, mi, nh, nm] = [median(hitBlocks), median(miss), median(nodeHit), median(nodeMiss)];
  return [
    [b.name, 'ensureTableExists, schema-cache hit', ms(h), `ensureTableExists, miss (entry cleared: CREATE TABLE + ${model.indexes.length} CREATE INDEX IF NOT EXISTS)`, ms(mi), ratio(h, mi), `${BLOCKS}×${n0(HITS)} / ${MISSES}`, `a miss costs ${ratio(mi, h)} a hit`],
    [b.name, 'ProductReadNode by id, schema-cache hit', ms(nh), 'ProductReadNode by id, schema-cache miss before each', ms(nm), ratio(nh, nm), `${nodeHit.length} / ${nodeMiss.length}`, `a miss adds ${ms(nm - nh)} per node (the DDL round trips)`],
    [
      b.name,
      'get_schema_cache_metrics() after parts 1–4',
      '',
      '',
      '',
      '',
      '',
      `hits ${n0(before.hits)}, misses ${n0(before.misses)}, hit_rate_percent ${before.hit_rate_percent} (initialize() marks the table ensured at connect)`,
    ],
  ];
}

// ---------------------------------------------------------------------------------------------
// 6. embedded database start
// ---------------------------------------------------------------------------------------------
async function partStartup(tmpDirs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-bench-rt-pglite-'));
  tmpDirs.push(dir);
  progress('PGlite cold start (fresh data dir: initdb, ~10 s) …');
  let t0 = performance.now();
  let db = await PgliteDatabase.open({ dataDir: dir, schema: PGLITE_SCHEMA });
  const cold = performance.now() - t0;
  const tarball = await db.pg.dumpDataDir('none'); // for the reference row (untimed)
  await db.close();

  progress('PGlite in memory (no data dir) …');
  gc();
  t0 = performance.now();
  const mem = await PgliteDatabase.open({ schema: PGLITE_SCHEMA });
  const inMemory = performance.now() - t0;
  await mem.close();

  progress('PGlite in memory from a data-dir tarball (reference) …');
  gc();
  t0 = performance.now();
  const fromTar = await PGlite.create({ loadDataDir: tarball });
  await fromTar.query(`SET search_path TO "${PGLITE_SCHEMA}"`);
  const tarMs = performance.now() - t0;
  await fromTar.close();

  progress('PGlite warm reopen …');
  const warm = [];
  for (let i = 0; i < RUNS.warm; i++) {
    gc();
    t0 = performance.now();
    db = await PgliteDatabase.open({ dataDir: dir, schema: PGLITE_SCHEMA });
    warm.push(performance.now() - t0);
    if (i < RUNS.warm - 1) await db.close();
  }
  return { db, cold, inMemory, tarMs, tarBytes: tarball.size, warm: median(warm), warmRuns: warm };
}

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------
const cleanupTasks = [];
let cleanupDone;
let interrupted = false;
/** Runs the clean-up tasks once, newest first; every caller waits for the same run to finish. */
function cleanup() {
  cleanupDone ??= (async () => {
    for (const task of cleanupTasks.reverse()) {
      try {
        await task();
      } catch (e) {
        console.error(`clean-up: ${e.message}`);
      }
    }
  })();
  return cleanupDone;
}
process.on('SIGINT', () => {
  interrupted = true;
  progress('interrupted: dropping the schemas, closing PGlite, removing the temporary directories …');
  cleanup().finally(() => process.exit(130));
});

async function openPostgres(url, schema) {
  const t0 = performance.now();
  const db = await PostgresDatabase.open({ url, schema, connectTimeoutMs: 3000 });
  const openMs = performance.now() - t0;
  cleanupTasks.push(async () => {
    await db.dropSchema();
    await db.close();
  });
  return { db, openMs };
}

async function main() {
  const tmpDirs = [];
  cleanupTasks.push(() => {
    for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  // Part 6 runs first: its last warm reopen is the PGlite every other part uses.
  const start = await partStartup(tmpDirs);
  cleanupTasks.push(() => start.db.close());
  const pgl = await makeBackend('PGlite', start.db);
  const pgliteVersion = (await pgl.db.query('SHOW server_version')).rows[0].server_version;

  let pg;
  let pgNoSync; // part 1 only: synchronous_commit=off on the bench's own connections
  let pgOpenMs;
  let pgVersion;
  let pgSettings = '';
  let pgUnreachable;
  try {
    const opened = await openPostgres(DATABASE_URL, PG_SCHEMA);
    pgOpenMs = opened.openMs;
    pg = await makeBackend('PostgreSQL', opened.db);
    pgVersion = (await pg.db.query('SHOW server_version')).rows[0].server_version;
    const settings = [];
    for (const s of ['synchronous_commit', 'shared_buffers', 'max_connections']) settings.push(`${s}=${(await pg.db.query('SELECT current_setting($1) AS v', [s])).rows[0].v}`);
    pgSettings = settings.join(', ');
    const sep = DATABASE_URL.includes('?') ? '&' : '?';
    const noSync = await openPostgres(`${DATABASE_URL}${sep}options=${encodeURIComponent('-c synchronous_commit=off')}`, `${PG_SCHEMA}_nosync`);
    pgNoSync = await makeBackend('PostgreSQL*', noSync.db);
    check((await pgNoSync.db.query('SHOW synchronous_commit')).rows[0].synchronous_commit === 'off', 'synchronous_commit=off on the part-1 pool');
  } catch (e) {
    pgUnreachable = `${REDACTED_URL} did not answer (${e.message})`;
    pg = undefined;
    pgNoSync = undefined;
  }
  const backends = pg ? [pgl, pg] : [pgl];

  const cpus = os.cpus();
  console.log('DataFlow runtime benchmark (bench/runtime.mjs)');
  console.log(`machine:    ${cpus.length} CPU${cpus.length === 1 ? '' : 's'} (${cpus[0]?.model?.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`);
  console.log(`load:       load average ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min) at start; other work on the machine makes every figure noisier`);
  console.log(`PostgreSQL: ${pg ? `${pgVersion} at ${REDACTED_URL}; ${pgSettings}; schemas ${PG_SCHEMA}[_nosync] (dropped at the end)` : `NOT REACHABLE: ${pgUnreachable}; PGlite parts only`}`);
  console.log(`PGlite:     @electric-sql/pglite ${PGLITE_PACKAGE_VERSION}, PostgreSQL ${pgliteVersion}; data dir under ${os.tmpdir()} (removed at the end)`);
  if (PARTS.size < 6) console.log(`parts:      ${[...PARTS].sort().join(', ')} only (BENCH_PARTS)`);
  console.log(`sizes:      BENCH_ROWS=${n0(BENCH_ROWS)} (part 3; data mode ${n0(DATA_MODE_ROWS)} records), BENCH_NODES=${n0(NODES)} (part 1), ${n0(LOOP_NODES)} nodes (part 2), ${n0(CACHE_ROWS)} rows (part 4)`);
  console.log(`date:       ${new Date().toISOString()}`);
  console.log('method:     medians; compared variants back to back, order alternated, GC before each timed run; "outside SQL" = wall time');
  console.log('            minus the time inside the driver call (a statement hook adds it up). Model Product(name: str, price: float,');
  console.log('            category: str = "misc"), index on category; every statement autocommits; "runs" = runs per variant.');
  console.log('');

  await initPython();

  // 1 ---------------------------------------------------------------------------------------
  if (part(1)) {
    progress('part 1 on the stub database …');
    const s = await stubBackend();
    const statements = await statementsOf(createsViaRunNode);
    check(statements.length === NODES && statements.every((x) => x.sql.startsWith('INSERT')), 'one INSERT per CreateNode');
    const stubRows = (await partNodes(s, statements, { isStub: true })).rows;
    const rows = [];
    let pglite;
    for (const b of pg ? [pgl, pgNoSync] : [pgl]) {
      progress(`part 1 on ${b.name} …`);
      await createsViaWorkflow(b.rt); // warm-up (driver, database caches)
      await b.truncate();
      const r = await partNodes(b, statements);
      rows.push(...r.rows);
      if (b === pgl) pglite = r;
    }
    rows.push(...stubRows);
    printTable(`1. Per-node overhead: ${n0(NODES)} × ProductCreateNode (each one autocommitted INSERT … RETURNING) vs the identical statements sent with db.query`, rows, [
      'overhead per node = median over runs of (runtime − baseline of the same run) / nodes; "outside SQL" subtracts each side\'s SQL time first.',
      ...(pg
        ? [
            'PostgreSQL* = the same server with synchronous_commit=off on the bench\'s own connections (libpq options), so the per-commit WAL flush',
            '  (0.4–5 ms on this shared disk) does not drown a 0.1 ms difference; parts 2–5 use the server\'s setting.',
          ]
        : []),
      'stub = a Database answering every statement at once (bench/runtime/stubDatabase.mjs): the runtime\'s pure CPU cost in a tight loop.',
      'reference, NOT measured here: DataFlow 2.20\'s own Python LocalRuntime took ~8.5 ms per node (200 ItemCreateNodes in one workflow,',
      `  SQLite, a 2-CPU VM; /work/shared/reference/dataflow.md §8). This runtime on PGlite, whole workflow including SQL: ${ms(pglite.perNode)} per node.`,
    ]);
  }

  // 2 ---------------------------------------------------------------------------------------
  if (part(2)) {
    const pyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-bench-rt-py-'));
    tmpDirs.push(pyDir);
    fs.writeFileSync(path.join(pyDir, 'warmup.py'), pyLoop(50));
    fs.writeFileSync(path.join(pyDir, 'loop_creates.py'), pyLoop(LOOP_NODES));
    fs.writeFileSync(path.join(pyDir, 'bulk_create.py'), PY_BULK);
    const rows = [];
    for (const b of backends) {
      progress(`part 2 on ${b.name} …`);
      rows.push(...(await partLoop(b, pyDir)));
    }
    printTable(`2. Loop of ${n0(LOOP_NODES)} CreateNodes (each its own autocommitted INSERT) vs one BulkCreateNode of the same ${n0(LOOP_NODES)} rows`, rows, [
      'runFile rows: whole Python files through the evaluator (tree-sitter parse, DataFlow connect with its DDL, workflow, run document),',
      `  each run on a freshly reset schema. loop_creates.py is \`for i in range(${LOOP_NODES}): wf.add_node("ProductCreateNode", f"c_{i}", {...})\`.`,
      '  evaluator ≈ ((py loop − py bulk) − (TS loop − TS bulk)) / nodes, and per file ≈ py bulk − TS bulk, all outside SQL.',
    ]);
  }

  // 3 ---------------------------------------------------------------------------------------
  if (part(3)) {
    const rows = [];
    for (const b of backends) {
      progress(`part 3 on ${b.name} …`);
      rows.push(...(await partBulk(b)));
    }
    printTable(`3. Bulk nodes (one-node workflows through executeWorkflow) vs the same statements sent raw with db.query`, rows, [
      'raw = the SQL text and parameters the node sends (generated by the same runtime on the stub database, and checked against what',
      '  the node sent on its first run here), replayed with db.query. "outside SQL" = the node\'s extra time outside the driver calls;',
      '  "own CPU" = the median over runs of (node − raw) process CPU time (process.cpuUsage: user + system, every thread of this process).',
      'reference rows are a different, server-side bulk path, reported for scale only (not the same statements, not a target):',
      "  PGlite: COPY products FROM '/dev/blob' WITH (FORMAT csv), the CSV built from the records inside the timing, through PGlite's own",
      '  query API with its blob option (the node-postgres adapter is not used for COPY); PostgreSQL: COPY FROM STDIN needs pg-copy-streams,',
      '  which is not installed, so the server-side bulk reference is one INSERT … SELECT * FROM unnest($1::text[], $2::real[], $3::text[]).',
      'create: truncated table before each run; update: seeded once, VACUUM between runs; delete: reseeded before each run.',
    ]);
  }

  // 4 ---------------------------------------------------------------------------------------
  if (part(4)) {
    const rows = [];
    for (const b of backends) {
      progress(`part 4 on ${b.name} …`);
      rows.push(...(await partQueryCache(b)));
    }
    printTable(`4. Query cache: ListNode {"filter": {"category": c}, "limit": 20} on ${n0(CACHE_ROWS)} rows; per-call medians`, rows, [
      'miss = cache on, the model invalidated just before (what the first execution of a filter costs); enable_cache=False never stores.',
    ]);
  }

  // 5 ---------------------------------------------------------------------------------------
  if (part(5)) {
    const rows = [];
    for (const b of backends) {
      progress(`part 5 on ${b.name} …`);
      rows.push(...(await partSchemaCache(b)));
    }
    printTable('5. Schema cache (ensure_table_exists runs before every node): hit vs miss', rows, [
      'hits: median of blocks of 10,000 calls; misses: the entry cleared just before each call (the table exists, the DDL is IF NOT EXISTS).',
      ...(pg ? ['metrics: per runtime; part 1 on PostgreSQL ran on PostgreSQL*\'s own runtime, so its count is lower.'] : []),
      'reference, NOT measured here: DataFlow\'s docstring claims "first operation ~1500 ms, then ~1 ms"; nothing in DataFlow measures it (reference §8).',
    ]);
  }

  // 6 ---------------------------------------------------------------------------------------
  if (part(6)) {
    const rows = [
      ['PGlite', 'cold: fresh data dir (initdb)', ms(start.cold), 'warm: reopen the existing data dir', ms(start.warm), ratio(start.cold, start.warm), `1 / ${RUNS.warm}`, ''],
      ['PGlite', 'in memory (no data dir: initdb in memory)', ms(start.inMemory), 'warm reopen', ms(start.warm), ratio(start.inMemory, start.warm), `1 / ${RUNS.warm}`, ''],
      [
        'PGlite',
        'reference: PGlite.create({loadDataDir: tarball}), in memory',
        ms(start.tarMs),
        'warm reopen',
        ms(start.warm),
        ratio(start.tarMs, start.warm),
        `1 / ${RUNS.warm}`,
        `not the runtime's path: a ${(start.tarBytes / 2 ** 20).toFixed(0)} MiB dump of a fresh data dir loaded into memory`,
      ],
    ];
    if (pg) rows.push(['PostgreSQL', 'PostgresDatabase.open (probe connection, CREATE SCHEMA)', ms(pgOpenMs), 'PGlite warm reopen', ms(start.warm), ratio(pgOpenMs, start.warm), `1 / ${RUNS.warm}`, 'for scale: a server already running']);
    printTable('6. Embedded database start: PgliteDatabase.open (PGlite start + CREATE SCHEMA + SET search_path)', rows, [`warm runs: ${start.warmRuns.map(ms).join(', ')}`]);
  }

  console.log(`total benchmark time: ${((performance.now() - started) / 1000).toFixed(1)} s; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
}

try {
  await main();
} catch (e) {
  if (!interrupted) console.error('bench failed:', e?.stack ?? e);
} finally {
  await cleanup();
  process.exit(interrupted ? 130 : 0);
}
