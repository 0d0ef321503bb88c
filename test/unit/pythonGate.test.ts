// The gating of "Profile with Python" (client/src/python/pythonGate.ts): the one command that runs
// the user's code refuses in an untrusted workspace whatever else holds, asks the first time, and
// tries interpreters in the documented order. The real-VS-Code suite covers the trusted path end
// to end; its harness runs with workspace trust disabled (always trusted), so the refusal is
// checked here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIRM_BUTTON, envFromSetting, expandInterpreterPath, interpreterCandidates, pythonGate, trustGate, UNTRUSTED_MESSAGE } from '../../client/src/python/pythonGate';

const first = { python: '/proj/.venv/bin/python', source: 'python-extension' as const };

describe('Profile with Python: gating', () => {
  it('refuses in an untrusted workspace, even after an earlier confirmation', () => {
    for (const confirmed of [false, true]) {
      const step = pythonGate({ trusted: false, confirmed, file: '/proj/jobs.py', first, action: 'profile' });
      assert.deepEqual(step, { kind: 'refuse', message: UNTRUSTED_MESSAGE });
    }
    assert.equal(trustGate(false)?.kind, 'refuse');
    assert.equal(trustGate(true), undefined);
  });

  it('asks the first time in a trusted workspace, saying it executes the project\'s code with the interpreter', () => {
    const step = pythonGate({ trusted: true, confirmed: false, file: '/proj/jobs.py', first, action: 'profile' });
    assert.equal(step.kind, 'confirm');
    if (step.kind !== 'confirm') return;
    assert.equal(step.button, CONFIRM_BUTTON);
    assert.match(step.message, /jobs\.py/);
    assert.match(step.message, /executes your project's own Python code/);
    assert.match(step.detail, /\/proj\/\.venv\/bin\/python/);
    assert.match(step.detail, /Python extension/);
    assert.match(step.detail, /only reads your code/);
  });

  it('says that Compare Engines runs both engines', () => {
    const step = pythonGate({ trusted: true, confirmed: false, file: 'jobs.py', first, action: 'compare' });
    assert.ok(step.kind === 'confirm' && /both the embedded runtime and/.test(step.detail));
  });

  it('runs without asking once confirmed, in a trusted workspace', () => {
    assert.deepEqual(pythonGate({ trusted: true, confirmed: true, file: 'jobs.py', first, action: 'profile' }), { kind: 'run' });
  });
});

describe('Profile with Python: interpreter order', () => {
  it('Python extension, then dataflow.python.path, then python3; blanks and repeats dropped', () => {
    assert.deepEqual(interpreterCandidates({ extension: '/a/python', setting: '/b/python' }).map((c) => [c.python, c.source]),
      [['/a/python', 'python-extension'], ['/b/python', 'setting'], ['python3', 'path']]);
    assert.deepEqual(interpreterCandidates({ extension: undefined, setting: '  ' }).map((c) => c.source), ['path']);
    assert.deepEqual(interpreterCandidates({ extension: '/a/python', setting: '/a/python' }).map((c) => c.source), ['python-extension', 'path']);
    assert.deepEqual(interpreterCandidates({ setting: 'python3' }).map((c) => c.source), ['setting']);
  });

  it('expands ${workspaceFolder} and ~ in dataflow.python.path', () => {
    assert.equal(expandInterpreterPath('${workspaceFolder}/.venv/bin/python', '/proj', '/home/me'), '/proj/.venv/bin/python');
    assert.equal(expandInterpreterPath('~/venvs/df/bin/python', '/proj', '/home/me'), '/home/me/venvs/df/bin/python');
    assert.equal(expandInterpreterPath(' python3.11 ', undefined, '/home/me'), 'python3.11');
  });

  it('keeps only string environment values with valid names', () => {
    assert.deepEqual(envFromSetting({ PYTHONPATH: '/src', BAD: 1, 'NOT-A-NAME': 'x' }), { PYTHONPATH: '/src' });
    assert.equal(envFromSetting(['PYTHONPATH=/src']), undefined);
    assert.equal(envFromSetting({}), undefined);
  });
});

describe('Profile with Python: manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
    contributes: { commands: Array<{ command: string; enablement?: string }>; configuration: Array<{ properties: Record<string, { scope?: string }> }>; menus: Record<string, Array<{ command: string; when?: string }>> };
  };

  it('declares the python settings restricted in untrusted workspaces, machine-overridable', () => {
    const u = manifest.capabilities.untrustedWorkspaces;
    assert.equal(u.supported, 'limited');
    assert.deepEqual([...(u.restrictedConfigurations ?? [])].sort(), ['dataflow.python.env', 'dataflow.python.path']);
    const properties = Object.assign({}, ...manifest.contributes.configuration.map((s) => s.properties)) as Record<string, { scope?: string }>;
    for (const k of ['dataflow.python.path', 'dataflow.python.env']) assert.equal(properties[k]?.scope, 'machine-overridable', k);
  });

  it('enables the commands that run Python only in a trusted workspace, in every menu', () => {
    for (const id of ['dataflow.profileWithPython', 'dataflow.compareEngines']) {
      const cmd = manifest.contributes.commands.find((c) => c.command === id);
      assert.equal(cmd?.enablement, 'isWorkspaceTrusted', id);
      for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
        for (const item of items.filter((i) => i.command === id)) assert.match(item.when ?? '', /isWorkspaceTrusted/, `${id} in ${menu}`);
      }
    }
  });
});
