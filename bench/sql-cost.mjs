#!/usr/bin/env node
// The database-side cost of each pattern the four rules report, measured on a real PostgreSQL with
// the SQL DataFlow 2.20 generates (reference §3.3): a loop of single-record statements against the
// one statement the bulk node (or the quick-fix) uses instead, a List filter before and after the
// index DF003 suggests, and 50 concurrent queries through a small and a large pool.
//
//   node bench/sql-cost.mjs            (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
//
// Everything runs in a temporary schema (df_bench_<pid>_<time>) that is dropped at the end, also on
// Ctrl-C. Values are always bound parameters; identifiers are always quoted. Single-record
// statements are prepared once per connection and re-executed, as asyncpg's statement cache does
// for DataFlow, and each one autocommits on its own (no TransactionScopeNode). Only SQL is timed:
// DataFlow's own per-node and per-execute overhead (reference §8) comes on top of the loop times.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `df_bench_${process.pid}_${Date.now().toString(36)}`;
const RUNS = 3; // median of 3 wherever a run takes under a few seconds
const BATCH = 1000; // the bulk nodes' default batch_size

// ---------------------------------------------------------------------------------------------
// SQL helpers: quoting, DataFlow's statement shapes
// ---------------------------------------------------------------------------------------------

const q = (ident) => `"${String(ident).replace(/"/g, '""')}"`;
const T = q('products');
const FIELDS = ['name', 'price', 'category', 'stock'];
const COLS = FIELDS.map(q).join(', ');

// DataFlow's PostgreSQL DDL for
//   @db.model class Product: name: str; price: float; category: str; stock: int
// (table "products": SERIAL id, TEXT for str, REAL for float, INTEGER for int, timestamps).
const CREATE_TABLE = `CREATE TABLE ${T} (
    ${q('id')} SERIAL PRIMARY KEY,
    ${q('name')} TEXT NOT NULL,
    ${q('price')} REAL NOT NULL,
    ${q('category')} TEXT NOT NULL,
    ${q('stock')} INTEGER NOT NULL,
    ${q('created_at')} TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    ${q('updated_at')} TIMESTAMP DEFAULT CURRENT_TIMESTAMP
)`;

const placeholders = (from, n) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

// <Model>CreateNode: RETURNING id + model fields (no timestamps).
const CREATE_SQL = `INSERT INTO ${T} (${COLS}) VALUES (${placeholders(1, 4)}) RETURNING ${q('id')}, ${COLS}`;
// <Model>BulkCreateNode: one multi-row INSERT per batch, columns of the first record, no RETURNING.
function bulkInsertSql(rows) {
  const tuples = rows.map((_, r) => `(${placeholders(r * FIELDS.length + 1, FIELDS.length)})`);
  return `INSERT INTO ${T} (${COLS}) VALUES ${tuples.join(', ')}`;
}
// <Model>ReadNode: explicit column list, by id.
const READ_SQL = `SELECT ${q('id')}, ${COLS}, ${q('created_at')}, ${q('updated_at')} FROM ${T} WHERE ${q('id')} = $1`;
// <Model>ListNode with {"id": {"$in": ids}} and "limit": len(ids): SELECT *, default ORDER BY "id" DESC.
const listInSql = (n) => `SELECT * FROM ${T} WHERE ${q('id')} IN (${placeholders(1, n)}) ORDER BY ${q('id')} DESC LIMIT $${n + 1} OFFSET $${n + 2}`;
// <Model>UpdateNode: SET fields + updated_at, WHERE id, RETURNING id + fields + timestamps.
const UPDATE_SQL = `UPDATE ${T} SET ${q('price')} = $1, ${q('updated_at')} = CURRENT_TIMESTAMP WHERE ${q('id')} = $2 RETURNING ${q('id')}, ${COLS}, ${q('created_at')}, ${q('updated_at')}`;
// <Model>BulkUpdateNode data mode: one UPDATE per record, no updated_at bump.
const BULK_UPDATE_DATA_SQL = `UPDATE ${T} SET ${q('price')} = $1 WHERE ${q('id')} = $2`;
// <Model>BulkUpdateNode filter mode ({"filter": {"id": {"$in": ids}}, "fields": {...}}): one statement.
const bulkUpdateFilterSql = (n) => `UPDATE ${T} SET ${q('price')} = $1 WHERE ${q('id')} IN (${placeholders(2, n)})`;
// <Model>DeleteNode.
const DELETE_SQL = `DELETE FROM ${T} WHERE ${q('id')} = $1 RETURNING ${q('id')}`;
// <Model>BulkDeleteNode with {"filter": {"id": {"$in": ids}}}: SELECT COUNT(*) first, then DELETE.
const bulkDeleteCountSql = (n) => `SELECT COUNT(*) as count FROM ${T} WHERE ${q('id')} IN (${placeholders(1, n)})`;
const bulkDeleteSql = (n) => `DELETE FROM ${T} WHERE ${q('id')} IN (${placeholders(1, n)})`;
// <Model>ListNode {"filter": {"category": c}, "order_by": ["-price"]} with the default limit 10.
const LIST_CATEGORY_SQL = `SELECT * FROM ${T} WHERE ${q('category')} = $1 ORDER BY ${q('price')} DESC LIMIT $2 OFFSET $3`;
// The index DF003's quick-fix declares: {"name": "idx_product_category_price", "fields": ["category", "price"]}.
const INDEX_NAME = 'idx_product_category_price';
const CREATE_INDEX = `CREATE INDEX IF NOT EXISTS ${q(INDEX_NAME)} ON ${T} (${q('category')}, ${q('price')})`;

