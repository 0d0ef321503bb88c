import * as assert from 'node:assert/strict';
import {
  FloatNumber,
  PyClass,
  PyDict,
  PyFloat,
  PyList,
  PyTypeAlias,
  PyValue,
  fromPlain,
  hostFunction,
  toPlain,
} from '../../../server/src/runtime/python';
import { PyDateTime } from '../../../server/src/runtime/shared/hostValues';
import { Recorder, fakeHostModules } from './fakeHost';
import { evaluate, run } from './helpers';

describe('python evaluator: host modules', () => {
  it('add_node receives positional args, kwargs, f-string ids, locations and the loop stack', async () => {
    const rec = new Recorder();
    const src = [
      'from kailash.workflow.builder import WorkflowBuilder', // 1
      '', // 2
      'wf = WorkflowBuilder()', // 3
      'for i in range(3):', // 4
      '    wf.add_node("ProductCreateNode", f"create_{i}", {"name": f"p{i}", "price": i * 1.5})', // 5
      'wf.add_node(node_type="ProductListNode", node_id="list", config={"limit": 10})', // 6
      'def helper(wf, items):', // 7
      '    for j, item in enumerate(items):', // 8
      '        wf.add_node("ItemUpdateNode", "u_" + str(item), id=item)', // 9
      'for k in range(2):', // 10
      '    helper(wf, [k * 10, k * 10 + 1])', // 11
      '[wf.add_node("ProductDeleteNode", f"d{x}", {"id": x}) for x in [7, 8]]', // 12
    ].join('\n');
    await evaluate(src, { hostModules: fakeHostModules(rec) });
    assert.equal(rec.nodes.length, 3 + 1 + 4 + 2);
    const [n0, , n2] = rec.nodes;
    assert.equal(n0.type, 'ProductCreateNode');
    assert.equal(n0.id, 'create_0');
    assert.deepEqual(n2.config, { name: 'p2', price: 3 });
    assert.equal(n0.site.file, 'case.py');
    assert.equal(n0.site.line, 5);
    assert.equal(n0.site.column, 5);
    assert.equal(n0.site.endLine, 5);
    assert.equal(n0.site.callee, 'wf.add_node');
    assert.equal(src.slice(n0.site.startIndex, n0.site.endIndex).startsWith('wf.add_node("ProductCreateNode"'), true);
    assert.deepEqual(
      n2.site.loops.map((l) => [l.kind, l.line, l.column, l.iteration, l.function]),
      [['for', 4, 1, 2, '<module>']],
    );
    const kw = rec.nodes[3];
    assert.deepEqual([kw.type, kw.id, kw.config, kw.site.loops.length], ['ProductListNode', 'list', { limit: 10 }, 0]);
    // loops across a function call: the caller's loop, then the helper's loop
    const h = rec.nodes[7];
    assert.deepEqual([h.id, h.config], ['u_11', { id: 11 }]);
    assert.deepEqual(
      h.site.loops.map((l) => [l.kind, l.line, l.iteration, l.function]),
      [
        ['for', 10, 1, '<module>'],
        ['for', 8, 1, 'helper'],
      ],
    );
    assert.deepEqual(
      h.site.stack.map((s) => [s.function, s.line]),
      [
        ['<module>', 11],
        ['helper', 9],
      ],
    );
    const c = rec.nodes[9];
    assert.deepEqual([c.id, c.site.line, c.site.loops.map((l) => [l.kind, l.line, l.iteration])], ['d8', 12, [['comprehension', 12, 1]]]);
  });

  it('the host can raise Python exceptions; plain host errors are catchable with except Exception', async () => {
    const rec = new Recorder();
    const src = [
      'from kailash.workflow.builder import WorkflowBuilder, WorkflowValidationError',
      'from dataflow import DataFlow',
      'db = DataFlow("postgresql://x")',
      'wf = WorkflowBuilder()',
      'try:',
      '    for i in range(3):',
      '        wf.add_node("XCreateNode", "create", {})',
      'except WorkflowValidationError as e:',
      '    print("duplicate:", e)',
      'try:',
      '    db.express_sync.fail()',
      'except Exception as e:',
      '    print(type(e).__name__, e)',
    ].join('\n');
    assert.equal(await run(src, { hostModules: fakeHostModules(rec) }), "duplicate: Node ID 'create' already exists in workflow\nDataFlowConnectionError database unavailable\n");
  });

  it('@db.model and @db.model(...) expose the class: annotations, attributes, decorators, location', async () => {
    const rec = new Recorder();
    const src = [
      'from typing import Optional, List, Dict, Any', // 1
      'from datetime import datetime', // 2
      'from dataflow import DataFlow', // 3
      'import os', // 4
      'db = DataFlow(os.getenv("DATABASE_URL"), pool_size=20)', // 5
      '', // 6
      '@db.model', // 7
      'class Product:', // 8
      '    name: str', // 9
      '    price: float = 0.0', // 10
      '    stock: Optional[int] = None', // 11
      '    tags: List[str]', // 12
      '    attrs: dict = {}', // 13
      '    meta: Dict[str, Any]', // 14
      '    note: str | None = None', // 15
      '    created: datetime = datetime.now', // 16
      '    owner: "User"', // 17
      '    __tablename__ = "products"', // 18
      '    __dataflow__ = {"indexes": [{"name": "idx_p_name", "fields": ["name"], "unique": True}]}', // 19
      '    __indexes__ = [{"name": "ignored", "fields": ["price"]}]', // 20
      '', // 21
      '@db.model(append_only=True)', // 22
      'class Event(Product):', // 23
      '    kind: str', // 24
      'print(Product.__name__, Event.__tablename__)',
    ].join('\n');
    const result = await evaluate(src, { hostModules: fakeHostModules(rec), env: { DATABASE_URL: 'postgresql://app@h/db' } });
    assert.equal(result.output, 'Product products\n');
    assert.deepEqual(rec.dataflows, [{ args: ['postgresql://app@h/db'], kwargs: { pool_size: 20 } }]);
    const [p, e] = rec.models;
    assert.equal(p.name, 'Product');
    assert.deepEqual(
      p.annotations.map((a) => [a.name, a.source, a.hasDefault]),
      [
        ['name', 'str', false],
        ['price', 'float', true],
        ['stock', 'Optional[int]', true],
        ['tags', 'List[str]', false],
        ['attrs', 'dict', true],
        ['meta', 'Dict[str, Any]', false],
        ['note', 'str | None', true],
        ['created', 'datetime', true],
        ['owner', '"User"', false],
      ],
    );
    const ann = new Map(p.annotations.map((a) => [a.name, a]));
    assert.ok(ann.get('name')!.value instanceof PyClass && (ann.get('name')!.value as PyClass).name === 'str');
    assert.ok(ann.get('stock')!.value instanceof PyTypeAlias);
    assert.equal((ann.get('stock')!.value as PyTypeAlias).name, 'typing.Optional');
    assert.equal(((ann.get('tags')!.value as PyTypeAlias).args[0] as PyClass).name, 'str');
    assert.equal((ann.get('created')!.value as PyClass).name, 'datetime');
    assert.equal(ann.get('owner')!.value, 'User');
    assert.equal(ann.get('name')!.loc!.line, 9);
    assert.equal(ann.get('name')!.node!.text, 'str');
    assert.deepEqual(toPlain(p.attributes.get('__dataflow__')!), { indexes: [{ name: 'idx_p_name', fields: ['name'], unique: true }] });
    assert.equal(p.attributes.get('__tablename__'), 'products');
    assert.deepEqual(toPlain(p.attributes.get('__indexes__')!), [{ name: 'ignored', fields: ['price'] }]);
    assert.ok(p.attributes.get('price') instanceof PyFloat);
    assert.equal(p.attributes.get('stock'), null);
    assert.equal(p.attributes.has('name'), false);
    assert.deepEqual(p.decorators.map((d) => [d.source, d.loc.line]), [['db.model', 7]]);
    assert.deepEqual([p.loc!.line, p.loc!.column], [8, 1]);
    assert.equal(e.name, 'Event');
    assert.deepEqual(e.bases, ['Product']);
    assert.deepEqual(rec.modelClasses[1].allAnnotations().map((a) => a.name), ['name', 'price', 'stock', 'tags', 'attrs', 'meta', 'note', 'created', 'owner', 'kind']);
    assert.deepEqual(e.decorators.map((d) => d.source), ['db.model(append_only=True)']);
    assert.ok(rec.events.includes('model-options:append_only'));
    result.dispose();
  });

  it('with LocalRuntime() as rt: enter/exit, execute returns (results, run_id); exceptions reach exit', async () => {
    const rec = new Recorder();
    const src = [
      'from kailash.workflow.builder import WorkflowBuilder',
      'from kailash.runtime.local import LocalRuntime',
      'wf = WorkflowBuilder()',
      'wf.add_node("ItemCreateNode", "create", {"name": "a"})',
      'with LocalRuntime() as runtime:',
      '    results, run_id = runtime.execute(wf.build(), parameters={"create": {"x": 1}})',
      'print(results["create"]["name"], run_id)',
      'try:',
      '    with LocalRuntime() as rt:',
      '        raise ValueError("boom")',
      'except ValueError as e:',
      '    print("after exit", e)',
    ].join('\n');
    assert.equal(await run(src, { hostModules: fakeHostModules(rec) }), 'a run-1\nafter exit boom\n');
    assert.deepEqual(rec.events, ['enter', 'exit:none', 'enter', 'exit:ValueError']);
    assert.deepEqual(rec.executions.map((x) => [x.nodes, x.params, x.site.line]), [[1, { create: { x: 1 } }, 6]]);
  });

  it('async host functions are awaited: express calls in loops, asyncio.run, execute_workflow_async', async () => {
    const rec = new Recorder();
    const src = [
      'import asyncio',
      'from dataflow import DataFlow',
      'from kailash.workflow.builder import WorkflowBuilder',
      'from kailash.runtime import AsyncLocalRuntime',
      'db = DataFlow()',
      'async def publish(posts):',
      '    out = []',
      '    for post in posts:',
      '        created = await db.express.create("BlogPost", post)',
      '        out.append(created["id"])',
      '    users = [await db.express.read("User", uid) for uid in [1, 2]]',
      '    wf = WorkflowBuilder()',
      '    wf.add_node("BlogPostListNode", "l", {})',
      '    results, _ = await AsyncLocalRuntime().execute_workflow_async(wf.build(), inputs={})',
      '    return out, [u["email"] for u in users], sorted(results)',
      'print(asyncio.run(publish([{"title": "a"}, {"title": "b"}])))',
    ].join('\n');
    assert.equal(await run(src, { hostModules: fakeHostModules(rec) }), "([1, 2], ['u1@x', 'u2@x'], ['l'])\n");
    assert.deepEqual(rec.express.map((x) => [x.op, x.site.line, x.site.loops.map((l) => `${l.kind}@${l.line}#${l.iteration}`).join(',')]), [
      ['create', 9, 'for@8#0'],
      ['create', 9, 'for@8#1'],
      ['read', 11, 'comprehension@11#0'],
      ['read', 11, 'comprehension@11#1'],
    ]);
  });

  it('db.add_node wrapper, kwargs forwarding and host functions calling Python callbacks', async () => {
    const rec = new Recorder();
    const hm = fakeHostModules(rec);
    hm.helpers = {
      apply: hostFunction('apply', (args, _kw, ctx) => ctx.evaluator.call(args[0], [args[1]])),
      describe: hostFunction('describe', (args, kw, ctx) => `${ctx.evaluator.repr(args[0])}|${[...kw.keys()].join(',')}|${ctx.site.callee}|${ctx.site.line}`),
    };
    const src = [
      'from dataflow import DataFlow',
      'from kailash.workflow.builder import WorkflowBuilder',
      'from helpers import apply, describe',
      'db = DataFlow()',
      'wf = WorkflowBuilder()',
      'db.add_node(wf, "Order", "Create", "one", {"total": 2.0})',
      'print(apply(lambda v: v * 3, 14), describe([1, "a"], x=1, y=2))',
    ].join('\n');
    assert.equal(await run(src, { hostModules: hm }), "42 [1, 'a']|x,y|describe|7\n");
    assert.deepEqual(rec.nodes.map((n) => [n.type, n.id, n.config]), [['OrderCreateNode', 'one', { total: 2 }]]);
  });

  it('toPlain / fromPlain conversions', () => {
    const v = fromPlain({ a: 1, b: 1.5, c: [true, null, 'x'], d: new FloatNumber(3), e: new Map<unknown, unknown>([[1, 'one']]), f: 2 ** 60 });
    assert.ok(v instanceof PyDict);
    const d = v as PyDict;
    assert.equal(d.get('a'), 1);
    assert.ok(d.get('b') instanceof PyFloat);
    assert.ok(d.get('d') instanceof PyFloat);
    assert.ok(d.get('c') instanceof PyList);
    assert.equal((d.get('e') as PyDict).get(1), 'one');
    assert.ok(d.get('f') instanceof PyFloat, 'unsafe integral numbers become floats');
    assert.ok(fromPlain({ price: 3 }, { isFloat: (path) => path[path.length - 1] === 'price' }) instanceof PyDict);
    assert.ok((fromPlain({ price: 3 }, { isFloat: (path) => path[path.length - 1] === 'price' }) as PyDict).get('price') instanceof PyFloat);
    assert.equal(fromPlain(10n ** 20n), 10n ** 20n);
    const plain = toPlain(d) as Record<string, unknown>;
    assert.deepEqual(plain.c, [true, null, 'x']);
    assert.equal(plain.d, 3);
    assert.ok(plain.e instanceof Map);
    const marked = toPlain(d, { floats: 'marker', nonStringKeys: 'stringify' }) as Record<string, unknown>;
    assert.ok(marked.d instanceof FloatNumber);
    assert.deepEqual(marked.e, { '1': 'one' });
  });

  it('toPlain of datetime/Decimal/UUID/enum/dataclass values', async () => {
    const src = [
      'from datetime import datetime, date',
      'from decimal import Decimal',
      'from enum import Enum',
      'from dataclasses import dataclass',
      'import uuid',
      'class S(Enum):',
      '    A = "a"',
      '@dataclass',
      'class P:',
      '    x: int',
      '    y: float = 1.0',
      'VALUE = {"when": datetime(2024, 1, 2, 3, 4, 5), "day": date(2024, 1, 2), "amount": Decimal("1.50"), "s": S.A, "p": P(3), "t": (1, 2), "set": {1}, "u": uuid.UUID(int=0) if False else "u"}',
    ].join('\n');
    const r = await evaluate(src);
    const plain = toPlain(r.globals.get('VALUE') as PyValue) as Record<string, unknown>;
    assert.ok(plain.when instanceof PyDateTime);
    assert.equal((plain.when as PyDateTime).iso, '2024-01-02T03:04:05');
    assert.equal(String(plain.day), '2024-01-02');
    assert.equal(String(plain.amount), '1.50');
    assert.equal(plain.s, 'a');
    assert.deepEqual(plain.p, { x: 3, y: 1 });
    assert.deepEqual(plain.t, [1, 2]);
    assert.deepEqual(plain.set, [1]);
    r.dispose();
  });

  it('resolveModule evaluates other user files (from models import db)', async () => {
    const rec = new Recorder();
    const files: Record<string, string> = {
      models: 'from dataflow import DataFlow\ndb = DataFlow("postgresql://x")\n@db.model\nclass Customer:\n    email: str\nCOUNT = 3\n',
    };
    const src = 'from models import db, COUNT\nimport models\nprint(COUNT, models.COUNT, type(db).__name__)\ntry:\n    from models import nothing\nexcept ImportError as e:\n    print(e)';
    const out = await run(src, { hostModules: fakeHostModules(rec), resolveModule: (name) => (files[name] ? { source: files[name], fileName: `${name}.py` } : undefined) });
    assert.equal(out, "3 3 DataFlow\ncannot import name 'nothing' from 'models' (models.py)\n");
    assert.deepEqual(rec.models.map((m) => [m.name, m.loc!.file]), [['Customer', 'models.py']]);
  });
});
