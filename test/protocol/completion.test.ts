// Protocol: textDocument/completion from the real server over stdio, at every position kind it
// knows: node type names (positional and keyword, half-typed), DataFlow's db.add_node wrapper,
// express model names, a node's parameter keys (positional dict, keyword config, dict held in a
// variable) and enum values, model fields in filter / data / fields / order_by / sort /
// conflict_on, filter operators per node kind, connection outputs / node ids / inputs,
// DataFlow(...) keywords and __dataflow__ keys. Models live in models.py on disk (never opened),
// so every answer goes through the workspace model. Unknown models and shapes give no items and
// never break the server.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CompletionItemTag, CompletionRequest, type CompletionItem, type CompletionList, type TextEdit } from 'vscode-languageserver-protocol/node';
import { LspClient, fileUri, positionAt, textIn } from '../helpers/lspClient';
import { tempDir, removeDir, writeFiles } from './fixtures';

const MODELS = `from dataflow import DataFlow

db = DataFlow("postgresql://app@localhost:5432/shop")


@db.model
class Product:
    name: str
    price: float = 0.0
    category: str
    sku: str
    __dataflow__ = {"indexes": [{"name": "idx_product_category", "fields": ["category"]}, {"name": "uq_product_sku", "fields": ["sku"], "unique": True}]}


@db.model
class Order:
    status: str = "open"
    total: float
    product_id: int
`;

const HEAD = `from models import db, Product, Order
from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime


def job():
    wf = WorkflowBuilder()
`;

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const docOf = (items: CompletionItem[], label: string) => {
  const it = items.find((i) => i.label === label);
  assert.ok(it, `no item ${label} in ${JSON.stringify(labels(items))}`);
  const d = it.documentation;
  return typeof d === 'string' ? d : d?.value ?? '';
};

