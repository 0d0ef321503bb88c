// The asyncpg driver as DataFlow test suites use it next to DataFlow, run by the embedded runtime
// on the run's database and compared line by line with what the real asyncpg 0.31 printed for the
// same functions (test/fixtures/asyncpg/record_asyncpg.py against PostgreSQL), on PGlite and on
// PostgreSQL. Plus: the URL is never opened (a note without the password), statements reach the
// statement hooks untagged (outside any workflow node), and unmodelled names stop the run (exit 2).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initPython } from '../../../server/src/syntax/parser';
import { runFile, type RunFileOptions, type RunFileResult } from '../../../server/src/run/runFile';
import type { Database, StatementEvent } from '../../../server/src/runtime/db/types';
import { sharedPglite, sharedPostgres } from '../backends';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'asyncpg');
const FILE = path.join(FIXTURES, 'asyncpg_driver.py');

function recorded(func: string): string[] {
  return fs.readFileSync(path.join(FIXTURES, 'recordings', `${func}.txt`), 'utf8').replace(/\n$/, '').split('\n');
}

function backends(title: string, body: (ctx: { db: () => Database; run: (o: Omit<RunFileOptions, 'db'>) => Promise<RunFileResult> }) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    describe(`${title} [${kind}]`, function () {
      let db: Database | undefined;
      before(async function () {
        await initPython();
        const d = kind === 'pglite' ? await sharedPglite() : await sharedPostgres();
        if (typeof d === 'string') {
          if (process.env.DATAFLOW_REQUIRE_POSTGRES === '1') throw new Error(`${d} (DATAFLOW_REQUIRE_POSTGRES=1)`);
          console.log(`      skipped: ${d}`);
          this.skip();
        }
        db = d as Database;
      });
      beforeEach(async () => { await db!.resetSchema(); });
      body({ db: () => db!, run: (o) => runFile({ ...o, db: db!, clock: '2026-01-02T03:04:05', seed: 7 }) });
    });
  }
}

backends('asyncpg driver against asyncpg 0.31 recordings', ({ db, run }) => {
  for (const func of ['statuses_and_values', 'errors_and_transactions', 'pool_usage', 'scripts', 'next_to_dataflow']) {
    it(`${func}: prints what the real asyncpg printed`, async () => {
      const r = await run({ file: FILE, entry: func });
      assert.equal(r.exitCode, 0, JSON.stringify(r.error));
      assert.deepEqual(r.log, recorded(func));
    });
  }

  it('runs on the run\'s database: the URL is named in a note without its password, never opened', async () => {
    const r = await run({ file: FILE, entry: 'pool_usage' });
    const note = r.notes.find((n) => n.startsWith('asyncpg.create_pool'));
    assert.ok(note, JSON.stringify(r.notes));
    // redactUrl, as every output does: the password masked, the rest as written.
    assert.match(note!, /"postgresql:\/\/app:\*\*\*@db\.example:5432\/app"/);
    assert.doesNotMatch(r.notes.join('\n'), /secret/);
    // The table the file created is in the run's database.
    const count = await db().query('SELECT count(*) AS n FROM apg_pool');
    assert.equal(count.rows[0].n, 0);
  });

  it('next to DataFlow: the profiler attributes the node\'s statement to its node and asyncpg\'s to no node', async () => {
    const r = await run({ file: FILE, entry: 'next_to_dataflow', profile: { explain: false } });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    const statements = r.report!.statements;
    const insert = statements.find((s) => /^INSERT INTO "?apg_notes"?/i.test(s.sql));
    assert.equal(insert?.nodeId, 'create');
    const raw = statements.filter((s) => /apg_notes/.test(s.sql) && /^(SELECT count|SELECT title|UPDATE apg_notes)/.test(s.sql));
    assert.equal(raw.length, 3, JSON.stringify(statements.map((s) => s.sql)));
    assert.ok(raw.every((s) => s.nodeId === undefined));
  });

  it('binds every argument: statements reach the hooks with $n placeholders and their values, untagged', async () => {
    const events: StatementEvent[] = [];
    const off = db().onStatement((e) => { events.push(e); });
    try {
      const r = await run({ file: FILE, entry: 'errors_and_transactions' });
      assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    } finally {
      off();
    }
    const inserts = events.filter((e) => e.sql.startsWith('INSERT INTO apg_accounts (email) VALUES ($1)'));
    assert.ok(inserts.length >= 5);
    assert.ok(inserts.every((e) => e.tag === undefined && e.params.length === 1));
    assert.ok(!events.some((e) => e.sql.includes('a@x.io')));
    assert.ok(inserts.some((e) => e.error && e.params[0] === 'a@x.io'));
  });
});

backends('asyncpg: what is not modelled stops the run', ({ run }) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncpgdrv-'));
  const write = (name: string, body: string) => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, `import asyncpg\n\n\nasync def main():\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
    return f;
  };
  it('a connection method that is not modelled: exit 2 naming it', async () => {
    const r = await run({ file: write('copy.py', 'conn = await asyncpg.connect("postgresql://localhost/x")\nawait conn.copy_records_to_table("t", records=[])'), entry: 'main' });
    assert.equal(r.exitCode, 2);
    assert.match(r.error!.message, /asyncpg\.Connection\.copy_records_to_table/);
  });
  it('a module name that is not modelled: exit 2 naming it', async () => {
    const r = await run({ file: write('listen.py', 'asyncpg.introspection'), entry: 'main' });
    assert.equal(r.exitCode, 2);
    assert.match(r.error!.message, /asyncpg\.introspection/);
  });
  it('a statement the database rejects is the asyncpg exception of its SQLSTATE (exit 1 when uncaught)', async () => {
    const r = await run({ file: write('bad.py', 'conn = await asyncpg.connect("postgresql://localhost/x")\nawait conn.fetch("SELECT * FROM apg_missing_table")'), entry: 'main' });
    assert.equal(r.exitCode, 1);
    assert.equal(r.error!.type, 'UndefinedTableError');
    assert.match(r.error!.message, /relation "apg_missing_table" does not exist/);
  });
});
