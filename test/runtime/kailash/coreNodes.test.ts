// Kailash core nodes in DataFlow workflows (PythonCodeNode, SwitchNode, MergeNode,
// AsyncSQLDatabaseNode) run by the embedded runtime and compared with what kailash 2.63 /
// DataFlow 2.20 returned for the same file (recordings made with ../shared/oracle: oracle.sh
// core_nodes.py FUNC), on PGlite and on PostgreSQL. Plus the registry's honesty: real node types
// the runtime does not model stop the run with exit 2 at their add_node.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend, scratchWriter } from '../backends';
import { NOTE_HEADER } from './noteHeader';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'runtime', 'corenodes');
const FILE = path.join(FIXTURES, 'core_nodes.py');

interface Recording {
  runs: Array<{ results?: Record<string, unknown>; error?: { type: string; message: string } }>;
  raised?: { type: string; message: string };
}

function recording(func: string): Recording {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'recordings', `${func}.json`), 'utf8')) as Recording;
}

/** A failed node's entry: its error text up to the traceback (the oracle's traceback has the oracle's own paths), type, flag. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.failed === true && typeof o.error === 'string') return { error: o.error.split('\n')[0], error_type: o.error_type, failed: true };
    return Object.fromEntries(Object.entries(o).filter(([k]) => k !== '_exception').map(([k, x]) => [k, normalise(x)]));
  }
  return v;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}


const RECORDED = [
  'code_simple', 'code_without_result', 'code_from_dataflow_node', 'code_with_parameters', 'code_raises_leaf',
  'code_raises_with_dependent', 'code_forbidden_import', 'code_name_error',
  'code_extra_config', 'switch_boolean', 'switch_cases', 'switch_list_grouping', 'merge_variants', 'merge_after_switch', 'async_sql',
];

filesOnEachBackend('Kailash core nodes against kailash 2.63 recordings', (run) => {
  for (const func of RECORDED) {
    it(`${func}: the same results, in the same order, as the real runtime`, async () => {
      const rec = recording(func);
      const r = await run({ file: FILE, entry: func });
      assert.equal(r.runs.length, rec.runs.length, JSON.stringify(r.error));
      rec.runs.forEach((expected, i) => {
        const got = r.runs[i];
        if (expected.error) {
          assert.equal(got.error?.type, expected.error.type);
          assert.equal(firstLine(got.error!.message), firstLine(expected.error.message));
        } else {
          assert.equal(got.error, undefined, JSON.stringify(got.error));
          assert.equal(JSON.stringify(normalise(got.results)), JSON.stringify(normalise(expected.results)));
        }
      });
      if (rec.raised) {
        assert.equal(r.exitCode, 1);
        assert.equal(r.error?.type, rec.raised.type);
      } else assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    });
  }

  it('a failed PythonCodeNode carries the traceback of its code string', async () => {
    const r = await run({ file: FILE, entry: 'code_raises_leaf' });
    const boom = r.runs[0].results.boom as { error: string };
    assert.equal(boom.error, 'Code execution failed: bad value 1\nTraceback (most recent call last):\n  File "<string>", line 1, in <module>\nValueError: bad value 1\n');
  });

  it('nodes skipped by a SwitchNode branch run nothing; AsyncSQLDatabaseNode statements are its own node row', async () => {
    const s = await run({ file: FILE, entry: 'switch_boolean' });
    const rows = Object.fromEntries(s.runs[0].nodes.map((n) => [n.id, n]));
    assert.equal(rows.low.skipped, true);
    assert.equal(rows.after_low.skipped, true);
    assert.equal(rows.high.skipped, undefined);
    const a = await run({ file: FILE, entry: 'async_sql' });
    const adults = a.runs[0].nodes.find((n) => n.id === 'adults')!;
    assert.equal(adults.statements, 1);
    assert.equal(adults.rows, 1);
    assert.ok(a.divergences.some((d) => d.code === 'async-sql-node-run-database'));
  });
});

const write = scratchWriter('corenodes-');


filesOnEachBackend('PythonCodeNode bounds and the registry honesty', (run) => {
  it('a real Kailash node the runtime does not model is exit 2 at its add_node, even inside try/except', async () => {
    const file = write('unmodelled.py', NOTE_HEADER + `
def main():
    wf = WorkflowBuilder()
    wf.add_node("NoteCreateNode", "c", {"text": "x"})
    wf.add_node("HTTPRequestNode", "fetch", {"url": "http://example.invalid"})
    try:
        LocalRuntime().execute(wf.build())
    except Exception as e:
        print("caught", e)
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 2);
    assert.equal(r.error?.type, 'UnsupportedPythonError');
    assert.match(r.error!.message, /`HTTPRequestNode` is a Kailash node the runtime does not model/);
    assert.equal(r.error?.line, 16);
    assert.equal(r.error?.column, 5);
    assert.deepEqual(r.log, []);
  });

  it('conditional_execution="skip_branches" with one SwitchNode runs (two-phase execution; skipBranches.test.ts compares it with recordings)', async () => {
    const file = write('skip.py', NOTE_HEADER + `
def main():
    wf = WorkflowBuilder()
    wf.add_node("SwitchNode", "route", {"condition_field": "ok", "value": True})
    results, _ = LocalRuntime(conditional_execution="skip_branches").execute(wf.build(), parameters={"route": {"input_data": {"ok": True}}})
    return results
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(Object.keys(r.runs[0].results), ['route']);
  });

  it('add_node with a node class imported from kailash: modelled classes run, the others are exit 2', async () => {
    const file = write('classes.py', NOTE_HEADER + `from kailash.nodes.logic import SwitchNode
from kailash.nodes.api import HTTPRequestNode
from vendor_nodes import FancyNode


def modelled():
    wf = WorkflowBuilder()
    wf.add_node(SwitchNode, "route", {"condition_field": "ok", "value": True})
    results, _ = LocalRuntime().execute(wf.build(), parameters={"route": {"input_data": {"ok": True}}})
    print(results["route"]["condition_result"])


def real_unmodelled():
    wf = WorkflowBuilder()
    wf.add_node(HTTPRequestNode, "fetch", {"url": "http://example.invalid"})
    wf.build()


def vendor():
    wf = WorkflowBuilder()
    wf.add_node(FancyNode, "x", {})
`);
    const ok = await run({ file, entry: 'modelled' });
    assert.equal(ok.exitCode, 0, JSON.stringify(ok.error));
    assert.deepEqual(ok.log, ['True']);
    const real = await run({ file, entry: 'real_unmodelled' });
    assert.equal(real.exitCode, 2);
    assert.match(real.error!.message, /`HTTPRequestNode` is a Kailash node the runtime does not model/);
    const vendor = await run({ file, entry: 'vendor' });
    assert.equal(vendor.exitCode, 2);
    assert.match(vendor.error!.message, /add_node\(vendor_nodes\.FancyNode\)/);
  });

  it("add_connection's signature: two arguments or an unknown keyword are CPython's TypeError, not a missing node", async () => {
    const file = write('conn.py', NOTE_HEADER + `
def two():
    wf = WorkflowBuilder()
    wf.add_node("NoteCreateNode", "a", {"text": "x"})
    wf.add_node("NoteCreateNode", "b", {"text": "y"})
    wf.add_connection("a", "b")


def keyword():
    wf = WorkflowBuilder()
    wf.add_connection("a", "id", "b", "id", condition="x == 1")
`);
    const two = await run({ file, entry: 'two' });
    assert.equal(two.exitCode, 1);
    assert.equal(two.error?.type, 'TypeError');
    assert.equal(two.error?.message.split('\n').pop(), "WorkflowBuilder.add_connection() missing 2 required positional arguments: 'to_node' and 'to_input'");
    const kw = await run({ file, entry: 'keyword' });
    assert.match(kw.error!.message, /add_connection\(\) got an unexpected keyword argument 'condition'/);
  });

  it('a name neither kailash 2.63 nor DataFlow 2.20 registers stays "not found in registry" (exit 1)', async () => {
    const file = write('unknown.py', NOTE_HEADER + `
def main():
    wf = WorkflowBuilder()
    wf.add_node("NoteMakeNode", "c", {"text": "x"})
    LocalRuntime().execute(wf.build())
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 1);
    assert.equal(r.error?.type, 'WorkflowValidationError');
    assert.match(r.error!.message, /Node 'NoteMakeNode' not found in registry/);
  });

  it("a PythonCodeNode's loop counts against the run's iteration bound (not a node failure)", async () => {
    const file = write('spin.py', NOTE_HEADER + `
def main():
    wf = WorkflowBuilder()
    wf.add_node("PythonCodeNode", "spin", {"code": "n = 0\\nwhile True:\\n    n += 1"})
    LocalRuntime().execute(wf.build())
`);
    const r = await run({ file, entry: 'main', limits: { maxIterations: 5000 } });
    assert.equal(r.error?.type, 'EvaluationLimitError');
    assert.match(r.error!.message, /iteration limit/i);
    assert.equal(r.runs.length, 1);
  });

  it('unsupported Python inside the code string is exit 2 at the add_node, naming the line of the code', async () => {
    const file = write('opaque.py', NOTE_HEADER + `
def main():
    wf = WorkflowBuilder()
    wf.add_node("PythonCodeNode", "frame", {"code": "import pandas\\nresult = pandas.DataFrame([1])"})
    LocalRuntime().execute(wf.build())
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.equal(r.error?.line, 15);
    assert.match(r.error!.message, /line 2 of the code of PythonCodeNode 'frame'/);
  });

  it("the code's top-level names are exec locals: functions defined in it do not see them (NameError, as in CPython)", async () => {
    const file = write('scopes.py', NOTE_HEADER + `
def main():
    wf = WorkflowBuilder()
    wf.add_node("PythonCodeNode", "ok", {"code": "def f(v):\\n    return v * 2\\nresult = [f(items[0]), f(items[1])]"})
    wf.add_node("PythonCodeNode", "bad", {"code": "def g():\\n    return items\\nresult = g()"})
    results, _ = LocalRuntime().execute(wf.build(), parameters={"ok": {"items": [1, 2]}, "bad": {"items": [3]}})
    print(results["ok"]["result"], results["bad"]["error_type"], results["bad"]["error"].split("\\n")[0])
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.log, ["[2, 4] NodeExecutionError Code execution failed: name 'items' is not defined"]);
  });
});
