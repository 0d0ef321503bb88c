// kailash's PostgreSQL adapter writes `:p<i>` back as `$<i+1>` (with ::integer / ::boolean casts)
// by replacing key after key, longest first. toPositional does it in one pass for the keys
// p0, p1, … a list of parameters gets; these tests hold it to the key-by-key replacement, which it
// still runs when parameter_types are given (an empty dict changes nothing else).
import * as assert from 'node:assert/strict';
import { positionalWireSql, toNamedParameters, toPositional } from '../../../server/src/runtime/kailash/sqlPlaceholders';
import type { DfValue } from '../../../server/src/runtime/dataflow/values/dfValues';
import { seededRandom as rng } from '../../helpers/seededRandom';

const keyByKey = (query: string, params: [string, DfValue][]): string => toPositional(query, params, {}).sql;


describe('kailash adapter placeholders (toPositional)', () => {
  it('a key-sized prefix of a longer digit run is replaced as key-by-key replacement does: ":p12" with 5 parameters is $2 then "2"', () => {
    const params: [string, DfValue][] = [0, 1, 2, 3, 4].map((i) => [`p${i}`, i % 2 ? 'x' : i]);
    for (const q of ['SELECT :p12', 'a :p0 b :p4 c :p5 d :p01 e :p:p3 f ::p2 g :pz', ':p', 'x:p1', ':p44:p4']) {
      assert.equal(toPositional(q, params).sql, keyByKey(q, params), q);
    }
    assert.equal(toPositional('SELECT :p12', params).sql, 'SELECT $22');
    assert.equal(toPositional('WHERE a = :p0 AND b = :p1', params).sql, 'WHERE a = $1::integer AND b = $2');
  });

  it('2,000 random texts and parameter lists: the same SQL as the key-by-key replacement', () => {
    const pieces = [':p', ':p1', ':p0', ':p10', ':p2', '$1', '::text', ' ', ',', "'", ':', 'p', '0', '1', '9', 'x', '(', ')', ':pq', '::p1'];
    const values: DfValue[] = [1, 0, -3, 2.5, true, false, 'a', null, 'p1', 1e21];
    for (let seed = 1; seed <= 2000; seed++) {
      const r = rng(seed);
      const n = Math.floor(r() * 30);
      const params: [string, DfValue][] = Array.from({ length: n }, (_, i) => [`p${i}`, values[Math.floor(r() * values.length)]]);
      let q = '';
      const len = Math.floor(r() * 40);
      for (let i = 0; i < len; i++) q += pieces[Math.floor(r() * pieces.length)];
      assert.equal(toPositional(q, params).sql, keyByKey(q, params), `seed ${seed}: ${JSON.stringify(q)} with ${n} parameters`);
    }
  });

  it('a BulkCreate batch of 1,000 rows × 3 columns: $1 … $3000 with an int\'s cast, the same text as key by key', () => {
    const rows = 1000;
    let values = '';
    const flat: DfValue[] = [];
    for (let r = 0; r < rows; r++) {
      values += `${r ? ', ' : ''}($${3 * r + 1}, $${3 * r + 2}, $${3 * r + 3})`;
      flat.push(`p${r}`, r / 4, `cat${r % 20}`);
    }
    const named = toNamedParameters(`INSERT INTO "products" ("name", "price", "category") VALUES ${values}`, flat);
    const fast = toPositional(named.query, named.params).sql;
    assert.equal(fast, keyByKey(named.query, named.params));
    assert.ok(fast.startsWith('INSERT INTO "products" ("name", "price", "category") VALUES ($1, $2::integer, $3), ($4, $5, $6)'), fast.slice(0, 120));
    assert.ok(fast.endsWith('($2998, $2999, $3000)'), fast.slice(-60));
    // the next batch has the same text: its casts follow its own values
    const next = named.params.map(([k, v]): [string, DfValue] => [k, typeof v === 'number' ? v + 0.1 : v]);
    assert.equal(toPositional(named.query, next).sql, keyByKey(named.query, next));
    assert.ok(!toPositional(named.query, next).sql.includes('::integer'));
  });

  it('toNamedParameters keeps the last renamed text: the same text gives the same names, another text its own', () => {
    const a = 'INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)';
    const b = 'SELECT * FROM t WHERE a = ? AND b = %s AND c = $1';
    const first = toNamedParameters(a, [1, 2, 3, 4]);
    assert.equal(first.query, 'INSERT INTO t (a, b) VALUES (:p0, :p1), (:p2, :p3)');
    assert.deepEqual(toNamedParameters(b, ['x']), { query: 'SELECT * FROM t WHERE a = :p0 AND b = :p0 AND c = :p0', params: [['p0', 'x']] });
    assert.deepEqual(toNamedParameters(a, [5, 6, 7, 8]), { query: first.query, params: [['p0', 5], ['p1', 6], ['p2', 7], ['p3', 8]] });
    assert.deepEqual(toNamedParameters(a.slice(0, -1) + ')', [1, 2, 3, 4]).query, first.query);
    assert.equal(toNamedParameters(`${a.slice(0, 20)}${a.slice(20)}`, [1, 2, 3, 4]).query, first.query);
  });

  it('positionalWireSql is toPositional(toNamedParameters(…)).sql, key by key, on 2,000 random texts with ?, $n and %s', () => {
    const pieces = ['?', '$1', '$2', '$10', '$0', '%s', '%', 's', ':p', ':p1', ' ', "'", ':', 'p', '1', '0', '::int', '$', 'x'];
    const values: DfValue[] = [1, 2.5, true, 'a', null, false, -7];
    for (let seed = 1; seed <= 2000; seed++) {
      const r = rng(seed * 7919);
      const n = Math.floor(r() * 14);
      const vals = Array.from({ length: n }, () => values[Math.floor(r() * values.length)]);
      let q = '';
      const len = Math.floor(r() * 30);
      for (let i = 0; i < len; i++) q += pieces[Math.floor(r() * pieces.length)];
      const named = toNamedParameters(q, vals);
      assert.equal(positionalWireSql(q, vals), keyByKey(named.query, named.params), `seed ${seed}: ${JSON.stringify(q)} with ${n} values`);
    }
  });

  it('named parameters (a dict) keep the key-by-key replacement', () => {
    const params: [string, DfValue][] = [['id', 3], ['id_2', 'x'], ['name', true]];
    assert.equal(toPositional('WHERE id = :id AND x = :id_2 AND n = :name', params).sql, 'WHERE id = $1::integer AND x = $2 AND n = $3::boolean');
  });
});
