// The shortcuts the bulk nodes take on 100,000 records, each held to the plain computation it
// replaces: binding by for…in, the reused wire text of
// kailash's placeholders, the codec check skipped per column type, isDfRecord's literal fast path.
import * as assert from 'node:assert/strict';
import { bindRows, batchRanges, batchTexts } from '../../server/src/runtime/dataflow/nodes/bulkCommon';
import { positionalWireSql, toNamedParameters, toPositional } from '../../server/src/runtime/kailash/sqlPlaceholders';
import { asyncpgCodecRefusal, codecCanRefuse } from '../../server/src/runtime/dataflow/values/asyncpgBindCheck';
import { CallableDefault, isDfRecord, type DfRecord, type DfValue } from '../../server/src/runtime/dataflow/values/dfValues';
import { FloatNumber } from '../../server/src/runtime/python/floatNumber';
import { HostUUID, PyDate, PyDateTime, PyDecimal } from '../../server/src/runtime/shared/hostValues';
import type { PyTypeName } from '../../server/src/runtime/dataflow/schema';
import type { SqlParam } from '../../server/src/runtime/db/types';

/** A small deterministic generator (xorshift), so a failure names its seed. */
function rng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('bulk binding shortcuts', () => {
  it('bindRows: records with keys in another order, missing, extra or inherited bind as looking each column up by name does, in the same order', () => {
    const columns = ['name', 'price', 'note'];
    const seen: [string, DfValue, number][] = [];
    const binders = columns.map((c) => (v: DfValue, position: number): SqlParam => {
      seen.push([c, v, position]);
      return typeof v === 'string' ? `${c}:${v}` : (v as SqlParam);
    });
    const inherited = Object.create({ note: 'from the prototype' }) as DfRecord;
    inherited.name = 'i';
    inherited.price = 7;
    const records: DfRecord[] = [
      { name: 'a', price: 1, note: 'n' },
      { note: 'n2', price: 2.5, name: 'b' },
      { name: 'c', price: 3 },
      { name: 'd', price: 4, note: null, extra: 'x' },
      { extra: 'y', name: 'e', price: 5, note: 'n5' },
      { name: 'f', note: 'n6' },
      {},
      inherited,
      { name: 'g', price: new CallableDefault('f', () => 9), note: 'n8' },
    ];
    const byName: [string, DfValue, number][] = [];
    const expected: SqlParam[] = [];
    for (const [from, to] of batchRanges(records.length, 4)) {
      for (let i = from, p = 0; i < to; i++) {
        for (const c of columns) {
          const v = records[i][c] ?? null;
          byName.push([c, v, ++p]);
          expected.push(typeof v === 'string' ? `${c}:${v}` : (v as SqlParam));
        }
      }
    }
    const got = batchRanges(records.length, 4).flatMap(([from, to]) => bindRows(binders, columns, records, from, to));
    assert.deepEqual(got, expected);
    assert.deepEqual(seen, byName);
    assert.deepEqual(batchRanges(9, 4), [[0, 4], [4, 8], [8, 9]]);
    assert.deepEqual(batchRanges(0, 4), []);
  });

  it('batchTexts: one string per batch length, the same one again for the next batch of that length', () => {
    const textOf = batchTexts('INSERT INTO "t" ("a", "b") VALUES ', 2, ' RETURNING id');
    assert.equal(textOf(2), 'INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4) RETURNING id');
    assert.equal(textOf(1), 'INSERT INTO "t" ("a", "b") VALUES ($1, $2) RETURNING id');
    assert.equal(textOf(2), textOf(2));
  });

  it("the wire text reused across batches of one text follows each batch's own ints and bools (500 batches, key by key as reference)", () => {
    const columns = 4;
    const rows = 6;
    let values = '';
    for (let r = 0; r < rows; r++) values += `${r ? ', ' : ''}(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`;
    const sql = `INSERT INTO "t" ("a", "b", "c", "d") VALUES ${values}`;
    const kinds: DfValue[][] = [['s', 'x'], [1, 2.5], [true, false], [0, 'y', null, 3n, new FloatNumber(2)]];
    const r = rng(42);
    let repeated = 0;
    let last = '';
    for (let batch = 0; batch < 500; batch++) {
      // mostly the previous batch's types, sometimes another value's type in one column
      const vals = Array.from({ length: rows * columns }, (_, i) => {
        const pool = kinds[i % columns];
        return pool[r() < 0.97 ? 0 : Math.floor(r() * pool.length)];
      });
      const named = toNamedParameters(sql, vals);
      const wire = positionalWireSql(sql, vals);
      assert.equal(wire, toPositional(named.query, named.params, {}).sql, `batch ${batch}`);
      if (wire === last) repeated++;
      last = wire;
    }
    assert.ok(repeated > 100 && repeated < 499, `${repeated} batches repeated the previous text`);
  });

  it("codecCanRefuse: asyncpg's codec refuses no value for the column types it excludes, and some value for each other type", () => {
    const values: DfValue[] = ['text', '2024-01-01', 1, 2.5, true, 10n ** 30n, null, [1], { a: 1 }, new Uint8Array([1]), new FloatNumber(3), new PyDecimal('1.5'), new PyDate('2024-01-01'), new PyDateTime('2024-01-01T00:00:00'), new HostUUID('00000000-0000-0000-0000-000000000001')];
    const types: (PyTypeName | undefined)[] = ['str', 'int', 'float', 'bool', 'datetime', 'date', 'Decimal', 'dict', 'list', 'bytes', 'other', undefined];
    for (const type of types) {
      const refused = values.filter((v) => asyncpgCodecRefusal(v, type) !== undefined);
      assert.equal(refused.length > 0, codecCanRefuse(type), `${type}: refuses ${refused.length} of ${values.length} values`);
    }
  });

  it('isDfRecord: object literals and prototype-less dicts are records; arrays and the host value classes are not', () => {
    assert.equal(isDfRecord({ a: 1 }), true);
    assert.equal(isDfRecord(Object.create(null)), true);
    for (const v of [null, undefined, 1, 'x', [], new Uint8Array(1), new FloatNumber(1), new PyDecimal('1'), new PyDate('2024-01-01'), new PyDateTime('2024-01-01T00:00:00'), new HostUUID('00000000-0000-0000-0000-000000000001'), new CallableDefault('f', () => 1)]) {
      assert.equal(isDfRecord(v), false, String(v));
    }
  });
});
