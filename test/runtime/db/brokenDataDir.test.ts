// An embedded data directory PGlite cannot start from (here: its write-ahead log removed, which
// makes PGlite abort at start, as a process killed at the wrong moment or a hand-made cleanup can)
// no longer fails every run after it: the broken directory is kept aside untouched, a fresh one
// takes its place, and the run's notes say so. Real PGlite, real files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PgliteDatabase } from '../../../server/src/runtime/db/pgliteDatabase';
import { LOCK_FILE } from '../../../server/src/runtime/db/dataDirLock';
import { privateTestDir } from '../backends';

describe('embedded data directory PGlite cannot open', function () {
  this.timeout(180000);

  it('is kept aside untouched, a fresh one is used, and a note says where the old one is', async () => {
    const parent = privateTestDir('dataflow-broken-test');
    const dir = path.join(parent, 'pglite');
    const first = await PgliteDatabase.open({ dataDir: dir, schema: 'broken_test' });
    await first.query('CREATE TABLE kept_table (id int)');
    await first.close();

    for (const f of fs.readdirSync(path.join(dir, 'pg_wal'))) fs.rmSync(path.join(dir, 'pg_wal', f), { recursive: true, force: true });
    const catalogueBefore = fs.readdirSync(path.join(dir, 'base')).sort();

    const db = await PgliteDatabase.open({ dataDir: dir, schema: 'broken_test' });
    try {
      assert.equal(db.description, `PGlite (embedded, ${dir})`, 'the fresh database is in the directory asked for');
      assert.equal(db.notes.length, 1);
      const kept = /kept, untouched, at (\S+) and this run uses a fresh one/.exec(db.notes[0])?.[1];
      assert.ok(kept, db.notes[0]);
      assert.match(db.notes[0], new RegExp(`^the embedded database at ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be opened \\(PGlite: `));
      assert.equal(path.dirname(kept), parent);
      assert.match(path.basename(kept), /^pglite\.broken-\d{4}-\d\d-\d\dT/);
      assert.deepEqual(fs.readdirSync(path.join(kept, 'base')).sort(), catalogueBefore, 'the broken directory is kept as it was');
      assert.equal(fs.existsSync(path.join(kept, LOCK_FILE)), false, 'no lock is left in the kept copy');
      assert.equal(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'), String(process.pid), 'the fresh directory is locked by this process');
      const r = await db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'kept_table'`);
      assert.equal(r.rows[0].n, 0, 'the fresh database starts empty');
      assert.equal((await db.query('SELECT 41 + 1 AS answer')).rows[0].answer, 42);
    } finally {
      await db.close();
    }

    const again = await PgliteDatabase.open({ dataDir: dir, schema: 'broken_test' });
    try {
      assert.deepEqual(again.notes, [], 'the fresh directory reopens without a note');
    } finally {
      await again.close();
    }
  });
});
