// The embedded database's one-time set-up (issue 12 target 5): a fresh data directory is filled
// from the seed the build ships beside the bundle (dist/pglite-seed.tgz, a freshly initialised
// PGlite data directory) instead of PGlite's initdb; a seed that cannot be loaded falls back to
// the initdb; the set-up is reported once, to the first run, apart from the run's own time. Real
// PGlite, real files, the real bundled seed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteDatabase } from '../../../server/src/runtime/db/pgliteDatabase';
import { findPgliteSeed, pgliteVersion, SEED_INFO_FILE } from '../../../server/src/runtime/db/pgliteSeed';
import { privateTestDir } from '../backends';

describe('embedded database set-up from the bundled seed', function () {
  this.timeout(180000);

  it('the build made a seed for the installed PGlite version, and it is found from the compiled tree', () => {
    const seed = findPgliteSeed();
    assert.ok(seed, 'dist/pglite-seed.tgz is missing or was made by another PGlite version: run node esbuild.mjs');
    const info = JSON.parse(fs.readFileSync(path.join(path.dirname(seed), SEED_INFO_FILE), 'utf8')) as { pglite: string; bytes: number };
    assert.equal(info.pglite, pgliteVersion());
    assert.equal(fs.statSync(seed).size, info.bytes);
  });

  it('a fresh directory is filled from the seed, works like an initdb one, reopens, and says so once', async () => {
    const dir = path.join(privateTestDir('dataflow-seed-test'), 'pglite');
    const db = await PgliteDatabase.open({ dataDir: dir, schema: 'seed_test' });
    let version: string;
    try {
      const prep = db.takePreparation();
      assert.equal(prep?.how, 'seed');
      assert.ok(prep!.ms > 0);
      assert.equal(db.takePreparation(), undefined, 'the set-up is handed out once');
      await db.query('CREATE TABLE seeded_rows (id serial PRIMARY KEY, name text NOT NULL)');
      await db.query('INSERT INTO seeded_rows (name) VALUES ($1), ($2)', ['a', 'b']);
      assert.deepEqual((await db.query('SELECT id, name FROM seeded_rows ORDER BY id')).rows, [{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
      version = String((await db.query('SHOW server_version')).rows[0].server_version);
    } finally {
      await db.close();
    }
    const memory = await PGlite.create();
    try {
      assert.equal(version, String((await memory.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version), 'the seed is the running PGlite\'s own PostgreSQL');
    } finally {
      await memory.close();
    }
    const again = await PgliteDatabase.open({ dataDir: dir, schema: 'seed_test' });
    try {
      assert.equal(again.takePreparation(), undefined, 'reopening is no set-up');
      assert.equal((await again.query('SELECT count(*)::int AS n FROM seeded_rows')).rows[0].n, 2, 'what the first open wrote is still there');
    } finally {
      await again.close();
    }
  });

  it('a seed that cannot be loaded falls back to PGlite\'s initdb in the same directory', async () => {
    const parent = privateTestDir('dataflow-bad-seed-test');
    const bad = path.join(parent, 'bad-seed.tgz');
    fs.writeFileSync(bad, Buffer.from('this is not a gzipped tar of a data directory'));
    const dir = path.join(parent, 'pglite');
    const db = await PgliteDatabase.open({ dataDir: dir, schema: 'seed_test', seed: bad });
    try {
      assert.equal(db.takePreparation()?.how, 'initdb');
      assert.equal(db.description, `PGlite (embedded, ${dir})`);
      assert.equal((await db.query('SELECT 20 + 22 AS answer')).rows[0].answer, 42);
    } finally {
      await db.close();
    }
  });
});
