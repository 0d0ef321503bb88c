// How AsyncLocalRuntime fails, compared with what kailash 2.63 / DataFlow 2.20 did for the same
// file (recordings made with ../shared/oracle: oracle.sh async_failures.py FUNC), on PGlite and on
// PostgreSQL: the exception type and text ("Node 'x' execution failed" / "Sync node 'x' execution
// failed", raised as it is), that a falsy `success` does not stop it, that it does not check
// required inputs up front, and what its results dict holds.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend } from '../backends';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'runtime', 'asyncfailures');
const FILE = path.join(FIXTURES, 'async_failures.py');

interface RecordedError {
  type: string;
  message: string;
}
interface Recording {
  runs: Array<{ results?: Record<string, unknown>; error?: RecordedError }>;
  raised?: RecordedError;
  return?: unknown;
}

function recording(func: string): Recording {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'recordings', `${func}.json`), 'utf8')) as Recording;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** Timestamps vary between runs; the query cache's key and time are not what these tests are about. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== '_cache' && k !== '_exception')
        .map(([k, x]) => [k, (k === 'created_at' || k === 'updated_at') && x ? '<ts>' : normalise(x)]),
    );
  }
  return v;
}

/**
 * Failures whose whole first line the runtime reproduces: kailash's wrapper around a
 * PythonCodeNode's own message.
 */
const SAME_TEXT = ['code_raises_alone', 'execute_from_async_context', 'code_unserializable_output_mixed', 'code_raises_leaf_in_mixed', 'sync_execute_raises', 'execute_async_raises', 'success_false_local_runtime', 'missing_required_input_local'];

/**
 * Failures of a DataFlow node: DataFlow's own text there is its ErrorEnhancer's catalogue entry
 * (DF-703 ...), which the runtime does not reproduce; kailash's part of the message — the
 * exception type and the "Node 'read' execution failed: " it puts in front — is asserted.
 */
const KAILASH_PREFIX = ['dataflow_node_raises', 'dataflow_node_raises_with_dependent'];

filesOnEachBackend('AsyncLocalRuntime failures against kailash 2.63 recordings', (run) => {
  for (const func of SAME_TEXT) {
    it(`${func}: the same exception, type and first line, at the same run`, async () => {
      const rec = recording(func);
      const r = await run({ file: FILE, entry: func });
      assert.equal(r.runs.length, rec.runs.length, JSON.stringify(r.error));
      rec.runs.forEach((expected, i) => {
        if (!expected.error) return;
        assert.equal(r.runs[i].error?.type, expected.error.type);
        assert.equal(firstLine(r.runs[i].error!.message), firstLine(expected.error.message));
      });
      if (rec.raised) {
        assert.equal(r.exitCode, 1);
        assert.equal(r.error?.type, rec.raised.type);
        assert.equal(firstLine(r.error!.message), firstLine(rec.raised.message));
      } else assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    });
  }

  for (const func of KAILASH_PREFIX) {
    it(`${func}: WorkflowExecutionError raised as it is, with kailash's "Node 'read' execution failed: "`, async () => {
      const rec = recording(func);
      const r = await run({ file: FILE, entry: func });
      assert.equal(r.exitCode, 1);
      assert.equal(r.runs.length, 1);
      assert.equal(r.error?.type, rec.raised!.type);
      const prefix = "Node 'read' execution failed: ";
      assert.ok(rec.raised!.message.startsWith(prefix));
      assert.ok(r.error!.message.startsWith(prefix), r.error!.message);
      assert.equal(r.runs[0].error?.node, 'read');
    });
  }

  it('a falsy `success` does not stop the run: the same results dict (connections to a missing key get the whole output)', async () => {
    const rec = recording('success_false_goes_on');
    const r = await run({ file: FILE, entry: 'success_false_goes_on' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(normalise(r.runs[0].results), normalise(rec.runs[0].results));
  });

  it("kailash's exception classes have their bases: except WorkflowException / RuntimeException / KailashException catch what was raised", async () => {
    const rec = recording('caught_by_base_class');
    const r = await run({ file: FILE, entry: 'caught_by_base_class' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.runs.length, rec.runs.length);
    // The function prints what it returns; Python's repr of the recorded list.
    const pyRepr = (v: unknown): string => (Array.isArray(v) ? `[${v.map(pyRepr).join(', ')}]` : typeof v === 'string' ? `'${v}'` : v ? 'True' : 'False');
    assert.deepEqual(r.log, [pyRepr(rec.return)]);
  });

  it('inputs: a node-id key goes to that node, every other key to every node, over the config', async () => {
    const rec = recording('workflow_level_inputs_reach_every_node');
    const r = await run({ file: FILE, entry: 'workflow_level_inputs_reach_every_node' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(normalise(r.runs[0].results), normalise(rec.runs[0].results));
  });

  it('a node that raises stops the run and is caught as WorkflowExecutionError; the node before it has written its row', async () => {
    const rec = recording('code_raises_leaf_in_mixed');
    const r = await run({ file: FILE, entry: 'code_raises_leaf_in_mixed' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.runs.length, 2);
    assert.equal(r.runs[0].error?.type, rec.runs[0].error!.type);
    assert.deepEqual(normalise(r.runs[1].results), normalise(rec.runs[1].results));
  });

  it('node parameters are overwritten by connections; "result" connects the whole output', async () => {
    const rec = recording('code_raises_after_create');
    const r = await run({ file: FILE, entry: 'code_raises_after_create' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    const got = normalise(r.runs[0].results) as Record<string, Record<string, unknown>>;
    const want = normalise(rec.runs[0].results) as Record<string, Record<string, unknown>>;
    assert.deepEqual(got.create, want.create);
    assert.deepEqual(got.boom, want.boom);
    // `later` got {"result": ...} for its int field: DataFlow reports asyncpg's bind error, the runtime PostgreSQL's.
    assert.equal(got.later.success, false);
    assert.equal(want.later.success, false);
  });

  it('no up-front "missing required inputs": the create node itself reports the missing field with success False', async () => {
    const rec = recording('missing_required_input');
    const r = await run({ file: FILE, entry: 'missing_required_input' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    const got = r.runs[0].results.create as Record<string, unknown>;
    const want = rec.runs[0].results!.create as Record<string, unknown>;
    assert.deepEqual(Object.keys(got), Object.keys(want));
    assert.equal(got.success, want.success);
    assert.match(String(got.error), /age/);
  });

  it('a caught failure leaves the runtime usable: the next workflow runs', async () => {
    const rec = recording('caught_and_continued');
    const r = await run({ file: FILE, entry: 'caught_and_continued' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.runs[0].error?.type, rec.runs[0].error!.type);
    assert.deepEqual(normalise(r.runs[1].results), normalise(rec.runs[1].results));
  });
});
