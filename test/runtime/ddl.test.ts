import * as assert from 'node:assert/strict';
import { classNameToTableName } from '../../server/src/runtime/dataflow/naming/tableName';
import { camelToSnake } from '../../server/src/catalogue';
import { createTableSql } from '../../server/src/runtime/dataflow/ddl/generateDdl';
import { defineModel } from '../../server/src/runtime/dataflow/schema';
import { planDdl } from '../../server/src/runtime/dataflow/schemaManager';
import { resolvePoolSettings } from '../../server/src/runtime/db/poolSettings';

describe('DataFlow schema rules', () => {
  it('table names', () => {
    const cases: [string, string][] = [
      ['Product', 'products'], ['Category', 'categories'], ['OrderStatus', 'order_statuses'], ['UserActivity', 'user_activities'],
      ['Address', 'addresses'], ['Box', 'boxes'], ['Staff', 'staffs'], ['XMLParser', 'xml_parsers'], ['Data', 'data'],
      ['Child', 'children'], ['Person', 'people'], ['Knife', 'knives'],
      // An underscore before a capitalised word is kept and another added (DataFlow 2.20's
      // _class_name_to_table_name, checked on the oracle): the fixes' names use the same function.
      ['Order_Item', 'order__items'], ['HTTPRequest_Log', 'http_request__logs'], ['User2FA', 'user2_fas'], ['MyURL2Thing', 'my_url2_things'],
    ];
    for (const [cls, table] of cases) assert.equal(classNameToTableName(cls), table, cls);
    assert.equal(camelToSnake('Order_Item'), 'order__item');
    assert.equal(camelToSnake('IPAddress'), 'ip_address');
  });

  it('column types, NOT NULL, defaults (escaped), timestamps, soft delete', () => {
    const m = defineModel({
      name: 'Everything',
      fields: [
        { name: 'id', type: 'str' }, { name: 'a', type: 'int' }, { name: 'b', type: 'float', default: 1.5 },
        { name: 'c', type: 'str', default: "it's" }, { name: 'd', type: 'bool', default: true }, { name: 'e', type: 'dict', default: { k: 1 } },
        { name: 'f', type: 'date' }, { name: 'g', type: 'Decimal', optional: true }, { name: 'h', type: 'bytes', default: null },
      ],
      dataflow: { soft_delete: true },
    });
    assert.equal(
      createTableSql(m),
      'CREATE TABLE IF NOT EXISTS "everythings" (\n    "id" TEXT PRIMARY KEY,\n    "a" INTEGER NOT NULL,\n    "b" REAL DEFAULT 1.5,\n    "c" TEXT DEFAULT \'it\'\'s\',\n' +
        '    "d" BOOLEAN DEFAULT TRUE,\n    "e" JSONB DEFAULT \'{"k": 1}\'::jsonb,\n    "f" TEXT NOT NULL,\n    "g" TEXT NOT NULL,\n    "h" BYTEA,\n' +
        '    "created_at" TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n    "updated_at" TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n    "deleted_at" TIMESTAMP\n)',
    );
  });

  it('index names collide on the first column; __indexes__ honoured as a divergence source', () => {
    const m = defineModel({
      name: 'Thing',
      fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }],
      dataflow: { indexes: [{ fields: ['a'] }, { fields: ['a', 'b'], unique: true, type: 'gin' }] },
      indexesAttr: [{ name: 'ix_b', fields: ['b'] }],
    });
    const plan = planDdl([m]);
    assert.equal(plan.shadowedIndexes.length, 1);
    assert.equal(plan.shadowedIndexes[0].unique, true);
    assert.ok(plan.statements.includes('CREATE INDEX IF NOT EXISTS "ix_b" ON "things" ("b")'));
  });

  it('pool sizing follows DataFlow resolution', () => {
    assert.deepEqual(
      [resolvePoolSettings({}, { cpuCount: 2, maxConnections: 100, env: {} }).max, resolvePoolSettings({ poolSize: 20, poolMaxOverflow: 30 }, { cpuCount: 2, env: {} }).max],
      [105, 50],
    );
    assert.equal(resolvePoolSettings({}, { cpuCount: 2, env: {} }).poolSize, 2);
  });
});
