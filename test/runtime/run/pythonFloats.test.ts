// Issue 10 §2.6: a Python float stays a float from the evaluator through DataFlow's values (node
// parameters, the query-cache key's str(value), REAL columns' results, other nodes' outputs) to the
// run document and `--json`, which prints numbers as Python's json.dumps does (8.0, 1e+16, 1e-05).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { filesOnEachBackend, scratchWriter } from '../backends';
import { stringifyRunJson } from '../../../server/src/cli/pythonJson';

const write = scratchWriter('dataflow-floats-');

const FILE = `
from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("postgresql://app@localhost:5432/floats")


@db.model
class Gauge:
    name: str
    reading: float = 0.0
    count: int = 0


def main():
    runtime = LocalRuntime()
    wf = WorkflowBuilder()
    wf.add_node("GaugeCreateNode", "one", {"name": "a", "reading": 8.0, "count": 8})
    wf.add_node("GaugeCreateNode", "two", {"name": "b", "reading": 2.5, "count": 3})
    runtime.execute(wf.build())
    wf = WorkflowBuilder()
    wf.add_node("GaugeListNode", "above", {"filter": {"reading": {"$gte": 5.0}}})
    wf.add_node("PythonCodeNode", "calc", {"code": "result = {'total': 4.0, 'ratio': 0.00001, 'big': 1e16, 'n': 4, 'list': [1.0, 2]}"})
    results, _ = runtime.execute(wf.build())
    seen = results["above"]["records"][0]["reading"]
    return {"seen": seen, "repr": repr(seen), "whole": 3.0, "int": 3, "neg": -0.0}


def specials():
    return {"inf": float("inf"), "ninf": float("-inf"), "nan": float("nan"), "text": "inf"}
`;

filesOnEachBackend('Python floats through the runtime and --json (issue 10 §2.6)', (run) => {
  it('the query-cache key hashes str(5.0) as DataFlow does; REAL results, node outputs and the entry\'s return print as Python prints them', async () => {
    const r = await run({ file: write('floats_case.py', FILE), entry: 'main' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    const list = r.runs[1].results.above as { records: Record<string, unknown>[]; _cache: { key: string } };
    // DataFlow's CacheKeyGenerator: sha256(json.dumps({"params": [...], "sql": ...}, sort_keys=True))[:16];
    // json.dumps writes the float parameter 5.0 as 5.0 (the int 5 would hash differently).
    const sql = 'SELECT * FROM "gauges" WHERE "reading" >= $1 ORDER BY "id" DESC LIMIT $2 OFFSET $3';
    const hash = (p: string) => createHash('sha256').update(`{"params": [${p}, 10, 0], "sql": "${sql.replace(/"/g, '\\"')}"}`).digest('hex').slice(0, 16);
    assert.ok(list._cache.key.endsWith(`:v2:${hash('5.0')}`), `${list._cache.key} hashes 5.0 (5 would be ${hash('5')})`);
    // In the evaluator the REAL column's value is a float.
    assert.deepEqual(r.returned, { seen: 8, repr: '8.0', whole: 3, int: 3, neg: -0 });
    const text = stringifyRunJson(r);
    assert.match(text, /"reading": 8\.0,/);
    assert.match(text, /"reading": 2\.5,/);
    assert.match(text, /"count": 8,/);
    assert.match(text, /"total": 4\.0,/);
    assert.match(text, /"ratio": 1e-05,/);
    assert.match(text, /"big": 1e\+16,/);
    assert.match(text, /"n": 4,/);
    assert.match(text, /"list": \[\s*1\.0,\s*2\s*\]/);
    assert.match(text, /"seen": 8\.0,/);
    assert.match(text, /"whole": 3\.0,/);
    assert.match(text, /"int": 3,/);
    assert.match(text, /"neg": -0\.0\s/);
    assert.match(text, /"id": 1,/);
    // The same document otherwise (-0.0 reads back as -0, which JSON.stringify writes 0).
    assert.equal(JSON.stringify(JSON.parse(text)), JSON.stringify(r));
  });

  it('inf and nan: the run document holds their repr (\'inf\', as the oracle writes them), --json prints json.dumps\'s Infinity / NaN; a string "inf" stays a string', async () => {
    const r = await run({ file: write('floats_specials.py', FILE), entry: 'specials' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.returned, { inf: 'inf', ninf: '-inf', nan: 'nan', text: 'inf' });
    const text = stringifyRunJson(r);
    assert.match(text, /"inf": Infinity,/);
    assert.match(text, /"ninf": -Infinity,/);
    assert.match(text, /"nan": NaN,/);
    assert.match(text, /"text": "inf"\s/);
  });
});
