// DataFlow's SQL dialects (dataflow.sql) evaluated from DataFlow's own source: a fixture of our own
// (test/fixtures/library-source/sql_dialects.py) asks SQLDialectFactory for each database's dialect
// and the upsert / pre-check queries it builds, the MySQL version helpers and the cache key (hashlib),
// compared with what the real DataFlow 2.20 returned (sql_dialects.oracle.json, recorded with
// test/fixtures/dataflow-api/record.py). The module sends no SQL: one backend suffices.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initPython } from '../../../server/src/syntax/parser';
import { runFile } from '../../../server/src/run/runFile';
import { sharedPglite } from '../backends';
import { oracleDataflowSource, oracleRequired } from '../../helpers/oracle';

const REPO = path.join(__dirname, '..', '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'library-source');

describe("DataFlow's SQL dialects from DataFlow's source", function () {
  this.timeout(120000);
  let source: string | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sql-dialects-'));
  fs.copyFileSync(path.join(FIXTURES, 'sql_dialects.py'), path.join(dir, 'sql_dialects.py'));
  const driver = path.join(dir, 'drive.py');
  fs.writeFileSync(driver, 'import json\nfrom sql_dialects import dialect_queries\n\n\ndef main():\n    print(json.dumps(dialect_queries(), sort_keys=True))\n');
  before(async function () {
    source = oracleDataflowSource(REPO);
    if (!source) {
      if (oracleRequired()) throw new Error('the oracle (the real DataFlow source) is missing');
      this.skip();
    }
    await initPython();
  });

  it('SQLDialectFactory.get_dialect(...) builds the queries the real DataFlow builds, for PostgreSQL, SQLite and MySQL', async () => {
    const result = await runFile({ file: driver, entry: 'main', db: await sharedPglite(), root: dir, libraryEnv: { DATAFLOW_SOURCE_DIR: source } });
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    const recorded = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sql_dialects.oracle.json'), 'utf8')).dialect_queries.return;
    assert.deepEqual(JSON.parse(result.log[result.log.length - 1]), recorded);
  });

  it("without DataFlow's source, importing dataflow.sql is not modelled (exit 2), never guessed", async () => {
    const result = await runFile({ file: driver, entry: 'main', db: await sharedPglite(), root: dir, libraryEnv: {} });
    assert.equal(result.exitCode, 2);
    assert.match(result.error!.message, /`dataflow\.sql[a-z_.]*` is not modelled/);
  });
});
