// A small, serialisable picture of a Python expression: enough to read literal values,
// names to resolve later, calls and comprehensions, each with its source span (string offsets).
// Built from tree-sitter nodes with depth and size limits, so huge or deeply nested input stays cheap.
import type { Node } from '../syntax/parser';
import { exact } from './exactArray';

export interface Span { start: number; end: number }

export type SExpr =
  | { k: 'str'; v: string; span: Span }
  | { k: 'fstr'; parts: Array<string | SExpr>; span: Span }
  | { k: 'num'; v: number; span: Span }
  | { k: 'bool'; v: boolean; span: Span }
  | { k: 'none'; span: Span }
  | { k: 'list' | 'tuple' | 'set'; items: SExpr[]; truncated?: number; span: Span }
  | { k: 'dict'; entries: DictEntry[]; truncated?: number; span: Span }
  | { k: 'name'; id: string; span: Span }
  | { k: 'attr'; obj: SExpr; attr: string; span: Span }
  | { k: 'call'; fn: SExpr; args: SExpr[]; kwargs: KwArg[]; span: Span }
  | { k: 'subscript'; obj: SExpr; index: SExpr; span: Span }
  | { k: 'binop'; op: string; l: SExpr; r: SExpr; span: Span }
  | { k: 'unary'; op: string; v: SExpr; span: Span }
  | { k: 'comp'; kind: 'list' | 'dict' | 'set' | 'gen'; elt: SExpr; clauses: CompClause[]; span: Span }
  | { k: 'await'; v: SExpr; span: Span }
  | { k: 'spread'; v: SExpr; double: boolean; span: Span }
  | { k: 'other'; type: string; span: Span }
  | { k: 'cond'; body: SExpr; test: SExpr; orelse: SExpr; span: Span };

export interface DictEntry {
  /** null for a `**spread` entry. */
  key: SExpr | null;
  value: SExpr;
  span: Span;
}
export interface KwArg { name: string; value: SExpr; span: Span }
export interface CompClause { kind: 'for' | 'if'; target?: SExpr; iter?: SExpr; cond?: SExpr; span: Span }

const MAX_DEPTH = 60;
const MAX_ITEMS = 2000;

export function spanOf(n: Node): Span { return { start: n.startIndex, end: n.endIndex }; }

function decodeEscapes(s: string): string {
  if (s.indexOf('\\') === -1) return s;
  return s.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/gs, (_m, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': return '\0';
      case 'u': case 'x': return e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e;
      case '\n': return '';
      default: return e;
    }
  });
}

/**
 * A one-line string literal without backslashes whose prefix is not f (most strings in DataFlow
 * code: node types, ids, field names): its value is the text between its quotes, read without
 * visiting its children (each a crossing into WebAssembly).
 */
const PLAIN_STRING = /^([rRuUbB]{0,2})("[^"\\\n\r]*"|'[^'\\\n\r]*')$/;

