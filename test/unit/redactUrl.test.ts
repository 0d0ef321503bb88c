// Every credential form libpq accepts is removed before a connection string is shown anywhere
// (server/src/runtime/db/redactUrl.ts, used by the CLI, the report, the worker and the editor).
import * as assert from 'node:assert/strict';
import { redactUrl } from '../../server/src/runtime/db/redactUrl';
import { maskUrl } from '../../client/src/databaseChoice';

const CASES: Array<[string, string]> = [
  ['postgresql://app:s3cret@db.internal:5432/shop', 'postgresql://app:***@db.internal:5432/shop'],
  ['postgresql://app:p@ss@w0rd@db:5432/shop', 'postgresql://app:***@db:5432/shop'],
  ['postgres://app:a/b@db/shop?sslmode=require', 'postgres://app:***@db/shop?sslmode=require'],
  ['postgresql://app@db/shop?password=s3cret', 'postgresql://app@db/shop?password=***'],
  ['postgresql://app@db/shop?sslmode=verify-full&sslpassword=k3y&application_name=x', 'postgresql://app@db/shop?sslmode=verify-full&sslpassword=***&application_name=x'],
  ['postgresql://app@db/shop?PASSWORD=s3cret', 'postgresql://app@db/shop?PASSWORD=***'],
  ['postgresql://app@db:5432/shop', 'postgresql://app@db:5432/shop'],
  ['postgresql://db:5432/shop?application_name=a@b', 'postgresql://db:5432/shop?application_name=a@b'],
  ['postgresql+asyncpg://u:x@h/d', 'postgresql+asyncpg://u:***@h/d'],
  ["host=db port=5432 password='s3 cret\\'x' dbname=shop", 'host=db port=5432 password=*** dbname=shop'],
  ['host=db password=s3cret dbname=shop', 'host=db password=*** dbname=shop'],
  ['dbname=shop user=app', 'dbname=shop user=app'],
];

describe('redactUrl: every credential form is removed before a connection string is shown', () => {
  for (const [input, expected] of CASES) {
    it(`${input.replace(/s3cret|p@ss@w0rd|k3y|s3 cret/g, '…')} → ${expected}`, () => {
      assert.equal(redactUrl(input), expected);
      assert.doesNotMatch(redactUrl(input), /s3cret|p@ss|w0rd|k3y|s3 cret|a\/b@/);
    });
  }
  it('the editor masks with the same function', () => {
    for (const [input, expected] of CASES) assert.equal(maskUrl(input), expected);
  });
});
