// Scope-correct model resolution (workspaceModel.resolveModel): each scope level, identical vs
// different definitions, projects, caching and invalidation, over small multi-file workspaces.
import * as assert from 'node:assert/strict';
import { analyze, ready, uriOf, workspaceOf } from '../helpers/analysis';
import { SourceFile } from '../../server/src/model/sourceFile';
import { scanImports } from '../../server/src/model/moduleImports';
import type { WorkspaceModel } from '../../server/src/model/workspaceModel';

const R = '/ws';
const model = (name: string, fields: string, extra = '') => `@db.model\nclass ${name}:\n${fields.split(',').map((f) => `    ${f.trim()}: str`).join('\n')}\n${extra}`;
const HEAD = 'from dataflow import DataFlow\n\ndb = DataFlow("postgresql://localhost/app")\n\n';
const USE = (imports = '', fn = 'run') => `${imports}\nfrom kailash.workflow.builder import WorkflowBuilder\n\n\ndef ${fn}(wf):\n    wf.add_node("UserListNode", "l", {"filter": {"email": "x"}})\n`;

/** Where the model "User" used in `file` (at the first add_node) resolves: `via file:field-list` or `ambiguous(n)`. */
function at(ws: WorkspaceModel, file: string, name = 'User'): string {
  const uri = uriOf(file);
  const f = ws.get(uri)!;
  const node = f.facts.nodes[0];
  const r = ws.resolveModel(name, { uri, offset: node.span.start, functionName: node.functionName });
  if (!r.candidates.length) return 'none';
  if (!r.model) return `${r.via} ambiguous(${r.candidates.length})`;
  return `${r.via} ${r.model.uri.slice(`file://${R}/`.length)}:${r.model.fields.map((x) => x.name).join(',')}`;
}

