// AsyncSQLDatabaseNode (kailash/nodes/data/async_sql.py, kailash 2.63) as an opaque node: its query
// runs with its params bound (never pasted), on the run's database, tagged with the node id so
// the statement is counted, timed and profiled like every DataFlow node's. Placeholders are
// rewritten as the SDK does (`?` / `$n` / `%s` → `:pN` → `$N`, `::integer` / `::boolean` for int /
// bool values), and the output is the SDK's {"result": {data, row_count, query, database_type,
// format}}. The node's own connection (connection_string, host, pool settings) is not opened:
// recorded as a divergence.
import { PyDate, PyDateTime, PyDecimal, isPyDict, type PyDict, type PyValue } from '../../dataflow/values/pyValues';
import { bindValue } from '../../dataflow/values/bindValue';
import type { SqlParam } from '../../db/types';
import type { NodeExecutionEnv } from '../../workflow/types';
import { DeclaredParameterNode, type CoreParam } from './declaredNode';
import { CoreNodeError } from './nodeErrors';

const PARAMS: CoreParam[] = [
  { name: 'database_type', type: 'str', required: true, default: 'postgresql' },
  { name: 'connection_string', type: 'str' },
  { name: 'connection_name', type: 'str' },
  { name: 'config_file', type: 'str' },
  { name: 'host', type: 'str' },
  { name: 'port', type: 'int' },
  { name: 'database', type: 'str' },
  { name: 'user', type: 'str' },
  { name: 'password', type: 'str' },
  { name: 'query', type: 'str', required: true },
  { name: 'params', type: 'any' },
  { name: 'fetch_mode', type: 'str', default: 'all' },
  { name: 'fetch_size', type: 'int' },
  { name: 'pool_size', type: 'int', default: 10 },
  { name: 'max_pool_size', type: 'int', default: 20 },
  { name: 'timeout', type: 'any', default: 60.0 },
  { name: 'user_context', type: 'any' },
  { name: 'transaction_mode', type: 'str', default: 'auto' },
  { name: 'share_pool', type: 'bool', default: true },
  { name: 'validate_queries', type: 'bool', default: true },
  { name: 'allow_admin', type: 'bool', default: false },
  { name: 'enable_analytics', type: 'bool', default: true },
  { name: 'enable_adaptive_sizing', type: 'bool', default: true },
  { name: 'health_check_interval', type: 'int', default: 30 },
  { name: 'min_pool_size', type: 'int', default: 5 },
  { name: 'circuit_breaker_enabled', type: 'bool', default: true },
  { name: 'parameter_types', type: 'any' },
  { name: 'retry_config', type: 'any' },
  { name: 'max_retries', type: 'int', default: 3 },
  { name: 'retry_delay', type: 'any', default: 1.0 },
  { name: 'enable_optimistic_locking', type: 'bool', default: false },
  { name: 'version_field', type: 'str', default: 'version' },
  { name: 'conflict_resolution', type: 'str', default: 'fail_fast' },
  { name: 'version_retry_attempts', type: 'int', default: 3 },
  { name: 'result_format', type: 'str', default: 'dict' },
];

/** _convert_to_named_parameters: positional placeholders become :p0, :p1, ... */
export function toNamedParameters(query: string, values: PyValue[]): { query: string; params: [string, PyValue][] } {
  return { query: namedText(query), params: values.map((v, i) => [paramKey(i), v]) };
}

/** toNamedParameters' text, which depends on the text alone: a bulk node's batches share theirs (30 kB, 3,000 placeholders), so the last one is kept. */
function namedText(query: string): string {
  if (lastNamed?.query === query) return lastNamed.named;
  let n = 0;
  let q = query.replace(/\?/g, () => `:p${n++}`);
  q = q.replace(/\$(\d+)/g, (_m, d: string) => `:p${Number(d) - 1}`);
  n = 0;
  q = q.replace(/%s/g, () => `:p${n++}`);
  lastNamed = { query, named: q };
  return q;
}
let lastNamed: { query: string; named: string } | undefined;

/** `p<i>`, made once per position. */
const PARAM_KEYS: string[] = [];
function paramKey(i: number): string {
  return (PARAM_KEYS[i] ??= `p${i}`);
}

