// asyncpg.Record: a row that is both a mapping (r["name"], r.get, keys/values/items, dict(r),
// `"name" in r`) and a sequence (r[0], len(r), iterating yields the values), with values typed
// the way asyncpg decodes them: int, float, Decimal for numeric, str, bool, datetime (timestamptz
// in UTC), date, bytes, UUID; json / jsonb stay str (asyncpg's default codec; jsonb as PostgreSQL
// prints it — a json column's original spacing is not kept by the database layer).
import { HostObject, hostFunction } from '../../python/host';
import { fromPlain, toPlain } from '../../python/convert';
import { PyDecimalObj, PyDateTimeObj, PyUUID, parseIsoDateTime } from '../../python/stdlib';
import { PyFloat, PyList, PySlice, PyTuple, pyErr, reprHook, type PyValue } from '../../python/values';
import { OID } from '../../db/valueParsers';
import type { QueryResult } from '../../db/types';

const UUID_OID = 2950;

/** jsonb's text form: `{"k": [1, 2]}` (a space after ':' and ','). */
export function jsonbText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(jsonbText).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${jsonbText(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

function timestamp(text: string, withZone: boolean): PyValue {
  if (!withZone) return parseIsoDateTime(text, false);
  const iso = /[+-]\d{2}$/.test(text) ? `${text}:00` : text;
  const local = parseIsoDateTime(iso, false);
  const offset = local.tz?.offsetMin ?? 0;
  if (offset === 0) return local;
  const utc = parseIsoDateTime('1970-01-01T00:00:00Z', false).tz;
  return new PyDateTimeObj(local.us - offset * 6e7, utc, false);
}

/** One column value as asyncpg hands it to Python. */
export function asyncpgValue(v: unknown, typeId: number): PyValue {
  if (v === null || v === undefined) return null;
  switch (typeId) {
    case OID.NUMERIC:
      return new PyDecimalObj(String(v));
    case OID.FLOAT4:
    case OID.FLOAT8:
      return new PyFloat(Number(v));
    case OID.TIMESTAMP:
      return typeof v === 'string' ? timestamp(v, false) : fromPlain(v);
    case OID.TIMESTAMPTZ:
      return typeof v === 'string' ? timestamp(v, true) : fromPlain(v);
    case OID.DATE:
      return typeof v === 'string' ? parseIsoDateTime(v, true) : fromPlain(v);
    case OID.JSON:
    case OID.JSONB:
      return typeof v === 'string' ? v : jsonbText(v);
    case UUID_OID:
      return typeof v === 'string' ? new PyUUID(v.replace(/-/g, '').toLowerCase()) : fromPlain(v);
    default:
      return fromPlain(v);
  }
}

export class AsyncpgRecord extends HostObject {
  constructor(
    readonly names: string[],
    readonly values: PyValue[],
  ) {
    super();
  }
  static rowsOf(r: QueryResult): AsyncpgRecord[] {
    const names = r.fields.map((f) => f.name);
    return r.rows.map((row) => {
      // Rows are keyed by column name: a repeated name keeps only one value (a divergence from asyncpg's tuple).
      const values = r.fields.map((f) => asyncpgValue(row[f.name], f.dataTypeID));
      return new AsyncpgRecord(names, values);
    });
  }
  override get typeName(): string {
    return 'Record';
  }
  override getItem(key: PyValue): PyValue {
    if (typeof key === 'string') {
      const i = this.names.indexOf(key);
      if (i < 0) throw pyErr('KeyError', key);
      return this.values[i];
    }
    if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') {
      let i = Number(key);
      if (i < 0) i += this.values.length;
      if (i < 0 || i >= this.values.length) throw pyErr('IndexError', 'record index out of range');
      return this.values[i];
    }
    if (key instanceof PySlice) {
      const n = this.values.length;
      const num = (x: PyValue, d: number) => (x === null ? d : Number(x));
      const step = num(key.step, 1);
      let start = num(key.start, step > 0 ? 0 : n - 1);
      let stop = num(key.stop, step > 0 ? n : -n - 1);
      if (start < 0) start += n;
      if (stop < 0) stop += n;
      const out: PyValue[] = [];
      if (step > 0) for (let i = Math.max(0, start); i < Math.min(n, stop); i += step) out.push(this.values[i]);
      else for (let i = Math.min(n - 1, start); i > Math.max(-1, stop); i += step) out.push(this.values[i]);
      return new PyTuple(out);
    }
    throw pyErr('TypeError', 'record indices must be integers, slices or strings');
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case '__getitem__':
        return hostFunction('__getitem__', (args) => this.getItem(args[0] ?? null));
      case 'get':
        return hostFunction('get', (args) => {
          const i = this.names.indexOf(String(args[0]));
          return i < 0 ? (args[1] ?? null) : this.values[i];
        });
      case 'keys':
        return hostFunction('keys', () => new PyList([...this.names]));
      case 'values':
        return hostFunction('values', () => new PyList([...this.values]));
      case 'items':
        return hostFunction('items', () => new PyList(this.names.map((n, i) => new PyTuple([n, this.values[i]]))));
      default:
        return undefined;
    }
  }
  override iter(): Iterable<PyValue> {
    return this.values;
  }
  override contains(v: PyValue): boolean {
    return typeof v === 'string' && this.names.includes(v);
  }
  override len(): number {
    return this.values.length;
  }
  override equals(other: PyValue): boolean {
    return other instanceof AsyncpgRecord && other.names.join('\0') === this.names.join('\0') && other.values.every((x, i) => x === this.values[i]);
  }
  override repr(): string {
    return `<Record ${this.names.map((n, i) => `${n}=${reprHook.fn(this.values[i])}`).join(' ')}>`;
  }
  override toPlain(): unknown {
    return Object.fromEntries(this.names.map((n, i) => [n, toPlain(this.values[i])]));
  }
}
