import { quoteDotted } from '../../db/quoteIdent';
import { DataFlowNodeError } from '../errors';
import { bindValue } from '../values/bindValue';
import { isPyDict, pyRepr, type PyDict, type PyValue } from '../values/pyValues';
import { ParamList } from './sqlParams';

/** Operators DataFlow's QueryBuilder.where() accepts (§4.1 gate 2). */
export const QUERY_BUILDER_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$like', '$regex', '$exists', '$null'] as const;

const COMPARISON: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/**
 * One `builder.where(field, op, value)` call. Throws ValueError-like errors where the builder raises.
 * `{"$in": []}` compiles to `IN ()` on purpose: PostgreSQL rejects it, as in DataFlow.
 */
export function compileCondition(field: string, op: string, value: PyValue, params: ParamList): string {
  const col = quoteDotted(field);
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
        throw new DataFlowNodeError(`${op} operator requires a list or tuple, got ${pyRepr(value)}`, { errorType: 'ValueError' });
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
      throw new DataFlowNodeError(`Unsupported operator: ${op}`, { errorType: 'ValueError' });
  }
}

/** The WHERE conditions of a List/Count filter, in dict order, ANDed. */
export function compileFilter(filter: PyDict, params: ParamList): string[] {
  const conds: string[] = [];
  for (const [field, value] of Object.entries(filter)) {
    if (isPyDict(value)) {
      for (const [op, opValue] of Object.entries(value)) conds.push(compileCondition(field, op, opValue, params));
    } else {
      conds.push(compileCondition(field, '$eq', value, params));
    }
  }
  return conds;
}

export function whereClause(conds: string[]): string {
  return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
}
