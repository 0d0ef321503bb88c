#!/usr/bin/env node
// Records what the REAL DataFlow 2.20 returns or raises for each conformance case
// (test/conformance/cases/<case>.py, entry `main`), with the oracle of ../shared/oracle, on a
// throwaway PostgreSQL database, and writes it beside the case as <case>.dataflow.json, normalised
// by the oracle's own normalise.py (strict). The conformance test compares the embedded runtime's
// output with these files on PGlite and on PostgreSQL.
// Beside it, <case>.sql.json: every statement the run sent to PostgreSQL as PostgreSQL received it
// (after kailash's placeholder rewriting), its parameters' Python reprs and its error, recorded by
// scripts/oracleWireSpy/sitecustomize.py (asyncpg's Connection spied on); the oracle's own
// table set-up before main() is left out. test/conformance/sqlText.test.ts compares the runtime's.
//
//   npm run record:dataflow [-- CASE ...]
//
// Needs the oracle (DATAFLOW_ORACLE_DIR, else ../shared/oracle or ../../shared/oracle beside the
// checkout) and PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test: the
// script creates and drops its own database there, dataflow_conformance_record_<pid>).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { findOracle, scratchDatabase } from './oracleScratch.mjs';

const require = createRequire(import.meta.url);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const casesDir = path.join(root, 'test', 'conformance', 'cases');
// The test's own normaliser, compiled (`npm run record:dataflow` type-checks first): the transaction ids pass.
const { numberTransactionIds } = require(path.join(root, 'out', 'test', 'conformance', 'normalise.js'));
const oracle = findOracle(root, 'oracle.sh', 'record:dataflow');
// Its own name per recording process, so two checkouts recording on one server do not drop each other's database.
const scratch = scratchDatabase(`dataflow_conformance_record_${process.pid}`);

const wanted = process.argv.slice(2);
const cases = fs.readdirSync(casesDir).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3)).filter((c) => !wanted.length || wanted.includes(c)).sort();
let failed = 0;
for (const c of cases) {
  // A fresh database per case: the oracle re-creates the file's model tables, not other cases'.
  await scratch.recreate();
  const t0 = Date.now();
  const r = spawnSync('bash', [path.join(oracle, 'oracle.sh'), path.join(casesDir, `${c}.py`), 'main', '--sql'], {
    env: {
      ...process.env,
      ORACLE_PG_URL: scratch.url,
      DATAFLOW_WIRE_SQL: '1',
      PYTHONPATH: [path.join(root, 'scripts', 'oracleWireSpy'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 && r.status !== 3) {
    failed++;
    console.error(`✗ ${c}: the oracle exited ${r.status}\n${(r.stderr ?? '').split('\n').slice(-15).join('\n')}`);
    continue;
  }
  const n = spawnSync('python3', [path.join(oracle, 'normalise.py')], { input: r.stdout, encoding: 'utf8' });
  if (n.status !== 0) {
    failed++;
    console.error(`✗ ${c}: normalise.py failed: ${n.stderr}`);
    continue;
  }
  const doc = numberTransactionIds(JSON.parse(n.stdout));
  fs.writeFileSync(path.join(casesDir, `${c}.dataflow.json`), JSON.stringify(doc, null, 1) + '\n');
  const statements = wireStatements(r.stderr ?? '');
  fs.writeFileSync(path.join(casesDir, `${c}.sql.json`), JSON.stringify({ statements }, null, 1) + '\n');
  console.log(`✓ ${c}: ${doc.runs.length} execute(s) recorded${doc.raised ? `, main() raised ${doc.raised.type}` : ''} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
await scratch.drop();

/**
 * The WIRE records of the oracle's stderr (the spy's JSON lines), without the oracle's own set-up:
 * everything up to the statement that follows its last `DDL:` line (--sql prints each set-up
 * statement as `DDL: ...` before sending it).
 */
function wireStatements(stderr) {
  const lines = stderr.split('\n');
  let start = 0;
  const lastDdl = lines.map((l) => l.startsWith('DDL: ')).lastIndexOf(true);
  if (lastDdl >= 0) start = lines.findIndex((l, i) => i > lastDdl && l.startsWith('WIRE ')) + 1;
  return lines.slice(start).filter((l) => l.startsWith('WIRE ')).map((l) => {
    const w = JSON.parse(l.slice(5));
    return w.error ? w : { sql: w.sql, params: w.params };
  });
}
process.exit(failed ? 1 : 0);
