// The committed catalogue of real DataFlow 2.20 / kailash names (server/src/runtime/bindings/realNames/
// realNames.generated.ts) is what generate.py produces from the oracle's source, when the oracle is
// on this machine (/work/shared/oracle/setup.sh; DATAFLOW_ORACLE_HOME, default ~/.cache/dataflow-oracle).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { realAttributeExists, realModuleExists, realModuleMemberExists } from '../../../server/src/runtime/bindings/realNames';

const REPO = path.join(__dirname, '..', '..', '..', '..');
const DIR = path.join(REPO, 'server', 'src', 'runtime', 'bindings', 'realNames');
const ORACLE = process.env.DATAFLOW_ORACLE_HOME ?? path.join(os.homedir(), '.cache', 'dataflow-oracle');

describe('real DataFlow names catalogue', () => {
  it('is in sync with the oracle source (generate.py run in the oracle venv)', function () {
    const python = path.join(ORACLE, 'venv', 'bin', 'python');
    const src = path.join(ORACLE, 'src');
    if (!fs.existsSync(python) || !fs.existsSync(path.join(src, 'packages', 'kailash-dataflow', 'src', 'dataflow'))) {
      console.log(`      skipped: no oracle at ${ORACLE}`);
      this.skip();
    }
    this.timeout(300000);
    const r = spawnSync(python, [path.join(DIR, 'generate.py')], {
      env: { ...process.env, PYTHONPATH: `${path.join(src, 'src')}:${path.join(src, 'packages', 'kailash-dataflow', 'src')}`, PYTHONHASHSEED: '0' },
      cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'realnames-')),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, fs.readFileSync(path.join(DIR, 'realNames.generated.ts'), 'utf8'), 'regenerate realNames.generated.ts with generate.py');
  });

  it('answers for attributes, modules and module members', () => {
    assert.equal(realAttributeExists('DataFlow', 'transactions'), true);
    assert.equal(realAttributeExists('DataFlow', 'no_such_thing'), false);
    assert.equal(realAttributeExists('WorkflowBuilder', 'connections'), true);
    assert.equal(realAttributeExists('Model', 'query_builder'), true);
    assert.equal(realAttributeExists('DataFlow', '__class__'), undefined);
    assert.equal(realModuleExists('dataflow.migrations'), true);
    assert.equal(realModuleExists('kailash.nodes.code.python'), true);
    assert.equal(realModuleExists('dataflow.nope'), false);
    assert.equal(realModuleExists('kailash_dataflow'), false);
    assert.equal(realModuleExists('requests'), undefined, 'third-party modules are not catalogued');
    assert.equal(realModuleMemberExists('dataflow', 'DataFlowConfig'), true);
    assert.equal(realModuleMemberExists('dataflow', 'migrations'), true);
    assert.equal(realModuleMemberExists('dataflow', 'Nope'), false);
  });
});
