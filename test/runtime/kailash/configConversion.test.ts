// Where and how a node's config fails or is converted at build time, and models whose `id` is not
// an int, compared with what DataFlow 2.20 / kailash 2.63 did for the same file (recordings made
// with ../shared/oracle: oracle.sh id_types.py FUNC), on PGlite and on PostgreSQL.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOnEachBackend } from '../backends';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'runtime', 'idtypes');
const FILE = path.join(FIXTURES, 'id_types.py');

interface RecordedError {
  type: string;
  message: string;
}
interface Recording {
  runs: Array<{ results?: Record<string, unknown>; error?: RecordedError }>;
  raised?: RecordedError;
}

function recording(func: string): Recording {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'recordings', `${func}.json`), 'utf8')) as Recording;
}

function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== '_cache')
        .map(([k, x]) => [k, (k === 'created_at' || k === 'updated_at') && x ? '<ts>' : normalise(x)]),
    );
  }
  return v;
}

const RECORDED = [
  // id: UUID — converted to uuid.UUID at add_node, refused by the SERIAL column at execute
  'uuid_create_from_str',
  'uuid_create_from_uuid',
  'uuid_create_without_id',
  'uuid_create_small_int_then_list',
  'uuid_bad_string',
  // id: str
  'str_id_crud',
  'str_id_from_int',
  // int / list parameters given other values
  'template_string_for_int_field',
  'dollar_template_for_int_field',
  'int_field_from_numeric_string_and_float',
  'int_field_from_list',
  'list_field_from_int',
];

filesOnEachBackend('Build-time config conversion and non-int ids against DataFlow 2.20 recordings', (run) => {
  for (const func of RECORDED) {
    it(`${func}: the same results, or the same exception (type and full message) at the same stage`, async () => {
      const rec = recording(func);
      const r = await run({ file: FILE, entry: func });
      assert.equal(r.runs.length, rec.runs.length, JSON.stringify(r.error));
      rec.runs.forEach((expected, i) => {
        if (expected.error) {
          assert.equal(r.runs[i].error?.type, expected.error.type);
          assert.equal(r.runs[i].error?.message, expected.error.message);
        } else {
          assert.equal(r.runs[i].error, undefined, JSON.stringify(r.runs[i].error));
          assert.deepEqual(normalise(r.runs[i].results), normalise(expected.results));
        }
      });
      if (rec.raised) {
        assert.equal(r.exitCode, 1);
        assert.equal(r.error?.type, rec.raised.type);
        assert.equal(r.error?.message, rec.raised.message);
      } else assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    });
  }

  it('a build-time failure stops the run at the add_node\'s workflow.build(), before any execute', async () => {
    const r = await run({ file: FILE, entry: 'uuid_bad_string' });
    assert.equal(r.runs.length, 0);
    assert.equal(r.error?.line, 63); // the line of workflow.build(), where WorkflowBuilder creates the nodes
  });
});