const row = (i) => [`Product ${i}`, (i % 1000) / 10 + 0.99, `cat-${i % 100}`, i % 50];

// ---------------------------------------------------------------------------------------------
// Timing and formatting
// ---------------------------------------------------------------------------------------------

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
async function timed(fn) { const t0 = performance.now(); await fn(); return performance.now() - t0; }
const ms = (x) => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}x` : 'n/a');
const n0 = (n) => n.toLocaleString('en-US');
function check(cond, what) { if (!cond) throw new Error(`benchmark self-check failed: ${what}`); }

const results = []; // { pattern, before, after, runs, unit, spread: [beforeTimes, afterTimes] }
const notes = [];

function pad(s, w) { return s + ' '.repeat(Math.max(0, w - s.length)); }
function lpad(s, w) { return ' '.repeat(Math.max(0, w - s.length)) + s; }
function printTable() {
  const head = ['pattern', 'loop / before', 'bulk / after', 'ratio', 'runs'];
  const body = results.map((r) => [r.pattern, ms(r.before) + (r.unit ?? ''), ms(r.after) + (r.unit ?? ''), ratio(r.before, r.after), String(r.runs)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? pad(c, w[i]) : lpad(c, w[i]))).join('  ');
  console.log(line(head));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  for (const b of body) console.log(line(b));
}
function printSpread() {
  console.log('spread (fastest - slowest run) of each row:');
  for (const r of results) {
    if (!r.spread || r.spread[0].length < 2) continue;
    const range = (xs) => `${ms(Math.min(...xs))} - ${ms(Math.max(...xs))}${r.unit ?? ''}`;
    console.log(`  ${r.pattern}: ${range(r.spread[0])} vs ${range(r.spread[1])}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Database plumbing
// ---------------------------------------------------------------------------------------------

if (!/^[a-z0-9_]+$/.test(SCHEMA)) throw new Error('unexpected schema name');
const clientConfig = { connectionString: DATABASE_URL, options: `-c search_path=${SCHEMA}` };
let admin; // creates and drops the schema
let db; // the "DataFlow pool" connection the nodes run on, one statement after another
let cleanedUp = false;

async function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  try { if (db) await db.end(); } catch { /* already closed */ }
  try {
    if (admin) { await admin.query(`DROP SCHEMA IF EXISTS ${q(SCHEMA)} CASCADE`); await admin.end(); }
  } catch (e) { console.error(`could not drop schema ${SCHEMA}: ${e.message}`); }
}
process.on('SIGINT', () => { cleanup().finally(() => process.exit(130)); });

