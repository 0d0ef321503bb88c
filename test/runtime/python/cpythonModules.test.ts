// re, yaml, difflib, statistics, collections.deque, hashlib, sqlite3 and aiosqlite (a real SQLite, sql.js), itertools, functools, the builtins and the rest of the stdlib subset against CPython: each test/fixtures/stdlib-cpython/NAME_cases.py is evaluated
// and its cases() (label, repr-or-error pairs) compared with what CPython 3.11 / PyYAML 6 returned for
// the same file (NAME.cpython.json, recorded by record.py there). Syntax the evaluator cannot
// translate faithfully is unsupported, never approximated.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PythonSyntaxError, UnsupportedPythonError, compilePython } from '../../../server/src/runtime/python';
import { evaluate, rejects, run } from './helpers';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'stdlib-cpython');

async function cases(name: string): Promise<Array<[string, string]>> {
  const file = path.join(FIXTURES, `${name}_cases.py`);
  const r = await evaluate(fs.readFileSync(file, 'utf8'), { fileName: file, call: 'cases' });
  try {
    return r.evaluator.toPlain(r.returnValue!) as Array<[string, string]>;
  } finally {
    r.dispose();
  }
}

function recorded(name: string): Array<[string, string]> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.cpython.json`), 'utf8'));
}

describe('python evaluator: re, yaml and difflib as CPython answers', () => {
  for (const name of ['re', 'yaml', 'difflib', 'statistics', 'deque', 'sqlite3', 'aiosqlite', 'hashlib', 'match', 'limits', 'itertools', 'functools', 'builtins', 'stdlib', 'methods']) {
    it(`${name}: every case of ${name}_cases.py as CPython recorded it`, async () => {
      const ours = await cases(name);
      const theirs = recorded(name);
      assert.equal(ours.length, theirs.length);
      for (let i = 0; i < theirs.length; i++) assert.deepEqual(ours[i], theirs[i], `case ${theirs[i][0]}`);
    });
  }

  for (const name of ['match', 'limits']) it(`${name}: each source of ${name}_cases.py's syntax_errors() compiles, or fails with the SyntaxError CPython's compiler gave`, async () => {
    const r = await evaluate(fs.readFileSync(path.join(FIXTURES, `${name}_cases.py`), 'utf8'), { fileName: `${name}_cases.py`, call: 'syntax_errors' });
    const sources = r.evaluator.toPlain(r.returnValue!) as Array<[string, string]>;
    r.dispose();
    const theirs = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.syntax.cpython.json`), 'utf8')) as Array<[string, string]>;
    assert.equal(sources.length, theirs.length);
    for (let i = 0; i < theirs.length; i++) {
      let ours = 'OK';
      try {
        (await compilePython(sources[i][1], '<case>')).dispose();
      } catch (e) {
        if (!(e instanceof PythonSyntaxError)) throw e;
        ours = `${e.message.replace(/ at <case>:.*$/, '')} (line ${e.location.line})`;
      }
      assert.deepEqual([sources[i][0], ours], theirs[i]);
    }
  });

  it('re: syntax with no faithful JavaScript translation is unsupported', async () => {
    for (const p of ['(?i:a)b', 'a*+', '(?>a)', '(?(1)a|b)', '[\\W]', '\\N{DASH}']) await rejects(run(`import re\nre.compile(r"${p}")\n`), UnsupportedPythonError);
  });

  it('re: bytes patterns and re.LOCALE are unsupported, patterns Python rejects raise re.error', async () => {
    await rejects(run('import re\nre.compile("a", re.LOCALE)\n'), UnsupportedPythonError, /LOCALE/);
    assert.equal(await run('import re\ntry:\n    re.compile("a{3,1}")\nexcept re.error as e:\n    print(e)\n'), 'min repeat greater than max repeat at position 2\n');
  });

  it('yaml: timestamps and the !!set tag are unsupported (PyYAML builds date / set objects)', async () => {
    await rejects(run('import yaml\nyaml.safe_load("when: 2024-01-02")\n'), UnsupportedPythonError, /timestamp/);
    await rejects(run('import yaml\nyaml.safe_load("s: !!set {a: null}")\n'), UnsupportedPythonError, /!!set/);
    await rejects(run('import yaml\nyaml.load("a: 1", Loader=object)\n'), UnsupportedPythonError, /SafeLoader/);
  });
});
