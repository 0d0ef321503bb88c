/**
 * sqlcommenter (https://google.github.io/sqlcommenter/spec/): attribution appended to a statement
 * as `/*key='value',key2='value2'*\/` so PostgreSQL's logs, pg_stat_activity and
 * pg_stat_statements show which workflow / node / source line sent it.
 *
 * - keys and values are URL-encoded (encodeURIComponent, plus `'` → %27), keys sorted;
 * - the comment goes at the end of the statement (before a trailing `;`);
 * - a statement that already carries a comment is left alone (the spec's rule);
 * - transaction control (BEGIN/COMMIT/...), COPY and multi-statement strings are never commented.
 * Only attribution goes in the comment: never parameters, values or connection details.
 */

/** Tag of every statement the profiler itself sends (EXPLAIN, catalog reads, what-ifs). */
export const PROFILER_TAG = 'dataflow:profiler';

/** True for the profiler's own statements: the tag `dataflow:profiler` or `dataflow:profiler:<anything>`. */
export function isProfilerTag(tag: string | undefined): boolean {
  return tag !== undefined && (tag === PROFILER_TAG || tag.startsWith(PROFILER_TAG + ':'));
}

/** Key → value pairs for the comment; undefined / empty values are left out. */
export type SqlAttribution = Readonly<Record<string, string | undefined>>;

/** What a commenter sees of a statement before it is sent. */
export interface CommentTarget {
  sql: string;
  tag?: string;
  attribution?: SqlAttribution;
}

/**
 * Decides the attribution of one statement (undefined: no comment), or gives its comment already
 * formatted by formatSqlComment (a commenter that keeps one per node formats it once, not per statement).
 */
export type SqlCommenter = (target: CommentTarget) => SqlAttribution | string | undefined;

/** Whether encodeURIComponent leaves `c` as it is (`'` aside: the spec encodes it as %27). */
function unreserved(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 95 || c === 45 || c === 46 || c === 33 || c === 126 || c === 42 || c === 40 || c === 41 // _ - . ! ~ * ( )
  );
}

const HEX = '0123456789ABCDEF';

/**
 * A key or value as the spec writes it: URL-encoded as encodeURIComponent does, `'` as %27. ASCII
 * text (node ids, types, `jobs.py:12`) is encoded here in one pass; anything else goes through
 * encodeURIComponent (UTF-8).
 */
export function encodeCommentValue(s: string): string {
  let out: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (unreserved(c)) {
      if (out !== undefined) out += s[i];
    } else if (c < 128) {
      out = (out ?? s.slice(0, i)) + '%' + HEX[c >> 4] + HEX[c & 15];
    } else {
      return encodeURIComponent(s).replace(/'/g, '%27');
    }
  }
  return out ?? s;
}

/** `/*a='1',b='x%20y'*\/` — or '' when there is nothing to say. */
export function formatSqlComment(attribution: SqlAttribution): string {
  const keys = Object.keys(attribution).sort();
  let out = '';
  for (const k of keys) {
    const v = attribution[k];
    if (v === undefined || v === '') continue;
    out += (out ? ',' : '/*') + encodeCommentValue(k) + "='" + encodeCommentValue(v) + "'";
  }
  return out ? out + '*/' : '';
}

/** Parse a trailing sqlcommenter comment back into its pairs (tests, pg_stat_statements readers). */
export function parseSqlComment(sql: string): Record<string, string> | undefined {
  const m = /\/\*([^*]*(?:\*(?!\/)[^*]*)*)\*\/\s*;?\s*$/.exec(sql);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const pair of m[1].split(',')) {
    const pm = /^\s*([^=]+)='(.*)'\s*$/.exec(pair);
    if (!pm) return undefined;
    try {
      out[decodeURIComponent(pm[1])] = decodeURIComponent(pm[2].replace(/\\'/g, "'"));
    } catch {
      return undefined;
    }
  }
  return out;
}

const NO_COMMENT_VERBS = new Set(['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE', 'PREPARE', 'COPY']);

/** Whether a statement may carry a trailing comment. Cheap: looks at the verb and the text's end. */
export function isCommentable(sql: string): boolean {
  let i = 0;
  while (i < sql.length && sql.charCodeAt(i) <= 32) i++;
  let j = i;
  while (j < sql.length && isAsciiLetter(sql.charCodeAt(j))) j++;
  if (j === i || NO_COMMENT_VERBS.has(sql.slice(i, j).toUpperCase())) return false;
  if (sql.includes('/*') || sql.includes('--')) return false; // already commented (or a line comment would swallow ours)
  const semi = sql.indexOf(';');
  if (semi >= 0 && sql.slice(semi + 1).trim() !== '') return false; // several statements
  return true;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The statement with `comment` appended (before a trailing semicolon). */
export function appendSqlComment(sql: string, comment: string): string {
  if (!comment) return sql;
  const trimmed = sql.trimEnd();
  if (trimmed.endsWith(';')) return `${trimmed.slice(0, -1)} ${comment};`;
  return `${trimmed} ${comment}`;
}

/**
 * The text to send for `sql` under `commenter` (or the statement's own attribution), and the
 * comment that was added. Never throws: a failing commenter means no comment.
 */
export function decorateStatement(commenter: SqlCommenter | undefined, target: CommentTarget): { text: string; comment?: string } {
  if (!commenter && !target.attribution) return { text: target.sql };
  try {
    if (!isCommentable(target.sql)) return { text: target.sql };
    const attribution = commenter ? commenter(target) : target.attribution;
    if (!attribution) return { text: target.sql };
    const comment = typeof attribution === 'string' ? attribution : formatSqlComment(attribution);
    if (!comment) return { text: target.sql };
    return { text: appendSqlComment(target.sql, comment), comment };
  } catch {
    return { text: target.sql };
  }
}
