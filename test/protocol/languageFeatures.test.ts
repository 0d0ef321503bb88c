// Protocol: DataFlow language features over stdio (issue 11 §3–§4) on a two-file workspace —
// models in models.py, workflows in workflows.py. Hover on node types, models, @db.model, field
// keys, DataFlow(...) keywords and connection node ids; go to definition; find references; rename
// of a model (the WorkspaceEdit applied and re-analysed); document and workspace symbols; the
// measured times of a profile run in the hover; half-typed code answers null, never an error.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type DocumentSymbol, type Hover, type Location, type Position, type SymbolInformation, type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { LspClient, fileUri, positionAt, textIn, applyWorkspaceEdit, codesOf } from '../helpers/lspClient';
import { tempDir, removeDir, writeFiles, offsetOf } from './fixtures';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'language');

export const LF_MODELS_PY = `from dataflow import DataFlow

db = DataFlow("postgresql://user:pw@localhost/shop", pool_size=20, slow_query_threshold=2)


@db.model
class Product:
    name: str
    price: float = 0.0
    category: str
    sku: str
    tags: list = []
    __dataflow__ = {"indexes": [
        {"name": "idx_product_category", "fields": ["category", "price"]},
        {"fields": ["sku"], "unique": True},
        {"fields": ["sku", "name"]},
    ]}
    __indexes__ = [{"name": "idx_legacy_name", "fields": ["name"]}]


class Order:
    product_id: int
    quantity: int = 1


db.register_model(Order)
`;

export const LF_WORKFLOWS_PY = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from models import db, Product

CREATE = "ProductCreateNode"


def restock(category):
    workflow = WorkflowBuilder()
    workflow.add_node("ProductListNode", "list", {"filter": {"category": category, "price": {"$gt": 10}}, "order_by": ["-price"], "limit": 50})
    workflow.add_node("ProductBulkUpdateNode", "bump", {"filter": {"name": {"$in": ["a", "b"]}}, "fields": {"price": 0}})
    workflow.add_node("OrderCreateNode", "order", {"product_id": 1})
    workflow.add_connection("list", "records", "bump", "data")
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results


def add(name="widget"):
    workflow = WorkflowBuilder()
    workflow.add_node(CREATE, "create", {"name": name, "category": "misc", "sku": name})
    workflow.add_node("ProductReadNode", "read", {})
    workflow.add_connection("create", "id", "read", "id")
    results, run_id = LocalRuntime().execute(workflow.build())
    return results["read"]["name"]


async def count_cheap():
    return await db.express.count("Product", {"price": {"$lt": 5}})


def same(p: Product) -> Product:
    return p
