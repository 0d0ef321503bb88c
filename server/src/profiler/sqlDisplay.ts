/**
 * SQL for display and grouping, in linear time (django-debug-toolbar #2293: a 10,000-value IN
 * list took 18 s to format there; here it is one pass over the text).
 *
 * - displaySql: long `IN ($1, $2, …)` lists become `IN (… 5,000 values)` and multi-row
 *   `VALUES (…), (…), …` become `VALUES ($1, $2) … 1,000 rows`;
 * - fingerprint: the "similar" key — parameters and literals replaced by `?`, whitespace and
 *   comments normalised, IN / VALUES lists of any length reduced to one element;
 * - hashParams: the parameter values' hash for the "duplicate" key (the values are not kept).
 */
import type { SqlParam } from '../runtime/db/types';
import type { StatementKind } from '../report/reportTypes';

const enum T {
  Ws,
  Word,
  Param,
  Num,
  Str,
  QIdent,
  Comment,
  Punct,
}

interface Tok {
  k: T;
  s: number;
  e: number;
}

function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c > 127;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

/** One linear pass: tokens with their offsets. Unterminated strings / comments run to the end. */
export function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const s = i;
    if (isSpace(c)) {
      while (i < n && isSpace(sql.charCodeAt(i))) i++;
      out.push({ k: T.Ws, s, e: i });
    } else if (c === 39 /* ' */) {
      i++;
      for (;;) {
        const q = sql.indexOf("'", i);
        if (q < 0) {
          i = n;
          break;
        }
        if (sql.charCodeAt(q + 1) === 39) {
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push({ k: T.Str, s, e: i });
    } else if (c === 34 /* " */) {
      i++;
      for (;;) {
        const q = sql.indexOf('"', i);
        if (q < 0) {
          i = n;
          break;
        }
        if (sql.charCodeAt(q + 1) === 34) {
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push({ k: T.QIdent, s, e: i });
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      out.push({ k: T.Comment, s, e: i });
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      const end = sql.indexOf('\n', i + 2);
      i = end < 0 ? n : end;
      out.push({ k: T.Comment, s, e: i });
    } else if (c === 36 /* $ */ && isDigit(sql.charCodeAt(i + 1))) {
      i++;
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
      out.push({ k: T.Param, s, e: i });
    } else if (c === 36 && (sql.charCodeAt(i + 1) === 36 || isWordChar(sql.charCodeAt(i + 1)))) {
      // dollar-quoted string: $tag$ ... $tag$
      let j = i + 1;
      while (j < n && isWordChar(sql.charCodeAt(j)) && !isDigit(sql.charCodeAt(i + 1))) j++;
      if (sql.charCodeAt(j) === 36) {
        const tag = sql.slice(i, j + 1);
        const end = sql.indexOf(tag, j + 1);
        i = end < 0 ? n : end + tag.length;
        out.push({ k: T.Str, s, e: i });
      } else {
        i++;
        out.push({ k: T.Punct, s, e: i });
      }
    } else if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (isDigit(d) || d === 46) i++;
        else if ((d === 101 || d === 69) && (isDigit(sql.charCodeAt(i + 1)) || ((sql.charCodeAt(i + 1) === 45 || sql.charCodeAt(i + 1) === 43) && isDigit(sql.charCodeAt(i + 2))))) i += 2;
        else break;
      }
      out.push({ k: T.Num, s, e: i });
    } else if (isWordChar(c)) {
      while (i < n && isWordChar(sql.charCodeAt(i))) i++;
      // E'...' / B'...' / X'...' string prefixes
      if (i - s === 1 && sql.charCodeAt(i) === 39 && /[EeBbXxNn]/.test(sql[s])) {
        continue; // the string token follows; the prefix letter is dropped into it below
      }
      out.push({ k: T.Word, s, e: i });
    } else {
      i++;
      out.push({ k: T.Punct, s, e: i });
    }
  }
  return out;
}

function wordIs(sql: string, t: Tok | undefined, upper: string): boolean {
  return t !== undefined && t.k === T.Word && t.e - t.s === upper.length && sql.slice(t.s, t.e).toUpperCase() === upper;
}

function punctIs(sql: string, t: Tok | undefined, ch: string): boolean {
  return t !== undefined && t.k === T.Punct && sql[t.s] === ch;
}

/** Next non-whitespace, non-comment token index at or after i. */
function skip(toks: Tok[], i: number): number {
  while (i < toks.length && (toks[i].k === T.Ws || toks[i].k === T.Comment)) i++;
  return i;
}

/**
 * A simple list `( item, item, … )` starting at the `(` token `open`: items are parameters,
 * literals, NULL/TRUE/FALSE, optionally signed and cast (`$1::int`). Returns the index of `)` and
 * the item count, or undefined when the parentheses hold anything else (a subquery, …).
 */
