import * as path from 'node:path';
import * as fs from 'node:fs';
// Whole Python files run end to end through the evaluator and the DataFlow runtime, on PGlite and
// on the real PostgreSQL: the idioms of reference §9, entry points, errors with locations, bounds.
import * as assert from 'node:assert/strict';
import { filesOnEachBackend, scratchWriter } from '../backends';

const write = scratchWriter('dataflow-runfile-');

const MODELS = `
from dataflow import DataFlow

db = DataFlow("postgresql://app@localhost:5432/shop", pool_size=20, pool_max_overflow=30)


@db.model
class Product:
    name: str
    category: str = "misc"
    price: float = 0.0
    __dataflow__ = {"indexes": [{"name": "idx_products_category", "fields": ["category"]}]}
`;

const JOBS = `
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from models import db


def load(n, category="tools"):
    wf = WorkflowBuilder()
    for i in range(n):
        wf.add_node("ProductCreateNode", f"create_{i}", {"name": f"p{i}", "category": category, "price": i * 2.5})
    data = [{"name": f"bulk{i}", "category": "bulk", "price": 1.0} for i in range(5)]
    wf.add_node("ProductBulkCreateNode", "bulk", {"data": data, "batch_size": 2})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(wf.build())
    print("ids", [results[f"create_{i}"]["id"] for i in range(n)])

    # Results read back into a second workflow.
    wf2 = WorkflowBuilder()
    wf2.add_node("ProductListNode", "tools", {"filter": {"category": category}, "order_by": ["price"], "limit": 100})
    listed, _ = runtime.execute(wf2.build())
    ids = [r["id"] for r in listed["tools"]["records"]]
    wf3 = WorkflowBuilder()
    wf3.add_node("ProductBulkDeleteNode", "purge", {"filter": {"id": {"$in": ids[:2]}}})
    deleted, _ = runtime.execute(wf3.build())
    print("deleted", deleted["purge"]["deleted"], "of", len(ids))
    return deleted


async def express_demo():
    await db.express.create("Product", {"name": "x", "category": "express", "price": 9.5})
    rows = await db.express.list("Product", {"category": "express"})
    print("express", len(rows), rows[0]["price"])


if __name__ == "__main__":
    load(3)
`;