async function freshTable(seedRows) {
  await db.query(`DROP TABLE IF EXISTS ${T}`);
  await db.query(CREATE_TABLE);
  if (seedRows) {
    // Set-up only (not timed): the same rows row(i) would give, generated server-side.
    await db.query(
      `INSERT INTO ${T} (${COLS}) SELECT 'Product ' || i, (i % 1000) / 10.0 + 0.99, 'cat-' || (i % 100), i % 50 FROM generate_series(1, $1::int) AS i`,
      [seedRows],
    );
    await db.query(`ANALYZE ${T}`);
  }
}

async function bulkCreate(rows) {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const r = await db.query(bulkInsertSql(batch), batch.flat());
    check(r.rowCount === batch.length, 'bulk insert row count');
  }
}

async function createLoop(rows) {
  for (const values of rows) {
    const r = await db.query({ name: 'df_create', text: CREATE_SQL, values });
    check(r.rowCount === 1, 'single insert');
  }
}

/**
 * Times `loop` and `bulk`, each on a freshly set-up table, `runs` times, and records the medians.
 * `budgetMs` stops early (after at least one run) once the runs so far took that long, to keep the
 * whole benchmark near 60 s on slow disks; the table shows how many runs were made.
 */
async function compare(pattern, { seed = 0, runs = RUNS, budgetMs = Infinity, loop, bulk, verify }) {
  const a = [], b = [];
  const t0 = performance.now();
  for (let i = 0; i < runs && (i === 0 || performance.now() - t0 < budgetMs); i++) {
    await freshTable(seed);
    a.push(await timed(loop));
    if (verify) await verify('loop');
    await freshTable(seed);
    b.push(await timed(bulk));
    if (verify) await verify('bulk');
  }
  results.push({ pattern, before: median(a), after: median(b), runs: a.length, spread: [a, b] });
}

function planNodes(plan) {
  const out = [];
  const walk = (p, depth) => {
    out.push(`${'  '.repeat(depth)}${p['Node Type']}${p['Index Name'] ? ` using ${p['Index Name']}` : ''}${p['Scan Direction'] === 'Backward' ? ' (backward)' : ''}`);
    for (const c of p.Plans ?? []) walk(c, depth + 1);
  };
  walk(plan, 0);
  return out;
}
async function explain(sql, values) {
  const r = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  const doc = r.rows[0]['QUERY PLAN'];
  return planNodes((typeof doc === 'string' ? JSON.parse(doc) : doc)[0].Plan);
}