/** Where `:p<i>` placeholders stand in a text, for keys p0 … p<count-1>, and what each becomes with the text up to the next one. */
interface Placeholders {
  query: string;
  count: number;
  head: string;
  keys: number[];
  /** `$<key+1>` + the text after it, then the same with `::integer` and with `::boolean` after the number. */
  plain: string[];
  int: string[];
  bool: string[];
}
/** The last text parsed: a bulk node's batches share theirs. */
let lastPlaceholders: Placeholders | undefined;
function placeholdersOf(query: string, count: number): Placeholders {
  if (lastPlaceholders && lastPlaceholders.count === count && lastPlaceholders.query === query) return lastPlaceholders;
  const literals: string[] = [];
  const keys: number[] = [];
  let from = 0;
  let at = query.indexOf(':p');
  while (at >= 0) {
    let end = at + 2;
    while (end < query.length && query.charCodeAt(end) >= 48 && query.charCodeAt(end) <= 57) end++;
    // The longest run of the digits that is a key: what replacing the longest keys first finds.
    let key = -1;
    let len = end - at - 2;
    for (; len > 0; len--) {
      const digits = query.slice(at + 2, at + 2 + len);
      const i = Number(digits);
      if (i < count && String(i) === digits) {
        key = i;
        break;
      }
    }
    if (key >= 0) {
      literals.push(query.slice(from, at));
      keys.push(key);
      from = at + 2 + len;
    }
    at = query.indexOf(':p', key >= 0 ? from : at + 1);
  }
  literals.push(query.slice(from));
  const after = (cast: string) => keys.map((k, j) => `$${k + 1}${cast}${literals[j + 1]}`);
  lastPlaceholders = { query, count, head: literals[0], keys, plain: after(''), int: after('::integer'), bool: after('::boolean') };
  return lastPlaceholders;
}

/**
 * toPositional for the keys p0, p1, … in order (toNamedParameters' names for a list of
 * parameters) in one pass over the text: replacing key by key, longest first, rescanned the whole
 * text once per parameter, 3,000 times for one batch of a BulkCreate. The same text results: a
 * replacement starts with `$` and holds no `:p`, so it never makes or hides another match. The
 * casts are kailash's PostgreSQL adapter's: `::integer` after an int's (a bigint's too), `::boolean`
 * after a bool's.
 */
function sequentialToPositional(query: string, params: [string, PyValue][]): { sql: string; values: PyValue[] } | undefined {
  const values: PyValue[] = new Array(params.length);
  for (let i = 0; i < params.length; i++) {
    if (params[i][0] !== paramKey(i)) return undefined;
    values[i] = params[i][1];
  }
  return { sql: positionalText(query, values), values };
}

/** A text with :p0 … :p<n-1> (n = the values) as kailash's adapter writes it for those values. */
function positionalText(query: string, values: readonly PyValue[]): string {
  const p = placeholdersOf(query, values.length);
  let sql = p.head;
  for (let j = 0; j < p.keys.length; j++) {
    const value = values[p.keys[j]];
    sql += typeof value === 'boolean' ? p.bool[j] : (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint' ? p.int[j] : p.plain[j];
  }
  return sql;
}

/**
 * What kailash sends for a statement with a list of parameters: toPositional(toNamedParameters(sql,
 * values)).sql, without the [key, value] pair per parameter and the value list in between (a
 * BulkCreate batch has 3,000).
 */
export function positionalWireSql(sql: string, values: readonly PyValue[]): string {
  return positionalText(namedText(sql), values);
}

/** The PostgreSQL adapter: named :key placeholders → $N in dict order (longest keys first), typed casts for int / bool. */
export function toPositional(query: string, params: [string, PyValue][], parameterTypes?: PyDict): { sql: string; values: PyValue[] } {
  const sequential = parameterTypes ? undefined : sequentialToPositional(query, params);
  if (sequential !== undefined) return sequential;
  let sql = query;
  const byLength = [...params.map(([k]) => k)].sort((a, b) => b.length - a.length);
  for (const key of byLength) {
    const position = params.findIndex(([k]) => k === key) + 1;
    const value = params[position - 1][1];
    // isinstance(value, int): a Python int (a bigint beyond 2^53 too), not a float (FloatNumber)
    const cast = typeof value === 'boolean' ? '::boolean' : (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint' ? '::integer' : '';
    sql = sql.split(`:${key}`).join(`$${position}${cast}`);
  }
  if (parameterTypes) {
    params.forEach(([k], i) => {
      const t = parameterTypes[k];
      if (typeof t === 'string') sql = sql.split(`$${i + 1}`).join(`$${i + 1}::${t}`);
    });
  }
  return { sql, values: params.map(([, v]) => v) };
}

/** _serialize_value / _ensure_serializable of a row value. */
function serializeValue(v: unknown): PyValue {
  if (v === null || v === undefined) return null;
  if (v instanceof PyDateTime || v instanceof PyDate) return v.iso;
  if (v instanceof PyDecimal) return Number(v.text);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(serializeValue);
  if (isPyDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, serializeValue(x)]));
  return v as PyValue;
}