function simpleList(sql: string, toks: Tok[], open: number): { close: number; items: number } | undefined {
  let i = skip(toks, open + 1);
  let items = 0;
  for (;;) {
    if (punctIs(sql, toks[i], '-') || punctIs(sql, toks[i], '+')) i = skip(toks, i + 1);
    const t = toks[i];
    if (!t) return undefined;
    const isItem = t.k === T.Param || t.k === T.Num || t.k === T.Str || wordIs(sql, t, 'NULL') || wordIs(sql, t, 'TRUE') || wordIs(sql, t, 'FALSE');
    if (!isItem) return undefined;
    items++;
    i = skip(toks, i + 1);
    // ::type casts
    while (punctIs(sql, toks[i], ':') && punctIs(sql, toks[i + 1], ':')) {
      i = skip(toks, i + 2);
      if (!toks[i] || (toks[i].k !== T.Word && toks[i].k !== T.QIdent)) return undefined;
      i = skip(toks, i + 1);
      if (punctIs(sql, toks[i], '[') && punctIs(sql, toks[skip(toks, i + 1)], ']')) i = skip(toks, skip(toks, i + 1) + 1);
    }
    if (punctIs(sql, toks[i], ',')) {
      i = skip(toks, i + 1);
      continue;
    }
    if (punctIs(sql, toks[i], ')')) return { close: i, items };
    return undefined;
  }
}

