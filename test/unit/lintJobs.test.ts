// dataflow-lint --jobs: the built CLI (dist/dataflow-lint.js) run as a separate process on one
// thread and on worker threads over a fixture project whose findings need other files (models in
// one file, their DataFlow instance in another, workflows in others, two projects' models of the
// same name, a suppression, a binary file): every output format must be the same, byte for byte
// apart from the summary's milliseconds, whatever the number of threads.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LINT_JS } from '../helpers/lspClient';

const DB_PY = `from dataflow import DataFlow

db = DataFlow("postgresql://user:pw@localhost/shop", pool_size=5, pool_max_overflow=30)
`;

const BASE_PY = `class Stamped:
    created_by: str
    tenant: str
`;

const SHOP_MODELS_PY = `from shop.core.db import db
from shop.core.base import Stamped


@db.model
class Product:
    name: str
    price: int
    category: str
    __dataflow__ = {"indexes": [{"name": "idx_product_name", "fields": ["name"]}]}


@db.model
class Order(Stamped):
    product_id: int
    quantity: int
`;

const CRM_MODELS_PY = `from dataflow import DataFlow

crm = DataFlow("postgresql://localhost/crm")


@crm.model
class Product:
    sku: str
    region: str
`;

const importFlow = (i: number) => `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from shop.models import Product


def import_products_${i}(rows):
    workflow = WorkflowBuilder()
    for i, row in enumerate(rows):
        workflow.add_node("ProductCreateNode", f"create_{i}", {"name": row["name"], "price": row["price"]})
    runtime = LocalRuntime()
    results, run_id = runtime.execute(workflow.build())
    return results


def by_category_${i}(category):
    workflow = WorkflowBuilder()
    workflow.add_node("ProductListNode", "list", {"filter": {"category": category}, "limit": 50})${i === 3 ? '  # dataflow: ignore[missing-index]' : ''}
    return LocalRuntime().execute(workflow.build())
`;

const orderJob = (i: number) => `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime
from shop.models import Order


def by_tenant_${i}(tenant, ids):
    workflow = WorkflowBuilder()
    workflow.add_node("OrderListNode", "list", {"filter": {"tenant": tenant, "created_by": "me"}})
    for pid in ids:
        workflow.add_node("OrderReadNode", f"read_{pid}", {"id": pid})
    return LocalRuntime().execute(workflow.build())
`;

const CRM_SYNC_PY = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime


def regions(region):
    wf = WorkflowBuilder()
    wf.add_node("ProductListNode", "list", {"filter": {"region": region}})
    return LocalRuntime().execute(wf.build())
