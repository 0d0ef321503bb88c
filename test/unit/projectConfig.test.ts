// Reading dependency declarations and worker counts from non-Python project files (DF033, DF034).
import * as assert from 'node:assert/strict';
import { parseDependencies, parseWorkers } from '../../server/src/model/projectConfig';
import { projectFileKind } from '../../server/src/workspace/projectFiles';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';

describe('project files', () => {
  it('recognises the files by name', () => {
    for (const n of ['pyproject.toml', 'requirements.txt', 'requirements-prod.txt', 'requirements.in', 'setup.py', 'setup.cfg', 'Pipfile']) assert.equal(projectFileKind(n), 'dependencies', n);
    for (const n of ['Dockerfile', 'Dockerfile.prod', 'api.dockerfile', 'docker-compose.yml', 'compose.yaml', 'docker-compose.prod.yaml', 'Procfile', '.env', '.env.production', 'web.env', 'gunicorn.conf.py', 'gunicorn_conf.py']) assert.equal(projectFileKind(n), 'deploy', n);
    for (const n of ['app.py', 'README.md', 'package.json', 'conftest.py', 'envoy.yaml']) assert.equal(projectFileKind(n), undefined, n);
  });

  it('finds kailash-dataflow declarations and their extras', () => {
    const req = parseDependencies('requirements.txt', 'fastapi\nkailash-dataflow[api, postgres-sync]>=2.20 ; python_version >= "3.11"\n# kailash-dataflow\n');
    assert.equal(req.dataflow.length, 1);
    assert.deepEqual(req.dataflow[0].extras, ['api', 'postgres-sync']);
    const toml = parseDependencies('pyproject.toml', '[project]\nname = "shop"\ndependencies = ["kailash-dataflow>=2.20", "psycopg2-binary"]\n[tool.uv.sources]\nkailash-dataflow = { path = "../df", editable = true }\n');
    assert.equal(toml.dataflow.length, 1);
    assert.equal(toml.dataflow[0].text, 'kailash-dataflow>=2.20');
    assert.equal(toml.psycopg2, true);
    const poetry = parseDependencies('pyproject.toml', '[tool.poetry.dependencies]\nkailash-dataflow = { version = "^2.20", extras = ["postgres-sync"] }\n');
    assert.deepEqual(poetry.dataflow[0].extras, ['postgres-sync']);
    const setup = parseDependencies('setup.py', 'setup(name="shop", install_requires=["kailash_dataflow==2.20.0"])\n');
    assert.equal(setup.dataflow.length, 1);
    const own = parseDependencies('pyproject.toml', '[project]\nname = "kailash-dataflow"\n[project.optional-dependencies]\nall = ["kailash-dataflow[postgres-sync]"]\n');
    assert.equal(own.isDataflowItself, true);
    const other = parseDependencies('requirements.txt', 'kailash-dataflow-extras==1.0\n-e ./packages/kailash-dataflow\nkailash>=2.63\n');
    assert.equal(other.dataflow.length, 0);
  });

  it('reads explicit worker counts only', () => {
    const w = (name: string, text: string) => parseWorkers(name, text).map((x) => x.workers);
    assert.deepEqual(w('gunicorn.conf.py', 'workers = 9\n'), [9]);
    assert.deepEqual(w('gunicorn.conf.py', 'workers = int(os.getenv("WEB_CONCURRENCY", "5"))\n'), [5]);
    assert.deepEqual(w('gunicorn.conf.py', 'workers = multiprocessing.cpu_count() * 2 + 1\n'), []);
    assert.deepEqual(w('Dockerfile', 'CMD ["gunicorn", "-w", "6", "app:api"]\n'), [6]);
    assert.deepEqual(w('Procfile', 'web: uvicorn app:api --workers=3\n'), [3]);
    assert.deepEqual(w('docker-compose.yml', 'services:\n  web:\n    command: gunicorn --workers 7 app:api\n    environment:\n      WEB_CONCURRENCY: "8"\n'), [7, 8]);
    assert.deepEqual(w('.env', 'WEB_CONCURRENCY=4\n# UVICORN_WORKERS=40\n'), [4]);
    assert.deepEqual(w('Dockerfile', 'RUN pip install gunicorn\nCMD python -m app\n'), []);
  });

  it('applies the nearest directory that has project files', () => {
    const ws = new WorkspaceModel();
    ws.setProjectFile({ uri: 'file:///r/requirements.txt', name: 'requirements.txt', kind: 'dependencies', text: 'a' });
    ws.setProjectFile({ uri: 'file:///r/svc/pyproject.toml', name: 'pyproject.toml', kind: 'dependencies', text: 'b' });
    assert.deepEqual(ws.nearestProjectFiles('file:///r/svc/pkg/app.py', 'dependencies').map((f) => f.name), ['pyproject.toml']);
    assert.deepEqual(ws.nearestProjectFiles('file:///r/other/app.py', 'dependencies').map((f) => f.name), ['requirements.txt']);
    assert.deepEqual(ws.nearestProjectFiles('file:///r/other/app.py', 'deploy'), []);
    const v = ws.projectFilesVersion;
    ws.setProjectFile({ uri: 'file:///r/requirements.txt', name: 'requirements.txt', kind: 'dependencies', text: 'a' });
    assert.equal(ws.projectFilesVersion, v, 'same text: no change');
    assert.equal(ws.deleteProjectFile('file:///r/requirements.txt'), true);
    assert.notEqual(ws.projectFilesVersion, v);
  });
});
