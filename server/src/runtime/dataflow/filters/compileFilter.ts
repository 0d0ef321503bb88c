import { quoteDotted } from '../../db/quoteIdent';
import { nodeValueError } from '../errors';
import { bindValue } from '../values/bindValue';
import { isDfRecord, type DfRecord, type DfValue } from '../values/dfValues';
import { ParamList } from './sqlParams';

const COMPARISON: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/**
 * One `builder.where(field, op, value)` call. Throws ValueError-like errors where the builder raises.
 * `{"$in": []}` compiles to `IN ()` on purpose: PostgreSQL rejects it, as in DataFlow.
 */
export function compileCondition(field: string, op: string, value: DfValue, params: ParamList, check?: BindCheck): string {
  const col = quoteDotted(field);
  if (check && (op === '$in' || op === '$nin') && Array.isArray(value)) value.forEach((v, i) => check(field, v, params.next + i, op));
  else if (check && (op in COMPARISON || op === '$eq' || op === '$ne') && value !== null) check(field, value, params.next, op);
  switch (op) {
    case '$eq':
      return value === null ? `${col} IS NULL` : `${col} = ${params.add(bindValue(value))}`;
    case '$ne':
      return value === null ? `${col} IS NOT NULL` : `${col} != ${params.add(bindValue(value))}`;
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return `${col} ${COMPARISON[op]} ${params.add(bindValue(value))}`;
    case '$in':
    case '$nin': {
      if (!Array.isArray(value)) {
        // QueryBuilder._add_list_condition (database/query_builder.py:142).
        throw nodeValueError(`${op} requires a list of values`);
      }
      const ph = value.map((v) => params.add(bindValue(v)));
      return `${col} ${op === '$in' ? 'IN' : 'NOT IN'} (${ph.join(', ')})`;
    }
    case '$like':
      return `${col} LIKE ${params.add(bindValue(value))}`;
    case '$regex':
      return `${col} ~ ${params.add(bindValue(value))}`;
    case '$exists':
      return `${col} IS NOT NULL`; // the value is ignored (§4.1)
    case '$null':
      return `${col} IS NULL`; // the value is ignored (§4.1)
    default:
      throw nodeValueError(`Unsupported operator: ${op}`); // query_builder.py:96
  }
}

/** Called with each value before it is bound at $`position` (asyncpg's parameter type checks). */
export type BindCheck = (field: string, value: DfValue, position: number, op: string) => void;

/** The WHERE conditions of a List/Count filter, in dict order, ANDed. */
export function compileFilter(filter: DfRecord, params: ParamList, check?: BindCheck): string[] {
  const conds: string[] = [];
  for (const [field, value] of Object.entries(filter)) {
    if (isDfRecord(value)) {
      for (const [op, opValue] of Object.entries(value)) conds.push(compileCondition(field, op, opValue, params, check));
    } else {
      conds.push(compileCondition(field, '$eq', value, params, check));
    }
  }
  return conds;
}

export function whereClause(conds: string[]): string {
  return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
}
