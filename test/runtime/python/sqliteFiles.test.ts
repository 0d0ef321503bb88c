// sqlite3 / aiosqlite on files: a database file of the project is read as it is and what the run
// commits goes to the run's overlay copy (the project's file keeps its bytes); scratch files
// (tempfile) are written in place; a file outside the project or without a project is not modelled
// (exit 2), never faked. The seed database is written by the same real SQLite (sql.js).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UnsupportedPythonError } from '../../../server/src/runtime/python';
import { FileAccess } from '../../../server/src/runtime/python/fileAccess';
import { SqliteDatabase } from '../../../server/src/runtime/db/sqliteEngine';
import { rejects, run } from './helpers';

async function seedDatabase(file: string): Promise<void> {
  const db = await SqliteDatabase.open({ write: () => file });
  db.exec("CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL); INSERT INTO stock VALUES ('A-1', 4), ('B-2', 9);");
  db.persist();
  db.close();
}

describe('python evaluator: sqlite3 and aiosqlite on files', () => {
  let root: string;
  let files: FileAccess;
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-sqlite-project-'));
    await seedDatabase(path.join(root, 'inventory.db'));
    files = new FileAccess(root);
  });
  afterEach(() => {
    files.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("reads a project database, keeps what it commits for the rest of the run, and leaves the project's file unchanged", async () => {
    const before = fs.readFileSync(path.join(root, 'inventory.db'));
    const out = await run(
      [
        'import sqlite3',
        'conn = sqlite3.connect("inventory.db")',
        'print(conn.execute("SELECT sku, qty FROM stock ORDER BY sku").fetchall())',
        'conn.execute("UPDATE stock SET qty = qty - 1 WHERE sku = ?", ("A-1",))',
        'conn.commit()',
        'conn.execute("INSERT INTO stock VALUES (?, ?)", ("C-3", 1))',
        'conn.close()',
        'again = sqlite3.connect("inventory.db")',
        'print(again.execute("SELECT sku, qty FROM stock ORDER BY sku").fetchall())',
        'again.close()',
      ].join('\n'),
      { fileName: path.join(root, 'main.py'), files },
    );
    // The uncommitted INSERT is gone after close, as SQLite rolls it back.
    assert.equal(out, "[('A-1', 4), ('B-2', 9)]\n[('A-1', 3), ('B-2', 9)]\n");
    assert.deepEqual(fs.readFileSync(path.join(root, 'inventory.db')), before);
    assert.deepEqual(files.projectWrites(), ['inventory.db']);
  });

  it('aiosqlite creates a database in the scratch folder (tempfile) and reopens it with its rows', async () => {
    const out = await run(
      [
        'import asyncio, os, tempfile',
        'import aiosqlite',
        'async def main():',
        '    path = os.path.join(tempfile.mkdtemp(), "jobs.db")',
        '    async with aiosqlite.connect(path) as db:',
        '        await db.execute("CREATE TABLE job (id INTEGER PRIMARY KEY, state TEXT)")',
        '        await db.executemany("INSERT INTO job (state) VALUES (?)", [("queued",), ("done",)])',
        '        await db.commit()',
        '    async with aiosqlite.connect(path) as db:',
        '        rows = await db.execute_fetchall("SELECT id, state FROM job ORDER BY id")',
        '    print(rows, os.path.getsize(path) > 0)',
        'asyncio.run(main())',
      ].join('\n'),
      { fileName: path.join(root, 'main.py'), files },
    );
    assert.equal(out, "[(1, 'queued'), (2, 'done')] True\n");
    assert.deepEqual(files.projectWrites(), []);
  });

  it('a file that is not a database fails on first use with sqlite3.DatabaseError, as in CPython', async () => {
    fs.writeFileSync(path.join(root, 'notes.db'), 'plain text, not SQLite\n');
    const out = await run(
      ['import sqlite3', 'conn = sqlite3.connect("notes.db")', 'try:', '    conn.execute("CREATE TABLE t (a)")', 'except sqlite3.DatabaseError as e:', '    print(type(e).__name__, e)'].join('\n'),
      { fileName: path.join(root, 'main.py'), files },
    );
    assert.equal(out, 'DatabaseError file is not a database\n');
  });

  it('a file outside the project, or any file without a project, is not modelled; ":memory:" needs no project', async () => {
    await rejects(run('import sqlite3\nsqlite3.connect("/var/tmp/elsewhere.db")\n', { fileName: path.join(root, 'main.py'), files }), UnsupportedPythonError, /sqlite3\.connect\(\) on a file outside the project/);
    await rejects(run('import sqlite3\nsqlite3.connect("local.db")\n'), UnsupportedPythonError, /sqlite3\.connect\(\) on a file/);
    await rejects(run('import asyncio, aiosqlite\nasync def m():\n    await aiosqlite.connect("local.db")\nasyncio.run(m())\n'), UnsupportedPythonError, /aiosqlite\.connect\(\) on a file/);
    assert.equal(await run('import sqlite3\nprint(sqlite3.connect(":memory:").execute("SELECT 40 + 2").fetchone())\n'), '(42,)\n');
    // sqlite3.sqlite_version is the engine's own.
    assert.equal(await run('import sqlite3\nc = sqlite3.connect(":memory:")\nprint(c.execute("SELECT sqlite_version()").fetchone()[0] == sqlite3.sqlite_version, sqlite3.sqlite_version_info[0])\n'), 'True 3\n');
  });

  it('what the modules do not model stops the run with its name (exit 2)', async () => {
    await rejects(run('import sqlite3\nsqlite3.connect(":memory:").create_function("f", 1, len)\n'), UnsupportedPythonError, /sqlite3 Connection\.create_function/);
    await rejects(run('import sqlite3\nsqlite3.connect(":memory:", detect_types=sqlite3.PARSE_DECLTYPES)\n'), UnsupportedPythonError, /connect\(detect_types=\.\.\.\)/);
    await rejects(run('import asyncio, aiosqlite\nasync def m():\n    db = await aiosqlite.connect(":memory:")\n    await db.backup(None)\nasyncio.run(m())\n'), UnsupportedPythonError, /aiosqlite Connection\.backup/);
  });
});
