import type { SqlParam } from '../../db/types';
import type { RuntimeField } from '../schema';
import { CallableDefault, isDfRecord, pyJsonDumps, type DfValue } from './dfValues';
import { PyDate, PyDateTime, PyDecimal, HostUUID } from '../../shared/hostValues';

/**
 * DataFlow's `_serialize_params_for_sql`: dicts always and lists (unless use_native_arrays)
 * become json.dumps text; datetimes bind as str(datetime) (PostgreSQL parses it into TIMESTAMP);
 * dates and Decimals bind as text (their columns are TEXT).
 */
export function bindValue(v: DfValue | undefined, field?: RuntimeField, nativeArrays = false): SqlParam {
  // Most values, and bulk nodes bind each one: a primitive binds as it is.
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint') return v as SqlParam;
  if (v === undefined || v === null) return null;
  if (v instanceof CallableDefault) return bindValue(v.produce(), field, nativeArrays);
  // str(datetime) is isoformat(sep=" "): the text DataFlow's query-cache key hashes for a datetime
  // parameter (cache/key_generator.py:_serialize_params), and PostgreSQL parses it the same.
  if (v instanceof PyDateTime) return v.iso.length > 10 && v.iso[10] === 'T' ? `${v.iso.slice(0, 10)} ${v.iso.slice(11)}` : v.iso;
  if (v instanceof PyDate || v instanceof PyDecimal || v instanceof HostUUID) return v.toString();
  if (Array.isArray(v)) {
    if (nativeArrays) return pyJsonDumps(v).replace(/^\[/, '{').replace(/\]$/, '}');
    return pyJsonDumps(v);
  }
  if (isDfRecord(v)) return pyJsonDumps(v);
  return v as SqlParam;
}
