// `Model.query_builder()`: DataFlow 2.20's MongoDB-style QueryBuilder (dataflow/database/query_builder.py).
// It only builds SQL text and a parameter list (it never talks to the database), so it is modelled
// whole: the dialect comes from the DataFlow URL as create_query_builder picks it (postgresql:// or
// postgres:// or anything else → PostgreSQL `$n`; sqlite:// → SQLite `?`; mysql:// → MySQL `%s`).
import { HostObject, NOT_HANDLED, argOf, hostFunction, type HostContext } from '../python/host';
import { PyDict, PyList, PyTuple, UnsupportedPythonError, isInt, pyErr, type Kwargs, type PyValue } from '../python/values';

export type QueryDialect = 'postgresql' | 'mysql' | 'sqlite';

const OPERATORS: Record<string, string> = {
  $eq: '=', $ne: '!=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=', $in: 'IN', $nin: 'NOT IN',
  $like: 'LIKE', $regex: '~', $exists: 'IS NOT NULL', $null: 'IS NULL',
};
const SAFE_IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const JOIN_TYPES = ['INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS'];

/** create_query_builder's choice of dialect from DataFlow's URL (None and ':memory:' → PostgreSQL). */
export function queryDialectOf(url: string | null | undefined): QueryDialect {
  if (!url) return 'postgresql';
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) return 'postgresql';
  if (url.startsWith('mysql://') || url.startsWith('mysql+pymysql://') || url.startsWith('mysql+aiomysql://')) return 'mysql';
  if (url.startsWith('sqlite://')) return 'sqlite';
  return 'postgresql';
}

const METHODS = new Set(['where', 'select', 'order_by', 'limit', 'offset', 'join', 'group_by', 'having', 'build_select', 'build_insert', 'build_update', 'build_delete', 'build_count', 'reset']);

function str(v: PyValue | undefined, what: string): string {
  if (typeof v !== 'string') throw pyErr('AttributeError', `'${v === null ? 'NoneType' : typeof v}' object has no attribute '${what}'`);
  return v;
}

export class QueryBuilderObject extends HostObject {
  private conditions: string[] = [];
  private parameters = new PyList([]);
  private selectFields: string[] = [];
  private orderByFields: string[] = [];
  private limitValue: PyValue | undefined = undefined;
  private offsetValue: PyValue | undefined = undefined;
  private joins: string[] = [];
  private groupByFields: string[] = [];
  private havingConditions: string[] = [];
  private parameterIndex = 0;

  constructor(readonly tableName: string, readonly dialect: QueryDialect) { super(); }

  override get typeName(): string { return 'QueryBuilder'; }

  private placeholder(): string {
    if (this.dialect === 'postgresql') return `$${++this.parameterIndex}`;
    return this.dialect === 'mysql' ? '%s' : '?';
  }

  private quoteIdentifier(identifier: string): string {
    const q = this.dialect === 'mysql' ? '`' : '"';
    return identifier.split('.').map((p) => `${q}${p}${q}`).join('.');
  }

  private quoteTableName(name: string, ctx: HostContext): string {
    const q = this.dialect === 'mysql' ? '`' : '"';
    return name.split('.').map((p) => {
      // DataFlow raises InvalidIdentifierError (with a fingerprint of the name) here.
      if (!SAFE_IDENTIFIER.test(p)) throw new UnsupportedPythonError(`QueryBuilder table name '${name}' (DataFlow's InvalidIdentifierError) is not modelled`, ctx.loc);
      return `${q}${p}${q}`;
    }).join('.');
  }