/** Index of the `)` matching the `(` at `open`, or -1. */
function matchParen(sql: string, toks: Tok[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (toks[i].k !== T.Punct) continue;
    const ch = sql[toks[i].s];
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Tuples of a `VALUES (…), (…)` starting at the first `(`: the end of the first tuple and the last, and their count. */
function valuesTuples(sql: string, toks: Tok[], open: number): { firstClose: number; lastClose: number; rows: number } | undefined {
  const firstClose = matchParen(sql, toks, open);
  if (firstClose < 0) return undefined;
  let rows = 1;
  let lastClose = firstClose;
  for (;;) {
    const comma = skip(toks, lastClose + 1);
    if (!punctIs(sql, toks[comma], ',')) break;
    const next = skip(toks, comma + 1);
    if (!punctIs(sql, toks[next], '(')) break;
    const close = matchParen(sql, toks, next);
    if (close < 0) break;
    rows++;
    lastClose = close;
  }
  return { firstClose, lastClose, rows };
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export interface DisplayOptions {
  /** Lists with more items (IN values, VALUES rows) than this are collapsed. Default 10 / 3. */
  maxInValues?: number;
  maxValuesRows?: number;
}

/**
 * SQL as sent with long IN lists and multi-row VALUES collapsed:
 * `"id" IN (… 5,000 values)`, `VALUES ($1, $2) … 1,000 rows`. Everything else is kept verbatim.
 */
export function displaySql(sql: string, options: DisplayOptions = {}): string {
  const maxIn = options.maxInValues ?? 10;
  const maxRows = options.maxValuesRows ?? 3;
  // fast path: nothing to collapse
  if (!/\b(?:IN|VALUES)\s*\(/i.test(sql)) return sql;
  const toks = tokenize(sql);
  const parts: string[] = [];
  let last = 0; // offset in sql copied so far
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.k !== T.Word) continue;
    if (wordIs(sql, t, 'IN')) {
      const open = skip(toks, i + 1);
      if (!punctIs(sql, toks[open], '(')) continue;
      const list = simpleList(sql, toks, open);
      if (!list) continue;
      if (list.items > maxIn) {
        parts.push(sql.slice(last, toks[open].e), `… ${formatCount(list.items)} values`);
        last = toks[list.close].s;
      }
      i = list.close;
    } else if (wordIs(sql, t, 'VALUES')) {
      const open = skip(toks, i + 1);
      if (!punctIs(sql, toks[open], '(')) continue;
      const v = valuesTuples(sql, toks, open);
      if (!v) continue;
      if (v.rows > maxRows) {
        parts.push(sql.slice(last, toks[v.firstClose].e), ` … ${formatCount(v.rows)} rows`);
        last = toks[v.lastClose].e;
      }
      i = v.lastClose;
    }
  }
  if (last === 0) return sql;
  parts.push(sql.slice(last));
  return parts.join('');
}

/**
 * The "similar" key: parameters and literals → `?`, whitespace collapsed, comments dropped,
 * `IN (…)` simple lists → `IN (?)`, multi-row VALUES → the first tuple only.
 */
export function fingerprint(sql: string): string {
  const toks = tokenize(sql);
  const out: string[] = [];
  let pendingSpace = false;
  const emit = (s: string): void => {
    if (pendingSpace && out.length) out.push(' ');
    pendingSpace = false;
    out.push(s);
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    switch (t.k) {
      case T.Ws:
      case T.Comment:
        pendingSpace = true;
        break;
      case T.Param:
      case T.Num:
      case T.Str:
        emit('?');
        break;
      case T.Word: {
        emit(sql.slice(t.s, t.e));
        if (wordIs(sql, t, 'IN')) {
          const open = skip(toks, i + 1);
          if (punctIs(sql, toks[open], '(')) {
            const list = simpleList(sql, toks, open);
            if (list) {
              pendingSpace = true;
              emit('(?)');
              i = list.close;
            }
          }
        } else if (wordIs(sql, t, 'VALUES')) {
          const open = skip(toks, i + 1);
          if (punctIs(sql, toks[open], '(')) {
            const v = valuesTuples(sql, toks, open);
            if (v) {
              // the first tuple, normalised, stands for all of them
              pendingSpace = true;
              emit(fingerprint(sql.slice(toks[open].s, toks[v.firstClose].e)));
              i = v.lastClose;
            }
          }
        }
        break;
      }
      default:
        emit(sql.slice(t.s, t.e));
    }
  }
  return out.join('').trim();
}

/** A bounded memo of fingerprints and kinds by SQL text (most statements repeat the same text). */
export class FingerprintCache {
  private readonly map = new Map<string, { fingerprint: string; kind: StatementKind }>();
  constructor(private readonly max = 2000) {}
  get(sql: string, command?: string): { fingerprint: string; kind: StatementKind } {
    let f = this.map.get(sql);
    if (f === undefined) {
      f = { fingerprint: fingerprint(sql), kind: statementKind(sql, command) };
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(sql, f);
    }
    return f;
  }
}

/**
 * Two 32-bit FNV-1a-style hashes of the parameter values, each value tagged with its type (so 1 and
 * '1' differ). Values are not retained. Runs once per collected statement: no closures, no
 * concatenated strings.
 */
export function hashParams(params: readonly SqlParam[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ params.length;
  for (let k = 0; k < params.length; k++) {
    const p = params[k];
    // the value's type as a letter (n s d b t f x o), then its text or bytes
    let tag = 111; // o: anything else, by its String()
    let s: string | undefined;
    let bytes: Uint8Array | undefined;
    if (p === null) tag = 110;
    else if (typeof p === 'string') {
      tag = 115;
      s = p;
    } else if (typeof p === 'number') {
      tag = 100;
      s = String(p);
    } else if (typeof p === 'bigint') {
      tag = 98;
      s = p.toString();
    } else if (typeof p === 'boolean') tag = p ? 116 : 102;
    else if (p instanceof Uint8Array) {
      tag = 120;
      bytes = p;
    } else s = String(p);
    // a 0 before each value's tag keeps ['ab'] and ['a', 'b'] apart
    h1 = Math.imul(h1, 16777619);
    h2 = Math.imul(h2, 2246822507);
    h1 = Math.imul(h1 ^ tag, 16777619);
    h2 = Math.imul(h2 ^ tag, 2246822507);
    if (s !== undefined) {
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 16777619);
        h2 = Math.imul(h2 ^ c, 2246822507);
      }
    } else if (bytes !== undefined) {
      for (let i = 0; i < bytes.length; i++) {
        h1 = Math.imul(h1 ^ bytes[i], 16777619);
        h2 = Math.imul(h2 ^ bytes[i], 2246822507);
      }
    }
  }
  return (h1 >>> 0).toString(36) + '.' + (h2 >>> 0).toString(36);
}

const TX_VERBS = new Set(['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE']);
const DDL_VERBS = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'COMMENT', 'GRANT', 'REVOKE', 'REINDEX']);

/** The report's statement kind, from the command verb (or the SQL's first word). */
export function statementKind(sql: string, command?: string): StatementKind {
  let verb = (command ?? '').toUpperCase();
  if (!verb) {
    const m = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(sql);
    verb = m ? m[1].toUpperCase() : '';
  }
  if (verb === 'SET' && /^\s*SET\s+(LOCAL\s+)?TRANSACTION\b/i.test(sql)) return 'transaction';
  if (TX_VERBS.has(verb)) return 'transaction';
  if (verb === 'SELECT' || verb === 'WITH' || verb === 'VALUES' || verb === 'TABLE') {
    if (verb === 'WITH' && /\b(INSERT|UPDATE|DELETE)\b/i.test(sql)) return /\bINSERT\b/i.test(sql) ? 'insert' : /\bUPDATE\b/i.test(sql) ? 'update' : 'delete';
    return 'select';
  }
  if (verb === 'INSERT') return 'insert';
  if (verb === 'UPDATE') return 'update';
  if (verb === 'DELETE') return 'delete';
  if (DDL_VERBS.has(verb)) return 'ddl';
  return 'other';
}
