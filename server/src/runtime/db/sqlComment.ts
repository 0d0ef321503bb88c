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

/** Decides the attribution of one statement (undefined: no comment). */
export type SqlCommenter = (target: CommentTarget) => SqlAttribution | undefined;

function encode(s: string): string {
  return encodeURIComponent(s).replace(/'/g, '%27');
}

/** `/*a='1',b='x%20y'*\/` — or '' when there is nothing to say. */
export function formatSqlComment(attribution: SqlAttribution): string {
  const keys = Object.keys(attribution)
    .filter((k) => attribution[k] !== undefined && attribution[k] !== '')
    .sort();
  if (keys.length === 0) return '';
  return '/*' + keys.map((k) => `${encode(k)}='${encode(attribution[k]!)}'`).join(',') + '*/';
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
  while (j < sql.length && /[A-Za-z]/.test(sql[j])) j++;
  const verb = sql.slice(i, j).toUpperCase();
  if (!verb || NO_COMMENT_VERBS.has(verb)) return false;
  if (sql.includes('/*') || sql.includes('--')) return false; // already commented (or a line comment would swallow ours)
  const semi = sql.indexOf(';');
  if (semi >= 0 && sql.slice(semi + 1).trim() !== '') return false; // several statements
  return true;
}

/** The statement with `comment` appended (before a trailing semicolon). */
export function appendSqlComment(sql: string, comment: string): string {
  if (!comment) return sql;
  const trimmed = sql.replace(/\s+$/, '');
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
    const comment = formatSqlComment(attribution);
    if (!comment) return { text: target.sql };
    return { text: appendSqlComment(target.sql, comment), comment };
  } catch {
    return { text: target.sql };
  }
}