function convertString(n: Node, depth: number, span = spanOf(n)): SExpr {
  const plain = PLAIN_STRING.exec(n.text);
  if (plain) return { k: 'str', v: plain[2].slice(1, -1), span };
  const startTok = n.firstChild;
  const prefix = startTok && startTok.type === 'string_start' ? startTok.text.replace(/['"]+$/, '').toLowerCase() : '';
  const raw = prefix.includes('r');
  const isF = prefix.includes('f');
  const parts: Array<string | SExpr> = [];
  let buf = '';
  for (const c of n.children) {
    if (!c) continue;
    switch (c.type) {
      case 'string_content': buf += raw ? c.text : decodeEscapes(c.text); break;
      case 'escape_sequence': buf += raw ? c.text : decodeEscapes(c.text); break;
      case 'interpolation': {
        if (buf) { parts.push(buf); buf = ''; }
        const e = c.childForFieldName('expression');
        parts.push(e ? toSExpr(e, depth + 1) : { k: 'other', type: 'interpolation', span: spanOf(c) });
        break;
      }
      default: break;
    }
  }
  if (buf) parts.push(buf);
  if (!isF || parts.every((p) => typeof p === 'string')) {
    return { k: 'str', v: parts.join(''), span };
  }
  return { k: 'fstr', parts: exact(parts), span };
}

function convertArgs(argList: Node | null, depth: number): { args: SExpr[]; kwargs: KwArg[] } {
  const args: SExpr[] = [];
  const kwargs: KwArg[] = [];
  if (!argList) return { args, kwargs };
  if (argList.type === 'generator_expression') {
    args.push(toSExpr(argList, depth + 1));
    return { args, kwargs };
  }
  for (const c of argList.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'keyword_argument') {
      const name = c.childForFieldName('name');
      const value = c.childForFieldName('value');
      if (name && value) kwargs.push({ name: name.text, value: toSExpr(value, depth + 1), span: spanOf(c) });
    } else if (c.type === 'list_splat' || c.type === 'dictionary_splat') {
      const inner = c.namedChildren.find((x) => x && x.type !== 'comment');
      args.push({ k: 'spread', double: c.type === 'dictionary_splat', v: inner ? toSExpr(inner, depth + 1) : { k: 'other', type: 'empty', span: spanOf(c) }, span: spanOf(c) });
    } else {
      args.push(toSExpr(c, depth + 1));
    }
  }
  return { args: exact(args), kwargs: exact(kwargs) };
}

function convertClauses(n: Node, depth: number): CompClause[] {
  const clauses: CompClause[] = [];
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'for_in_clause') {
      const left = c.childForFieldName('left');
      const right = c.childForFieldName('right');
      clauses.push({ kind: 'for', target: left ? toSExpr(left, depth + 1) : undefined, iter: right ? toSExpr(right, depth + 1) : undefined, span: spanOf(c) });
    } else if (c.type === 'if_clause') {
      const cond = c.namedChildren.find((x) => x && x.type !== 'comment');
      clauses.push({ kind: 'if', cond: cond ? toSExpr(cond, depth + 1) : undefined, span: spanOf(c) });
    }
  }
  return exact(clauses);
}

