// AsyncSQLDatabaseNode (kailash/nodes/data/async_sql.py, kailash 2.63) as an opaque node: its query
// runs with its params bound (never pasted), on the run's database, tagged with the node id so
// the statement is counted, timed and profiled like every DataFlow node's. Placeholders are
// rewritten as the SDK does (`?` / `$n` / `%s` → `:pN` → `$N`, `::integer` / `::boolean` for int /
// bool values), and the output is the SDK's {"result": {data, row_count, query, database_type,
// format}}. The node's own connection (connection_string, host, pool settings) is not opened:
// recorded as a divergence.
import { isDfRecord, type DfRecord, type DfValue } from '../../dataflow/values/dfValues';
import { PyDate, PyDateTime, PyDecimal } from '../../shared/hostValues';
import { bindValue } from '../../dataflow/values/bindValue';
import type { SqlParam } from '../../db/types';
import type { NodeExecutionEnv } from '../../workflow/types';
import { DeclaredParameterNode, type CoreParam } from './declaredNode';
import { CoreNodeError } from './nodeErrors';
import { toNamedParameters, toPositional } from '../sqlPlaceholders';

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

/** _serialize_value / _ensure_serializable of a row value. */
function serializeValue(v: unknown): DfValue {
  if (v === null || v === undefined) return null;
  if (v instanceof PyDateTime || v instanceof PyDate) return v.iso;
  if (v instanceof PyDecimal) return Number(v.text);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(serializeValue);
  if (isDfRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, serializeValue(x)]));
  return v as DfValue;
}

export class AsyncSqlDatabaseNodeInstance extends DeclaredParameterNode {
  readonly type = 'AsyncSQLDatabaseNode';
  /** AsyncSQLDatabaseNode(AsyncNode) */
  override readonly isAsyncNode = true;

  constructor(id: string, config: DfRecord) {
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

  protected async run(kw: DfRecord, env: NodeExecutionEnv): Promise<DfRecord> {
    const query = kw.query as string | undefined;
    if (!query) throw new CoreNodeError('NodeExecutionError', 'No query provided');
    const fetchMode = String(kw.fetch_mode ?? 'all').toLowerCase();
    const fetchSize = kw.fetch_size as number | undefined;
    const resultFormat = String(kw.result_format ?? 'dict');
    const dbType = String(kw.database_type ?? this.config.database_type ?? '').toLowerCase();
    let named = query;
    let params: [string, DfValue][] = [];
    const raw = kw.params ?? null;
    if (raw !== null) {
      if (isDfRecord(raw)) params = Object.entries(raw);
      else ({ query: named, params } = toNamedParameters(query, Array.isArray(raw) ? raw : [raw]));
    }
    const ctx = env.primary;
    ctx.diverge('async-sql-node-run-database', `AsyncSQLDatabaseNode '${this.id}' ran its query on the run's database (its own connection settings are not opened).`);
    const { sql, values } = toPositional(named, params, isDfRecord(kw.parameter_types) ? kw.parameter_types : undefined);
    const previous = ctx.currentNodeId;
    ctx.currentNodeId = this.id;
    let rows: DfValue;
    try {
      const upper = sql.toUpperCase();
      const bound: SqlParam[] = values.map((v) => bindValue(v, undefined, true));
      const r = await ctx.query(sql, bound);
      if (/UPDATE|DELETE|INSERT/.test(upper) && !upper.includes('SELECT') && !upper.includes('RETURNING') && fetchMode === 'all') {
        // asyncpg's status text: "INSERT 0 <n>" (its second word, 0, is what the SDK reads), "UPDATE <n>", "DELETE <n>".
        rows = [{ rows_affected: r.command === 'INSERT' ? 0 : r.rowCount }];
      } else {
        const converted = r.rows.map((row) => serializeValue(row as unknown) as DfRecord);
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
    const list = Array.isArray(rows) ? (rows as DfRecord[]) : undefined;
    let data: DfValue = rows;
    if (!rows || (list && !list.length)) data = [];
    else if (resultFormat === 'list' && list) {
      const columns = Object.keys(list[0]);
      data = list.map((row) => columns.map((c) => row[c] ?? null));
    }
    const rowCount = list ? list.length : rows ? 1 : 0;
    const result: DfRecord = { data, row_count: rowCount, query: named, database_type: this.config.database_type ?? dbType, format: resultFormat };
    if (resultFormat === 'list' && list?.length && isDfRecord(list[0])) result.columns = Object.keys(list[0]);
    return { result };
  }
}
