import * as assert from 'node:assert/strict';
import { displaySql, fingerprint, hashParams, statementKind } from '../../server/src/profiler/sqlDisplay';
import { appendSqlComment, decorateStatement, encodeCommentValue, formatSqlComment, isCommentable, parseSqlComment } from '../../server/src/runtime/db/sqlComment';
import { fileRef, nodeComment } from '../../server/src/profiler/attribution';
import { seededRandom } from '../helpers/seededRandom';
import { candidateColumns, coveringIndex, parseListSql } from '../../server/src/profiler/whatIf/listShape';
import { parsePlan, describeScans } from '../../server/src/profiler/planParse';
import { slowThreshold } from '../../server/src/profiler/options';

const inList = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');

describe('profiler: SQL display and fingerprints', () => {
  it('collapses a 10,000-value IN list in milliseconds, correctly', () => {
    const sql = `SELECT * FROM "products" WHERE "id" IN (${inList(10_000)}) ORDER BY "id" DESC LIMIT $10001 OFFSET $10002`;
    const t0 = performance.now();
    const shown = displaySql(sql);
    const fp = fingerprint(sql);
    const ms = performance.now() - t0;
    assert.equal(shown, 'SELECT * FROM "products" WHERE "id" IN (… 10,000 values) ORDER BY "id" DESC LIMIT $10001 OFFSET $10002');
    assert.equal(fp, 'SELECT * FROM "products" WHERE "id" IN (?) ORDER BY "id" DESC LIMIT ? OFFSET ?');
    assert.ok(ms < 200, `took ${ms} ms`);
  });

  it('a 100,000-value IN list stays linear', () => {
    const sql = `SELECT 1 WHERE x IN (${inList(100_000)})`;
    const t0 = performance.now();
    assert.equal(displaySql(sql), 'SELECT 1 WHERE x IN (… 100,000 values)');
    assert.ok(performance.now() - t0 < 1000);
  });

  it('short lists are kept; literals and casts are list items; subqueries are not lists', () => {
    assert.equal(displaySql('SELECT * FROM "t" WHERE "a" IN ($1, $2, $3)'), 'SELECT * FROM "t" WHERE "a" IN ($1, $2, $3)');
    const lit = `SELECT * FROM t WHERE a IN (${Array.from({ length: 20 }, (_, i) => `'v${i}'::text`).join(', ')})`;
    assert.equal(displaySql(lit), 'SELECT * FROM t WHERE a IN (… 20 values)');
    const sub = 'SELECT * FROM t WHERE a IN (SELECT b FROM u WHERE c IN (1, 2))';
    assert.equal(displaySql(sub), sub);
    assert.equal(fingerprint(sub), 'SELECT * FROM t WHERE a IN (SELECT b FROM u WHERE c IN (?))');
  });

  it('multi-row VALUES: shown as the first row and a count; one fingerprint for any length', () => {
    const rows = (n: number): string => Array.from({ length: n }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
    const big = `INSERT INTO "products" ("name", "price") VALUES ${rows(1000)}`;
    assert.equal(displaySql(big), 'INSERT INTO "products" ("name", "price") VALUES ($1, $2) … 1,000 rows');
    assert.equal(fingerprint(big), fingerprint(`INSERT INTO "products" ("name", "price") VALUES ${rows(1)}`));
    assert.equal(fingerprint(big), 'INSERT INTO "products" ("name", "price") VALUES (?, ?)');
    assert.equal(displaySql(`INSERT INTO t (a, b) VALUES ${rows(2)} RETURNING id`), `INSERT INTO t (a, b) VALUES ${rows(2)} RETURNING id`);
  });

  it('IN lists of any length share a fingerprint; parameters after them do not shift it', () => {
    const a = `SELECT * FROM "t" WHERE "a" IN (${inList(2)}) AND "b" = $3`;
    const b = `SELECT * FROM "t" WHERE "a" IN (${inList(7)}) AND "b" = $8`;
    assert.equal(fingerprint(a), fingerprint(b));
    assert.notEqual(fingerprint(a), fingerprint('SELECT * FROM "t" WHERE "a" IN ($1) AND "c" = $2'));
  });

  it('strings, quoted identifiers and comments do not confuse the scanner', () => {
    const sql = `SELECT 'it''s IN (1,2)' AS "we""ird IN (" /* IN (1) */ FROM t WHERE a = 'x' AND b = 42.5e3`;
    assert.equal(fingerprint(sql), `SELECT ? AS "we""ird IN (" FROM t WHERE a = ? AND b = ?`);
    assert.equal(displaySql(sql), sql);
  });

  it('duplicate keys hash the parameter values', () => {
    assert.equal(hashParams([1, 'a', null]), hashParams([1, 'a', null]));
    assert.notEqual(hashParams([1, 'a', null]), hashParams([1, 'a', 'null']));
    assert.notEqual(hashParams([1]), hashParams(['1']));
    assert.notEqual(hashParams(['ab']), hashParams(['a', 'b']));
    assert.notEqual(hashParams(['a', '']), hashParams(['', 'a']));
    assert.notEqual(hashParams([true]), hashParams([false]));
    assert.notEqual(hashParams([10n]), hashParams([10]));
    assert.notEqual(hashParams([new Uint8Array([1, 2])]), hashParams([new Uint8Array([2, 1])]));
  });

  it('statement kinds', () => {
    assert.equal(statementKind('SELECT 1'), 'select');
    assert.equal(statementKind('insert into t values (1)'), 'insert');
    assert.equal(statementKind('BEGIN'), 'transaction');
    assert.equal(statementKind('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE'), 'transaction');
    assert.equal(statementKind('CREATE INDEX i ON t (a)'), 'ddl');
    assert.equal(statementKind('WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x'), 'delete');
    assert.equal(statementKind('SHOW server_version'), 'other');
  });
});

describe('profiler: sqlcommenter format', () => {
  it('sorted keys, url-encoded values, appended at the end', () => {
    const c = formatSqlComment({ df_node: 'create_1', df_file: 'jobs.py:12', df_workflow: "wf 'x'", df_node_type: 'ProductCreateNode', empty: undefined });
    assert.equal(c, "/*df_file='jobs.py%3A12',df_node='create_1',df_node_type='ProductCreateNode',df_workflow='wf%20%27x%27'*/");
    assert.deepEqual(parseSqlComment(`SELECT 1 ${c}`), { df_file: 'jobs.py:12', df_node: 'create_1', df_node_type: 'ProductCreateNode', df_workflow: "wf 'x'" });
    assert.equal(appendSqlComment('SELECT 1;', '/*a=\'b\'*/'), "SELECT 1 /*a='b'*/;");
    assert.ok(!formatSqlComment({ k: '*/ DROP TABLE x; --' }).slice(2, -2).includes('*/'));
  });

  it('values are encoded as encodeURIComponent does (with %27 for a quote), every ASCII character and random text', () => {
    const spec = (v: string): string => encodeURIComponent(v).replace(/'/g, '%27');
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      assert.equal(encodeCommentValue(ch), spec(ch), `char ${c}`);
      assert.equal(encodeCommentValue(`a${ch}b${ch}`), spec(`a${ch}b${ch}`), `char ${c} inside`);
    }
    const random = seededRandom(12);
    const alphabet = "abcXYZ09_-.!~*()' :/%é€日\u{1F600}";
    const letters = [...alphabet];
    for (let i = 0; i < 500; i++) {
      let v = '';
      for (let n = Math.floor(random() * 12); n > 0; n--) v += letters[Math.floor(random() * letters.length)];
      assert.equal(encodeCommentValue(v), spec(v), JSON.stringify(v));
    }
  });

  it("a node's comment is what the generic formatter makes of its four keys", () => {
    const cases = [
      { workflowId: "wf 'x'", nodeId: 'create_1', type: 'ProductCreateNode', location: { file: '/home/u/jobs.py', line: 12 } },
      { workflowId: undefined, nodeId: 'réad:1', type: 'ProductReadNode', location: undefined },
      { workflowId: 'w', nodeId: 'n', type: 'T', location: { file: 'dir/a b.py', line: 3 } },
    ];
    for (const n of cases) {
      assert.equal(nodeComment(n), formatSqlComment({ df_workflow: n.workflowId, df_node: n.nodeId, df_node_type: n.type, df_file: fileRef(n.location) }));
    }
  });

  it('skips transaction control, COPY, already-commented and multi-statement SQL', () => {
    for (const s of ['BEGIN', 'COMMIT', 'ROLLBACK', ' savepoint a', 'COPY t FROM STDIN', 'SELECT 1 /* mine */', 'SELECT 1; SELECT 2', 'SELECT 1 -- x']) {
      assert.equal(isCommentable(s), false, s);
      assert.equal(decorateStatement(() => ({ a: 'b' }), { sql: s }).text, s);
    }
    assert.equal(decorateStatement(() => ({ a: 'b' }), { sql: 'SELECT 1' }).text, "SELECT 1 /*a='b'*/");
    assert.equal(decorateStatement(() => {
      throw new Error('x');
    }, { sql: 'SELECT 1' }).text, 'SELECT 1');
  });
});

describe('profiler: DataFlow List SQL shape and the candidate index', () => {
  it('equality, then range, then sort; the implicit id sort dropped', () => {
    const s = parseListSql('SELECT * FROM "products" WHERE "category" = $1 AND "price" > $2 ORDER BY "price" DESC LIMIT $3 OFFSET $4')!;
    assert.deepEqual(s, { table: 'products', count: false, equality: ['category'], range: ['price'], other: [], sort: [{ column: 'price', desc: true }] });
    assert.deepEqual(candidateColumns(s), ['category', 'price']);
    // As PostgreSQL receives it from kailash (its placeholder casts): the sort still counts.
    const cast = parseListSql('SELECT * FROM "products" WHERE "category" = $1 ORDER BY "price" ASC LIMIT $2::integer OFFSET $3::integer')!;
    assert.deepEqual(cast.sort, [{ column: 'price', desc: false }]);
    assert.deepEqual(candidateColumns(cast), ['category', 'price']);
    // The multi-tenant filter's column is written unquoted; PostgreSQL folds it to lower case.
    const tenant = parseListSql('SELECT * FROM "tenant_product" WHERE Tenant_Id = $1 ORDER BY "id" DESC LIMIT $2 OFFSET $3')!;
    assert.deepEqual(tenant.equality, ['tenant_id']);
    assert.deepEqual(candidateColumns(tenant), ['tenant_id']);
    const d = parseListSql('SELECT * FROM "products" WHERE "category" = $1 AND "deleted_at" IS NULL ORDER BY "id" DESC LIMIT $2 OFFSET $3')!;
    assert.deepEqual(candidateColumns(d), ['category', 'deleted_at']);
    const sortOnly = parseListSql('SELECT * FROM "products" ORDER BY "name" ASC, "id" DESC LIMIT $1 OFFSET $2')!;
    assert.deepEqual(candidateColumns(sortOnly), ['name']);
    const range = parseListSql('SELECT * FROM "p" WHERE "a" >= $1 ORDER BY "b" ASC LIMIT $2 OFFSET $3')!;
    assert.deepEqual(candidateColumns(range), ['a'], 'a sort on another column than the range is left out');
    const count = parseListSql('SELECT COUNT(*) FROM "p" WHERE "a" IN ($1, $2) AND "b" != $3 AND "c" LIKE $4')!;
    assert.equal(count.count, true);
    assert.deepEqual(count.equality, ['a']);
    assert.deepEqual(count.other, ['b', 'c']);
    assert.equal(parseListSql('SELECT "id", "name" FROM "p" WHERE "id" = $1'), undefined, 'ReadNode SQL is not a List shape');
  });

  it('an existing btree index covers a leftmost prefix; a unique id index covers id lookups', () => {
    const ix = [
      { name: 'p_pkey', method: 'btree', unique: true, columns: ['id'], partial: false },
      { name: 'idx_ab', method: 'btree', unique: false, columns: ['a', 'b'], partial: false },
    ];
    assert.equal(coveringIndex(['a'], ix)?.name, 'idx_ab');
    assert.equal(coveringIndex(['a', 'b'], ix)?.name, 'idx_ab');
    assert.equal(coveringIndex(['b'], ix), undefined);
    assert.equal(coveringIndex(['id', 'x'], ix)?.name, 'p_pkey');
  });
});

describe('profiler: slow threshold', () => {
  it('slow_query_threshold is seconds; the lower of the two wins; default 1.0 s', () => {
    assert.equal(slowThreshold({}).ms, 1000);
    assert.equal(slowThreshold({ slowQueryThreshold: 0.25 }).ms, 250);
    assert.equal(slowThreshold({ slowQueryThreshold: 2, slowQueryMs: 500 }).ms, 500);
    assert.equal(slowThreshold({ slowQueryThreshold: 0.1, slowQueryMs: 500 }).ms, 100);
  });
});

describe('profiler: plan parsing (fixtures of both servers)', () => {
  // PostgreSQL 15 (EXPLAIN ANALYZE, FORMAT JSON)
  const pg15 = [
    {
      Plan: {
        'Node Type': 'Limit', 'Parallel Aware': false, 'Async Capable': false, 'Startup Cost': 229.16, 'Total Cost': 229.19, 'Plan Rows': 10, 'Plan Width': 60,
        'Actual Startup Time': 2.1, 'Actual Total Time': 2.2, 'Actual Rows': 10, 'Actual Loops': 1,
        Plans: [
          {
            'Node Type': 'Sort', 'Parent Relationship': 'Outer', 'Startup Cost': 229.16, 'Total Cost': 229.41, 'Plan Rows': 100, 'Actual Total Time': 2.19, 'Actual Rows': 10, 'Actual Loops': 1,
            Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'products', Alias: 'products', 'Startup Cost': 0, 'Total Cost': 224.0, 'Plan Rows': 100, Filter: "((category)::text = 'c1'::text)", 'Actual Total Time': 2.0, 'Actual Rows': 100, 'Actual Loops': 1 }],
          },
        ],
      },
      'Planning Time': 0.1,
      'Execution Time': 2.3,
    },
  ];
  // PGlite 0.5 (PostgreSQL 18): "Disabled", decimal Actual Rows
  const pglite = [
    {
      Plan: {
        'Node Type': 'Index Scan', 'Parallel Aware': false, 'Async Capable': false, 'Scan Direction': 'Forward', 'Index Name': 'products_pkey', 'Relation Name': 'products', Alias: 'products',
        'Startup Cost': 0.29, 'Total Cost': 8.3, 'Plan Rows': 1, 'Plan Width': 60, Disabled: false, 'Actual Startup Time': 0.02, 'Actual Total Time': 0.021, 'Actual Rows': 1.0, 'Actual Loops': 1, 'Index Cond': '(id = 5)',
      },
      'Planning Time': 0.05,
      'Execution Time': 0.04,
    },
  ];

  it('PostgreSQL 15 output: tree, analysed, costliest = the Seq Scan', () => {
    const p = parsePlan(pg15);
    assert.equal(p.analyzed, true);
    assert.equal(p.totalCost, 229.19);
    assert.equal(p.executionMs, 2.3);
    const scan = p.root.children[0].children[0];
    assert.equal(scan.nodeType, 'Seq Scan');
    assert.equal(scan.relation, 'products');
    assert.equal(scan.filter, "((category)::text = 'c1'::text)");
    assert.equal(scan.costliest, true);
    assert.equal(p.root.costliest, undefined);
    assert.equal(describeScans(p.root, 'products'), 'Seq Scan on products');
  });

  it('PGlite output (and a JSON string / result row) parses the same way', () => {
    const p = parsePlan({ 'QUERY PLAN': JSON.stringify(pglite) });
    assert.equal(p.root.nodeType, 'Index Scan');
    assert.equal(p.root.index, 'products_pkey');
    assert.equal(p.root.actualRows, 1);
    assert.equal(p.root.loops, 1);
    assert.equal(p.root.costliest, true);
    assert.equal(describeScans(p.root), 'Index Scan using products_pkey on products');
  });
});