/** Converts a tree-sitter expression node. Never throws; unknown shapes become `other`. */
export function toSExpr(n: Node, depth = 0): SExpr {
  const span = spanOf(n);
  if (depth > MAX_DEPTH) return { k: 'other', type: 'too-deep', span };
  switch (n.type) {
    case 'string': return convertString(n, depth, span);
    case 'concatenated_string': {
      const pieces = n.namedChildren.filter((c): c is Node => !!c && c.type === 'string').map((c) => convertString(c, depth + 1));
      if (pieces.every((p) => p.k === 'str')) return { k: 'str', v: pieces.map((p) => (p as { v: string }).v).join(''), span };
      const parts: Array<string | SExpr> = [];
      for (const p of pieces) {
        if (p.k === 'str') parts.push(p.v);
        else if (p.k === 'fstr') parts.push(...p.parts);
      }
      return { k: 'fstr', parts: exact(parts), span };
    }
    case 'integer': {
      const v = Number(n.text.replace(/_/g, '').replace(/[lL]$/, ''));
      return Number.isFinite(v) ? { k: 'num', v, span } : { k: 'other', type: 'integer', span };
    }
    case 'float': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isFinite(v) ? { k: 'num', v, span } : { k: 'other', type: 'float', span };
    }
    case 'true': return { k: 'bool', v: true, span };
    case 'false': return { k: 'bool', v: false, span };
    case 'none': return { k: 'none', span };
    case 'identifier': return { k: 'name', id: n.text, span };
    case 'parenthesized_expression': {
      const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? toSExpr(inner, depth + 1) : { k: 'other', type: n.type, span };
    }
    case 'list': case 'tuple': case 'set': case 'expression_list': case 'pattern_list': case 'tuple_pattern': case 'list_pattern': {
      const items: SExpr[] = [];
      let count = 0;
      for (const c of n.namedChildren) {
        if (!c || c.type === 'comment') continue;
        count++;
        if (items.length < MAX_ITEMS) {
          items.push(c.type === 'list_splat' ? { k: 'spread', double: false, v: toSExpr(c.namedChildren[0] ?? c, depth + 1), span: spanOf(c) } : toSExpr(c, depth + 1));
        }
      }
      const k = n.type === 'list' || n.type === 'list_pattern' ? 'list' : n.type === 'set' ? 'set' : 'tuple';
      return count > items.length ? { k, items: exact(items), truncated: count, span } : { k, items: exact(items), span };
    }
    case 'dictionary': {
      const entries: DictEntry[] = [];
      let count = 0;
      for (const c of n.namedChildren) {
        if (!c || c.type === 'comment') continue;
        count++;
        if (entries.length >= MAX_ITEMS) continue;
        if (c.type === 'pair') {
          const key = c.childForFieldName('key');
          const value = c.childForFieldName('value');
          if (key && value) entries.push({ key: toSExpr(key, depth + 1), value: toSExpr(value, depth + 1), span: spanOf(c) });
        } else if (c.type === 'dictionary_splat') {
          const inner = c.namedChildren.find((x) => x && x.type !== 'comment');
          if (inner) entries.push({ key: null, value: toSExpr(inner, depth + 1), span: spanOf(c) });
        }
      }
      return count > entries.length ? { k: 'dict', entries: exact(entries), truncated: count, span } : { k: 'dict', entries: exact(entries), span };
    }
    case 'attribute': {
      const obj = n.childForFieldName('object');
      const attr = n.childForFieldName('attribute');
      if (!obj || !attr) return { k: 'other', type: n.type, span };
      return { k: 'attr', obj: toSExpr(obj, depth + 1), attr: attr.text, span };
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      const { args, kwargs } = convertArgs(n.childForFieldName('arguments'), depth);
      return { k: 'call', fn: fn ? toSExpr(fn, depth + 1) : { k: 'other', type: 'missing', span }, args, kwargs, span };
    }
    case 'subscript': {
      const value = n.childForFieldName('value');
      const sub = n.childForFieldName('subscript');
      if (!value || !sub) return { k: 'other', type: n.type, span };
      return { k: 'subscript', obj: toSExpr(value, depth + 1), index: toSExpr(sub, depth + 1), span };
    }
    case 'binary_operator': {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const op = n.childForFieldName('operator');
      if (!l || !r || !op) return { k: 'other', type: n.type, span };
      return { k: 'binop', op: op.text, l: toSExpr(l, depth + 1), r: toSExpr(r, depth + 1), span };
    }
    case 'unary_operator': {
      const arg = n.childForFieldName('argument');
      const op = n.childForFieldName('operator');
      if (!arg || !op) return { k: 'other', type: n.type, span };
      const v = toSExpr(arg, depth + 1);
      if (op.text === '-' && v.k === 'num') return { k: 'num', v: -v.v, span };
      return { k: 'unary', op: op.text, v, span };
    }
    case 'list_comprehension': case 'dictionary_comprehension': case 'set_comprehension': case 'generator_expression': {
      const body = n.childForFieldName('body');
      const kind = n.type === 'list_comprehension' ? 'list' : n.type === 'dictionary_comprehension' ? 'dict' : n.type === 'set_comprehension' ? 'set' : 'gen';
      return { k: 'comp', kind, elt: body ? toSExpr(body, depth + 1) : { k: 'other', type: 'missing', span }, clauses: convertClauses(n, depth), span };
    }
    case 'await': {
      const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
      return { k: 'await', v: inner ? toSExpr(inner, depth + 1) : { k: 'other', type: 'missing', span }, span };
    }
    case 'conditional_expression': {
      const parts = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (parts.length !== 3) return { k: 'other', type: n.type, span };
      return { k: 'cond', body: toSExpr(parts[0], depth + 1), test: toSExpr(parts[1], depth + 1), orelse: toSExpr(parts[2], depth + 1), span };
    }
    default: return { k: 'other', type: n.type, span };
  }
}

