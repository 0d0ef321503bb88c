// An exception raised by a call the runtime models in TypeScript (LocalRuntime.execute,
// AsyncLocalRuntime.execute_workflow_async, WorkflowBuilder.add_connection / add_node) walks its __traceback__ into the real library frames
// recorded with kailash 2.63 / DataFlow 2.20 (server/src/runtime/libraryFrames/). A parcel-dispatch
// fixture of our own (test/fixtures/library-frames/dispatch.py) catches each failure and returns the
// frames it walked and what DataFlow's ErrorCapture read of their code; dispatch.oracle.json is what
// the real DataFlow returned for the same functions (recorded with test/fixtures/dataflow-api/record.py:
//   S=~/.cache/dataflow-oracle/src; cd "$(mktemp -d)"; PYTHONPATH=$S/src:$S/packages/kailash-dataflow/src \
//     ~/.cache/dataflow-oracle/venv/bin/python <repo>/test/fixtures/dataflow-api/record.py \
//     <repo>/test/fixtures/library-frames/dispatch.py FUNC... > dispatch.oracle.json).
// With kailash's source found (the oracle's kailash-py checkout) the frames name its real files and
// their code context is the real one; without it, the files are as recorded and the context is ""
// (CPython's reading of a missing file). A raise without a recording still stops (exit 2).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initPython } from '../../../server/src/syntax/parser';
import { runFile } from '../../../server/src/run/runFile';
import type { Database } from '../../../server/src/runtime/db/types';
import { RECORDED_FRAMES } from '../../../server/src/runtime/libraryFrames/recordedFrames.generated';
import { sharedPglite, sharedPostgres } from '../backends';
import { oracleDataflowSource, oracleRequired } from '../../helpers/oracle';

const REPO = path.join(__dirname, '..', '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'library-frames');
const RECORDED = [
  'duplicate_parcel',
  'parcel_without_courier',
  'parcel_without_courier_in_event_loop',
  'route_from_unknown_depot',
  'loop_between_depots',
  'duplicate_step',
  // AsyncLocalRuntime.execute_workflow_async: a sync workflow, a mixed one (its sync node, its async node), a fully async one.
  'label_printer_fails',
  'label_printer_fails_beside_registration',
  'registration_fails_after_label_printer',
  'registration_fails_after_listing',
  'parcel_routed_to_itself',
  'async_runtime_called_synchronously_in_event_loop',
];

type Frame = [string, number, string, [number, number] | null];
interface Walked {
  type: string;
  frames: Frame[];
}

function driver(dir: string, func: string): string {
  const file = path.join(dir, `drive_${func}.py`);
  fs.writeFileSync(file, `import json\nfrom dispatch import ${func}\n\n\ndef main():\n    print(json.dumps(${func}(), sort_keys=True))\n`);
  return file;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`traceback frames of modelled raises, as recorded from the real library [${kind}]`, function () {
    this.timeout(120000);
    let db: Database;
    let source: string | undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'library-frames-'));
    fs.copyFileSync(path.join(FIXTURES, 'dispatch.py'), path.join(dir, 'dispatch.py'));
    const recording = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'dispatch.oracle.json'), 'utf8')) as Record<string, { return: Walked }>;
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

    const run = async (func: string, env: Record<string, string | undefined>) => {
      const result = await runFile({ file: driver(dir, func), entry: 'main', db, root: dir, libraryEnv: env });
      assert.equal(result.error, undefined, JSON.stringify(result.error));
      return JSON.parse(result.log[result.log.length - 1]) as Walked;
    };

    for (const func of RECORDED) {
      it(`${func}(): the walked frames and their code are the real DataFlow's (kailash's source found)`, async () => {
        // The oracle's kailash-py checkout: DataFlow at packages/kailash-dataflow/src, kailash core at src/kailash.
        const walked = await run(func, { DATAFLOW_SOURCE_DIR: source });
        assert.deepEqual(walked, recording[func].return);
      });
    }

    it('without kailash\'s source: the same files (as recorded), lines and names; their code context is ""', async () => {
      // DataFlow's source alone (a folder linking to its package, no kailash beside it).
      const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-alone-'));
      fs.symlinkSync(path.join(source!, 'dataflow'), path.join(alone, 'dataflow'));
      for (const func of ['parcel_without_courier_in_event_loop', 'route_from_unknown_depot']) {
        const walked = await run(func, { DATAFLOW_SOURCE_DIR: alone });
        const expected = recording[func].return;
        assert.equal(walked.type, expected.type);
        assert.deepEqual(walked.frames.map((f) => f.slice(0, 3)), expected.frames.map((f) => f.slice(0, 3)));
        for (const f of walked.frames) if (f[0].startsWith('kailash/')) assert.deepEqual(f[3], [0, 0], `${f[0]}:${f[1]}`);
      }
    });

    it('a raise without a recording (connect() through add_connection) still stops: exit 2 at the walk', async () => {
      assert.ok(!Object.keys(RECORDED_FRAMES).some((k) => k.startsWith('WorkflowBuilder.connect')));
      const result = await runFile({ file: driver(dir, 'route_with_connect_from_unknown_depot'), entry: 'main', db, root: dir, libraryEnv: { DATAFLOW_SOURCE_DIR: source } });
      assert.equal(result.exitCode, 2);
      assert.match(result.error!.message, /traceback frames inside DataFlow\/Kailash/);
      assert.equal(result.error!.file, path.join(dir, 'dispatch.py'));
    });
  });
}
