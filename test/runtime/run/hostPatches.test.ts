// Conftests that patch the runtime's host classes, as real test suites do: a tracking wrapper around
// DataFlow.__init__ (and the ModelRegistry every DataFlow makes) whose autouse fixture closes the
// tracked instances, aiosqlite.core.Connection.__init__ replaced at import (and run by aiosqlite.connect), and a patched
// LocalRuntime.execute whose effect shows in the rows written. Expected values were recorded with the
// real DataFlow 2.20 (the same wrapper and close loop in a plain script under the oracle's venv).
// A patch belongs to the run that made it: the next run sees the classes unpatched.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend, scratchWriter } from '../backends';

const ROOT_CONFTEST = `
import pytest

def _patch_aiosqlite_connection():
    import aiosqlite.core
    if getattr(aiosqlite.core, "_patched_once", False):
        return
    aiosqlite.core._patched_once = True
    original = aiosqlite.core.Connection.__init__

    def patched(self, *args, **kwargs):
        original(self, *args, **kwargs)
        thread = getattr(self, "_thread", None)
        if thread is not None:
            thread.daemon = True

    aiosqlite.core.Connection.__init__ = patched
    print("aiosqlite patched:", aiosqlite.core.Connection.__init__ is patched, original.__qualname__)

_patch_aiosqlite_connection()

@pytest.fixture
def note_title():
    return "from the root conftest"
`;

const TRACKING_CONFTEST = `
import asyncio
import functools
import inspect
import pytest

_tracked = []
_installed = False

def _make_tracking_init(orig_init):
    @functools.wraps(orig_init)
    def _tracking_init(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        _tracked.append(self)
    return _tracking_init

def _install():
    global _installed
    if _installed:
        return
    _installed = True
    for _import in (
        lambda: __import__("dataflow", fromlist=["DataFlow"]).DataFlow,
        lambda: __import__("dataflow.fabric.pipeline", fromlist=["PipelineExecutor"]).PipelineExecutor,
        lambda: __import__("dataflow.core.model_registry", fromlist=["ModelRegistry"]).ModelRegistry,
    ):
        try:
            cls = _import()
        except Exception:
            continue
        cls.__init__ = _make_tracking_init(cls.__init__)

@pytest.fixture(autouse=True)
def _auto_close():
    _install()
    start = len(_tracked)
    yield
    for inst in _tracked[start:]:
        if getattr(inst, "_closed", False) is True:
            continue
        close = None
        for name in ("close", "close_async", "stop"):
            cand = getattr(inst, name, None)
            if callable(cand):
                close = cand
                break
        if inspect.iscoroutinefunction(close):
            asyncio.run(close())
        else:
            close()
        print("closed", type(inst).__name__, getattr(inst, "_closed", None))
`;

const TRACKED_TEST = `
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

def test_tracked_dataflow_runs(note_title):
    db = DataFlow("postgresql://localhost/app")

    @db.model
    class Note:
        title: str

    print("init:", DataFlow.__init__.__name__, DataFlow.__init__.__wrapped__.__qualname__, type(db) is DataFlow, db._closed)
    wf = WorkflowBuilder()
    wf.add_node("NoteCreateNode", "create", {"title": note_title})
    results, _ = LocalRuntime().execute(wf.build())
    assert results["create"]["title"] == note_title

def test_unpatched_classes():
    print("unpatched:", DataFlow.__init__.__qualname__, LocalRuntime.execute.__qualname__)
    db = DataFlow("postgresql://localhost/app")
    print("closed before:", db._closed)
`;

const PATCHED_EXECUTE = `
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://localhost/app")

@db.model
class Note:
    title: str

_original_execute = LocalRuntime.execute

def execute_twice(self, workflow, *args, **kwargs):
    _original_execute(self, workflow, *args, **kwargs)
    return _original_execute(self, workflow, *args, **kwargs)

LocalRuntime.execute = execute_twice

def main():
    wf = WorkflowBuilder()
    wf.add_node("NoteCreateNode", "create", {"title": "twice"})
    results, _ = LocalRuntime().execute(wf.build())
    print("id:", results["create"]["id"])
`;

const UNPATCHED_EXECUTE = `
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://localhost/app")

@db.model
class Note:
    title: str

def main():
    wf = WorkflowBuilder()
    wf.add_node("NoteCreateNode", "create", {"title": "once"})
    results, _ = LocalRuntime().execute(wf.build())
    print(LocalRuntime.execute.__qualname__, results["create"]["id"])
`;

// A harness connection, as kailash-py's unit harness opens one next to DataFlow: made through the
// conftest's wrapped Connection.__init__ (its worker thread marked daemon) and run on a real SQLite.
const SQLITE_HARNESS_TEST = `
import aiosqlite

async def test_harness_connection():
    db = await aiosqlite.connect(":memory:")
    print("daemon:", db._thread.daemon)
    await db.execute("PRAGMA foreign_keys = ON")
    await db.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, label TEXT)")
    await db.execute("INSERT INTO probe (label) VALUES (?)", ("ok",))
    await db.commit()
    rows = await (await db.execute("SELECT id, label FROM probe")).fetchall()
    print("rows:", rows)
    await db.close()
`;