export class AsyncSqlDatabaseNodeInstance extends DeclaredParameterNode {
  readonly type = 'AsyncSQLDatabaseNode';
  /** AsyncSQLDatabaseNode(AsyncNode) */
  override readonly isAsyncNode = true;

  constructor(id: string, config: PyDict) {
    super(id, config, PARAMS, ['result']);
    const dbType = String(this.config.database_type ?? '').toLowerCase();
    if (!['postgresql', 'mysql', 'sqlite'].includes(dbType)) {
      throw new CoreNodeError('NodeConfigurationError', `Failed to create node '${id}' of type 'AsyncSQLDatabaseNode': Invalid database_type: ${dbType}. Must be one of: postgresql, mysql, sqlite`);
    }
    const fetchMode = String(this.config.fetch_mode ?? 'all').toLowerCase();
    if (!['one', 'all', 'many'].includes(fetchMode)) {
      throw new CoreNodeError('NodeConfigurationError', `Failed to create node '${id}' of type 'AsyncSQLDatabaseNode': Invalid fetch_mode: ${fetchMode}. Must be one of: one, all, many`);
    }
    if (fetchMode === 'many' && !this.config.fetch_size) {
      throw new CoreNodeError('NodeConfigurationError', `Failed to create node '${id}' of type 'AsyncSQLDatabaseNode': fetch_size required when fetch_mode is 'many'`);
    }
  }

  protected async run(kw: PyDict, env: NodeExecutionEnv): Promise<PyDict> {
    const query = kw.query as string | undefined;
    if (!query) throw new CoreNodeError('NodeExecutionError', 'No query provided');
    const fetchMode = String(kw.fetch_mode ?? 'all').toLowerCase();
    const fetchSize = kw.fetch_size as number | undefined;
    const resultFormat = String(kw.result_format ?? 'dict');
    const dbType = String(kw.database_type ?? this.config.database_type ?? '').toLowerCase();
    let named = query;
    let params: [string, PyValue][] = [];
    const raw = kw.params ?? null;
    if (raw !== null) {
      if (isPyDict(raw)) params = Object.entries(raw);
      else ({ query: named, params } = toNamedParameters(query, Array.isArray(raw) ? raw : [raw]));
    }
    const ctx = env.primary;
    ctx.diverge('async-sql-node-run-database', `AsyncSQLDatabaseNode '${this.id}' ran its query on the run's database (its own connection settings are not opened).`);
    const { sql, values } = toPositional(named, params, isPyDict(kw.parameter_types) ? kw.parameter_types : undefined);
    const previous = ctx.currentNodeId;
    ctx.currentNodeId = this.id;
    let rows: PyValue;
    try {
      const upper = sql.toUpperCase();
      const bound: SqlParam[] = values.map((v) => bindValue(v, undefined, true));
      const r = await ctx.query(sql, bound);
      if (/UPDATE|DELETE|INSERT/.test(upper) && !upper.includes('SELECT') && !upper.includes('RETURNING') && fetchMode === 'all') {
        // asyncpg's status text: "INSERT 0 <n>" (its second word, 0, is what the SDK reads), "UPDATE <n>", "DELETE <n>".
        rows = [{ rows_affected: r.command === 'INSERT' ? 0 : r.rowCount }];
      } else {
        const converted = r.rows.map((row) => serializeValue(row as unknown) as PyDict);
        if (fetchMode === 'one') rows = converted[0] ?? null;
        else if (fetchMode === 'many') rows = converted.slice(0, fetchSize ?? 0);
        else rows = converted;
      }
    } catch (e) {
      if (e instanceof CoreNodeError) throw e;
      throw new CoreNodeError('NodeExecutionError', `Database query failed: ${e instanceof Error ? e.message : String(e)}`, e);
    } finally {
      ctx.currentNodeId = previous;
    }
    const list = Array.isArray(rows) ? (rows as PyDict[]) : undefined;
    let data: PyValue = rows;
    if (!rows || (list && !list.length)) data = [];
    else if (resultFormat === 'list' && list) {
      const columns = Object.keys(list[0]);
      data = list.map((row) => columns.map((c) => row[c] ?? null));
    }
    const rowCount = list ? list.length : rows ? 1 : 0;
    const result: PyDict = { data, row_count: rowCount, query: named, database_type: this.config.database_type ?? dbType, format: resultFormat };
    if (resultFormat === 'list' && list?.length && isPyDict(list[0])) result.columns = Object.keys(list[0]);
    return { result };
  }
}