`;

/** The single SQL statement of a node type hover. */
const sqlOf = (hover: string): string => {
  const m = /```sql\n([^]*?)\n```/.exec(hover);
  assert.ok(m, hover);
  return m[1];
};

/**
 * A statement as sent without kailash's `::integer` / `::boolean` casts, which follow the Python
 * types of the values at run time (docs/dataflow-2.20.md §8); the hover shows DataFlow's statement.
 */
const withoutKailashCasts = (sql: string): string => sql.replace(/(\$\d+)::(integer|boolean)\b/g, '$1');

const md = (h: Hover | null): string => {
  assert.ok(h, 'a hover');
  const c = h.contents as { value?: string };
  return c.value ?? '';
};

describe('protocol: DataFlow hover, navigation, symbols and rename', function () {
  this.timeout(120000);
  let dir: string;
  let client: LspClient;
  let modelsUri: string, workflowsUri: string;
  const at = (text: string, needle: string, delta = 1, nth = 0): Position => positionAt(text, offsetOf(text, needle, nth) + delta);

  beforeEach(async () => {
    dir = tempDir('dfp-lang-');
    writeFiles(dir, { 'models.py': LF_MODELS_PY, 'workflows.py': LF_WORKFLOWS_PY });
    modelsUri = fileUri(path.join(dir, 'models.py'));
    workflowsUri = fileUri(path.join(dir, 'workflows.py'));
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
  });
  afterEach(async () => { await client?.dispose(); removeDir(dir); });

  it('announces the capabilities', () => {
    const caps = client.initializeResult!.capabilities;
    assert.equal(caps.definitionProvider, true);
    assert.equal(caps.referencesProvider, true);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.ok(caps.documentSymbolProvider);
    assert.equal(caps.workspaceSymbolProvider, true);
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.inlayHintProvider, true);
  });

  it('hover on a node type string: model, parameters with defaults, output, the SQL for this call and the index it can use', async () => {
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const h = await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductListNode"', 3));
    const v = md(h);
    assert.match(v, /\*\*ProductListNode\*\* — `List` on model \*\*Product\*\* \(table `products`, models\.py:7\)/);
    assert.match(v, /\| `limit` \| int \| 10 \|/);
    assert.match(v, /\| `enable_cache` \| bool \| True \|/);
    assert.match(v, /\*\*Output:\*\* `records`, `count`, `limit`, `_cache`/);
    assert.ok(v.includes('SELECT * FROM "products" WHERE "category" = $1 AND "price" > $2 ORDER BY "price" DESC LIMIT $3 OFFSET $4'), v);
    assert.match(v, /`category` \(equality\): index `idx_product_category` \(category, price\)/);
    assert.match(v, /`price` \(range\): index `idx_product_category` \(category, price\), after equality on category/);
    assert.deepEqual(h!.range, { start: at(LF_WORKFLOWS_PY, '"ProductListNode"', 1), end: at(LF_WORKFLOWS_PY, '"ProductListNode"', 16) });
    // A bulk update: the bulk filter language, and a filter on a column no created index leads with.
    const bulk = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductBulkUpdateNode"', 3)));
    assert.ok(bulk.includes('UPDATE "products" SET "price" = $1 WHERE "name" IN ($2, $3)'), bulk);
    assert.match(bulk, /`name` \(equality\): no index that DataFlow creates: `idx_legacy_name` would, but `__indexes__` is never read/);
    // The type held in a constant, and Create's flat model fields with their defaults.
    const create = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductCreateNode"', 3)));
    assert.match(create, /\| `price` \| float \| 0\.0 \| model field/);
    assert.match(create, /\| `name` \*\(required\)\* \| str \|/);
    assert.ok(create.includes('INSERT INTO "products" ("name", "price", "category", "sku", "tags") VALUES ($1, $2, $3, $4, $5) RETURNING "id", "name", "price", "category", "sku", "tags"'), create);
    // A model registered with register_model.
    const order = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"OrderCreateNode"', 3)));
    assert.match(order, /on model \*\*Order\*\* \(table `orders`/);
    const read = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductReadNode"', 3)));
    assert.match(read, /id: primary key index `products_pkey`/);
  });

  it('hover on a model class, @db.model and a model reference: table, column types, indexes created and ignored, generated nodes', async () => {
    await client.openAndWait(modelsUri, LF_MODELS_PY);
    for (const pos of [at(LF_MODELS_PY, 'class Product', 7), at(LF_MODELS_PY, '@db.model', 5)]) {
      const v = md(await client.hover(modelsUri, pos));
      assert.match(v, /\*\*Product\*\* — DataFlow model of `db` → table `products`/);
      assert.match(v, /\| `price` \| REAL \| float \|/);
      assert.match(v, /\| `name` \| TEXT NOT NULL \| str \|/);
      assert.match(v, /\| `tags` \| JSONB \| list \|/);
      assert.match(v, /\| `id` \| SERIAL PRIMARY KEY \| added by DataFlow \|/);
      assert.match(v, /- `idx_product_category` \(category, price\)/);
      assert.match(v, /- `idx_products_sku` UNIQUE \(sku\)/);
      assert.match(v, /\*\*Declared but never created:\*\*\n- `idx_products_sku` \(sku, name\): same name `idx_products_sku` as an earlier index/);
      assert.match(v, /- `idx_legacy_name` \(name\): `__indexes__` is never read by DataFlow 2\.20/);
      assert.match(v, /`ProductBulkUpsertNode`/);
      assert.ok(v.includes('CREATE UNIQUE INDEX IF NOT EXISTS "idx_products_sku" ON "products" ("sku");'), v);
    }
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const ref = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, 'p: Product', 4)));
    assert.match(ref, /\*\*Product\*\* — DataFlow model/);
    const express = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, 'count("Product"', 8)));
    assert.match(express, /→ table `products`/);
    assert.ok(!express.includes('tenant_id'));
    // DataFlow(multi_tenant=True) adds tenant_id to every model; the hover follows an edit of that keyword.
    const mt = LF_MODELS_PY.replace('slow_query_threshold=2)', 'slow_query_threshold=2, multi_tenant=True)');
    await client.changeAndWait(modelsUri, [{ text: mt }]);
    assert.match(md(await client.hover(modelsUri, at(mt, 'class Order', 7))), /\| `tenant_id` \| TEXT \| added by DataFlow \|/);
  });

  it('the model hover lists exactly the columns, types, nullability and indexes real DataFlow 2.20 created on PostgreSQL (oracle recording)', async () => {
    const py = fs.readFileSync(path.join(FIXTURES, 'models_indexes.py'), 'utf8');
    assert.ok(py.includes(LF_MODELS_PY.slice(LF_MODELS_PY.indexOf('db = DataFlow'))), 'the recorded file declares the same models');
    const rec = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'models_indexes.recording.json'), 'utf8')).return as { indexes: string[][]; columns: Array<Array<string | null>> };
    await client.openAndWait(modelsUri, LF_MODELS_PY);
    const PG: Record<string, string> = { integer: 'INTEGER', text: 'TEXT', real: 'REAL', jsonb: 'JSONB', 'timestamp without time zone': 'TIMESTAMP' };
    for (const [cls, table] of [['Product', 'products'], ['Order', 'orders']]) {
      const v = md(await client.hover(modelsUri, at(LF_MODELS_PY, `class ${cls}`, 7)));
      // Columns: | `name` | TYPE[ NOT NULL| PRIMARY KEY] | ... |
      const shown = [...v.matchAll(/^\| `(\w+)` \| (\w+)( NOT NULL| PRIMARY KEY)? \|/gm)].map((m) => [m[1], m[2] === 'SERIAL' ? 'INTEGER' : m[2], m[3] ? 'NO' : 'YES']);
      const real = rec.columns.filter((c) => c[0] === table).map((c) => [c[1], PG[c[2]!], c[3]]);
      assert.deepEqual(shown, real, `${cls} columns`);
      // Indexes created: - `name`[ UNIQUE] (cols) under "Indexes DataFlow 2.20 creates".
      const created = v.slice(v.indexOf('**Indexes DataFlow 2.20 creates:**'), v.indexOf('**', v.indexOf('**Indexes DataFlow 2.20 creates:**') + 40));
      const listed = [...created.matchAll(/^- `(\w+)`( UNIQUE)? \(([^)]*)\)/gm)].map((m) => `${m[1]}${m[2] || m[1].endsWith('_pkey') ? ' UNIQUE' : ''} (${m[3]})`).sort();
      const made = rec.indexes.filter((i) => i[0] === table).map((i) => `${i[1]}${/UNIQUE/.test(i[2]) ? ' UNIQUE' : ''} (${/\(([^)]*)\)\s*$/.exec(i[2])![1]})`).sort();
      assert.deepEqual(listed, made, `${cls} indexes`);
    }
  });

  it('hover on a field key in a filter or order_by: the column type and the index that covers it, or that none does', async () => {
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const cat = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '{"category": category', 3)));
    assert.match(cat, /\*\*category\*\* \(filter\) — `TEXT NOT NULL` column of `products`, declared `str`/);
    assert.match(cat, /\*\*Index:\*\* index `idx_product_category` \(category, price\)/);
    const order = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"-price"', 3)));
    assert.match(order, /\*\*price\*\* \(ORDER BY\) — `REAL` column/);
    // In the express count, price alone: the composite index needs equality on category first.
    const cheap = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '{"price": {"$lt"', 3)));
    assert.match(cheap, /no index can lead with it: `idx_product_category` \(category, price\) needs equality on category first/);
    // The finding hover (DF003 on this key) is kept, first, and the field's facts follow it.
    assert.match(cheap, /^\*\*DF003\*\* `missing-index`[^]*Rule documentation[^]*\n\n---\n\n\*\*price\*\* \(filter\) — `REAL` column of `products`/);
  });

  it('a finding hover links the rule page through the client command that renders it (initializationOptions.ruleDocsCommand), else its file', async () => {
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const key = at(LF_WORKFLOWS_PY, '{"price": {"$lt"', 3);
    const plain = md(await client.hover(workflowsUri, key));
    const file = /\[Rule documentation\]\((file:[^)]+)\)/.exec(plain)?.[1];
    assert.ok(file && file.endsWith('/docs/rules/DF003.md'), plain);
    const vscodeLike = await LspClient.start({ workspaceFolders: [dir], initializationOptions: { ruleDocsCommand: 'dataflow.openRuleDocs' } });
    try {
      await vscodeLike.waitForIndexed();
      await vscodeLike.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
      const v = md(await vscodeLike.hover(workflowsUri, key));
      const link = /\[Rule documentation\]\((command:dataflow\.openRuleDocs\?[^)]+)\)/.exec(v)?.[1];
      assert.ok(link, v);
      assert.deepEqual(JSON.parse(decodeURIComponent(link.slice('command:dataflow.openRuleDocs?'.length))), [file]);
      assert.ok(fs.existsSync(new URL(file)), 'the page exists');
    } finally { await vscodeLike.dispose(); }
  });

  it("DataFlow's db.add_node(workflow, \"Product\", \"Count\", ...) reads as ProductCountNode: hover, field key, definition, rename", async () => {
    const JOBS = `from models import db, Product\nfrom kailash.workflow.builder import WorkflowBuilder\nfrom kailash.runtime.local import LocalRuntime\n\n\ndef n_sku(sku="a"):\n    wf = WorkflowBuilder()\n    db.add_node(wf, "Product", "Count", "n", {"filter": {"sku": sku}})\n    wf.add_node("ProductUpsertNode", "u", {"where": {"sku": sku}, "update": {"price": 2.5}, "create": {"name": "n", "category": "c"}})\n    return LocalRuntime().execute(wf.build())[0]\n`;
    const jobsUri = fileUri(path.join(dir, 'jobs.py'));
    writeFiles(dir, { 'jobs.py': JOBS });
    await client.openAndWait(jobsUri, JOBS);
    const pos = at(JOBS, '"Product", "Count"', 3);
    const v = md(await client.hover(jobsUri, pos));
    assert.match(v, /^\*\*ProductCountNode\*\* — `Count` on model \*\*Product\*\*/);
    assert.ok(v.includes('SELECT COUNT(*) FROM "products" WHERE "sku" = $1'), v);
    assert.match(v, /`sku` \(equality\): index `idx_products_sku` \(sku\)/);
    assert.match(md(await client.hover(jobsUri, at(JOBS, '{"sku"', 3))), /\*\*Index:\*\* index `idx_products_sku` \(sku\)/);
    // The Upsert's SQL and conflict index, checked against what the runtime sends.
    const upsert = md(await client.hover(jobsUri, at(JOBS, '"ProductUpsertNode"', 3)));
    assert.match(upsert, /conflict target \(sku\): unique index `idx_products_sku`/);
    const run = await client.conn.sendRequest<{ ok: boolean; error?: unknown; report?: { statements: Array<{ nodeId?: string; sql: string }> } }>(
      'dataflow/run', { uri: jobsUri, entry: 'n_sku', args: {}, database: { kind: 'embedded' }, profile: true });
    assert.equal(run.ok, true, JSON.stringify(run.error));
    const sent = (id: string) => run.report!.statements.filter((x) => x.nodeId === id && /^\s*(SELECT|UPDATE|INSERT|DELETE)/i.test(x.sql)).map((x) => withoutKailashCasts(x.sql));
    assert.ok(sent('u').includes(sqlOf(upsert)), `${sent('u').join('\n')}\n${sqlOf(upsert)}`);
    assert.deepEqual(sent('n'), [sqlOf(v)]);
    const def = await client.conn.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri: jobsUri }, position: pos });
    assert.equal(def[0].uri, modelsUri);
    const edit = await client.conn.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: jobsUri }, position: pos, newName: 'Item' });
    assert.match(applyWorkspaceEdit(new Map([[jobsUri, JOBS], [modelsUri, LF_MODELS_PY], [workflowsUri, LF_WORKFLOWS_PY]]), edit).get(jobsUri)!, /from models import db, Item\n[^]*db\.add_node\(wf, "Item", "Count", "n"/);
  });

  it('hover on a DataFlow(...) keyword says what it really does in 2.20; a connection node id names its node', async () => {
    await client.openAndWait(modelsUri, LF_MODELS_PY);
    assert.match(md(await client.hover(modelsUri, at(LF_MODELS_PY, 'slow_query_threshold', 2))), /No effect in DataFlow 2\.20: Seconds, not ms/);
    assert.match(md(await client.hover(modelsUri, at(LF_MODELS_PY, 'pool_size', 2))), /Limited effect .*CRUD pool is AsyncSQLDatabaseNode's/);
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    assert.match(md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"bump", "data"', 2))), /Node `bump` — `ProductBulkUpdateNode`, added on line 11/);
  });

  it('go to definition: node type → model class, field key → its annotation, connection node id → its add_node call', async () => {
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const def = (pos: Position) => client.conn.sendRequest<Location[] | null>('textDocument/definition', { textDocument: { uri: workflowsUri }, position: pos });
    const toModel = await def(at(LF_WORKFLOWS_PY, '"ProductListNode"', 3));
    assert.equal(toModel?.length, 1);
    assert.equal(toModel![0].uri, modelsUri);
    assert.equal(textIn(LF_MODELS_PY, toModel![0].range), 'Product');
    const toOrder = await def(at(LF_WORKFLOWS_PY, '"OrderCreateNode"', 3));
    assert.equal(textIn(LF_MODELS_PY, toOrder![0].range), 'Order');
    const toField = await def(at(LF_WORKFLOWS_PY, '{"category": category', 3));
    assert.equal(toField![0].uri, modelsUri);
    assert.equal(textIn(LF_MODELS_PY, toField![0].range), 'category: str');
    const toNode = await def(at(LF_WORKFLOWS_PY, '"create", "id", "read"', 2));
    assert.equal(toNode![0].uri, workflowsUri);
    assert.equal(textIn(LF_WORKFLOWS_PY, toNode![0].range), 'workflow.add_node(CREATE, "create", {"name": name, "category": "misc", "sku": name})');
    const toRead = await def(at(LF_WORKFLOWS_PY, '"read", "id")', 2));
    assert.match(textIn(LF_WORKFLOWS_PY, toRead![0].range), /^workflow\.add_node\("ProductReadNode", "read"/);
    assert.equal(await def(at(LF_WORKFLOWS_PY, 'LocalRuntime()', 2)), null);
  });

  it('find references of a model: node type strings (constants too), express calls, connections and Python references across both files', async () => {
    await client.openAndWait(modelsUri, LF_MODELS_PY);
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const refs = await client.conn.sendRequest<Location[]>('textDocument/references', { textDocument: { uri: modelsUri }, position: at(LF_MODELS_PY, 'class Product', 7), context: { includeDeclaration: true } });
    const shown = refs.map((l) => `${l.uri === modelsUri ? 'models' : 'workflows'}:${l.range.start.line + 1}:${textIn(l.uri === modelsUri ? LF_MODELS_PY : LF_WORKFLOWS_PY, l.range)}`);
    assert.deepEqual(shown, [
      'models:7:Product',
      'workflows:3:Product',
      'workflows:5:ProductCreateNode',
      'workflows:10:ProductListNode',
      'workflows:11:ProductBulkUpdateNode',
      'workflows:13:list',
      'workflows:13:bump',
      'workflows:22:ProductReadNode',
      'workflows:23:create',
      'workflows:23:read',
      'workflows:29:Product',
      'workflows:32:Product',
      'workflows:32:Product',
    ]);
    // From a node type string, without the declaration: the same set minus the class statement.
    const fromNode = await client.conn.sendRequest<Location[]>('textDocument/references', { textDocument: { uri: workflowsUri }, position: at(LF_WORKFLOWS_PY, '"ProductReadNode"', 3), context: { includeDeclaration: false } });
    assert.equal(fromNode.length, shown.length - 1);
    assert.ok(!fromNode.some((l) => l.uri === modelsUri && l.range.start.line === 6));
    // Order: the register_model call and its node type.
    const order = await client.conn.sendRequest<Location[]>('textDocument/references', { textDocument: { uri: workflowsUri }, position: at(LF_WORKFLOWS_PY, '"OrderCreateNode"', 3), context: { includeDeclaration: true } });
    assert.deepEqual(order.map((l) => `${l.range.start.line + 1}:${textIn(l.uri === modelsUri ? LF_MODELS_PY : LF_WORKFLOWS_PY, l.range)}`), ['21:Order', '26:Order', '12:OrderCreateNode']);
  });

  it('rename Product → Item: one WorkspaceEdit over both files; applied, the workspace re-analyses with the same findings', async () => {
    const before = codesOf(await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY));
    await client.openAndWait(modelsUri, LF_MODELS_PY);
    // A third file reaching the class through its module and an alias.
    const jobsUri = fileUri(path.join(dir, 'jobs.py'));
    const JOBS_PY = `import models\nfrom models import Product as P\n\n\ndef build(db):\n    return models.Product, P, db.express_sync.list("Product")\n`;
    await client.openAndWait(jobsUri, JOBS_PY);
    const pos = at(LF_WORKFLOWS_PY, '"ProductListNode"', 3);
    const prep = await client.conn.sendRequest<{ range: { start: Position; end: Position }; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: workflowsUri }, position: pos });
    assert.equal(prep.placeholder, 'Product');
    assert.equal(textIn(LF_WORKFLOWS_PY, prep.range), 'Product');
    const warned = client.waitForLog(/\[showMessage\] Renaming Product to Item also renames its table/);
    const edit = await client.conn.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: workflowsUri }, position: pos, newName: 'Item' });
    assert.match(await warned, /DataFlow 2\.20 will create an empty "items" table, and the rows stay in "products"\. To keep them, add __tablename__ = "products" to Item\./);
    assert.deepEqual(Object.keys(edit.changes!).sort(), [jobsUri, modelsUri, workflowsUri].sort());
    const texts = applyWorkspaceEdit(new Map([[modelsUri, LF_MODELS_PY], [workflowsUri, LF_WORKFLOWS_PY], [jobsUri, JOBS_PY]]), edit);
    assert.equal(texts.get(jobsUri), 'import models\nfrom models import Item as P\n\n\ndef build(db):\n    return models.Item, P, db.express_sync.list("Item")\n');
    const models = texts.get(modelsUri)!, workflows = texts.get(workflowsUri)!;
    assert.equal(models, LF_MODELS_PY.replace('class Product:', 'class Item:'));
    assert.equal(workflows, LF_WORKFLOWS_PY
      .replace('from models import db, Product', 'from models import db, Item')
      .replace('CREATE = "ProductCreateNode"', 'CREATE = "ItemCreateNode"')
      .replace('"ProductListNode"', '"ItemListNode"').replace('"ProductBulkUpdateNode"', '"ItemBulkUpdateNode"')
      .replace('"ProductReadNode"', '"ItemReadNode"').replace('count("Product"', 'count("Item"')
      .replace('def same(p: Product) -> Product:', 'def same(p: Item) -> Item:'));
    // Re-analysed: the same findings as before the rename (no unknown node type or model).
    await client.applyEditsToOpen(modelsUri, edit.changes![modelsUri]);
    const after = await client.changeAndWait(workflowsUri, [{ text: workflows }], { predicate: () => true });
    assert.deepEqual(codesOf(after), before);
    const hover = md(await client.hover(workflowsUri, at(workflows, '"ItemListNode"', 3)));
    assert.match(hover, /on model \*\*Item\*\* \(table `items`/);
  });

  it('rename is refused with the reason where the model name is built at run time; non-model positions and bad names too', async () => {
    const dynamic = LF_WORKFLOWS_PY + `\n\ndef any_op(op):\n    workflow = WorkflowBuilder()\n    workflow.add_node(f"Product{op}Node", "x", {})\n`;
    await client.openAndWait(workflowsUri, dynamic);
    const pos = at(dynamic, '"ProductListNode"', 3);
    await assert.rejects(
      client.conn.sendRequest('textDocument/prepareRename', { textDocument: { uri: workflowsUri }, position: pos }),
      /Cannot rename Product: its name is built at run time \(workflows\.py: f"Product\{op\}Node"\)/,
    );
    await assert.rejects(client.conn.sendRequest('textDocument/rename', { textDocument: { uri: workflowsUri }, position: pos, newName: 'Item' }), /built at run time/);
    assert.equal(await client.conn.sendRequest('textDocument/prepareRename', { textDocument: { uri: workflowsUri }, position: at(dynamic, 'LocalRuntime()', 2) }), null);
    const order = at(dynamic, '"OrderCreateNode"', 3);
    await assert.rejects(client.conn.sendRequest('textDocument/rename', { textDocument: { uri: workflowsUri }, position: order, newName: 'Product' }), /A model named Product already exists/);
    await assert.rejects(client.conn.sendRequest('textDocument/rename', { textDocument: { uri: workflowsUri }, position: order, newName: 'not a name' }), /not a Python class name/);
  });

  it('document symbols: models with their fields, workflows with their nodes (type and incoming connections); workspace symbols for models and node ids', async () => {
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    await client.openAndWait(modelsUri, LF_MODELS_PY);
    const ms = await client.conn.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: modelsUri } });
    assert.deepEqual(ms.map((s) => [s.name, s.detail, s.children?.map((c) => `${c.name}: ${c.detail}`)]), [
      ['Product', 'table products', ['name: str · TEXT', 'price: float · REAL', 'category: str · TEXT', 'sku: str · TEXT', 'tags: list · JSONB']],
      ['Order', 'table orders', ['product_id: int · INTEGER', 'quantity: int · INTEGER']],
    ]);
    const ws = await client.conn.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: workflowsUri } });
    assert.deepEqual(ws.map((s) => [s.name, s.detail, s.children?.map((c) => `${c.name}: ${c.detail}`)]), [
      ['workflow', '3 nodes · restock()', ['list: ProductListNode', 'bump: ProductBulkUpdateNode ← list.records', 'order: OrderCreateNode']],
      ['workflow', '2 nodes · add()', ['create: ProductCreateNode', 'read: ProductReadNode ← create.id']],
    ]);
    for (const s of ws) for (const c of s.children!) {
      assert.ok(c.range.start.line >= s.range.start.line && c.range.end.line <= s.range.end.line, 'children inside their workflow');
    }
    const all = await client.conn.sendRequest<SymbolInformation[]>('workspace/symbol', { query: '' });
    assert.deepEqual(all.map((s) => s.name).sort(), ['Order', 'Product', 'bump', 'create', 'list', 'order', 'read']);
    const q = await client.conn.sendRequest<SymbolInformation[]>('workspace/symbol', { query: 'prd' });
    assert.deepEqual(q.map((s) => [s.name, s.containerName, s.location.uri === modelsUri]), [['Product', 'table products', true]]);
    const node = (await client.conn.sendRequest<SymbolInformation[]>('workspace/symbol', { query: 'bump' }))[0];
    assert.equal(node.containerName, 'ProductBulkUpdateNode · restock()');
    assert.equal(textIn(LF_WORKFLOWS_PY, node.location.range), '"bump"');
  });

  it('after a profile run (dataflow/run, embedded database) the node type hover shows the last measured time, statements and rows of each node of that type', async () => {
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const before = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductReadNode"', 3)));
    assert.ok(!before.includes('Last profile'), 'no profile yet');
    const run = await client.conn.sendRequest<{ ok: boolean; error?: unknown; report?: { runs: Array<{ nodes: Array<{ id: string; type: string; ms: number; statements: number; rows: number }> }>; tables: Record<string, number> } }>(
      'dataflow/run', { uri: workflowsUri, entry: 'add', args: {}, database: { kind: 'embedded' }, profile: true });
    assert.equal(run.ok, true, JSON.stringify(run.error));
    const read = run.report!.runs[0].nodes.find((n) => n.id === 'read')!;
    assert.equal(read.type, 'ProductReadNode');
    const v = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductReadNode"', 3)));
    const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
    assert.ok(v.includes(`- \`read\` (line 22): ${fmt(read.ms)} ms · ${read.statements} stmt · ${read.rows} rows`), v);
    assert.match(v, /\*\*Last profile\*\* \(.*, embedded\)/);
    const create = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductCreateNode"', 3)));
    assert.match(create, /- `create` \(line 21\): [\d.]+ ms · 1 stmt · 1 rows/);
    // The SQL the hover shows for a call is the SQL the runtime sent for it.
    const sent = (report: { statements: Array<{ nodeId?: string; sql: string }> }, id: string) => report.statements.filter((x) => x.nodeId === id && !/^(BEGIN|COMMIT|SAVEPOINT|RELEASE)/i.test(x.sql)).map((x) => withoutKailashCasts(x.sql));
    const runReport = run.report as unknown as { statements: Array<{ nodeId?: string; sql: string }> };
    assert.deepEqual(sent(runReport, 'read'), [sqlOf(v)]);
    assert.deepEqual(sent(runReport, 'create'), [sqlOf(create)]);
    // The model hover adds the table's row count after the run.
    const model = md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, 'p: Product', 4)));
    assert.ok(model.includes(`**Rows** in \`products\` after the last profile (embedded database): ${run.report!.tables.products}`), model);
  });

  it('inlay hints: after a profile, each add_node call shows its nodes\' measured time, statements and rows; an edit that moves the calls hides them; dataflow.inlayHints.profile false turns them off', async () => {
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const whole = { start: { line: 0, character: 0 }, end: positionAt(LF_WORKFLOWS_PY, LF_WORKFLOWS_PY.length) };
    const hints = () => client.conn.sendRequest<Array<{ position: Position; label: string; tooltip?: string }>>('textDocument/inlayHint', { textDocument: { uri: workflowsUri }, range: whole });
    assert.deepEqual(await hints(), [], 'no profile yet');
    const run = await client.conn.sendRequest<{ ok: boolean; error?: unknown; report?: { runs: Array<{ nodes: Array<{ id: string; ms: number; statements: number; rows: number }> }> } }>(
      'dataflow/run', { uri: workflowsUri, entry: 'add', args: {}, database: { kind: 'embedded' }, profile: true });
    assert.equal(run.ok, true, JSON.stringify(run.error));
    const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
    const label = (id: string) => {
      const n = run.report!.runs[0].nodes.find((x) => x.id === id)!;
      return `⏱ ${fmt(n.ms)} ms · ${n.statements} stmt · ${n.rows} row${n.rows === 1 ? '' : 's'}`;
    };
    const callEnd = (needle: string) => {
      const start = offsetOf(LF_WORKFLOWS_PY, needle);
      return positionAt(LF_WORKFLOWS_PY, LF_WORKFLOWS_PY.indexOf('\n', start) );
    };
    const shown = await hints();
    const want = [
      [callEnd('workflow.add_node(CREATE, "create"'), label('create')],
      [callEnd('workflow.add_node("ProductReadNode", "read"'), label('read')],
    ];
    assert.deepEqual(shown.map((h) => [h.position, h.label]), want, JSON.stringify({ shown, want }));
    assert.match(shown[0].tooltip ?? '', /Last profile .*1 execution of this ProductCreateNode \(node create\)/);
    // A line inserted above the calls: the profile's lines no longer name them, so no hint is shown.
    await client.changeAndWait(workflowsUri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' }]);
    assert.deepEqual(await hints(), []);
    await client.changeAndWait(workflowsUri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    assert.equal((await hints()).length, 2, 'back in place, the calls get their hints again');
    await client.setSettings({ inlayHints: { profile: false } });
    assert.deepEqual(await hints(), [], 'turned off by the setting');
  });

  it('the SQL in the hover of a List and a BulkUpdate call is the SQL the runtime sends for it (profile run of restock)', async () => {
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const run = await client.conn.sendRequest<{ ok: boolean; error?: unknown; report?: { statements: Array<{ nodeId?: string; sql: string }> } }>(
      'dataflow/run', { uri: workflowsUri, entry: 'restock', args: { category: 'misc' }, database: { kind: 'embedded' }, profile: true });
    assert.equal(run.ok, true, JSON.stringify(run.error));
    const sent = (id: string) => run.report!.statements.filter((x) => x.nodeId === id && /^\s*(SELECT|UPDATE|INSERT|DELETE)/i.test(x.sql)).map((x) => withoutKailashCasts(x.sql));
    const list = sqlOf(md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductListNode"', 3))));
    assert.deepEqual(sent('list'), [list]);
    const bump = sqlOf(md(await client.hover(workflowsUri, at(LF_WORKFLOWS_PY, '"ProductBulkUpdateNode"', 3))));
    assert.deepEqual(sent('bump'), [bump]);
  });

  it('every position of both files, and the workflow file cut off at many points (half typed), answers every request without an error', async () => {
    await client.openAndWait(modelsUri, LF_MODELS_PY);
    await client.openAndWait(workflowsUri, LF_WORKFLOWS_PY);
    const ask = async (uri: string, text: string, offset: number) => {
      const doc = { textDocument: { uri }, position: positionAt(text, offset) };
      await client.hover(uri, doc.position);
      await client.conn.sendRequest('textDocument/definition', doc);
      await client.conn.sendRequest('textDocument/references', { ...doc, context: { includeDeclaration: true } });
      await client.conn.sendRequest('textDocument/prepareRename', doc);
    };
    for (const [uri, text] of [[modelsUri, LF_MODELS_PY], [workflowsUri, LF_WORKFLOWS_PY]] as const) {
      for (let o = 0; o <= text.length; o += 5) await ask(uri, text, o);
    }
    let answered = 0;
    for (let cut = 40; cut < LF_WORKFLOWS_PY.length; cut += 97) {
      const half = LF_WORKFLOWS_PY.slice(0, cut);
      await client.changeFull(workflowsUri, half);
      for (const o of [cut - 1, cut - 7, cut - 20]) await ask(workflowsUri, half, Math.max(0, o));
      await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: workflowsUri } });
      answered++;
    }
    assert.ok(answered > 10);
    assert.ok(!client.logs.some((l) => /failed:/.test(l)), client.logs.filter((l) => /failed:/.test(l)).join('\n'));
  });

  it('soft delete: the hover SQL of Update, Delete, List, BulkUpdate and BulkDelete equals what the runtime sends', async () => {
    const SOFT = `from dataflow import DataFlow
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

db = DataFlow("postgresql://localhost/tickets")


@db.model
class Ticket:
    price: float
    status: str = "new"
    __dataflow__ = {"soft_delete": True}


def churn(ids=[1]):
    wf = WorkflowBuilder()
    wf.add_node("TicketCreateNode", "a_create", {"price": 1.5})
    wf.add_node("TicketListNode", "b_list", {"filter": {"status": "new"}})
    wf.add_node("TicketUpdateNode", "c_update", {"id": 1, "fields": {}, "status": "open"})
    wf.add_node("TicketBulkUpdateNode", "d_bulk_update", {"filter": {}, "fields": {"status": "x"}, "confirmed": True})
    wf.add_node("TicketBulkDeleteNode", "e_bulk_delete", {"filter": {"id": {"$in": ids}}})
    wf.add_node("TicketDeleteNode", "f_delete", {"id": 1})
    return LocalRuntime().execute(wf.build())[0]
`;
    const softUri = fileUri(path.join(dir, 'soft.py'));
    writeFiles(dir, { 'soft.py': SOFT });
    await client.openAndWait(softUri, SOFT);
    const run = await client.conn.sendRequest<{ ok: boolean; error?: unknown; report?: { statements: Array<{ nodeId?: string; sql: string }> } }>(
      'dataflow/run', { uri: softUri, entry: 'churn', args: {}, database: { kind: 'embedded' }, profile: true });
    assert.equal(run.ok, true, JSON.stringify(run.error));
    const sent = (id: string) => run.report!.statements.filter((x) => x.nodeId === id && /^\s*(SELECT|UPDATE|INSERT|DELETE)/i.test(x.sql)).map((x) => withoutKailashCasts(x.sql));
    for (const [type, id] of [['TicketCreateNode', 'a_create'], ['TicketListNode', 'b_list'], ['TicketUpdateNode', 'c_update'], ['TicketBulkUpdateNode', 'd_bulk_update'], ['TicketBulkDeleteNode', 'e_bulk_delete'], ['TicketDeleteNode', 'f_delete']]) {
      const shown = /```sql\n([^]*?)\n```/.exec(md(await client.hover(softUri, at(SOFT, `"${type}"`, 3))))![1].split(';\n');
      assert.deepEqual(sent(id), shown, type);
    }
  });

  it('half-typed code and unknown names: null or empty answers, and the server keeps serving', async () => {
    const half = `from models import db\nfrom kailash.workflow.builder import WorkflowBuilder\n\nwf = WorkflowBuilder()\nwf.add_node("WidgetCreateNode", "w", {"filter": {"statuz": 1}})\nwf.add_node("ProductListNode", "l", {"filter": {"cat\nwf.add_connection("l", "records", "nowhere", "x")\n`;
    await client.openAndWait(workflowsUri, half);
    const positions = [at(half, 'WidgetCreateNode', 2), at(half, '"statuz"', 2), at(half, '"cat', 2), at(half, '"nowhere"', 2), { line: 0, character: 0 }, { line: 99, character: 3 }];
    for (const position of positions) {
      const doc = { textDocument: { uri: workflowsUri }, position };
      // Only the finding hover (DF015 on the unknown node id), never a DataFlow-name hover.
      const h = await client.hover(workflowsUri, position);
      // (The docs link's path may hold dashes, e.g. a checkout in /work/ci-clone: only a '---' separator would mean a second part.)
      if (h) {
        assert.match(md(h), /^\*\*DF\d+\*\*[^]*Rule documentation\]\([^)]*\)$/, JSON.stringify(position));
        assert.ok(!md(h).includes('\n---\n'), `${JSON.stringify(position)}: ${md(h)}`);
      }
      assert.equal(await client.conn.sendRequest('textDocument/definition', doc), null);
      assert.deepEqual(await client.conn.sendRequest('textDocument/references', { ...doc, context: { includeDeclaration: true } }), []);
      assert.equal(await client.conn.sendRequest('textDocument/prepareRename', doc), null);
    }
    const unknownDoc = 'file:///nowhere/unknown.py';
    assert.equal(await client.hover(unknownDoc, { line: 0, character: 0 }), null);
    assert.deepEqual(await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: unknownDoc } }), []);
    // Still serving: a hover on the model that is known.
    assert.match(md(await client.hover(workflowsUri, at(half, '"ProductListNode"', 3))), /ProductListNode/);
  });
});