const NOT_MODELLED = `
import aiosqlite
from kailash.runtime.local import LocalRuntime

async def back_up_sqlite():
    db = await aiosqlite.connect(":memory:")
    await db.backup(None)

def wrap_runtime_init():
    original = LocalRuntime.__init__
    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
    LocalRuntime.__init__ = init
    return LocalRuntime()

def missing_member():
    print(getattr(aiosqlite, "not_in_aiosqlite", "default"))
`;

filesOnEachBackend('host classes patched by user code', (run) => {
  const write = scratchWriter('df-hostpatch-');
  const root = path.dirname(write('conftest.py', ROOT_CONFTEST));
  write('pyproject.toml', '[project]\nname = "hostpatch"\n');
  const sub = path.join(root, 'regression');
  fs.mkdirSync(sub, { recursive: true });
  const writeSub = (name: string, text: string) => {
    const p = path.join(sub, name);
    fs.writeFileSync(p, text);
    return p;
  };
  writeSub('conftest.py', TRACKING_CONFTEST);
  const tracked = writeSub('test_tracked.py', TRACKED_TEST);
  const twice = write('patched_execute.py', PATCHED_EXECUTE);
  const once = write('unpatched_execute.py', UNPATCHED_EXECUTE);
  const notModelled = write('not_modelled.py', NOT_MODELLED);
  const harness = writeSub('test_sqlite_harness.py', SQLITE_HARNESS_TEST);

  it('a tracking wrapper around DataFlow.__init__ sees the real instance (and the ModelRegistry it makes); the autouse fixture closes both', async () => {
    const r = await run({ file: tracked, entry: 'test_tracked_dataflow_runs', root });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.test?.outcome, 'passed');
    assert.deepEqual(r.log, [
      'aiosqlite patched: True Connection.__init__',
      'init: __init__ DataFlow.__init__ True False',
      'closed ModelRegistry None',
      'closed DataFlow True',
    ]);
    assert.deepEqual(r.runs[0].results.create, { id: 1, title: 'from the root conftest' });
    assert.equal(r.tables.notes, 1);
  });

  it('a patch made by one run is gone in the next: the conftest installs its wrapper again and reads the originals', async () => {
    const first = await run({ file: tracked, entry: 'test_unpatched_classes', root });
    assert.equal(first.exitCode, 0, JSON.stringify(first.error));
    assert.deepEqual(first.log, ['aiosqlite patched: True Connection.__init__', 'unpatched: DataFlow.__init__ LocalRuntime.execute', 'closed before: False', 'closed ModelRegistry None', 'closed DataFlow True']);
    const patched = await run({ file: twice, entry: 'main', root });
    assert.equal(patched.exitCode, 0, JSON.stringify(patched.error));
    const again = await run({ file: once, entry: 'main', root });
    assert.equal(again.exitCode, 0, JSON.stringify(again.error));
    // One run, one row: after the patched run's two rows, the third.
    assert.deepEqual(again.log, ['LocalRuntime.execute 3']);
    assert.equal(again.runs.length, 1);
    assert.equal(again.tables.notes, 3);
  });

  it('a patched LocalRuntime.execute runs in place of the original on every instance (here: the workflow twice, two rows)', async () => {
    const r = await run({ file: twice, entry: 'main', root });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.runs.length, 2);
    assert.deepEqual(r.log, ['id: 2']);
    assert.equal(r.tables.notes, 2);
  });

  it('aiosqlite.connect makes its Connection through the conftest\'s wrapped __init__ and runs on a real SQLite', async () => {
    const r = await run({ file: harness, entry: 'test_harness_connection', root });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.test?.outcome, 'passed');
    assert.deepEqual(r.log, ['aiosqlite patched: True Connection.__init__', 'daemon: True', "rows: [(1, 'ok')]"]);
  });

  it('what the runtime does not model stays exit 2 naming it: aiosqlite Connection.backup, replacing a one-step host class\'s __init__; a name aiosqlite lacks is an AttributeError', async () => {
    const backup = await run({ file: notModelled, entry: 'back_up_sqlite', root });
    assert.equal(backup.exitCode, 2);
    assert.match(backup.error?.message ?? '', /aiosqlite Connection\.backup/);
    const init = await run({ file: notModelled, entry: 'wrap_runtime_init', root });
    assert.equal(init.exitCode, 2);
    assert.match(init.error?.message ?? '', /calling LocalRuntime after its __init__ was replaced/);
    const missing = await run({ file: notModelled, entry: 'missing_member', root });
    assert.equal(missing.exitCode, 0, JSON.stringify(missing.error));
    assert.deepEqual(missing.log, ['default']);
  });
});