// ---- small readers used by the extractors and rules ----

export function strValue(e: SExpr | undefined): string | undefined {
  return e && e.k === 'str' ? e.v : undefined;
}
export function numValue(e: SExpr | undefined): number | undefined {
  return e && e.k === 'num' ? e.v : undefined;
}
/** Dotted name of `a.b.c`, or undefined when the chain holds anything but names. */
export function dottedName(e: SExpr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') {
    const o = dottedName(e.obj);
    return o === undefined ? undefined : `${o}.${e.attr}`;
  }
  return undefined;
}
export function dictGet(d: SExpr | undefined, key: string): DictEntry | undefined {
  if (!d || d.k !== 'dict') return undefined;
  for (let i = d.entries.length - 1; i >= 0; i--) {
    const e = d.entries[i];
    if (e.key && e.key.k === 'str' && e.key.v === key) return e;
  }
  return undefined;
}
/** Every identifier read inside an expression (for "does it depend on the loop variable"). */
export function namesIn(e: SExpr | undefined, out: Set<string> = new Set()): Set<string> {
  if (!e) return out;
  switch (e.k) {
    case 'name': out.add(e.id); break;
    case 'fstr': for (const p of e.parts) if (typeof p !== 'string') namesIn(p, out); break;
    case 'list': case 'tuple': case 'set': for (const i of e.items) namesIn(i, out); break;
    case 'dict': for (const en of e.entries) { namesIn(en.key ?? undefined, out); namesIn(en.value, out); } break;
    case 'attr': namesIn(e.obj, out); break;
    case 'call': namesIn(e.fn, out); for (const a of e.args) namesIn(a, out); for (const kw of e.kwargs) namesIn(kw.value, out); break;
    case 'subscript': namesIn(e.obj, out); namesIn(e.index, out); break;
    case 'binop': namesIn(e.l, out); namesIn(e.r, out); break;
    case 'unary': case 'await': case 'spread': namesIn(e.v, out); break;
    case 'cond': namesIn(e.body, out); namesIn(e.test, out); namesIn(e.orelse, out); break;
    case 'comp': {
      namesIn(e.elt, out);
      for (const c of e.clauses) { namesIn(c.iter, out); namesIn(c.cond, out); }
      break;
    }
    default: break;
  }
  return out;
}
/** Names bound by an assignment/for target (`i`, `i, item`, `(a, (b, c))`). */
export function targetNames(e: SExpr | undefined, out: string[] = []): string[] {
  if (!e) return out;
  if (e.k === 'name') out.push(e.id);
  else if (e.k === 'tuple' || e.k === 'list') for (const i of e.items) targetNames(i.k === 'spread' ? i.v : i, out);
  return out;
}
/** Shifts every span inside an expression (used when text before it changed length). */
/** Every distinct span object reachable from `root` (objects shared between facts count once). */
export function collectSpans(root: unknown): Span[] {
  const out: Span[] = [];
  const seen = new Set<object>();
  const walk = (o: unknown, depth: number): void => {
    if (!o || typeof o !== 'object' || depth > 200 || seen.has(o)) return;
    seen.add(o);
    if (isSpan(o)) { out.push(o); return; }
    if (Array.isArray(o)) { for (const x of o) walk(x, depth + 1); return; }
    const rec = o as Record<string, unknown>;
    for (const key in rec) {
      const v = rec[key];
      if (v && typeof v === 'object') walk(v, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

function isSpan(o: object): o is Span {
  const r = o as Record<string, unknown>;
  return typeof r.start === 'number' && typeof r.end === 'number' && Object.keys(r).length === 2;
}
