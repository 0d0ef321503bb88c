// DataFlow's debug agent evaluated from DataFlow's own source: a help-desk fixture of our own
// (test/fixtures/debug-agent/tickets.py) whose code fails the ways the agent categorises, run
// through ErrorCapture / ErrorCategorizer / KnowledgeBase / Inspector / DebugAgent / CLIFormatter as
// the real DataFlow 2.20 source defines them (the oracle's, via DATAFLOW_SOURCE_DIR), compared with
// what the real DataFlow returned (tickets.oracle.json, recorded with test/fixtures/dataflow-api/record.py).
// Where that source is found, and the honest exit 2 when it is not.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initPython } from '../../../server/src/syntax/parser';
import { findLibrarySource } from '../../../server/src/runtime/librarySource';
import { runFile } from '../../../server/src/run/runFile';
import type { Database } from '../../../server/src/runtime/db/types';
import { sharedPglite, sharedPostgres } from '../backends';
import { oracleDataflowSource, oracleRequired } from '../../helpers/oracle';
import { RECORDED_FRAMES } from '../../../server/src/runtime/libraryFrames/recordedFrames.generated';

const REPO = path.join(__dirname, '..', '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'debug-agent');
const FUNCS = ['categorize_errors', 'debug_report', 'debug_from_text', 'cli_text'];

function scratch(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a driver printing FUNC's return value as JSON (sorted keys, as recorded). */
function driver(dir: string, func: string): string {
  const file = path.join(dir, `drive_${func}.py`);
  fs.writeFileSync(file, `import json\nfrom tickets import ${func}\n\n\ndef main():\n    print(json.dumps(${func}(), sort_keys=True))\n`);
  return file;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`DataFlow's debug agent from DataFlow's source [${kind}]`, function () {
    this.timeout(120000);
    let db: Database;
    let source: string | undefined;
    const dir = scratch('debug-agent-');
    fs.copyFileSync(path.join(FIXTURES, 'tickets.py'), path.join(dir, 'tickets.py'));
    const recording = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tickets.oracle.json'), 'utf8'));
    before(async function () {
      source = oracleDataflowSource(REPO);
      if (!source) {
        if (oracleRequired()) throw new Error('the oracle (the real DataFlow source) is missing: set DATAFLOW_ORACLE_DIR or put it at <repo>/../shared/oracle');
        console.log('      skipped: no oracle');
        this.skip();
      }
      await initPython();
      const d = kind === 'pglite' ? await sharedPglite() : await sharedPostgres();
      if (typeof d === 'string') {
        if (process.env.DATAFLOW_REQUIRE_POSTGRES === '1') throw new Error(`${d} (DATAFLOW_REQUIRE_POSTGRES=1)`);
        console.log(`      skipped: ${d}`);
        this.skip();
      }
      db = d as Database;
    });
    beforeEach(async () => { await db.resetSchema(); });

    for (const func of FUNCS) {
      it(`${func}() returns what the real DataFlow returned`, async () => {
        const result = await runFile({ file: driver(dir, func), entry: 'main', db, root: dir, libraryEnv: { DATAFLOW_SOURCE_DIR: source } });
        assert.equal(result.error, undefined, JSON.stringify(result.error));
        assert.deepEqual(JSON.parse(result.log[result.log.length - 1]), recording[func].return);
      });
    }

    it('a workflow error captured by ErrorCapture: its stacktrace goes on into kailash\'s real frames, as recorded (not invented)', async () => {
      const file = path.join(dir, 'capture_runtime_error.py');
      fs.writeFileSync(
        file,
        [
          'from tickets import db',
          'from dataflow.debug.error_capture import ErrorCapture',
          'from kailash.runtime import LocalRuntime',
          'from kailash.workflow.builder import WorkflowBuilder',
          '',
          'def main():',
          '    wf = WorkflowBuilder()',
          '    wf.add_node("TicketCreateNode", "create", {"title": "no id"})',
          '    try:',
          '        LocalRuntime().execute(wf.build())',
          '    except Exception as e:',
          '        captured = ErrorCapture().capture(e)',
          '        return [captured.error_type, [[f.filename, f.line_number, f.function_name, f.code_context != ""] for f in captured.stacktrace]]',
          '',
        ].join('\n'),
      );
      const result = await runFile({ file, entry: 'main', db, root: dir, libraryEnv: { DATAFLOW_SOURCE_DIR: source } });
      assert.equal(result.error, undefined, JSON.stringify(result.error));
      const recorded = RECORDED_FRAMES['LocalRuntime.execute: WorkflowValidationError missing required inputs'];
      // kailash core beside the oracle's DataFlow: kailash-py's src/kailash.
      const kailashRoot = path.resolve(source!, '..', '..', '..', 'src');
      const expected = [
        [file, 10, 'main', true],
        ...recorded.frames.map((f) => (f.root === 'kailash' ? [path.join(kailashRoot, f.file), f.line, f.function, true] : [f.file, f.line, f.function, false])),
      ];
      assert.deepEqual(result.returned, [recorded.raised, expected]);
    });

    it('without DataFlow\'s source: exit 2, saying it was not found and where it was looked for', async () => {
      const result = await runFile({ file: driver(dir, 'categorize_errors'), entry: 'main', db, root: dir, libraryEnv: {} });
      assert.equal(result.exitCode, 2);
      assert.match(result.error!.message, /`dataflow\.debug\.[a-z_]+` is not modelled/);
      assert.match(result.error!.message, /DataFlow's source was not found/);
      assert.ok(result.error!.message.includes(path.join(dir, 'src', 'dataflow')), result.error!.message);
      assert.ok(result.error!.message.includes(path.join(dir, '.venv', 'lib', 'python3.*', 'site-packages', 'dataflow')), result.error!.message);
    });
  });
}

describe('where DataFlow\'s source is found', () => {
  /** A folder that looks like the real `dataflow` package (its engine module is what marks it). */
  function fakeDataflow(parent: string): string {
    const pkg = path.join(parent, 'dataflow');
    fs.mkdirSync(path.join(pkg, 'core'), { recursive: true });
    fs.mkdirSync(path.join(pkg, 'debug'), { recursive: true });
    fs.writeFileSync(path.join(pkg, '__init__.py'), '');
    fs.writeFileSync(path.join(pkg, 'core', 'engine.py'), '');
    fs.writeFileSync(path.join(pkg, 'debug', '__init__.py'), '# debug package\n');
    fs.writeFileSync(path.join(pkg, 'debug', 'knowledge_base.py'), 'X = 1\n');
    return pkg;
  }

  it('the project itself (src/dataflow), before a virtualenv; only the library packages resolve', () => {
    const root = scratch('libsrc-project-');
    const pkg = fakeDataflow(path.join(root, 'src'));
    fakeDataflow(path.join(root, '.venv', 'lib', 'python3.11', 'site-packages'));
    const lib = findLibrarySource({ projectRoot: root, env: {} });
    assert.equal(lib.packageDir, pkg);
    assert.deepEqual(lib.resolve('dataflow.debug.knowledge_base'), { source: 'X = 1\n', fileName: path.join(pkg, 'debug', 'knowledge_base.py') });
    assert.equal((lib.resolve('dataflow.debug') as { fileName: string }).fileName, path.join(pkg, 'debug', '__init__.py'));
    assert.equal(lib.resolve('dataflow.core.engine'), undefined);
    assert.equal(lib.resolve('dataflow.debug.no_such_module'), undefined);
    assert.equal(lib.contains(path.join(pkg, 'debug', 'patterns.yaml')), true);
    assert.equal(lib.contains(path.join(root, 'tickets.py')), false);
  });

  it('a workspace virtualenv, the chosen interpreter\'s environment, DATAFLOW_SOURCE_DIR; a project\'s own `dataflow` folder is not DataFlow', () => {
    const root = scratch('libsrc-venv-');
    fs.mkdirSync(path.join(root, 'dataflow'));
    fs.writeFileSync(path.join(root, 'dataflow', '__init__.py'), '# the project\'s own package\n');
    const venvPkg = fakeDataflow(path.join(root, 'venv', 'lib', 'python3.12', 'site-packages'));
    assert.equal(findLibrarySource({ projectRoot: root, env: {} }).packageDir, venvPkg);
    const other = scratch('libsrc-python-');
    const envPkg = fakeDataflow(path.join(other, 'lib', 'python3.11', 'site-packages'));
    const bare = scratch('libsrc-bare-');
    assert.equal(findLibrarySource({ projectRoot: bare, pythonPath: path.join(other, 'bin', 'python'), env: {} }).packageDir, envPkg);
    assert.equal(findLibrarySource({ projectRoot: bare, env: { DATAFLOW_SOURCE_DIR: path.join(other, 'lib', 'python3.11', 'site-packages') } }).packageDir, envPkg);
    const none = findLibrarySource({ projectRoot: bare, env: {} });
    assert.equal(none.packageDir, undefined);
    const missing = none.resolve('dataflow.debug.debug_agent') as { missing: string };
    assert.match(missing.missing, /DataFlow's source was not found/);
    assert.ok(missing.missing.includes(path.join(bare, 'env', 'lib', 'python3.*', 'site-packages', 'dataflow')));
  });

  /** A folder that looks like kailash core (its LocalRuntime module is what marks it), of `version`. */
  function fakeKailash(parent: string, version: string): string {
    const pkg = path.join(parent, 'kailash');
    fs.mkdirSync(path.join(pkg, 'runtime'), { recursive: true });
    fs.writeFileSync(path.join(pkg, '__init__.py'), `"""kailash"""\n__version__ = "${version}"\n`);
    fs.writeFileSync(path.join(pkg, 'runtime', 'local.py'), '# LocalRuntime\n');
    return pkg;
  }

  it('kailash core: beside the DataFlow found, in kailash-py\'s src/, KAILASH_SOURCE_DIR; a file is located only in the version asked for', () => {
    const site = path.join(scratch('libsrc-kailash-'), 'lib', 'python3.11', 'site-packages');
    fakeDataflow(site);
    const beside = fakeKailash(site, '2.63.0');
    const lib = findLibrarySource({ projectRoot: scratch('libsrc-bare-'), env: { DATAFLOW_SOURCE_DIR: site } });
    assert.equal(lib.kailashDir, beside);
    assert.equal(lib.locate('kailash', 'kailash/runtime/local.py', '2.63.0'), path.join(beside, 'runtime', 'local.py'));
    assert.equal(lib.locate('kailash', 'kailash/runtime/local.py', '2.64.0'), undefined, 'another version\'s lines say nothing about this file');
    assert.equal(lib.locate('kailash', 'kailash/runtime/async_local.py', '2.63.0'), undefined, 'a file the source does not have');
    assert.equal(lib.locate('kailash', 'kailash/../../../etc/passwd', '2.63.0'), undefined);
    // kailash-py: packages/kailash-dataflow/src/dataflow and src/kailash.
    const repo = scratch('libsrc-kailash-py-');
    const projectRoot = path.join(repo, 'packages', 'kailash-dataflow');
    fakeDataflow(path.join(projectRoot, 'src'));
    const core = fakeKailash(path.join(repo, 'src'), '2.63.0');
    assert.equal(findLibrarySource({ projectRoot, env: {} }).kailashDir, core);
    const chosen = fakeKailash(scratch('libsrc-kailash-env-'), '2.63.0');
    assert.equal(findLibrarySource({ projectRoot, env: { KAILASH_SOURCE_DIR: chosen } }).kailashDir, chosen);
    const bare = findLibrarySource({ projectRoot: scratch('libsrc-bare-'), env: {} });
    assert.equal(bare.kailashDir, undefined);
    assert.equal(bare.locate('kailash', 'kailash/runtime/local.py', '2.63.0'), undefined);
  });
});
