import { isDfRecord, type DfRecord, type DfValue } from './dfValues';

/**
 * DataFlow's workflow-path SQL-injection "sanitiser" (validate_inputs, §3.2): string values are
 * rewritten, in this order, before they are stored or matched. It changes user data.
 */
export const REWRITES: ReadonlyArray<[RegExp, string]> = [
  [/(;\s*(drop|delete|insert|update|exec))/gi, '; STATEMENT_BLOCKED'],
  [/(union\s+select)/gi, 'UNION_SELECT'],
  [/(select\s+\*?\s*from)/gi, 'SELECT_FROM'],
  [/(drop\s+table)/gi, 'DROP_TABLE'],
  [/(delete\s+from)/gi, 'DELETE_FROM'],
  [/(insert\s+into)/gi, 'INSERT_INTO'],
  [/(update\s+\w+\s+set)/gi, 'UPDATE_SET'],
  [/(exec\s*\()/gi, 'EXEC_FUNC'],
  [/(or\s+['"]?1['"]?\s*=\s*['"]?1['"]?)/gi, 'OR_1_EQUALS_1'],
  [/(and\s+['"]?1['"]?\s*=\s*['"]?1['"]?)/gi, 'AND_1_EQUALS_1'],
  [/(--\s*$)/gi, '-- COMMENT_BLOCKED'],
  [/(\/\*.*?\*\/)/gi, '/* COMMENT_BLOCKED */'],
];

/**
 * One pass that tells whether any rewrite can apply (the same patterns, non-global): most strings
 * match none, and then the twelve replaces are skipped. Bulk data runs this on every value.
 */
const ANY = new RegExp(REWRITES.map(([re]) => re.source).join('|'), 'i');

/** JavaScript's \s beyond ASCII (the patterns' own whitespace class), for one character. */
const NON_ASCII_SPACE = /\s/;

/**
 * Whether any rewrite can apply, by the characters each pattern needs: a whitespace (every keyword
 * pair, `or 1=1`, `and 1=1`), ';' (`; drop`), '(' (`exec(`), '-' (a trailing `--`) or '/' (a C-style
 * comment). Many bulk values (codes, single words, e-mail addresses, numbers as text) have none,
 * and scanning their characters costs a fraction of running the combined pattern on them.
 */
export function mayNeedRewrite(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x2f) {
      // space, \t \n \v \f \r, '(', '-', '/'
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x28 || c === 0x2d || c === 0x2f) return true;
    } else if (c === 0x3b) {
      return true; // ';'
    } else if (c >= 0xa0 && NON_ASCII_SPACE.test(value[i])) {
      return true;
    }
  }
  return false;
}

export function sanitizeString(value: string): string {
  if (!mayNeedRewrite(value) || !ANY.test(value)) return value;
  let v = value;
  for (const [re, token] of REWRITES) v = v.replace(re, token);
  return v;
}

/** sanitize_sql_input: strings rewritten, other scalars and containers returned as they are. */
export function sanitizeScalar(value: DfValue): DfValue {
  return typeof value === 'string' ? sanitizeString(value) : value;
}

/**
 * sanitize_nested_structure: recurse through dicts and lists. Containers are copied only when
 * something inside them changed, so an untouched 100,000-record `data` list is returned as is.
 */
export function sanitizeNested(value: DfValue): DfValue {
  if (Array.isArray(value)) {
    let out: DfValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const nv = sanitizeNested(value[i]);
      if (nv !== value[i]) (out ??= value.slice())[i] = nv;
    }
    return out ?? value;
  }
  if (isDfRecord(value)) {
    let out: DfRecord | undefined;
    for (const k in value) {
      const v = (value as DfRecord)[k];
      // a record's strings and numbers are handled here, without a call each
      const nv = typeof v === 'string' ? sanitizeString(v) : typeof v === 'object' && v !== null ? sanitizeNested(v) : v;
      if (nv !== v) (out ??= { ...(value as DfRecord) })[k] = nv;
    }
    return out ?? value;
  }
  return sanitizeScalar(value);
}

/**
 * Apply DataFlow's rules to a node's inputs: `filter`, `data` and `update` are sanitised
 * recursively; every other top-level string is sanitised; containers elsewhere are left alone.
 * Returns the new inputs and the list of keys whose value changed.
 */
export function sanitizeInputs(inputs: DfRecord): { inputs: DfRecord; changed: string[] } {
  const out: DfRecord = {};
  const changed: string[] = [];
  for (const [k, v] of Object.entries(inputs)) {
    const nv = k === 'filter' || k === 'data' || k === 'update' ? sanitizeNested(v) : sanitizeScalar(v);
    // Unchanged values come back as the same object or string (no JSON round trip, which also
    // failed on integers beyond 2^53).
    if (nv !== v) changed.push(k);
    out[k] = nv;
  }
  return { inputs: out, changed };
}