  private where(field: string, operator: string, value: PyValue): void {
    if (!(operator in OPERATORS)) throw pyErr('ValueError', `Unsupported operator: ${operator}`);
    const f = this.quoteIdentifier(field);
    if (operator === '$exists' || operator === '$null') {
      this.conditions.push(`${f} ${OPERATORS[operator]}`);
    } else if (operator === '$in' || operator === '$nin') {
      if (!(value instanceof PyList || value instanceof PyTuple)) throw pyErr('ValueError', `${operator} requires a list of values`);
      const ph: string[] = [];
      for (const v of value.items) { ph.push(this.placeholder()); this.parameters.items.push(v); }
      this.conditions.push(`${f} ${OPERATORS[operator]} (${ph.join(', ')})`);
    } else if (operator === '$regex') {
      const ph = this.placeholder();
      if (this.dialect === 'postgresql') { this.conditions.push(`${f} ~ ${ph}`); this.parameters.items.push(value); }
      else if (this.dialect === 'mysql') { this.conditions.push(`${f} REGEXP ${ph}`); this.parameters.items.push(value); }
      else { this.conditions.push(`${f} LIKE ${ph}`); this.parameters.items.push(str(value, 'replace').replace(/\.\*/g, '%').replace(/\./g, '_')); }
    } else {
      if (value === null && operator === '$eq') { this.conditions.push(`${f} IS NULL`); return; }
      if (value === null && operator === '$ne') { this.conditions.push(`${f} IS NOT NULL`); return; }
      this.conditions.push(`${f} ${OPERATORS[operator]} ${this.placeholder()}`);
      this.parameters.items.push(value);
    }
  }

  private fieldList(v: PyValue | undefined): string[] {
    if (typeof v === 'string') return [v];
    if (v instanceof PyList || v instanceof PyTuple) return v.items.map((x) => str(x, 'split'));
    throw pyErr('TypeError', `'${v === null ? 'NoneType' : typeof v}' object is not iterable`);
  }