`;

interface Run { status: number | null; stdout: string; stderr: string }

function lint(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [LINT_JS, ...args], { cwd, encoding: 'utf8', timeout: 120000, env: { ...process.env, DATAFLOW_LINT_TIMINGS: '1' } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The output without what legitimately differs between runs: milliseconds and the timings line. */
function comparable(r: Run): { status: number | null; stdout: string; stderr: string } {
  const ms = (s: string) => s.replace(/ checked in \d+ ms:/g, ' checked in N ms:');
  return { status: r.status, stdout: ms(r.stdout), stderr: ms(r.stderr.split('\n').filter((l) => !l.startsWith('dataflow-lint: timings:')).join('\n')) };
}

function threadsOf(r: Run): number {
  const m = /^dataflow-lint: timings: threads=(\d+) /m.exec(r.stderr);
  assert.ok(m, `no timings line in:\n${r.stderr}`);
  return Number(m[1]);
}

describe('dataflow-lint --jobs: the same output on one thread and on worker threads', function () {
  this.timeout(180000);
  let tmp: string;
  let proj: string;

  before(() => {
    assert.ok(fs.existsSync(LINT_JS), `${LINT_JS} is missing: build first`);
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-jobs-')));
    proj = path.join(tmp, 'fx');
    const files: Record<string, string | Buffer> = {
      'pyproject.toml': '[project]\nname = "fx"\n',
      'requirements.txt': 'kailash-dataflow==0.9.0\npsycopg2\n',
      'shop/__init__.py': '',
      'shop/core/__init__.py': '',
      'shop/core/db.py': DB_PY,
      'shop/core/base.py': BASE_PY,
      'shop/models.py': SHOP_MODELS_PY,
      'shop/flows/__init__.py': '',
      'shop/jobs/__init__.py': '',
      'shop/plain.py': 'import os\nprint(os.getcwd())\n',
      'shop/blob.py': Buffer.from('x = 1\u0000\u0001 dataflow\n'),
      'crm/__init__.py': '',
      'crm/models.py': CRM_MODELS_PY,
      'crm/sync.py': CRM_SYNC_PY,
    };
    for (let i = 1; i <= 4; i++) files[`shop/flows/import_${i}.py`] = importFlow(i);
    for (let i = 1; i <= 3; i++) files[`shop/jobs/orders_${i}.py`] = orderJob(i);
    for (const [rel, text] of Object.entries(files)) {
      const p = path.join(proj, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    }
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  for (const format of ['human', 'json', 'sarif']) {
    it(`--format ${format}: --jobs 1, 2 and 3 print the same findings in the same order`, () => {
      const one = lint(['.', '--format', format, '--jobs', '1'], proj);
      assert.equal(threadsOf(one), 1);
      for (const jobs of [2, 3]) {
        const many = lint(['.', '--format', format, '--jobs', String(jobs)], proj);
        assert.equal(threadsOf(many), jobs, 'the analysis ran on worker threads');
        assert.deepEqual(comparable(many), comparable(one), `--jobs ${jobs} differs from --jobs 1`);
      }
    });
  }

  it('the findings that need other files are there (so the threads shared them)', () => {
    const r = lint(['.', '--format', 'json', '--jobs', '2', '--fail-on', 'never'], proj);
    assert.equal(r.status, 0, r.stderr);
    const found = (JSON.parse(r.stdout) as Array<{ file: string; line: number; code: string; message: string }>).map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`);
    // crm's Product (crm/models.py), not shop's: "region" is a field of crm's only.
    assert.ok(found.some((f) => f.startsWith('crm/sync.py:7 DF003') && /"region"/.test(f)), found.join('\n'));
    // shop's Product (shop/models.py, its instance in shop/core/db.py) indexes name, not category;
    // import_3.py suppresses the finding.
    const category = found.filter((f) => /^shop\/flows\/import_\d\.py:17 DF003/.test(f) && /"category"/.test(f));
    assert.deepEqual(category.map((f) => f.split(':')[0]), ['shop/flows/import_1.py', 'shop/flows/import_2.py', 'shop/flows/import_4.py']);
    assert.equal(found.filter((f) => / DF001 /.test(f)).length, 4);
    assert.equal(found.filter((f) => / DF002 /.test(f)).length, 3);
    assert.ok(found.some((f) => f.startsWith('shop/core/db.py:3 DF004')), found.join('\n'));
    assert.match(r.stderr, /skipped .*blob\.py: the file contains NUL bytes/);
  });

  it('a run with one file to parse stays on this thread whatever --jobs says', () => {
    const args = ['shop/flows/import_1.py', '--no-project', '--format', 'json'];
    const single = lint([...args, '--jobs', '8'], proj);
    assert.equal(threadsOf(single), 1);
    assert.deepEqual(comparable(single), comparable(lint([...args, '--jobs', '1'], proj)));
    assert.ok((JSON.parse(single.stdout) as Array<{ code: string }>).some((f) => f.code === 'DF001'), single.stdout);
  });

  it('--jobs takes a positive whole number', () => {
    for (const bad of ['0', '-1', 'two', '1.5']) {
      const r = lint(['.', '--jobs', bad], proj);
      assert.equal(r.status, 2, bad);
      assert.match(r.stderr, /--jobs takes a positive whole number/);
      assert.equal(r.stdout, '');
    }
  });
});