describe('model resolution: scopes', () => {
  before(ready);

  it('1. the enclosing function: a model defined in the test function wins over module level and other functions', () => {
    const ws = workspaceOf({
      [`${R}/tests/test_users.py`]: `${HEAD}${model('User', 'name')}\n\ndef test_a():\n    @db.model\n    class User:\n        email: str\n    wf.add_node("UserListNode", "l", {"filter": {"email": "x"}})\n\n\ndef test_b():\n    @db.model\n    class User:\n        phone: str\n`,
    });
    assert.equal(at(ws, `${R}/tests/test_users.py`), 'function tests/test_users.py:email');
  });

  it('1. nested functions see the model of the outer function; methods are functions too', () => {
    const ws = workspaceOf({
      [`${R}/t.py`]: `${HEAD}def test_outer():\n    @db.model\n    class User:\n        email: str\n\n    def inner(wf):\n        wf.add_node("UserListNode", "l", {})\n\n\nclass TestX:\n    def test_m(self, wf):\n        @db.model\n        class User:\n            phone: str\n        wf.add_node("UserListNode", "l", {})\n`,
    });
    const uri = uriOf(`${R}/t.py`);
    const nodes = ws.get(uri)!.facts.nodes;
    assert.deepEqual(nodes.map((n) => n.functionName), ['test_outer.inner', 'TestX.test_m']);
    const fields = nodes.map((n) => ws.resolveModel('User', { uri, offset: n.span.start, functionName: n.functionName }).model?.fields.map((f) => f.name).join(','));
    assert.deepEqual(fields, ['email', 'phone']);
    const cls = ws.get(uri)!.facts.classes;
    assert.deepEqual(cls.map((c) => [c.name, c.enclosingFunction, c.enclosingClass]), [['User', 'test_outer', undefined], ['TestX', undefined, undefined], ['User', 'TestX.test_m', 'TestX']]);
  });

  it('1. a model redefined in the same function: a use sees the last definition before it', () => {
    const ws = workspaceOf({
      [`${R}/t.py`]: `${HEAD}def test_versions(wf):
    @db.model
    class User:
        email: str

    wf.add_node("UserListNode", "v1", {})

    @db.model
    class User:
        phone: str

    wf.add_node("UserListNode", "v2", {})
`,
    });
    const uri = uriOf(`${R}/t.py`);
    const fields = ws.get(uri)!.facts.nodes.map((n) => ws.resolveModel('User', { uri, offset: n.span.start, functionName: n.functionName }).model?.fields.map((f) => f.name).join(','));
    assert.deepEqual(fields, ['email', 'phone']);
  });

  it('2. pytest fixtures: a test uses the model its fixture parameter defines', () => {
    const ws = workspaceOf({
      [`${R}/test_x.py`]: `import pytest
${HEAD}class TestCount:
    @pytest.fixture
    def pg_db(self):
        @db.model
        class User:
            email: str
        return db

    @pytest.fixture
    def other_db(self):
        @db.model
        class User:
            phone: str
        return db

    def test_list(self, pg_db):
        wf.add_node("UserListNode", "l", {})

    def test_any(self):
        wf.add_node("UserListNode", "l", {})
`,
    });
    const uri = uriOf(`${R}/test_x.py`);
    const got = ws.get(uri)!.facts.nodes.map((n) => { const r = ws.resolveModel('User', { uri, offset: n.span.start, functionName: n.functionName }); return r.model ? r.model.fields.map((f) => f.name).join(',') : `ambiguous(${r.candidates.length})`; });
    assert.deepEqual(got, ['email', 'ambiguous(2)']);
  });

  it('2. the same file: module level first, then the functions of the file (ambiguous when they differ)', () => {
    const ws = workspaceOf({
      [`${R}/a.py`]: `${HEAD}${model('User', 'email')}\n${USE()}`,
      [`${R}/b.py`]: `${HEAD}def one():\n    @db.model\n    class User:\n        email: str\n\n\ndef two():\n    @db.model\n    class User:\n        phone: str\n${USE()}`,
      [`${R}/c.py`]: `${HEAD}def one():\n    @db.model\n    class User:\n        email: str\n${USE()}`,
      [`${R}/models.py`]: `${HEAD}${model('User', 'other')}`,
    });
    assert.equal(at(ws, `${R}/a.py`), 'file a.py:email');
    assert.equal(at(ws, `${R}/b.py`), 'file ambiguous(2)');
    assert.equal(at(ws, `${R}/c.py`), 'file c.py:email');
  });

  it('3. imports: from x import User, aliases, relative imports, star imports and __init__ re-exports', () => {
    const ws = workspaceOf({
      [`${R}/app/__init__.py`]: '',
      [`${R}/app/models/__init__.py`]: 'from .user import User\nfrom .org import *\n',
      [`${R}/app/models/user.py`]: `${HEAD}${model('User', 'email')}`,
      [`${R}/app/models/org.py`]: `${HEAD}${model('Org', 'slug')}\n${model('User', 'legacy')}`,
      [`${R}/app/other/models.py`]: `${HEAD}${model('User', 'other')}`,
      [`${R}/app/jobs/abs.py`]: USE('from app.models import User'),
      [`${R}/app/jobs/rel.py`]: USE('from ..models.user import User as U'),
      [`${R}/app/jobs/pkg.py`]: USE('from .. import models'),
      [`${R}/app/jobs/mod.py`]: USE('import app.models.user'),
      [`${R}/app/jobs/star.py`]: USE('from app.models.org import *'),
      [`${R}/app/jobs/anyname.py`]: USE('from app.other.models import db'),
    });
    assert.equal(at(ws, `${R}/app/jobs/abs.py`), 'import app/models/user.py:email', 'the re-export in __init__.py wins over the star import');
    assert.equal(at(ws, `${R}/app/jobs/rel.py`), 'import app/models/user.py:email');
    assert.equal(at(ws, `${R}/app/jobs/pkg.py`), 'import app/models/user.py:email');
    assert.equal(at(ws, `${R}/app/jobs/mod.py`), 'import app/models/user.py:email');
    assert.equal(at(ws, `${R}/app/jobs/star.py`), 'import app/models/org.py:legacy');
    assert.equal(at(ws, `${R}/app/jobs/anyname.py`), 'import app/other/models.py:other', 'importing anything from a module puts its models in scope for node types');
  });

  it('3. models a module defines inside a function (register_models(db)) come with an import of that module', () => {
    const ws = workspaceOf({
      [`${R}/svc/models.py`]: `${HEAD}def register_models(db):\n    @db.model\n    class User:\n        email: str\n`,
      [`${R}/svc/elsewhere.py`]: `${HEAD}${model('User', 'other')}`,
      [`${R}/svc/app.py`]: USE('from svc.models import register_models'),
    });
    assert.equal(at(ws, `${R}/svc/app.py`), 'import svc/models.py:email');
  });

  it('4. the same package: the same folder first, then up while the folder is a package; 5. then the project', () => {
    const ws = workspaceOf({
      [`${R}/shop/__init__.py`]: '',
      [`${R}/shop/models.py`]: `${HEAD}${model('User', 'email')}`,
      [`${R}/shop/flows/__init__.py`]: '',
      [`${R}/shop/flows/list.py`]: USE(),
      [`${R}/crm/models.py`]: `${HEAD}${model('User', 'phone')}`,
      [`${R}/crm/jobs.py`]: USE(),
      [`${R}/scripts/nopkg/run.py`]: USE(),
      [`${R}/lonely/run.py`]: USE(),
    });
    assert.equal(at(ws, `${R}/shop/flows/list.py`), 'package shop/models.py:email');
    assert.equal(at(ws, `${R}/crm/jobs.py`), 'package crm/models.py:phone');
    assert.equal(at(ws, `${R}/lonely/run.py`), 'workspace ambiguous(2)');
  });

  it('identical definitions count as one model; the nearest scope decides even if farther ones differ', () => {
    const ws = workspaceOf({
      [`${R}/a/models.py`]: `${HEAD}${model('User', 'email', '    __dataflow__ = {"indexes": [{"name": "ix", "fields": ["email"]}]}\n')}`,
      [`${R}/b/models.py`]: `${HEAD}${model('User', 'email', '    __dataflow__ = {"indexes": [{"name": "ix", "fields": ["email"]}]}\n')}`,
      [`${R}/c/models.py`]: `${HEAD}${model('User', 'email')}`,
      [`${R}/c/d/use.py`]: USE(),
      [`${R}/use.py`]: USE('from a.models import User\nfrom b.models import User'),
    });
    const r = ws.resolveModel('User', { uri: uriOf(`${R}/use.py`), offset: 0 });
    assert.equal(r.via, 'import');
    assert.equal(r.candidates.length, 2);
    assert.ok(r.model, 'two identical definitions are one model');
    assert.equal(at(ws, `${R}/c/d/use.py`), 'workspace ambiguous(3)');
  });

  it('projects: models of another project are never candidates', () => {
    const ws = workspaceOf({
      [`${R}/p1/models.py`]: `${HEAD}${model('User', 'email')}`,
      [`${R}/p2/models.py`]: `${HEAD}${model('User', 'phone')}`,
      [`${R}/p1/x/use.py`]: USE(),
    });
    assert.equal(at(ws, `${R}/p1/x/use.py`), 'workspace ambiguous(2)');
    ws.setProjectOf((uri) => (uri.includes('/p1/') ? 'p1' : 'p2'));
    assert.equal(at(ws, `${R}/p1/x/use.py`), 'workspace p1/models.py:email');
  });

  it('is cached per file, function and name, and follows edits of imports, models and the file set', () => {
    const ws = workspaceOf({
      [`${R}/m1.py`]: `${HEAD}${model('User', 'email')}`,
      [`${R}/m2.py`]: `${HEAD}${model('User', 'phone')}`,
      [`${R}/sub/use.py`]: USE('from m1 import User'),
    });
    const use = `${R}/sub/use.py`;
    const uri = uriOf(use);
    const n = ws.get(uri)!.facts.nodes[0];
    const site = { uri, offset: n.span.start, functionName: n.functionName };
    const first = ws.resolveModel('User', site);
    assert.equal(ws.resolveModel('User', site), first, 'the same answer object while nothing changed');
    assert.equal(at(ws, use), 'import m1.py:email');
    const key = ws.resolutionFingerprint();
    // Edit the import (no model changes): the answer and the engine's key change.
    const f = ws.get(uri)!;
    const text = f.text;
    const i = text.indexOf('m1');
    f.applyChanges([{ range: { start: f.doc.lines.positionAt(i), end: f.doc.lines.positionAt(i + 2) }, text: 'm2' }], 2);
    ws.changed(f);
    assert.equal(at(ws, use), 'import m2.py:phone');
    assert.notEqual(ws.resolutionFingerprint(), key);
    // An edit that leaves the imports alone keeps the key (findings stay cached).
    const key2 = ws.resolutionFingerprint();
    const j = f.text.indexOf('"x"');
    f.applyChanges([{ range: { start: f.doc.lines.positionAt(j + 1), end: f.doc.lines.positionAt(j + 2) }, text: 'y' }], 3);
    ws.changed(f);
    assert.equal(ws.resolutionFingerprint(), key2);
    // A model file edited: follows.
    const m2 = ws.get(uriOf(`${R}/m2.py`))!;
    const k = m2.text.indexOf('phone');
    m2.applyChanges([{ range: { start: m2.doc.lines.positionAt(k), end: m2.doc.lines.positionAt(k + 5) }, text: 'mobile' }], 2);
    ws.changed(m2);
    assert.equal(at(ws, use), 'import m2.py:mobile');
    // A new file closer to the use: follows.
    ws.delete(uriOf(`${R}/m2.py`));
    assert.equal(at(ws, use), 'workspace m1.py:email');
    ws.set(SourceFile.create(uriOf(`${R}/sub/models.py`), `${HEAD}${model('User', 'local')}`));
    assert.equal(at(ws, use), 'package sub/models.py:local');
  });

  it('the engine re-analyses a file when what its model name resolves to changes', () => {
    const ws = workspaceOf({
      [`${R}/indexed.py`]: `${HEAD}${model('User', 'email', '    __dataflow__ = {"indexes": [{"name": "ix", "fields": ["email"]}]}\n')}`,
      [`${R}/plain.py`]: `${HEAD}${model('User', 'email')}`,
      [`${R}/sub/use.py`]: USE('from indexed import User'),
    });
    const use = `${R}/sub/use.py`;
    assert.deepEqual(analyze(ws, use).map((f) => f.code), []);
    const f = ws.get(uriOf(use))!;
    const i = f.text.indexOf('indexed');
    f.applyChanges([{ range: { start: f.doc.lines.positionAt(i), end: f.doc.lines.positionAt(i + 7) }, text: 'plain' }], 2);
    ws.changed(f);
    assert.deepEqual(analyze(ws, use).map((x) => x.code), ['DF003']);
  });
});