  private whereClause(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  private returning(): string {
    return this.dialect === 'postgresql' ? ' RETURNING *' : '';
  }

  private dataItems(v: PyValue | undefined, ctx: HostContext): [string, PyValue][] {
    if (!(v instanceof PyDict)) throw new UnsupportedPythonError('QueryBuilder.build_insert/build_update with data that is not a dict', ctx.loc);
    return v.entries().map(([k, val]) => [str(k, 'split'), val]);
  }

  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    switch (name) {
      case 'where':
        this.where(str(argOf(args, kwargs, 0, 'field'), 'split'), str(argOf(args, kwargs, 1, 'operator'), 'split'), argOf(args, kwargs, 2, 'value', null) ?? null);
        return this;
      case 'select':
        this.selectFields.push(...this.fieldList(argOf(args, kwargs, 0, 'fields')));
        return this;
      case 'order_by': {
        const field = str(argOf(args, kwargs, 0, 'field'), 'split');
        const dir = str(argOf(args, kwargs, 1, 'direction', 'ASC'), 'upper').toUpperCase();
        if (dir !== 'ASC' && dir !== 'DESC') throw pyErr('ValueError', 'Direction must be ASC or DESC');
        this.orderByFields.push(`${this.quoteIdentifier(field)} ${dir}`);
        return this;
      }
      case 'limit': case 'offset': {
        const v = argOf(args, kwargs, 0, name);
        const ok = typeof v === 'boolean' || (v !== undefined && isInt(v) && v >= 0);
        if (!ok) throw pyErr('ValueError', `${name} must be a non-negative integer`);
        if (name === 'limit') this.limitValue = v; else this.offsetValue = v;
        return this;
      }
      case 'join': {
        const table = str(argOf(args, kwargs, 0, 'table'), 'split');
        const on = str(argOf(args, kwargs, 1, 'on_condition'), 'format');
        const jt = str(argOf(args, kwargs, 2, 'join_type', 'INNER'), 'upper').toUpperCase();
        if (!JOIN_TYPES.includes(jt)) throw pyErr('ValueError', `Invalid join type: ${argOf(args, kwargs, 2, 'join_type', 'INNER') as string}`);
        this.joins.push(`${jt} JOIN ${this.quoteTableName(table, ctx)} ON ${on}`);
        return this;
      }
      case 'group_by':
        this.groupByFields.push(...this.fieldList(argOf(args, kwargs, 0, 'fields')).map((f) => this.quoteIdentifier(f)));
        return this;
      case 'having':
        this.havingConditions.push(str(argOf(args, kwargs, 0, 'condition'), 'format'));
        return this;
      case 'build_select': {
        const fields = argOf(args, kwargs, 0, 'fields', null);
        if (fields !== null && fields !== undefined && ctx.evaluator.truthy(fields)) this.selectFields.push(...this.fieldList(fields));
        const select = this.selectFields.length ? `SELECT ${this.selectFields.map((f) => (f === '*' ? f : this.quoteIdentifier(f))).join(', ')}` : 'SELECT *';
        let limit = '';
        if (this.limitValue !== undefined && this.limitValue !== null) { limit = `LIMIT ${this.placeholder()}`; this.parameters.items.push(this.limitValue); }
        if (this.offsetValue !== undefined && this.offsetValue !== null) { limit += ` OFFSET ${this.placeholder()}`; this.parameters.items.push(this.offsetValue); }
        const parts = [
          select,
          `FROM ${this.quoteTableName(this.tableName, ctx)}`,
          this.joins.join(' '),
          this.whereClause(),
          this.groupByFields.length ? `GROUP BY ${this.groupByFields.join(', ')}` : '',
          this.havingConditions.length ? `HAVING ${this.havingConditions.join(' AND ')}` : '',
          this.orderByFields.length ? `ORDER BY ${this.orderByFields.join(', ')}` : '',
          limit,
        ];
        return new PyTuple([parts.filter((p) => p).join(' '), this.parameters]);
      }
      case 'build_insert':
        {
        const items = this.dataItems(argOf(args, kwargs, 0, 'data'), ctx);
          const fields = items.map(([k]) => this.quoteIdentifier(k));
          const ph = items.map(() => this.placeholder());
          const sql = `INSERT INTO ${this.quoteTableName(this.tableName, ctx)} (${fields.join(', ')}) VALUES (${ph.join(', ')})${this.returning()}`;
          return new PyTuple([sql, new PyList(items.map(([, v]) => v))]);
      }
      case 'build_update':
        {
        const items = this.dataItems(argOf(args, kwargs, 0, 'data'), ctx);
          const sets = items.map(([k]) => `${this.quoteIdentifier(k)} = ${this.placeholder()}`);
          const sql = `UPDATE ${this.quoteTableName(this.tableName, ctx)} SET ${sets.join(', ')} ${this.whereClause()}${this.returning()}`;
          return new PyTuple([sql, new PyList([...items.map(([, v]) => v), ...this.parameters.items])]);
      }
      case 'build_delete':
        return new PyTuple([`DELETE FROM ${this.quoteTableName(this.tableName, ctx)} ${this.whereClause()}${this.returning()}`, this.parameters]);
      case 'build_count':
        return new PyTuple([`SELECT COUNT(*) FROM ${this.quoteTableName(this.tableName, ctx)} ${this.whereClause()}`, this.parameters]);
      case 'reset':
        this.conditions = []; this.parameters = new PyList([]); this.selectFields = []; this.orderByFields = [];
        this.limitValue = undefined; this.offsetValue = undefined; this.joins = []; this.groupByFields = []; this.havingConditions = [];
        this.parameterIndex = 0;
        return this;
      default:
        return NOT_HANDLED;
    }
  }

  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    if (name === 'table_name') return this.tableName;
    if (name === 'parameters') return this.parameters;
    if (name === 'conditions') return new PyList([...this.conditions]);
    if (METHODS.has(name)) {
      return hostFunction(name, (a, k, c) => {
        const r = this.callMethod(name, a, k, c);
        return r === NOT_HANDLED ? null : r;
      });
    }
    if (['database_type', 'select_fields', 'order_by_fields', 'limit_value', 'offset_value', 'joins', 'group_by_fields', 'having_conditions', 'OPERATORS'].includes(name)) {
      throw new UnsupportedPythonError(`\`QueryBuilder.${name}\` is a QueryBuilder attribute the runtime does not model`, ctx.loc);
    }
    return undefined;
  }

  override repr(): string { return '<dataflow.database.query_builder.QueryBuilder object>'; }
}
