// The SQL the runtime sends against what PostgreSQL received from the REAL DataFlow 2.20 (issue 10
// §2.7): every case in test/conformance/cases/ runs through runFile on PGlite and on PostgreSQL with
// a statement hook, and the statements' texts (byte for byte) and their parameters (as Python reprs,
// in order) must equal <case>.sql.json, recorded by `npm run record:dataflow` with the
// wire spy (scripts/oracleWireSpy: asyncpg's Connection, after kailash's placeholder rewriting).
// Left out on each side, each for a reason (docs/dataflow-2.20.md §8, §13):
// - recorded: the driver's own statements — kailash's per-statement `BEGIN;` / `COMMIT;` /
//   `ROLLBACK;`, asyncpg's `SET ...` on connect and its pool-release reset — which the runtime does
//   not send; and statements asyncpg refused to bind before sending them ("invalid input for query
//   argument"), which the runtime refuses before sending too (values/asyncpgBindCheck.ts);
// - runtime: its transaction verbs (BEGIN/COMMIT/ROLLBACK; DataFlow's travel with the driver's) and
//   its own bookkeeping (DDL, the run recorder's row counts, RUNTIME_INTERNAL_TAG).
// A case run by AsyncLocalRuntime is compared as a multiset: a level's nodes run concurrently.
// Parameters: a datetime is bound as a datetime by asyncpg and as its str() by the runtime, and the
// clock differs between the recording and the test: datetimes are ranked (<ts:N>) on each side;
// TransactionScopeNode's random ids are numbered by first appearance.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend } from '../runtime/backends';
import type { SqlParam, StatementEvent } from '../../server/src/runtime/db/types';
import { RUNTIME_INTERNAL_TAG } from '../../server/src/runtime/db/types';
import { FloatNumber } from '../../server/src/runtime/python/floatNumber';
import { floatRepr } from '../../server/src/runtime/python/numeric';
import { pyRepr } from '../../server/src/runtime/dataflow/values/dfValues';

const CASES = path.resolve(__dirname, '../../../test/conformance/cases');

interface Statement {
  sql: string;
  params: string[];
  error?: string;
}

const DRIVER = /^(BEGIN|COMMIT|ROLLBACK);$|^SET \w+ = |^SELECT pg_advisory_unlock_all\(\); CLOSE ALL; UNLISTEN \*; RESET ALL;$/;
const RUNTIME_OWN_TAGS = new Set(['dataflow:ddl', 'workflow:run-recorder', RUNTIME_INTERNAL_TAG]);
const TX_VERB = /^(BEGIN|COMMIT|ROLLBACK)$/;

function recorded(c: string): Statement[] {
  const doc = JSON.parse(fs.readFileSync(path.join(CASES, `${c}.sql.json`), 'utf8')) as { statements: Statement[] };
  return doc.statements
    .filter((s) => !DRIVER.test(s.sql.split(/\s+/).filter(Boolean).join(' ')))
    .filter((s) => !(s.error && /^DataError: invalid input for query argument/.test(s.error)))
    .map((s) => ({ sql: s.sql, params: s.params }));
}

/** Python's repr of a bound parameter. */
function paramRepr(p: SqlParam): string {
  if (p instanceof FloatNumber) return floatRepr(p.value);
  if (typeof p === 'number') return Number.isInteger(p) ? String(p) : floatRepr(p);
  if (typeof p === 'bigint') return p.toString();
  if (p instanceof Uint8Array) return `b'${Buffer.from(p).toString('latin1')}'`;
  return pyRepr(p);
}

const PY_DATETIME = /^datetime\.datetime\((\d+), (\d+), (\d+), (\d+), (\d+)(?:, (\d+))?(?:, (\d+))?\)$/;
const STR_DATETIME = /^'(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d{1,6})?'$/;

/** A datetime parameter's instant as sortable text, else undefined. */
function instant(r: string): string | undefined {
  const p = PY_DATETIME.exec(r);
  const two = (x: string | undefined) => (x ?? '0').padStart(2, '0');
  if (p) return `${p[1]}-${two(p[2])}-${two(p[3])} ${two(p[4])}:${two(p[5])}:${two(p[6])}.${(p[7] ?? '0').padStart(6, '0')}`;
  const s = STR_DATETIME.exec(r);
  if (s) return `${s[1]} ${s[2]}.${(s[3] ?? '.0').slice(1).padEnd(6, '0')}`;
  return undefined;
}

/** Datetimes ranked, transaction ids numbered, both by first appearance over the whole run. */
function normalised(statements: Statement[]): Statement[] {
  const instants = [...new Set(statements.flatMap((s) => s.params.map(instant).filter((x): x is string => x !== undefined)))].sort();
  const txIds = new Map<string, number>();
  return statements.map((s) => ({
    sql: s.sql,
    params: s.params.map((p) => {
      const t = instant(p);
      if (t !== undefined) return `<ts:${instants.indexOf(t) + 1}>`;
      return p.replace(/tx_[0-9a-f]{12}/g, (id) => {
        if (!txIds.has(id)) txIds.set(id, txIds.size + 1);
        return `<tx:${txIds.get(id)}>`;
      });
    }),
  }));
}

/** The cases run by AsyncLocalRuntime. */
const concurrent = new Set(fs.readdirSync(CASES).filter((f) => f.endsWith('.py') && fs.readFileSync(path.join(CASES, f), 'utf8').includes('AsyncLocalRuntime')).map((f) => f.slice(0, -3)));

const cases = fs.readdirSync(CASES).filter((f) => f.endsWith('.sql.json')).map((f) => f.slice(0, -'.sql.json'.length)).sort();

describe('conformance SQL: every case has its recorded statements', () => {
  it('each case has a <case>.sql.json recorded by npm run record:dataflow', () => {
    const all = fs.readdirSync(CASES).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3));
    for (const c of all) assert.ok(cases.includes(c), `${c}.sql.json is missing: run npm run record:dataflow -- ${c}`);
  });
});

filesOnEachBackend('conformance SQL: the statements DataFlow 2.20 sends, text and parameters (issue 10 §2.7)', (run, db) => {
  for (const c of cases) {
    it(`${c}: the same statements in the same order`, async () => {
      const sent: Statement[] = [];
      const off = db().onStatement((e: StatementEvent) => {
        if ((e.tag && RUNTIME_OWN_TAGS.has(e.tag)) || TX_VERB.test(e.sql.trim())) return;
        sent.push({ sql: e.sql, params: e.params.map(paramRepr) });
      });
      try {
        const r = await run({ file: path.join(CASES, `${c}.py`), entry: 'main' });
        assert.notEqual(r.exitCode, 2, `the case must run: ${JSON.stringify(r.error)}`);
      } finally {
        off();
      }
      let ours = normalised(sent);
      let theirs = normalised(recorded(c));
      if (concurrent.has(c)) {
        // AsyncLocalRuntime runs a level's nodes concurrently: their statements' order is the race's.
        const byText = (a: Statement, b: Statement) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
        ours = [...ours].sort(byText);
        theirs = [...theirs].sort(byText);
      }
      let first = 0;
      while (first < Math.max(ours.length, theirs.length) && JSON.stringify(ours[first]) === JSON.stringify(theirs[first])) first++;
      const show = (list: Statement[]) => list.slice(first, first + 2).map((s) => JSON.stringify(s)).join('\n           ') || '(none)';
      assert.ok(first === ours.length && first === theirs.length, `${ours.length} statements sent, DataFlow ${theirs.length}; from statement ${first + 1}:\n  runtime  ${show(ours)}\n  DataFlow ${show(theirs)}`);
    });
  }
});