describe('scanImports', () => {
  it('reads from/import statements, aliases, stars, relative modules, parentheses and continuations', () => {
    const text = [
      'import os, app.models as m',
      'from . import models',
      'from ..core.models import (',
      '    User as U,  # comment',
      '    Org,',
      ')',
      'from x import *',
      'from y import a, \\',
      '    b',
      'def f():',
      '    from z import q',
      'x = "from nope import no"',
    ].join('\n');
    assert.deepEqual(scanImports(text), [
      { kind: 'import', module: 'os', names: [] },
      { kind: 'import', module: 'app.models', names: [], alias: 'm' },
      { kind: 'from', module: '.', names: [{ name: 'models' }] },
      { kind: 'from', module: '..core.models', names: [{ name: 'User', alias: 'U' }, { name: 'Org' }] },
      { kind: 'from', module: 'x', names: [{ name: '*' }] },
      { kind: 'from', module: 'y', names: [{ name: 'a' }, { name: 'b' }] },
      { kind: 'from', module: 'z', names: [{ name: 'q' }] },
    ]);
  });
});

describe('files that never mention DataFlow', () => {
  before(ready);
  it('are parsed only when needed, and an edit that makes them relevant extracts their facts', () => {
    const f = SourceFile.create('file:///ws/plain.py', 'import os\nx = 1\n');
    assert.equal(f.relevant, false);
    f.applyChanges([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } }, text: 'from dataflow import DataFlow\ndb = DataFlow("postgresql://h/db", pool_size=2)' }], 1);
    assert.equal(f.relevant, true);
    assert.equal(f.facts.instances.length, 1);
    assert.ok(f.doc.tree);
    f.applyChanges([{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '# c\n' }], 2);
    assert.equal(f.facts.instances.length, 1);
    f.dispose();
  });
});
