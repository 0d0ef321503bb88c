// The fixtures of test/fixtures/dataflow-api (DataFlow attributes real code touches), copied to a
// scratch project, and the ways their tests run them: a function's return value through a driver
// that prints it as JSON (awaited when it is a coroutine), or the function as an entry; each compared
// with what the real DataFlow 2.20 recorded for it (<fixture>.oracle.json).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runFile, type RunFileResult } from '../../../server/src/run/runFile';
import type { Database } from '../../../server/src/runtime/db/types';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'dataflow-api');

export interface Recorded {
  return?: unknown;
  raised?: { type: string; message: string };
}

export function dataflowApiFixtures(scratchPrefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), scratchPrefix));
  for (const f of fs.readdirSync(FIXTURES)) if (f.endsWith('.py')) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
  return {
    dir,
    recording(fixture: string, func: string): Recorded {
      return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${fixture}.oracle.json`), 'utf8'))[func];
    },
    /** FUNC's return value, printed by a driver as JSON with sorted keys, as it was recorded. */
    async returned(db: Database, fixture: string, func: string, allowDestructive = false): Promise<{ value: unknown; result: RunFileResult }> {
      const driver = path.join(dir, `drive_${fixture}_${func}.py`);
      fs.writeFileSync(driver, `import asyncio\nimport json\nfrom ${fixture} import ${func}\n\n\ndef main():\n    r = ${func}()\n    if asyncio.iscoroutine(r):\n        r = asyncio.run(r)\n    print(json.dumps(r, sort_keys=True))\n`);
      const result = await runFile({ file: driver, entry: 'main', db, root: dir, allowDestructive });
      assert.equal(result.error, undefined, JSON.stringify(result.error));
      return { value: JSON.parse(result.log[result.log.length - 1]), result };
    },
    run(db: Database, fixture: string, func: string): Promise<RunFileResult> {
      return runFile({ file: path.join(dir, `${fixture}.py`), entry: func, db, root: dir });
    },
  };
}
