// Two processes on one embedded data directory: the second no longer aborts PGlite. A live
// holder's directory is left alone (a sibling is used, with a note); a dead holder's lock is
// taken over. Real PGlite in a real second process.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PgliteDatabase } from '../../../server/src/runtime/db/pgliteDatabase';
import { LOCK_FILE, acquireDataDir, lockHolder } from '../../../server/src/runtime/db/dataDirLock';
import { privateTestDir } from '../backends';

const BASE = path.join(privateTestDir('dataflow-lock-test'), 'pglite');
const PGLITE_MODULE = path.resolve(__dirname, '../../../server/src/runtime/db/pgliteDatabase.js');

/** A second process that opens the data dir with PgliteDatabase and keeps it open until killed. */
function holder(dir: string): Promise<ChildProcess> {
  const code = `
    const { PgliteDatabase } = require(${JSON.stringify(PGLITE_MODULE)});
    PgliteDatabase.open({ dataDir: ${JSON.stringify(dir)}, schema: 'lock_test' }).then(async (db) => {
      await db.query('SELECT 1');
      process.stdout.write('open ' + db.description + '\\n');
      setInterval(() => undefined, 1000);
    }, (e) => { process.stdout.write('failed ' + e.message + '\\n'); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('open ')) resolve(child);
      if (out.includes('failed ')) reject(new Error(out));
    });
    child.once('exit', (c) => reject(new Error(`holder exited with ${c}: ${out}`)));
  });
}

describe('embedded data directory lock (two processes)', function () {
  this.timeout(180000);
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it('a second process opens a sibling directory and says so; both databases answer', async () => {
    child = await holder(BASE);
    assert.equal(lockHolder(BASE), child.pid);
    const db = await PgliteDatabase.open({ dataDir: BASE, schema: 'lock_test' });
    try {
      assert.equal(db.description, `PGlite (embedded, ${BASE}-2)`);
      assert.equal(db.notes.length, 1);
      assert.match(db.notes[0], new RegExp(`in use by another process \\(pid ${child.pid}\\); this run uses ${BASE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-2`));
      const r = await db.query('SELECT 41 + 1 AS answer');
      assert.equal(r.rows[0].answer, 42);
      assert.equal(lockHolder(`${BASE}-2`), process.pid);
    } finally {
      await db.close();
    }
    assert.equal(fs.existsSync(path.join(`${BASE}-2`, LOCK_FILE)), false, 'closing releases the lock');
    assert.equal(lockHolder(BASE), child.pid, 'the holder keeps its own lock');
  });

  it('a lock left by a dead process is stale: it is taken over, no sibling, no note', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    fs.mkdirSync(BASE, { recursive: true });
    fs.writeFileSync(path.join(BASE, LOCK_FILE), String(deadPid));
    assert.equal(lockHolder(BASE), undefined);
    const db = await PgliteDatabase.open({ dataDir: BASE, schema: 'lock_test' });
    try {
      assert.equal(db.description, `PGlite (embedded, ${BASE})`);
      assert.deepEqual(db.notes, []);
      assert.equal(fs.readFileSync(path.join(BASE, LOCK_FILE), 'utf8'), String(process.pid));
    } finally {
      await db.close();
    }
  });

  it('the same process asking twice gets a sibling (PGlite cannot share a directory either)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-lock-unit-'));
    const a = acquireDataDir(dir);
    const b = acquireDataDir(dir);
    try {
      assert.equal(a.dir, dir);
      assert.equal(a.note, undefined);
      assert.equal(b.dir, `${dir}-2`);
      assert.match(b.note!, /in use by this process \(already open here\)/);
    } finally {
      b.release();
      a.release();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(`${dir}-2`, { recursive: true, force: true });
    }
  });
});