describe('protocol: completion', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  let n = 0;
  let uri: string;

  before(async () => {
    dir = tempDir('dfp-complete-');
    writeFiles(dir, { 'models.py': MODELS });
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
  });
  after(async () => { await client?.dispose(); removeDir(dir); });
  beforeEach(() => { uri = fileUri(path.join(dir, `app${++n}.py`)); });
  afterEach(async () => { if (client.docs.has(uri)) await client.close(uri); });

  async function complete(position: { line: number; character: number }): Promise<CompletionItem[]> {
    const r = await client.request('textDocument/completion', client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }));
    if (!r) return [];
    return Array.isArray(r) ? r : (r as CompletionList).items;
  }

  /** Opens HEAD + body (the cursor at `|`, removed) and completes there. */
  async function at(body: string): Promise<{ items: CompletionItem[]; text: string; cursor: number }> {
    const full = HEAD + body;
    const cursor = full.indexOf('|');
    assert.ok(cursor >= 0, 'the body marks the cursor with |');
    const text = full.slice(0, cursor) + full.slice(cursor + 1);
    await client.open(uri, text);
    return { items: await complete(positionAt(text, cursor)), text, cursor };
  }

  const replaced = (text: string, item: CompletionItem) => textIn(text, (item.textEdit as TextEdit).range);

  it('advertises completion with the trigger characters " \' . $', () => {
    const cp = client.initializeResult?.capabilities.completionProvider;
    assert.deepEqual(cp?.triggerCharacters, ['"', "'", '.', '$']);
  });

  it('add_node(" on a half-typed line (no closing quote or parenthesis): every node type of every visible model, grouped by model, with the operation summary', async () => {
    const { items, text } = await at('    wf.add_node("Prod|\n    return wf\n');
    assert.equal(items.length, 22);
    const sorted = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.deepEqual(labels(sorted).slice(0, 11), ['Order', 'Product'].slice(0, 1).flatMap((m) => ['Create', 'Read', 'Update', 'Delete', 'List', 'Count', 'Upsert', 'BulkCreate', 'BulkUpdate', 'BulkDelete', 'BulkUpsert'].map((op) => `${m}${op}Node`)));
    assert.deepEqual(labels(sorted).slice(11, 13), ['ProductCreateNode', 'ProductReadNode']);
    const list = items.find((i) => i.label === 'ProductListNode')!;
    assert.equal(list.labelDetails?.description, 'Product · models.py');
    assert.match(list.detail!, /count is the page length/);
    assert.match(docOf(items, 'ProductListNode'), /List on model `Product` \(models\.py, table `products`\)/);
    assert.match(docOf(items, 'ProductListNode'), /`limit`: int = 10/);
    assert.match(docOf(items, 'ProductCreateNode'), /model fields flat \(`name`, `price`, `category`, `sku`\)/);
    // The edit replaces what is typed inside the string, and nothing after the line.
    assert.equal(replaced(text, list), 'Prod');
    assert.equal((list.textEdit as TextEdit).newText, 'ProductListNode');
  });

  it('add_node(node_type=" (keyword form, closed string) and db.add_node(wf, "Model", "Op") offer names too', async () => {
    let r = await at('    wf.add_node(node_type="|", node_id="x")\n');
    assert.equal(r.items.length, 22);
    assert.ok(labels(r.items).includes('OrderBulkUpsertNode'));
    assert.equal(replaced(r.text, r.items[0]), '');
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    db.add_node(wf, "|');
    assert.deepEqual(labels(r.items).sort(), ['Order', 'Product']);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    db.add_node(wf, "Product", "Bulk|")');
    assert.equal(r.items.length, 11);
    assert.equal(replaced(r.text, r.items.find((i) => i.label === 'BulkCreate')!), 'Bulk');
  });

  it('db.express.<op>(" offers model names; an express filter offers fields, then the express operators ($like included)', async () => {
    let r = await at("    return db.express.count('|')\n");
    assert.deepEqual(labels(r.items).sort(), ['Order', 'Product']);
    assert.match(docOf(r.items, 'Product'), /table `products`/);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    return db.express.list("Product", {"category": {"|"}})\n');
    assert.ok(labels(r.items).includes('$like'), JSON.stringify(labels(r.items)));
    assert.match(docOf(r.items, '$like'), /express only/);
  });

  it('inside a node config dict: the parameter keys with type, default and what DataFlow does; enum values for conflict_resolution and sort order', async () => {
    let r = await at('    wf.add_node("ProductListNode", "list", {"|"})\n');
    assert.deepEqual(labels(r.items), ['database_url', 'limit', 'offset', 'order_by', 'sort', 'filter', 'enable_cache', 'cache_ttl', 'cache_key', 'count_only', 'include_deleted']);
    assert.equal(r.items.find((i) => i.label === 'limit')!.detail, 'int = 10');
    assert.match(docOf(r.items, 'count_only'), /Broken in 2\.20/);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("ProductBulkUpsertNode", "up", {"data": rows, "conflict_resolution": "|"})\n');
    assert.deepEqual(labels(r.items), ['skip', 'update', 'ignore']);
    assert.match(docOf(r.items, 'update'), /DO UPDATE SET/);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("ProductListNode", "list", {"sort": [{"field": "price", "order": "|"}]})\n');
    assert.deepEqual(labels(r.items), ['asc', 'desc']);
    await client.close(uri);
    // CreateNode takes the model fields flat: they come before its own parameter.
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("OrderCreateNode", "create", {"|"})\n');
    assert.deepEqual(labels([...r.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!))), ['status', 'total', 'product_id', 'database_url']);
  });

  it('add_node("T", "id", k=v): the keyword names are the parameters (inserted with =), and a keyword\'s value is read like a config key', async () => {
    let r = await at('    wf.add_node("ProductListNode", "list", limit=5, ord|)\n');
    assert.ok(!labels(r.items).includes('limit'), 'already given');
    const orderBy = r.items.find((i) => i.label === 'order_by')!;
    assert.equal((orderBy.textEdit as TextEdit).newText, 'order_by=');
    assert.equal(replaced(r.text, orderBy), 'ord');
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at("    wf.add_node('ProductListNode', 'list', filter={'|'})\n");
    assert.deepEqual(labels(r.items), ['name', 'price', 'category', 'sku', 'id', 'created_at', 'updated_at']);
    await client.close(uri);
    // The node id position is not a keyword position.
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("ProductListNode", li|)\n');
    assert.deepEqual(r.items, []);
  });

  it('the keyword config= and a dict held in a variable resolve to the node that uses them', async () => {
    let r = await at('    wf.add_node(node_type="ProductCountNode", node_id="n", config={"|"})\n');
    assert.deepEqual(labels(r.items), ['database_url', 'filter', 'include_deleted']);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    params = {"filter": {"|"}, "limit": 5}\n    wf.add_node("OrderListNode", "orders", params)\n');
    assert.deepEqual(labels(r.items), ['status', 'total', 'product_id', 'id', 'created_at', 'updated_at']);
    await client.close(uri);
    // Half-typed: the dict is not closed yet, so the function does not parse.
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    params = {"li|\n    wf.add_node("OrderListNode", "orders", params)\n');
    assert.ok(labels(r.items).includes('limit'));
    assert.equal(replaced(r.text, r.items.find((i) => i.label === 'limit')!), 'li');
  });

  it('filter keys are the model fields with type, default and index; operator position gives the operators of that node kind', async () => {
    let r = await at('    wf.add_node("ProductListNode", "list", {"filter": {"|"}})\n');
    assert.deepEqual(labels(r.items), ['name', 'price', 'category', 'sku', 'id', 'created_at', 'updated_at']);
    assert.match(docOf(r.items, 'category'), /leading column of index `idx_product_category`/);
    assert.match(docOf(r.items, 'name'), /not indexed/);
    assert.match(docOf(r.items, 'price'), /`float = 0\.0`/);
    assert.match(docOf(r.items, 'sku'), /unique index `uq_product_sku`/);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("ProductListNode", "list", {"filter": {"price": {"$|"}}})\n');
    assert.deepEqual(labels(r.items), ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$regex', '$exists', '$null']);
    assert.match(docOf(r.items, '$exists'), /\{"\$exists": False\} still means IS NOT NULL/);
    assert.equal(replaced(r.text, r.items[0]), '$');
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("ProductBulkUpdateNode", "b", {"filter": {"price": {"|"}}, "fields": {"category": "x"}})\n');
    assert.deepEqual(labels(r.items), ['$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$ne']);
    await client.close(uri);
    // ReadNode reads only the id of its conditions.
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("ProductReadNode", "r", {"conditions": {"|"}})\n');
    assert.deepEqual(labels(r.items), ['id']);
  });

  it('data records, fields, order_by (with -field), conflict_on: the model fields', async () => {
    let r = await at('    wf.add_node("OrderBulkCreateNode", "b", {"data": [{"status": "x"}, {"|"}]})\n');
    assert.deepEqual(labels(r.items), ['status', 'total', 'product_id', 'id']);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("OrderUpdateNode", "u", {"filter": {"id": 1}, "fields": {"|"}})\n');
    assert.deepEqual(labels(r.items), ['status', 'total', 'product_id']);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("ProductListNode", "list", {"order_by": ["-|"]})\n');
    assert.ok(labels(r.items).includes('-price') && labels(r.items).includes('price'));
    assert.equal(replaced(r.text, r.items[0]), '-');
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('    wf.add_node("ProductBulkUpsertNode", "up", {"data": rows, "conflict_on": ["|"]})\n');
    assert.deepEqual(labels(r.items), ['name', 'price', 'category', 'sku', 'id']);
  });

  it('add_connection: the source node\'s output keys (dotted record.id), the workflow\'s node ids, the target node\'s parameters', async () => {
    const nodes = '    wf.add_node("ProductUpsertNode", "upsert", {"where": {"sku": "A1"}, "update": {"price": 2.0}})\n'
      + '    wf.add_node("ProductListNode", "list", {"limit": 5})\n'
      + '    wf.add_node("OrderCreateNode", "order", {"total": 1.0})\n';
    let r = await at(`${nodes}    wf.add_connection("upsert", "record.|`);
    assert.deepEqual(labels(r.items).slice(0, 3), ['created', 'record', 'action']);
    assert.ok(labels(r.items).includes('record.id'));
    assert.equal(replaced(r.text, r.items.find((i) => i.label === 'record.id')!), 'record.');
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at(`${nodes}    wf.add_connection("list", "|")\n`);
    assert.deepEqual(labels(r.items), ['records', 'count', 'limit', '_cache']);
    assert.match(docOf(r.items, 'count'), /the page length, not the total/);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at(`${nodes}    wf.add_connection("upsert", "record.id", "|`);
    assert.deepEqual(labels(r.items), ['list', 'order']);
    assert.equal(r.items[1].detail, 'OrderCreateNode');
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at(`${nodes}    wf.add_connection("upsert", "record.id", "order", "|")\n`);
    assert.deepEqual(labels(r.items), ['database_url', 'status', 'total', 'product_id']);
  });

  it('DataFlow( keywords: those with an effect first, no-ops last and marked deprecated; __dataflow__ = {" gives the known keys', async () => {
    let r = await at('    other = DataFlow("postgresql://localhost/x", |)\n');
    const sorted = [...r.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.ok(!labels(r.items).includes('database_url'), 'given positionally');
    assert.equal(sorted[0].label, 'config');
    assert.equal(sorted[sorted.length - 1].detail, 'no effect in 2.20');
    const echo = r.items.find((i) => i.label === 'echo')!;
    assert.deepEqual(echo.tags, [CompletionItemTag.Deprecated]);
    assert.equal((echo.textEdit as TextEdit).newText, 'echo=');
    assert.match(docOf(r.items, 'slow_query_threshold'), /Seconds, not ms/);
    const rank = (l: string) => sorted.findIndex((i) => i.label === l);
    assert.ok(rank('auto_migrate') < rank('pool_size') && rank('pool_size') < rank('echo'));
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('\n\n@db.model\nclass Coupon:\n    code: str\n    __dataflow__ = {"|"}\n');
    assert.deepEqual(labels(r.items), ['soft_delete', 'multi_tenant', 'indexes', 'retention', 'use_native_arrays', 'audit_log']);
    assert.match(docOf(r.items, 'multi_tenant'), /not read per model/);
    await client.close(uri);
    uri = fileUri(path.join(dir, `app${++n}.py`));
    r = await at('\n\n@db.model\nclass Coupon:\n    code: str\n    __dataflow__ = {"indexes": [{"fields": ["|"]}]}\n');
    assert.deepEqual(labels(r.items), ['code']);
  });

  it('typed keystroke by keystroke (incremental didChange), add_node(" still completes; an unquoted dict key gets quotes', async () => {
    await client.open(uri, `${HEAD}    return wf\n`);
    const at0 = HEAD.length;
    const typed = '    wf.add_node("';
    for (let i = 0; i < typed.length; i++) await client.changeAt(uri, at0 + i, at0 + i, typed[i]);
    let text = client.text(uri);
    let items = await complete(positionAt(text, at0 + typed.length));
    assert.equal(items.length, 22);
    const more = 'ProductListNode", "l", {fil';
    for (let i = 0; i < more.length; i++) await client.changeAt(uri, at0 + typed.length + i, at0 + typed.length + i, more[i]);
    text = client.text(uri);
    const cursor = at0 + typed.length + more.length;
    items = await complete(positionAt(text, cursor));
    const filter = items.find((i) => i.label === 'filter')!;
    assert.equal((filter.textEdit as TextEdit).newText, '"filter"');
    assert.equal(replaced(text, filter), 'fil');
  });

  it('unknown models, unknown calls, comments and plain strings: no items, and the server keeps answering', async () => {
    for (const body of [
      '    wf.add_node("NopeListNode", "l", {"filter": {"|"}})\n',
      '    wf.add_node("NopeListNode", "l", {"|"})\n',
      '    return db.express.list("Nope", {"|"})\n',
      '    wf.add_connection("missing", "|")\n',
      '    print("|")\n',
      '    # wf.add_node("|\n',
      '    x = {"filter": {"|"}}\n',
      '    wf.add_node("ProductListNode", "l", {"filter": {"name": "|"}})\n',
    ]) {
      const r = await at(body);
      assert.deepEqual(r.items, [], body);
      await client.close(uri);
      uri = fileUri(path.join(dir, `app${++n}.py`));
    }
    // Every position of a half-typed file answers with a list (never an error).
    const messy = `${HEAD}    wf.add_node("ProductListNode", "l", {"filter": {"price": {"$gt": 1}, "na\n    wf.add_connection("l", "rec\n    db.express.list("Pro\n    DataFlow(po\n    cfg = {"sort": [{"order": "\n`;
    await client.open(uri, messy);
    for (let off = 0; off <= messy.length; off += 3) {
      const items = await complete(positionAt(messy, off));
      assert.ok(items.every((i) => typeof i.label === 'string' && i.label.length > 0), `offset ${off}: ${JSON.stringify(items.slice(0, 3))}`);
    }
    // Each broken line still completes on its own: the strings left open end their line.
    assert.deepEqual(labels(await complete(positionAt(messy, messy.lastIndexOf('"Pro') + 4))).sort(), ['Order', 'Product']);
    assert.ok(labels(await complete(positionAt(messy, messy.indexOf('"na') + 3))).includes('name'));
    assert.deepEqual(labels(await complete(positionAt(messy, messy.indexOf('"rec') + 4))), ['records', 'count', 'limit', '_cache']);
    // A dict in a variable no node uses is not a node config.
    assert.deepEqual(await complete(positionAt(messy, messy.indexOf('"order": "') + 10)), []);
  });
});
