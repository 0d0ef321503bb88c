// LocalRuntime / AsyncLocalRuntime(conditional_execution="skip_branches") with a SwitchNode, run by
// the embedded runtime and compared with what kailash 2.63 / DataFlow 2.20 returned for the same
// file (recordings made with ../shared/oracle: oracle.sh skip_branches.py FUNC), on PGlite and on
// PostgreSQL: the switch and its ancestors first, then only the reachable nodes; pruned nodes are
// absent from the results and their DataFlow statements never run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend, scratchWriter } from '../backends';
import { NOTE_HEADER } from './noteHeader';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'runtime', 'skipbranches');
const FILE = path.join(FIXTURES, 'skip_branches.py');

interface Recording {
  runs: Array<{ results?: Record<string, unknown>; error?: { type: string; message: string } }>;
}

function recording(func: string): Recording {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'recordings', `${func}.json`), 'utf8')) as Recording;
}

/**
 * Volatile values out (timestamps, the query cache's key and time); a node's DataFlow error text
 * (DataFlow's own formatted message, not this feature) reduced to its presence; keys sorted.
 */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) {
      const x = o[k];
      if (k === '_exception') continue;
      if (k === 'created_at' || k === 'updated_at') out[k] = typeof x === 'string' ? '<ts>' : x;
      else if (k === '_cache' && x && typeof x === 'object') out[k] = { hit: (x as Record<string, unknown>).hit, source: (x as Record<string, unknown>).source };
      else if (k === 'error' && o.success === false) out[k] = typeof x === 'string' ? '<error>' : x;
      // A failed node's entry: its error text up to the traceback (the oracle's has the oracle's own paths).
      else if (k === 'error' && o.failed === true && typeof x === 'string') out[k] = x.split('\n')[0];
      else out[k] = normalise(x);
    }
    return out;
  }
  return v;
}


const RECORDED = [
  'true_branch', 'false_branch', 'route_data_false_branch', 'async_false_branch', 'merge_after_branches',
  'independent_node', 'list_condition_template', 'unwired_input', 'no_switch_skip', 'dotted_port', 'failing_leaf_in_branch',
];

filesOnEachBackend('conditional_execution="skip_branches" against kailash 2.63 recordings', (run) => {
  for (const func of RECORDED) {
    it(`${func}: the same results in the same order (pruned nodes absent), then the same rows, as the real runtime`, async () => {
      const rec = recording(func);
      const r = await run({ file: FILE, entry: func });
      assert.equal(r.exitCode, 0, JSON.stringify(r.error));
      assert.equal(r.runs.length, rec.runs.length);
      rec.runs.forEach((expected, i) => {
        assert.equal(r.runs[i].error, undefined, JSON.stringify(r.runs[i].error));
        // Execution order: the results dict's insertion order.
        assert.deepEqual(Object.keys(r.runs[i].results), Object.keys(expected.results!));
        assert.deepEqual(normalise(r.runs[i].results), normalise(expected.results));
      });
    });
  }

  it('pruned nodes are rows marked skipped that sent no statement; the branch taken sent its INSERT', async () => {
    const r = await run({ file: FILE, entry: 'false_branch' });
    const rows = Object.fromEntries(r.runs[0].nodes.map((n) => [n.id, n]));
    assert.equal(rows.urgent.skipped, true);
    assert.equal(rows.urgent.statements, 0);
    assert.equal(rows.after_urgent.skipped, true);
    assert.equal(rows.normal.skipped, undefined);
    assert.ok(rows.normal.statements > 0);
  });

  it('AsyncLocalRuntime with skip_branches runs its two phases one node at a time, as kailash does: no concurrency divergence', async () => {
    const r = await run({ file: FILE, entry: 'async_false_branch' });
    assert.ok(!r.divergences.some((d) => d.code === 'async-runtime-sequential'));
  });

  it('a multi-case SwitchNode (no true_output/false_output: kailash falls back to re-running the whole workflow) is exit 2 at the execute call', async () => {
    const r = await run({ file: FILE, entry: 'switch_cases_skip' });
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.match(r.error!.message, /skip_branches.*true_output\/false_output/);
    assert.equal(r.error?.line, 102);
  });
});

const write = scratchWriter('skipbranches-');


filesOnEachBackend('skip_branches cases kailash answers with a fallback re-run (not modelled)', (run) => {
  it('two SwitchNodes (HierarchicalSwitchExecutor) are exit 2 at the execute call, before any statement', async () => {
    const file = write('two.py', NOTE_HEADER + `
def main():
    wf = WorkflowBuilder()
    wf.add_node("SwitchNode", "a", {"condition_field": "ok", "value": True})
    wf.add_node("SwitchNode", "b", {"condition_field": "ok", "value": True})
    wf.add_node("NoteCreateNode", "c", {"text": "x"})
    wf.add_connection("a", "true_output", "b", "input_data")
    wf.add_connection("b", "true_output", "c", "trigger")
    LocalRuntime(conditional_execution="skip_branches").execute(wf.build(), parameters={"a": {"input_data": {"ok": True}}})
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.match(r.error!.message, /more than one SwitchNode/);
    assert.equal(r.error?.line, 20);
  });

  it('a SwitchNode whose ancestor failed in phase 1 (kailash falls back to a full route_data re-run) is exit 2', async () => {
    const file = write('failed.py', NOTE_HEADER + `
def main():
    wf = WorkflowBuilder()
    wf.add_node("PythonCodeNode", "src", {"code": "raise ValueError('no')"})
    wf.add_node("SwitchNode", "route", {"condition_field": "ok", "value": True})
    wf.add_connection("src", "result", "route", "input_data")
    LocalRuntime(conditional_execution="skip_branches").execute(wf.build())
`);
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 2, JSON.stringify(r.error));
    assert.match(r.error!.message, /SwitchNode failed or has no true_output\/false_output/);
  });
});
