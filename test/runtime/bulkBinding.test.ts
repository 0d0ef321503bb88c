// The shortcuts the bulk nodes take on 100,000 records, each held to the plain computation it
// replaces: the sanitiser's character pre-check, binding by for…in, the reused wire text of
// kailash's placeholders, the codec check skipped per column type, isDfRecord's literal fast path.
import * as assert from 'node:assert/strict';
import { mayNeedRewrite, REWRITES, sanitizeString } from '../../server/src/runtime/dataflow/values/sanitizeInput';
import { bindRows, batchRanges, batchTexts, columnBinders } from '../../server/src/runtime/dataflow/nodes/bulkCommon';
import { DataFlowRuntime } from '../../server/src/runtime/dataflow/runtime';
import { positionalWireSql, toNamedParameters, toPositional } from '../../server/src/runtime/kailash/sqlPlaceholders';
import { asyncpgCodecRefusal, codecCanRefuse } from '../../server/src/runtime/dataflow/values/asyncpgBindCheck';
import { CallableDefault, isDfRecord, type DfRecord, type DfValue } from '../../server/src/runtime/dataflow/values/dfValues';
import { FloatNumber } from '../../server/src/runtime/python/floatNumber';
import { HostUUID, PyDate, PyDateTime, PyDecimal } from '../../server/src/runtime/shared/hostValues';
import type { PyTypeName } from '../../server/src/runtime/dataflow/schema';
import type { SqlParam } from '../../server/src/runtime/db/types';
import { seededRandom as rng } from '../helpers/seededRandom';


/** DataFlow's twelve rewrites (REWRITES) applied to every string, without sanitizeString's pre-check. */
const reference = (s: string): string => REWRITES.reduce((v, [re, token]) => v.replace(re, token), s);

describe('bulk binding shortcuts', () => {
  it('the sanitiser pre-check: 20,000 random strings of keywords, punctuation and Unicode spaces are rewritten exactly as the twelve patterns do', () => {
    const pieces = ['drop', 'DROP', 'table', 'select', 'Select', 'from', 'union', 'delete', 'insert', 'into', 'update', 'set', 'exec', 'or', 'and', '1', "'", '"', '=', '*', '/', '-', ';', '(', ')', ' ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028', 'x', 'é', '𝔘'];
    // whole patterns (with a Unicode space or none between the words) and near misses
    pieces.push('; drop', ';delete', 'union\u00a0select', 'select * from', 'select\u3000from', 'drop table', 'delete from', 'insert into', 'update t set', 'exec (', "or '1'='1'", 'and 1 = 1', '--', '/* c */', 'select*from', 'droptable');
    let rewritten = 0;
    let skipped = 0;
    for (let seed = 1; seed <= 20000; seed++) {
      const r = rng(seed);
      let s = '';
      const len = Math.floor(r() * 9);
      for (let i = 0; i < len; i++) s += pieces[Math.floor(r() * pieces.length)];
      assert.equal(sanitizeString(s), reference(s), `seed ${seed}: ${JSON.stringify(s)}`);
      if (!mayNeedRewrite(s)) {
        skipped++;
        assert.equal(reference(s), s, `seed ${seed}: the pre-check skipped ${JSON.stringify(s)}, which a pattern rewrites`);
      } else if (reference(s) !== s) rewritten++;
    }
    // both sides of the pre-check were exercised
    assert.ok(skipped > 1000 && rewritten > 1000, `${skipped} skipped, ${rewritten} rewritten`);
  });

  it('the sanitiser pre-check passes exactly the characters the patterns need', () => {
    for (const s of ['p123', 'cat7', 'a.b@example.com', 'ÉTÉ', '1e5', 'select*from', 'drop_table', 'x=1']) assert.equal(mayNeedRewrite(s), false, s);
    for (const s of ['a b', 'a\tb', 'a\u00a0b', 'a\u3000b', 'a\ufeffb', 'a\u2028b', 'x;', 'exec(', 'x--', '/*']) assert.equal(mayNeedRewrite(s), true, JSON.stringify(s));
    assert.equal(sanitizeString('x; DROP table y'), 'x; STATEMENT_BLOCKED table y');
    assert.equal(sanitizeString('a\u3000or\u30001=1'), 'a\u3000OR_1_EQUALS_1');
  });

  it('bindRows: records with keys in another order, missing, extra or inherited bind as looking each column up by name does, in the same order', () => {
    const columns = ['name', 'price', 'note'];
    // name takes any str as it is; price and note see every value (a str included)
    const takesStrings = [true, false, false];
    const seen: [string, DfValue, number][] = [];
    const binders = columns.map((c, i) => ({
      bind: (v: DfValue, position: number): SqlParam => {
        seen.push([c, v, position]);
        return typeof v === 'string' ? `${c}:${v}` : (v as SqlParam);
      },
      takesStrings: takesStrings[i],
    }));
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
        for (const [j, c] of columns.entries()) {
          const v = records[i][c] ?? null;
          ++p;
          if (typeof v === 'string' && takesStrings[j]) {
            expected.push(v);
          } else {
            byName.push([c, v, p]);
            expected.push(typeof v === 'string' ? `${c}:${v}` : (v as SqlParam));
          }
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

  it('columnBinders: a str is stored as it is only for a column whose codec takes every str; others check it', () => {
    // no statement is sent: the runtime is built without its DDL
    const rt = new DataFlowRuntime({
      db: { description: 'no database', schema: 'none' } as never,
      models: [{ name: 'Item', fields: [{ name: 'label', type: 'str' }, { name: 'qty', type: 'int' }, { name: 'at', type: 'datetime' }, { name: 'day', type: 'date' }, { name: 'cost', type: 'Decimal' }] }],
    });
    const model = rt.models.get('Item')!;
    const columns = ['label', 'qty', 'at', 'day', 'cost', 'extra'];
    const binders = columnBinders(rt.newExecution(), model, columns);
    assert.deepEqual(
      binders.map((b) => b.takesStrings),
      [true, false, false, true, true, true],
    );
    // what takesStrings promises: such a column binds a str as itself, with no refusal
    for (const [i, b] of binders.entries()) if (b.takesStrings) assert.equal(b.bind('2024-01-01 x', i + 1), '2024-01-01 x');
    assert.throws(() => binders[1].bind('3', 2), /invalid input for query argument \$2/);
    assert.deepEqual(bindRows(binders, columns, [{ label: 'a', qty: 1, at: null, day: 'd', cost: '1.5', extra: 'e' }], 0, 1), ['a', 1, null, 'd', '1.5', 'e']);
    assert.throws(() => bindRows(binders, columns, [{ label: 'a', qty: 1, at: null }, { label: 'b', qty: 'x' }], 0, 2), /invalid input for query argument \$8/);
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