// ---------------------------------------------------------------------------------------------
// The measurements
// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  const version = (await admin.query('SHOW server_version')).rows[0].server_version;
  const settings = {};
  for (const s of ['max_connections', 'shared_buffers', 'synchronous_commit', 'max_parallel_workers_per_gather']) {
    settings[s] = (await admin.query(`SELECT current_setting($1) AS v`, [s])).rows[0].v;
  }
  await admin.query(`CREATE SCHEMA ${q(SCHEMA)}`);
  db = new pg.Client(clientConfig);
  await db.connect();

  const cpus = os.cpus();
  console.log('DataFlow SQL cost benchmark (bench/sql-cost.mjs)');
  console.log(`machine:    ${cpus.length} CPU${cpus.length === 1 ? '' : 's'} (${cpus[0]?.model?.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`);
  console.log(`load:       1-min load average ${os.loadavg()[0].toFixed(2)} at start (other work on the machine makes commit-bound loops noisy)`);
  console.log(`database:   PostgreSQL ${version}; max_connections=${settings.max_connections}, shared_buffers=${settings.shared_buffers}, synchronous_commit=${settings.synchronous_commit}, max_parallel_workers_per_gather=${settings.max_parallel_workers_per_gather}`);
  console.log(`schema:     ${SCHEMA} (dropped at the end)`);
  console.log(`date:       ${new Date().toISOString()}`);
  console.log('method:     each side on a freshly created and seeded table; every statement autocommits; single-record');
  console.log('            statements prepared once and re-executed; times are the median of "runs" runs; SQL time only.');
  console.log('');

  const rows1k = Array.from({ length: 1000 }, (_, i) => row(i + 1));
  const rows10k = Array.from({ length: 10000 }, (_, i) => row(i + 1));
  const countIs = (n) => async () => { const c = Number((await db.query(`SELECT COUNT(*) AS c FROM ${T}`)).rows[0].c); check(c === n, `expected ${n} rows, found ${c}`); };

  // Warm-up: first statements on a connection pay for catalog lookups.
  await freshTable(1000);
  for (let i = 1; i <= 50; i++) await db.query({ name: 'df_read', text: READ_SQL, values: [i] });

  // (a) DF001 Create: N single-row INSERTs vs BulkCreate (one multi-row INSERT per 1,000 rows).
  await compare('(a) DF001 create 1,000: CreateNode x1,000 vs BulkCreateNode', {
    loop: () => createLoop(rows1k), bulk: () => bulkCreate(rows1k), verify: countIs(1000),
  });
  await compare('(a) DF001 create 10,000: CreateNode x10,000 vs BulkCreateNode (10 batches)', {
    budgetMs: 16000, loop: () => createLoop(rows10k), bulk: () => bulkCreate(rows10k), verify: countIs(10000),
  });

  // Targets for update/delete/read: 1,000 ids spread over a 10,000-row table.
  const ids = Array.from({ length: 1000 }, (_, i) => (i + 1) * 10);

  // (b) DF001 Update: UpdateNode per id vs BulkUpdate filter mode (one UPDATE ... IN); data mode too.
  const updatedIs = (n) => async () => { const c = Number((await db.query(`SELECT COUNT(*) AS c FROM ${T} WHERE ${q('price')} = $1`, [9.99])).rows[0].c); check(c === n, `expected ${n} updated rows, found ${c}`); };
  await compare('(b) DF001 update 1,000: UpdateNode x1,000 vs BulkUpdateNode filter mode', {
    seed: 10000,
    loop: async () => { for (const id of ids) check((await db.query({ name: 'df_update', text: UPDATE_SQL, values: [9.99, id] })).rowCount === 1, 'update'); },
    bulk: async () => { check((await db.query(bulkUpdateFilterSql(ids.length), [9.99, ...ids])).rowCount === 1000, 'bulk update'); },
    verify: updatedIs(1000),
  });
  await compare('(b) DF001 update 1,000: UpdateNode x1,000 vs BulkUpdateNode data mode', {
    seed: 10000,
    loop: async () => { for (const id of ids) check((await db.query({ name: 'df_update', text: UPDATE_SQL, values: [9.99, id] })).rowCount === 1, 'update'); },
    bulk: async () => { for (const id of ids) check((await db.query({ name: 'df_bulk_update_row', text: BULK_UPDATE_DATA_SQL, values: [9.99, id] })).rowCount === 1, 'data-mode update'); },
    verify: updatedIs(1000),
  });

  // (c) DF001 Delete: DeleteNode per id vs BulkDelete {"filter": {"id": {"$in": ids}}} (COUNT, then DELETE).
  await compare('(c) DF001 delete 1,000: DeleteNode x1,000 vs BulkDeleteNode $in', {
    seed: 10000,
    loop: async () => { for (const id of ids) check((await db.query({ name: 'df_delete', text: DELETE_SQL, values: [id] })).rowCount === 1, 'delete'); },
    bulk: async () => {
      const c = await db.query(bulkDeleteCountSql(ids.length), ids);
      check(Number(c.rows[0].count) === 1000, 'bulk delete pre-count');
      check((await db.query(bulkDeleteSql(ids.length), ids)).rowCount === 1000, 'bulk delete');
    },
    verify: countIs(9000),
  });

  // (d) DF002 Read: ReadNode per id vs one ListNode {"id": {"$in": ids}}, "limit": len(ids).
  await compare('(d) DF002 read 1,000: ReadNode x1,000 vs ListNode $in (limit 1,000)', {
    seed: 10000,
    loop: async () => { for (const id of ids) check((await db.query({ name: 'df_read', text: READ_SQL, values: [id] })).rows.length === 1, 'read'); },
    bulk: async () => { check((await db.query(listInSql(ids.length), [...ids, ids.length, 0])).rows.length === 1000, 'list $in'); },
  });

  // (e) DF003: List filter on an unindexed TEXT column, sorted, on 100,000 rows; before/after the index.
  {
    const ROWS = 100000, QUERIES = 20;
    await freshTable(ROWS);
    const listRound = async () => {
      for (let k = 0; k < QUERIES; k++) {
        const r = await db.query({ name: 'df_list_category', text: LIST_CATEGORY_SQL, values: [`cat-${k}`, 10, 0] });
        check(r.rows.length === 10, 'list page');
      }
    };
    await listRound(); // warm the cache: both sides read from shared buffers
    const before = [];
    for (let i = 0; i < RUNS; i++) before.push((await timed(listRound)) / QUERIES);
    const planBefore = await explain(LIST_CATEGORY_SQL, ['cat-7', 10, 0]);
    const indexTime = await timed(() => db.query(CREATE_INDEX));
    await db.query(`ANALYZE ${T}`);
    await listRound();
    const after = [];
    for (let i = 0; i < RUNS; i++) after.push((await timed(listRound)) / QUERIES);
    const planAfter = await explain(LIST_CATEGORY_SQL, ['cat-7', 10, 0]);
    results.push({ pattern: `(e) DF003 List "category" = $1 ORDER BY "price" DESC LIMIT 10, ${n0(ROWS)} rows: no index vs (category, price)`, before: median(before), after: median(after), runs: RUNS, unit: '/q', spread: [before, after] });
    notes.push(`(e) one query = 1 of ${QUERIES} different categories (${n0(ROWS / 100)} matching rows each); times are per query.`);
    notes.push(`(e) CREATE INDEX ${INDEX_NAME} ON products (category, price) took ${ms(indexTime)} on ${n0(ROWS)} rows (once).`);
    notes.push(`(e) plan before: ${planBefore.map((s) => s.trim()).join(' > ')}`);
    notes.push(`(e) plan after:  ${planAfter.map((s) => s.trim()).join(' > ')}`);
  }

  // (f) DF004: 50 concurrent queries of 20 ms through a pool of 5 vs 20 + 30 (= 50), and vs 20.
  {
    const CONCURRENT = 50, SLEEP = 0.02;
    const inUse = Number((await admin.query('SELECT COUNT(*) AS c FROM pg_stat_activity')).rows[0].c);
    const burst = (pool) => Promise.all(Array.from({ length: CONCURRENT }, () => pool.query('SELECT pg_sleep($1)', [SLEEP])));
    const poolTimes = async (max) => {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max });
      try {
        await burst(pool); // opens the connections: the timed bursts measure waiting, not connecting
        const t = [];
        for (let i = 0; i < RUNS; i++) t.push(await timed(() => burst(pool)));
        return t;
      } finally { await pool.end(); }
    };
    const small = await poolTimes(5);
    const large = await poolTimes(50);
    const core = await poolTimes(20);
    results.push({ pattern: `(f) DF004 ${CONCURRENT} concurrent pg_sleep(${SLEEP}): pool max 5 vs 20+30 (=50)`, before: median(small), after: median(large), runs: RUNS, spread: [small, large] });
    results.push({ pattern: `(f) DF004 ${CONCURRENT} concurrent pg_sleep(${SLEEP}): pool max 5 vs 20 (DataFlow 2.20 CRUD pool max)`, before: median(small), after: median(core), runs: RUNS, spread: [small, core] });
    notes.push(`(f) wall time for all ${CONCURRENT} queries on warm pools (${inUse} other connections were open; max_connections=${settings.max_connections}).`);
  }

  printTable();
  console.log('');
  printSpread();
  console.log('');
  for (const n of notes) console.log(n);
  console.log('');
  console.log(`total benchmark time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (e) {
  console.error(e.stack ?? String(e));
  process.exitCode = 1;
} finally {
  await cleanup();
}
