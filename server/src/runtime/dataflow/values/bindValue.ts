import type { SqlParam } from '../../db/types';
import type { RuntimeField } from '../schema';
import { CallableDefault, isPyDict, pyJsonDumps, PyDate, PyDateTime, PyDecimal, PyUUID, type PyValue } from './pyValues';

/**
 * DataFlow's `_serialize_params_for_sql`: dicts always and lists (unless use_native_arrays)
 * become json.dumps text; datetimes bind as their ISO text (PostgreSQL parses it into TIMESTAMP);
 * dates and Decimals bind as text (their columns are TEXT).
 */
export function bindValue(v: PyValue | undefined, field?: RuntimeField, nativeArrays = false): SqlParam {
  if (v === undefined || v === null) return null;
  if (v instanceof CallableDefault) return bindValue(v.produce(), field, nativeArrays);
  if (v instanceof PyDateTime || v instanceof PyDate || v instanceof PyDecimal || v instanceof PyUUID) return v.toString();
  if (Array.isArray(v)) {
    if (nativeArrays) return pyJsonDumps(v).replace(/^\[/, '{').replace(/\]$/, '}');
    return pyJsonDumps(v);
  }
  if (isPyDict(v)) return pyJsonDumps(v);
  return v as SqlParam;
}
