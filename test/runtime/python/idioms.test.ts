// End-to-end: the DataFlow fixture files and §9 idioms, evaluated against the fake host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PyException, PyValue, listEntryPoints, toPlain } from '../../../server/src/runtime/python';
import { Recorder, fakeHostModules } from './fakeHost';
import { evaluate, rejects } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/rules');

async function runFixture(rel: string, call?: string, args?: Record<string, unknown>) {
  const rec = new Recorder();
  const file = path.join(FIXTURES, rel);
  const dir = path.dirname(file);
  const source = fs.readFileSync(file, 'utf8');
  const r = await evaluate(source, {
    fileName: rel,
    hostModules: fakeHostModules(rec),
    call,
    args,
    env: {},
    resolveModule: (name) => {
      const p = path.join(dir, name.replace(/\./g, '/') + '.py');
      return fs.existsSync(p) ? { source: fs.readFileSync(p, 'utf8'), fileName: path.relative(FIXTURES, p) } : undefined;
    },
  });
  r.dispose();
  return { rec, r };
}

describe('python evaluator: DataFlow idioms end to end (fixtures)', () => {
  it('bulk-loop/fstring_ids_range.py: seed() builds 1,000 nodes in a loop and executes them', async () => {
    const { rec } = await runFixture('bulk-loop/fstring_ids_range.py', 'seed');
    assert.equal(rec.nodes.length, 1000);
    assert.equal(rec.nodes[999].id, 'create_product_999');
    assert.deepEqual(rec.nodes[3].config, { name: 'p3', price: 4.5 });
    assert.deepEqual(rec.nodes[3].site.loops.map((l) => [l.kind, l.line, l.iteration, l.function]), [['for', 17, 3, 'seed']]);
    assert.equal(rec.executions.length, 1);
    assert.deepEqual(rec.events, ['enter', 'exit:none']);
    assert.deepEqual(rec.models.map((m) => m.annotations.map((a) => a.source)), [['str', 'float']]);
  });

  it('bulk-loop/comprehension_and_while.py: comprehension, while and nested loops', async () => {
    const { rec } = await runFixture('bulk-loop/comprehension_and_while.py');
    assert.equal(rec.nodes.length, 6 + 10 + 20);
    assert.deepEqual(rec.nodes.slice(0, 6).map((n) => n.site.loops[0].kind), Array(6).fill('comprehension'));
    assert.deepEqual(rec.nodes[6 + 9].site.loops.map((l) => [l.kind, l.line, l.iteration]), [['while', 17, 9]]);
    const last = rec.nodes[rec.nodes.length - 1];
    assert.equal(last.id, 'grid_3_4');
    assert.deepEqual(last.site.loops.map((l) => [l.line, l.iteration]), [[21, 3], [22, 4]]);
  });

  it('bulk-loop/enumerate_literal_list.py, config_in_variable.py, keyword_add_node.py, negatives.py', async () => {
    assert.equal((await runFixture('bulk-loop/enumerate_literal_list.py')).rec.nodes.length, 3);
    const cfg = await runFixture('bulk-loop/config_in_variable.py', 'load');
    assert.equal(cfg.rec.nodes.length, 250);
    assert.equal(cfg.rec.nodes[249].id, 'upsert_249');
    assert.deepEqual(cfg.rec.nodes[2].config, { where: { name: 'p2' }, update: { price: 2 }, create: { price: 2 } });
    const kw = await runFixture('bulk-loop/keyword_add_node.py', 'load', { names: ['a', 'b'] });
    assert.deepEqual(kw.rec.nodes.map((n) => [n.type, n.id]), [['ProductCreateNode', 'c_0'], ['ProductCreateNode', 'c_1'], ['ProductDeleteNode', 'd_0'], ['ProductDeleteNode', 'd_1']]);
    const neg = await runFixture('bulk-loop/negatives.py');
    // ... + the loops of one and zero items added for the 0/1-item negatives (2 nodes at top level).
    assert.equal(neg.rec.nodes.length, 2 + 3 + 3 + 1 + 1 + 1 + 1);
    assert.deepEqual(neg.rec.nodes[0].config, { data: Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}` })), batch_size: 1000 });
    assert.deepEqual(neg.rec.nodes.slice(-3).map((n) => n.id), ['after_loop', 'create_only-one', 'create_0']);
  });

  it('bulk-loop/per_iteration_workflow.py and express_in_loop.py (async)', async () => {
    const per = await runFixture('bulk-loop/per_iteration_workflow.py');
    assert.equal(per.rec.nodes.length, 0, 'import_items is not called at top level');
    const ex = await runFixture('bulk-loop/express_in_loop.py', 'publish', { posts: [{ title: 'a' }, { title: 'b' }] });
    assert.deepEqual(ex.rec.express.map((e) => e.op), ['create', 'create', 'delete', 'delete', 'delete']);
  });

  it('bulk-loop/two_instances.py and models_in_other_file (resolveModule)', async () => {
    const two = await runFixture('bulk-loop/two_instances.py');
    assert.deepEqual(two.rec.models.map((m) => m.name), ['Order', 'ArchivedOrder']);
    assert.equal(two.rec.nodes.length, 10 + 1 + 2);
    assert.equal(two.rec.nodes[11].type, 'OrderUpdateNode');
    const jobs = await runFixture('bulk-loop/models_in_other_file/jobs.py', 'import_customers', { rows: [{ email: 'a' }, { email: 'b' }] });
    assert.deepEqual(jobs.rec.models.map((m) => m.name), ['Customer']);
    assert.deepEqual(jobs.rec.nodes.map((n) => [n.id, n.config]), [['customer_0', { email: 'a' }], ['customer_1', { email: 'b' }]]);
  });

  it('missing-index and read-in-loop fixtures evaluate; models expose __dataflow__ and __indexes__', async () => {
    const lf = await runFixture('missing-index/list_filters.py');
    assert.equal(lf.rec.nodes.length, 10);
    const attrs = lf.rec.models[0].attributes;
    assert.ok(attrs.has('__dataflow__'));
    const bv = await runFixture('missing-index/bulk_and_variables.py');
    assert.ok(bv.rec.models[0].attributes.has('__indexes__'));
    const rl = await runFixture('read-in-loop/read_nodes.py');
    assert.equal(rl.rec.nodes.length, 101);
    assert.deepEqual(rl.rec.nodes[5].config, { record_id: 5 });
    const er = await runFixture('read-in-loop/express_reads.py', 'names', { ids: [4, 5] });
    assert.deepEqual(toPlain(er.r.returnValue as PyValue), ['u4@x', 'u5@x']);
  });

  it('small-pool/pool_settings.py: DataFlow kwargs are evaluated; an undefined helper raises NameError', async () => {
    const e = await rejects(runFixture('small-pool/pool_settings.py'), PyException, /NameError: name 'compute_pool' is not defined/);
    assert.equal(e.traceback[0].line, 18);
  });

  it('every fixture file lists its entry points', async () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of fs.readdirSync(d)) {
        const p = path.join(d, f);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.py')) files.push(p);
      }
    };
    walk(FIXTURES);
    assert.ok(files.length >= 10);
    for (const f of files) {
      const ep = await listEntryPoints(fs.readFileSync(f, 'utf8'));
      assert.equal(ep.hasMainBlock, false);
    }
  });

  it('§9 idioms: per-iteration workflows, spreads, config variables, __main__ with asyncio.run', async () => {
    const rec = new Recorder();
    const src = [
      'import asyncio',
      'from dataflow import DataFlow',
      'from kailash.workflow.builder import WorkflowBuilder',
      'from kailash.runtime.local import LocalRuntime',
      'db = DataFlow("sqlite:///x.db")',
      '@db.model',
      'class Transaction:',
      '    amount: float',
      '    status: str = "new"',
      'transfers = [{"amount": 10.0 * (i + 1)} for i in range(3)]',
      'def run_all():',
      '    runtime = LocalRuntime()',
      '    totals = []',
      '    for i, transfer in enumerate(transfers):',
      '        wf = WorkflowBuilder()',
      '        wf.add_node("TransactionCreateNode", f"tx_{i}", {**transfer, "status": "processing"})',
      '        results, run_id = runtime.execute(wf.build())',
      '        totals.append(results[f"tx_{i}"]["amount"])',
      '    return totals',
      'async def main():',
      '    products = [{"name": f"p{i}", "price": i * 1.5} for i in range(1000)]',
      '    wf = WorkflowBuilder()',
      '    wf.add_node("ProductBulkCreateNode", "import", {"data": products, "batch_size": 1000})',
      '    return run_all()',
      'if __name__ == "__main__":',
      '    print(asyncio.run(main()))',
    ].join('\n');
    const r = await evaluate(src, { hostModules: fakeHostModules(rec), runMain: true });
    assert.equal(r.output, '[10.0, 20.0, 30.0]\n');
    assert.deepEqual(rec.nodes.slice(1).map((n) => [n.id, n.config]), [
      ['tx_0', { amount: 10, status: 'processing' }],
      ['tx_1', { amount: 20, status: 'processing' }],
      ['tx_2', { amount: 30, status: 'processing' }],
    ]);
    assert.equal((rec.nodes[0].config as { data: unknown[] }).data.length, 1000);
    assert.equal(rec.executions.length, 3);
    assert.deepEqual(rec.executions.map((x) => x.site.loops.map((l) => l.iteration)), [[0], [1], [2]]);
  });
});
