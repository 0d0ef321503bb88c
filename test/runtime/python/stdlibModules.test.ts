// The evaluator's scaffolding modules on their own: dotenv's file format, pathlib's pure operations,
// argparse, and file access with and without a project (a FileAccess over a temporary project).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UnsupportedPythonError } from '../../../server/src/runtime/python';
import { FileAccess } from '../../../server/src/runtime/python/fileAccess';
import { parseDotenv } from '../../../server/src/runtime/python/modules/dotenv';
import { rejects, run } from './helpers';

describe('python evaluator: scaffolding modules', () => {
  it('parses .env like python-dotenv: export, quotes, escapes, inline comments, ${VAR:-default}, keys without values', () => {
    const text = [
      '# comment',
      'export A=1',
      "B='single ${A} kept'",
      'C="double ${A}\\nnext"',
      'D=plain value # trailing comment',
      'E=${MISSING:-fallback}/${A}',
      'F="multi',
      'line"',
      'NO_VALUE',
      '',
    ].join('\n');
    assert.deepEqual(parseDotenv(text, () => undefined), [
      ['A', '1'],
      ['B', 'single ${A} kept'],
      ['C', 'double 1\nnext'],
      ['D', 'plain value'],
      ['E', 'fallback/1'],
      ['F', 'multi\nline'],
      ['NO_VALUE', null],
    ]);
    assert.deepEqual(parseDotenv('X=${HOME_DIR}', (n) => (n === 'HOME_DIR' ? '/h' : undefined)), [['X', '/h']]);
  });

  it('pathlib pure operations need no disk', async () => {
    const out = await run(
      [
        'from pathlib import Path, PurePath',
        'p = Path("/srv/app") / "data" / "orders.tar.gz"',
        'print(p, p.name, p.stem, p.suffix, p.suffixes, p.parent, p.parent.parent.name)',
        'print(p.parts, p.with_suffix(".zip").name, p.with_name("x.csv"), p.relative_to("/srv"))',
        'print(p.is_absolute(), Path("a/b").is_absolute(), Path("a") / Path("/abs"), "x" / Path("y"))',
        'print(repr(PurePath("a/./b/")), Path("a/b") == Path("a//b"), isinstance(p, Path), str(Path()))',
        'print(sorted([Path("b"), Path("a")]), f"{Path(\'q\')}", [str(x) for x in Path("/a/b/c").parents])',
      ].join('\n'),
    );
    assert.equal(
      out,
      [
        "/srv/app/data/orders.tar.gz orders.tar.gz orders.tar .gz ['.tar', '.gz'] /srv/app/data app",
        "('/', 'srv', 'app', 'data', 'orders.tar.gz') orders.tar.zip /srv/app/data/x.csv app/data/orders.tar.gz",
        'True False /abs x/y',
        "PurePosixPath('a/b') True True .",
        "[PosixPath('a'), PosixPath('b')] q ['/a/b', '/a', '/']",
        '',
      ].join('\n'),
    );
  });

  it('without a project, file access is unsupported (exit 2), never a fake result', async () => {
    await rejects(run('from pathlib import Path\nPath("x").exists()\n'), UnsupportedPythonError, /Path\.exists\(\)/);
    await rejects(run('import tempfile\ntempfile.mkdtemp()\n'), UnsupportedPythonError, /tempfile\.mkdtemp\(\)/);
    await rejects(run('from dotenv import load_dotenv\nload_dotenv()\n'), UnsupportedPythonError, /load_dotenv\(\)/);
    await rejects(run('import os\nos.path.isdir("/")\n'), UnsupportedPythonError, /os\.path\.isdir\(\)/);
  });

  it('members a partly modelled module lacks are "not modelled" with their name, not AttributeError', async () => {
    await rejects(run('import gc\nx = 1\ngc.get_objects()\n'), UnsupportedPythonError, /gc\.get_objects\(\) \(it lists every live object of the Python process, DataFlow's and Kailash's internal ones included.*\) at case\.py:3:1/);
    await rejects(run('import gc\ngc.get_stats()\n'), UnsupportedPythonError, /gc\.get_stats \(the evaluator models only part of 'gc'\) at case\.py:2:1/);
    await rejects(run('import os\nos.fork()\n'), UnsupportedPythonError, /os\.fork/);
    await rejects(run('import tempfile\ntempfile.SpooledTemporaryFile()\n'), UnsupportedPythonError, /tempfile\.SpooledTemporaryFile/);
  });

  // Expected output recorded with CPython 3's argparse on the same code.
  it('argparse: defaults (string defaults converted by type), explicit lists, flags, choices, required arguments', async () => {
    const out = await run(
      [
        'import argparse',
        'p = argparse.ArgumentParser(prog="tool")',
        'p.add_argument("name", nargs="?", default="anon")',
        'p.add_argument("-n", "--num-items", type=int, default="5")',
        'p.add_argument("--tag", action="append")',
        'p.add_argument("-v", "--verbose", action="count", default=0)',
        'p.add_argument("--mode", choices=["a", "b"], default="a")',
        'print(p.parse_args())',
        'print(p.parse_args(["bob", "-n", "7", "--tag", "x", "--tag=y", "-v", "-v", "--mode", "b"]))',
        'ns, rest = p.parse_known_args(["--other", "1"])',
        'print(ns.num_items, rest, ns.name)',
        'try:',
        '    p.parse_args(["--mode", "c"])',
        'except SystemExit as e:',
        '    print("exit", e.code)',
      ].join('\n'),
    );
    assert.equal(
      out,
      [
        "Namespace(name='anon', num_items=5, tag=None, verbose=0, mode='a')",
        "Namespace(name='bob', num_items=7, tag=['x', 'y'], verbose=2, mode='b')",
        "5 ['--other'] 1",
        'usage: tool [-h] [-n NUM_ITEMS] [--tag TAG] [-v] [--mode {a,b}] [name]',
        "tool: error: argument --mode: invalid choice: 'c' (choose from 'a', 'b')",
        'exit 2',
        '',
      ].join('\n'),
    );
  });

  it('logging: handlers and formatters accept their configuration; records (with exception tracebacks) reach the run log', async () => {
    const lines: string[] = [];
    await run(
      [
        'import logging',
        'logging.basicConfig(level=logging.INFO)',
        'log = logging.getLogger("shop")',
        'h = logging.StreamHandler()',
        'h.setFormatter(logging.Formatter("%(levelname)s %(message)s"))',
        'h.setLevel(logging.DEBUG)',
        'log.addHandler(h)',
        'log.info("placed %d orders", 3)',
        'try:',
        '    int("x")',
        'except ValueError:',
        '    log.exception("bad number")',
        'print(logging.getLevelName(logging.WARNING), logging.getLevelName("ERROR"))',
      ].join('\n'),
      { log: (level, msg) => lines.push(`${level} ${msg}`), print: (t) => lines.push(t) },
    );
    assert.deepEqual(lines, [
      'INFO placed 3 orders',
      'ERROR bad number\nTraceback (most recent call last):\n  File "case.py", line 10, column 5, in <module>\nValueError: invalid literal for int() with base 10: \'x\'',
      'WARNING 40',
    ]);
  });

  it('with a project: reads inside the root, writes only in the scratch folder, which dispose() removes', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-stdlib-project-'));
    fs.writeFileSync(path.join(root, 'notes.txt'), 'hello');
    fs.writeFileSync(path.join(root, '.env'), 'GREETING=hi there\n');
    const files = new FileAccess(root);
    try {
      const out = await run(
        [
          'import os, tempfile',
          'from pathlib import Path',
          'from dotenv import load_dotenv, dotenv_values, find_dotenv',
          'print(Path("notes.txt").read_text(), Path("notes.txt").exists(), os.path.isfile("notes.txt"), os.getcwd() == str(Path.cwd()))',
          'print(load_dotenv(), os.environ["GREETING"], dict(dotenv_values()), find_dotenv().endswith("/.env"))',
          'd = Path(tempfile.mkdtemp(prefix="w"))',
          '(d / "sub").mkdir(parents=True)',
          '(d / "sub" / "a.json").write_text("{}")',
          'print(sorted(p.name for p in d.rglob("*.json")), [p.name for p in d.iterdir()], os.listdir(str(d / "sub")))',
          'fd, name = tempfile.mkstemp(suffix=".db")',
          'os.close(fd)',
          'os.remove(name)',
          'print(os.path.exists(name))',
        ].join('\n'),
        { fileName: path.join(root, 'main.py'), files },
      );
      assert.equal(out, ['hello True True True', "True hi there {'GREETING': 'hi there'} True", "['a.json'] ['sub'] ['a.json']", 'False', ''].join('\n'));
      const scratch = files.scratchCreated!;
      assert.ok(fs.existsSync(scratch));
      files.dispose();
      assert.equal(fs.existsSync(scratch), false);
    } finally {
      files.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
