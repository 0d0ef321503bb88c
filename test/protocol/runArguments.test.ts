// Protocol: what the editor's run prompts ask the server (issue 15 §2), over stdio. Typed argument
// values are read as Python literals by the server's own grammar (else JSON, else the text as a
// string), never evaluated; the models a run can create tables for are those the file can see.
// The same reading serves `dataflow-run --arg` (checked on the built CLI, with the DataFlow hint a
// KeyError: 'output' on a generated node's result gets).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { LspClient, fileUri } from '../helpers/lspClient';
import { tempDir, removeDir, writeFiles } from './fixtures';

const REPO = path.resolve(__dirname, '..', '..', '..');
const RUN_JS = path.join(REPO, 'dist', 'dataflow-run.js');

const MODELS = `from dataflow import DataFlow

db = DataFlow("postgresql://user:pw@localhost/shop")


@db.model
class Customer:
    email: str
    name: str


@db.model
class Order:
    customer_id: int
    total: int
`;

const JOBS = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

from models import db


def echo(value):
    return value


def place(name):
    workflow = WorkflowBuilder()
    workflow.add_node("CustomerCreateNode", "create", {"email": f"{name}@example.com", "name": name})
    with LocalRuntime() as runtime:
        results, run_id = runtime.execute(workflow.build())
    return results["create"]["output"]["id"]
`;

const OTHER = `from dataflow import DataFlow

other = DataFlow("postgresql://user:pw@localhost/other")


@other.model
class Invoice:
    number: str
`;

describe('protocol: run arguments as Python literals, and the models a run creates', function () {
  this.timeout(120000);
  let dir: string;
  let client: LspClient;

  before(async () => {
    dir = tempDir('dfp-args-');
    writeFiles(dir, { 'models.py': MODELS, 'jobs.py': JOBS, 'billing/other.py': OTHER, 'billing/pyproject.toml': '[project]\nname = "billing"\n', 'billing/run.py': 'from .other import other\nfrom . import app\n', 'billing/app.py': 'import models\n', 'pyproject.toml': '[project]\nname = "shop"\n' });
    client = await LspClient.start({ workspaceFolders: [dir] });
    await client.waitForIndexed();
  });
  after(async () => { await client?.dispose(); removeDir(dir); });

  const parse = (texts: Record<string, string>) => client.conn.sendRequest<Record<string, { value: unknown; as: string }>>('dataflow/parseArguments', { texts });

  it('reads Python literals, JSON and plain text', async () => {
    const r = await parse({
      n: '10', neg: '-3', f: '2.5', s: "'toys'", d: '"double"', l: "[1, 'a', None, True]", t: "('a', 'b')",
      m: "{'a': None, 'b': [1, 2], 3: 'x'}", j: '{"a": true, "b": null}', word: 'acct7', call: '__import__("os")',
      empty: '', nested: "{'k': {'v': (1,)}}", bytesish: "'multi' 'part'",
    });
    assert.deepEqual(r.n, { value: 10, as: 'python' });
    assert.deepEqual(r.neg, { value: -3, as: 'python' });
    assert.deepEqual(r.f, { value: 2.5, as: 'python' });
    assert.deepEqual(r.s, { value: 'toys', as: 'python' });
    assert.deepEqual(r.d, { value: 'double', as: 'python' });
    assert.deepEqual(r.l, { value: [1, 'a', null, true], as: 'python' });
    assert.deepEqual(r.t, { value: ['a', 'b'], as: 'python' });
    assert.deepEqual(r.m, { value: { a: null, b: [1, 2], 3: 'x' }, as: 'python' });
    // true/null are not Python: JSON reads them.
    assert.deepEqual(r.j, { value: { a: true, b: null }, as: 'json' });
    // Neither: the text itself, never evaluated.
    assert.deepEqual(r.word, { value: 'acct7', as: 'string' });
    assert.deepEqual(r.call, { value: '__import__("os")', as: 'string' });
    assert.deepEqual(r.empty, { value: '', as: 'string' });
    assert.deepEqual(r.nested, { value: { k: { v: [1] } }, as: 'python' });
    assert.deepEqual(r.bytesish, { value: 'multipart', as: 'python' });
  });

  it('names the models whose tables a run of the file creates: its own and those of the files it imports', async () => {
    const models = (file: string) => client.conn.sendRequest<string[]>('dataflow/runModels', { uri: fileUri(path.join(dir, file)) });
    assert.deepEqual(await models('jobs.py'), ['Customer', 'Order']);
    assert.deepEqual(await models('billing/other.py'), ['Invoice']);
    assert.deepEqual(await models('billing/run.py'), ['Customer', 'Invoice', 'Order'], 'through app.py, which defines none');
  });

  it('dataflow-run --arg takes Python literals, and KeyError: \'output\' gets the DataFlow hint', () => {
    const env = { ...process.env, DATAFLOW_PERF_DATA_DIR: path.join(dir, '.pglite') };
    const echo = spawnSync(process.execPath, [RUN_JS, 'jobs.py:echo', '--arg', "value={'tags': ('a', 'b'), 'n': None}", '--json'], { cwd: dir, encoding: 'utf8', env, timeout: 120000 });
    assert.equal(echo.status, 0, echo.stderr);
    assert.deepEqual(JSON.parse(echo.stdout).returned, { tags: ['a', 'b'], n: null });
    const place = spawnSync(process.execPath, [RUN_JS, 'jobs.py:place', '--arg', "name='bob'"], { cwd: dir, encoding: 'utf8', env, timeout: 120000 });
    assert.equal(place.status, 1, place.stderr);
    assert.match(place.stdout, /KeyError: 'output'/);
    assert.match(place.stdout, /^hint: DataFlow 2\.20 nodes return the record itself: use result\['create'\]\['id'\], not result\['create'\]\['output'\]\['id'\]\.$/m);
  });
});