filesOnEachBackend('runFile', (run, db) => {
  write('models.py', MODELS);
  const jobs = write('jobs.py', JOBS);

  it('runs the __main__ block: loop of creates with f-string ids, a comprehension into BulkCreate, results into a second workflow', async () => {
    const r = await run({ file: jobs });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(r.exitCode, 0);
    assert.equal(r.entry, '__main__');
    // DataFlow runs unconnected nodes in sorted-id order: "bulk" (5 rows) before "create_0".
    assert.deepEqual(r.log, ['ids [6, 7, 8]', 'deleted 2 of 3']);
    assert.equal(r.runs.length, 3);
    const first = r.runs[0];
    assert.deepEqual(first.nodes.map((n) => n.id), ['bulk', 'create_0', 'create_1', 'create_2']);
    assert.deepEqual(first.results.create_1, { name: 'p1', category: 'tools', price: 2.5, id: 7 });
    assert.equal((first.results.bulk as { inserted: number }).inserted, 5);
    assert.equal(first.nodes.find((n) => n.id === 'bulk')!.statements, 3, 'batch_size 2 → 3 INSERTs');
    const loc = first.nodes.find((n) => n.id === 'create_2')!.location!;
    assert.equal(loc.line, 10);
    assert.equal(loc.function, 'load');
    assert.deepEqual(loc.loops, [{ kind: 'for', line: 9, iteration: 2 }]);
    assert.equal(r.tables.products, 6);
  });

  it('calls a function with arguments, and the express API', async () => {
    const r = await run({ file: jobs, entry: 'load', args: { n: 2, category: 'garden' } });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.log, ['ids [6, 7]', 'deleted 2 of 2']);
    const e = await run({ file: jobs, entry: 'express_demo' });
    assert.equal(e.exitCode, 0, JSON.stringify(e.error));
    assert.deepEqual(e.log, ['express 1 9.5']);
  });

  it('gives the file the command line it is run with (sys.argv), and none by default, as `python file.py` would', async () => {
    const cli = write('cli_main.py', `
import sys
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from models import db

if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("Usage: cli_main.py add NAME")
        sys.exit(1)
    wf = WorkflowBuilder()
    wf.add_node("ProductCreateNode", "add", {"name": " ".join(sys.argv[2:]), "category": sys.argv[1]})
    results, _ = LocalRuntime().execute(wf.build())
    print(results["add"]["name"], results["add"]["category"])
`);
    const bare = await run({ file: cli });
    assert.equal(bare.exitCode, 1, 'the script itself exits 1 without arguments');
    assert.equal(bare.error?.type, 'SystemExit');
    assert.deepEqual(bare.log, ['Usage: cli_main.py add NAME']);
    const r = await run({ file: cli, argv: ['tools', 'big', 'hammer'] });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.log, ['big hammer tools']);
  });

  it('DataFlow(multi_tenant=True) with no tenant bound: a node or an express call fails as DataFlow refuses it (exit 1), never runs unscoped', async () => {
    const tenants = write('tenants.py', `
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://app@localhost/saas", multi_tenant=True)


@db.model
class Invoice:
    number: str
    total: float = 0.0


def by_workflow():
    wf = WorkflowBuilder()
    wf.add_node("InvoiceCreateNode", "add", {"number": "A-1", "total": 9.5})
    results, _ = LocalRuntime().execute(wf.build())
    return results


async def by_express():
    return await db.express.create("Invoice", {"number": "A-2"})
`);
    // DataFlow 2.20's texts (recorded with the oracle; see test/runtime/run/tenancy.test.ts for the rest).
    const refusal = 'Tenant isolation failed for Invoice: multi_tenant=True but no tenant is bound to the current context. Bind one via db.tenant_context.switch(tenant_id) before this operation. Refusing to execute an unscoped query (potential cross-tenant leak).';
    const expected: Record<string, [string, string]> = {
      by_workflow: ['RuntimeExecutionError', `Unified enterprise workflow execution failed: WorkflowExecutionError: Content-aware failure in node 'add': Node 'add' reported failure: ${refusal}`],
      by_express: ['RuntimeError', `express.create failed for model 'Invoice': ${refusal}`],
    };
    for (const [entry, [type, message]] of Object.entries(expected)) {
      const r = await run({ file: tenants, entry });
      assert.equal(r.exitCode, 1, `${entry}: ${JSON.stringify(r.error)}`);
      assert.equal(r.error!.type, type);
      assert.equal(r.error!.message, message);
      assert.equal(r.error!.file, tenants);
      assert.equal(r.tables.invoices ?? 0, 0, 'nothing was written unscoped');
    }
  });

  it('a package layout without project markers: `shop/jobs.py` imports `shop.models` from the folder above the package (issue 10 §2.10); a missing submodule of it is ModuleNotFoundError at its line', async () => {
    const anchor = write('layout-anchor.txt', '');
    const top = fs.mkdtempSync(path.join(path.dirname(anchor), 'layout-'));
    fs.mkdirSync(path.join(top, 'shop'));
    fs.writeFileSync(path.join(top, 'shop', '__init__.py'), '');
    fs.writeFileSync(path.join(top, 'shop', 'models.py'), 'from dataflow import DataFlow\ndb = DataFlow("postgresql://app@localhost/shop")\n\n@db.model\nclass Order:\n    label: str\n');
    const jobs = path.join(top, 'shop', 'jobs.py');
    fs.writeFileSync(jobs, 'from kailash.runtime.local import LocalRuntime\nfrom kailash.workflow.builder import WorkflowBuilder\nfrom shop.models import db\n\ndef fn():\n    wf = WorkflowBuilder()\n    wf.add_node("OrderCreateNode", "c", {"label": "x"})\n    results, _ = LocalRuntime().execute(wf.build())\n    return results["c"]["id"]\n');
    const ok = await run({ file: jobs, entry: 'fn' });
    assert.equal(ok.exitCode, 0, JSON.stringify(ok.error));
    assert.equal(ok.returned, 1);
    const broken = path.join(top, 'shop', 'broken.py');
    fs.writeFileSync(broken, 'import os\nfrom shop.nothere import db\n\ndef fn():\n    return 1\n');
    const bad = await run({ file: broken, entry: 'fn' });
    assert.equal(bad.exitCode, 1);
    assert.equal(bad.error?.type, 'ModuleNotFoundError');
    assert.equal(bad.error?.message, "No module named 'shop.nothere'");
    assert.equal(bad.error?.line, 2);
  });

  it('transaction nodes act through workflow_context\'s DataFlow instance: nodes of every instance on that database join its transaction; another database is unsupported (exit 2); without the context the scope fails as in DataFlow', async () => {
    const twoDbs = write('two_instances_tx.py', `
from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://app@localhost/shop")


@db.model
class Order:
    label: str


other = DataFlow("postgresql://app@localhost/shop")


@other.model
class Audit:
    note: str


elsewhere = DataFlow(":memory:")


@elsewhere.model
class Stock:
    sku: str


def workflow(node_type, values, last):
    wf = WorkflowBuilder()
    wf.add_node("TransactionScopeNode", "begin", {})
    wf.add_node(node_type, "write", values)
    wf.add_node(last, "end", {})
    wf.add_connection("begin", "transaction_id", "write", "transaction_id")
    wf.add_connection("write", "id", "end", "trigger")
    return wf.build()


def rolled_back_across_instances():
    runtime = LocalRuntime()
    runtime.execute(workflow("OrderCreateNode", {"label": "a"}, "TransactionRollbackNode"), parameters={"workflow_context": {"dataflow_instance": other}})
    runtime.execute(workflow("AuditCreateNode", {"note": "kept"}, "TransactionCommitNode"), parameters={"workflow_context": {"dataflow_instance": db}})


def other_database():
    LocalRuntime().execute(workflow("StockCreateNode", {"sku": "x"}, "TransactionCommitNode"), parameters={"workflow_context": {"dataflow_instance": db}})


def without_context():
    results, _ = LocalRuntime().execute(workflow("OrderCreateNode", {"label": "b"}, "TransactionCommitNode"))
    return results
`);
    const joined = await run({ file: twoDbs, entry: 'rolled_back_across_instances' });
    assert.equal(joined.exitCode, 0, JSON.stringify(joined.error));
    assert.equal(joined.tables.orders ?? 0, 0, 'the Order write of db was rolled back with the scope other opened');
    assert.equal(joined.tables.audits, 1, 'the Audit write of other was committed with the scope db opened');
    const elsewhere = await run({ file: twoDbs, entry: 'other_database' });
    assert.equal(elsewhere.exitCode, 2, JSON.stringify(elsewhere.error));
    assert.match(elsewhere.error!.message, /`StockCreateNode` runs inside a transaction opened on another database/);
    const bare = await run({ file: twoDbs, entry: 'without_context' });
    assert.equal(bare.exitCode, 1, JSON.stringify(bare.error));
    assert.equal(bare.error!.message, "Unified enterprise workflow execution failed: WorkflowExecutionError: Node 'begin' failed: DataFlow instance not found in workflow context. Ensure the workflow is executed with a DataFlow instance in context.");
    assert.equal(bare.tables.orders ?? 0, 0);
  });

  it('a Kailash-only workflow (no DataFlow instance) runs on the run\'s database, saying so (its results: dataflowAttrs.test.ts)', async () => {
    const raw = write('raw_sql.py', `
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime


def count_users():
    wf = WorkflowBuilder()
    wf.add_node("AsyncSQLDatabaseNode", "q", {"connection_string": "postgresql://app@localhost/app", "query": "SELECT 1 AS one"})
    results, _ = LocalRuntime().execute(wf.build())
    return results["q"]
`);
    const r = await run({ file: raw, entry: 'count_users' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.equal(r.runs.length, 1);
    assert.ok(r.notes.some((n) => /A workflow ran before any DataFlow\(\.\.\.\) was created/.test(n)), JSON.stringify(r.notes));
  });

  it('reports a missing argument as a usage error (exit 2)', async () => {
    const r = await run({ file: jobs, entry: 'load' });
    assert.equal(r.exitCode, 2);
    assert.match(r.error!.message, /n/);
  });

  it('a failing workflow: exit 1 with DataFlow\'s error, the run recorded with it', async () => {
    const f = write('failing.py', `${MODELS}
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

wf = WorkflowBuilder()
wf.add_node("ProductCreateNode", "a", {"name": "a"})
wf.add_node("ProductBulkDeleteNode", "purge", {"filter": {}})
LocalRuntime().execute(wf.build())
`);
    const r = await run({ file: f });
    assert.equal(r.exitCode, 1);
    assert.equal(r.error!.type, 'RuntimeExecutionError');
    assert.match(r.error!.message, /Content-aware failure in node 'purge'.*empty filter requires confirmed=True/);
    assert.equal(r.error!.line, 20);
    assert.equal(r.runs.length, 1);
    assert.ok(r.runs[0].error);
  });

  it('unsupported Python: exit 2 with file, line and column', async () => {
    const f = write('unsupported.py', 'import pandas as pd\n\nframe = pd.DataFrame()\n');
    const r = await run({ file: f });
    assert.equal(r.exitCode, 2);
    assert.equal(r.error!.type, 'UnsupportedPythonError');
    assert.equal(r.error!.file, f);
    assert.equal(r.error!.line, 3);
  });

  it('a runaway loop stops at the bound with its location', async () => {
    const f = write('runaway.py', 'n = 0\nwhile True:\n    n += 1\n');
    const r = await run({ file: f, limits: { maxIterations: 10000 } });
    assert.equal(r.exitCode, 1);
    assert.equal(r.error!.type, 'EvaluationLimitError');
    assert.equal(r.error!.line, 2);
  });

  it('DataFlow() without a URL runs on the embedded database with a note; seeding fills the tables', async () => {
    const f = write('nourl.py', `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow()


@db.model
class Item:
    label: str
    qty: int = 0


wf = WorkflowBuilder()
wf.add_node("ItemCountNode", "n", {})
results, _ = LocalRuntime().execute(wf.build())
print(results["n"]["count"])
`);
    const r = await run({ file: f, seedRows: 250, seedAllowDatabase: db().description });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.match(r.notes.join('\n'), /in-memory SQLite/);
    assert.deepEqual(r.seeded, { Item: 250 });
    assert.deepEqual(r.log, ['250']);
  });

  it('an upsert on a non-unique conflict_on: a SQLite URL is unsupported (DataFlow pre-checks there), a PostgreSQL URL fails the node as DataFlow does', async () => {
    const body = (url: string) => `from dataflow import DataFlow
from kailash.runtime.local import LocalRuntime
from kailash.workflow.builder import WorkflowBuilder

db = DataFlow("${url}")


@db.model
class Member:
    email: str
    name: str


def main():
    wf = WorkflowBuilder()
    wf.add_node("MemberUpsertNode", "up", {"where": {"email": "a@x"}, "conflict_on": ["email"], "update": {"name": "A2"}, "create": {"email": "a@x", "name": "A"}})
    results, _ = LocalRuntime().execute(wf.build())
    return results
`;
    const sqlite = await run({ file: write('upsert_sqlite.py', body('sqlite:///members.db')), entry: 'main' });
    assert.equal(sqlite.exitCode, 2, JSON.stringify(sqlite.error));
    assert.match(sqlite.error!.message, /`MemberUpsertNode` with conflict_on \[email\] \(no unique constraint\) on a SQLite URL/);
    assert.equal(sqlite.tables.members ?? 0, 0, 'nothing was written');
    const pg = await run({ file: write('upsert_pg.py', body('postgresql://app@localhost/shop')), entry: 'main' });
    // A failing node without dependents: a failed entry in the results, the run goes on (exit 0).
    assert.equal(pg.exitCode, 0, JSON.stringify(pg.error));
    const up = pg.runs[0].results.up as { failed?: boolean; error?: string };
    assert.equal(up.failed, true);
    assert.match(String(up.error), /UpsertConflictTargetError: conflict_on \[email\] of Member is not backed by a PRIMARY KEY or UNIQUE constraint/);
  });

  it('workflow.connections = [...] replaces the list (read back as assigned); building from it is unsupported, not made up', async () => {
    const file = write('replace_connections.py', `from kailash.workflow.builder import WorkflowBuilder


def read_back():
    wf = WorkflowBuilder()
    wf.connections = [{"source_node": "a", "source_parameter": "x", "target_node": "b", "target_parameter": "y"}]
    print(wf.connections[0]["target_node"], len(wf.connections))


def build_after():
    wf = WorkflowBuilder()
    wf.connections = []
    return wf.build()
`);
    const r = await run({ file, entry: 'read_back' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.log, ['b 1']);
    const b = await run({ file, entry: 'build_after' });
    assert.equal(b.exitCode, 2, JSON.stringify(b.error));
    assert.match(b.error!.message, /WorkflowBuilder\.build\(\) after `workflow\.connections` was replaced by assignment/);
  });

  it('the log holds one entry per print() call, a printed string\'s own trailing newline kept (joined, it is CPython\'s stdout)', async () => {
    const file = write('prints.py', 'def main():\n    print("A")\n    print("""\nx\n""")\n    print("B\\n")\n    print("\\nC", end="")\n    print("!", "?", sep="-")\n');
    const r = await run({ file, entry: 'main' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.log, ['A', '\nx\n', 'B\n', '\nC', '!-?']);
  });
});
