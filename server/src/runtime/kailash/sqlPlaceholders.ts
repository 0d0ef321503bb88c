// kailash's placeholder rewriting (kailash/nodes/data/async_sql.py, kailash 2.63): positional
// placeholders `?` / `$n` / `%s` become `:p0, :p1, ...` (_convert_to_named_parameters), then the
// PostgreSQL adapter writes named placeholders back as `$N`, with `::integer` / `::boolean` after an
// int's / a bool's. Text only: AsyncSQLDatabaseNode and DataFlow's statements (dataflow/kailashSql.ts) share it.
import type { DfRecord, DfValue } from '../dataflow/values/dfValues';

/** _convert_to_named_parameters: positional placeholders become :p0, :p1, ... */
export function toNamedParameters(query: string, values: DfValue[]): { query: string; params: [string, DfValue][] } {
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
  /** The cast each placeholder had in the last text written for this query (CAST_*), and that text. */
  casts: Uint8Array;
  text: string | undefined;
}
const CAST_NONE = 0;
const CAST_INTEGER = 1;
const CAST_BOOLEAN = 2;
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
  lastPlaceholders = { query, count, head: literals[0], keys, plain: after(''), int: after('::integer'), bool: after('::boolean'), casts: new Uint8Array(keys.length), text: undefined };
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
function sequentialToPositional(query: string, params: [string, DfValue][]): { sql: string; values: DfValue[] } | undefined {
  const values: DfValue[] = new Array(params.length);
  for (let i = 0; i < params.length; i++) {
    if (params[i][0] !== paramKey(i)) return undefined;
    values[i] = params[i][1];
  }
  return { sql: positionalText(query, values), values };
}

/**
 * A text with :p0 … :p<n-1> (n = the values) as kailash's adapter writes it for those values. The
 * text depends only on which values are ints and bools; a bulk node's batches mostly agree on that
 * (a column's values share a type), so when they do, the last text is returned again rather than
 * rebuilt from 3,000 pieces (3,000 string concatenations and the driver's flattening per batch).
 */
function positionalText(query: string, values: readonly DfValue[]): string {
  const p = placeholdersOf(query, values.length);
  const { keys, casts } = p;
  let same = p.text !== undefined;
  for (let j = 0; j < keys.length; j++) {
    const value = values[keys[j]];
    // isinstance(value, int): a Python int (a bigint beyond 2^53 too), not a float (FloatNumber)
    const cast = typeof value === 'boolean' ? CAST_BOOLEAN : (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint' ? CAST_INTEGER : CAST_NONE;
    if (cast !== casts[j]) {
      casts[j] = cast;
      same = false;
    }
  }
  if (same) return p.text as string;
  let sql = p.head;
  for (let j = 0; j < keys.length; j++) sql += casts[j] === CAST_BOOLEAN ? p.bool[j] : casts[j] === CAST_INTEGER ? p.int[j] : p.plain[j];
  p.text = sql;
  return sql;
}

/**
 * What kailash sends for a statement with a list of parameters: toPositional(toNamedParameters(sql,
 * values)).sql, without the [key, value] pair per parameter and the value list in between (a
 * BulkCreate batch has 3,000).
 */
export function positionalWireSql(sql: string, values: readonly DfValue[]): string {
  return positionalText(namedText(sql), values);
}

/** The PostgreSQL adapter: named :key placeholders → $N in dict order (longest keys first), typed casts for int / bool. */
export function toPositional(query: string, params: [string, DfValue][], parameterTypes?: DfRecord): { sql: string; values: DfValue[] } {
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
