/**
 * The `match` statement (PEP 634) for the compiler: tree-sitter-python's pattern nodes are read
 * into a small pattern tree, checked for the SyntaxErrors CPython's compiler gives (an irrefutable
 * pattern before the last case, a name bound twice, alternatives binding different names, two
 * starred names, duplicate literal keys, a repeated class keyword), then compiled into matchers.
 *
 * A matcher tests the subject and collects the captures; the names are stored only once the
 * whole case pattern has matched (CPython keeps them on the stack until then), before the guard.
 * Runtime checks follow CPython 3.11's MATCH_CLASS / MATCH_KEYS / MATCH_SEQUENCE (ceval.c).
 */
import type { Node } from 'web-tree-sitter';
import { then } from './compiler/steps';
import { type Completion, type Ex, type St } from './compiler/types';
import { Frame, builtinTypes, toPyException, typeName, unsupported } from './runtime';
import { contains, len } from './protocols/operators';
import { eq, truthy } from './protocols/equality';
import { getAttr } from './protocols/attributes';
import { getItem } from './protocols/subscripts';
import { isInstance } from './protocols/calls';
import { pyStrRepr } from './protocols/text';
import { toArray } from './protocols/iteration';
import { floatRepr } from './numeric';
import { HostObject } from './host';
import { PyBytes, PyClass, PyDict, PyFloat, PyList, PyOpaque, PyRange, PyTuple, PyValue, PythonSyntaxError, SourceLocation, UnsupportedPythonError, pyErr } from './values';

type Store = (f: Frame, v: PyValue) => void | Promise<void>;

/** What the compiler lends the pattern compiler: everything resolved in the match statement's scope. */
export interface PatternHost {
  loc(n: Node): SourceLocation;
  expr(n: Node): Ex;
  /** The subject: one expression or a tuple display (`match a, *b:`). */
  tuple(nodes: Node[]): Ex;
  block(n: Node | null): St;
  load(name: string, n: Node): Ex;
  store(name: string): Store;
}

// ---------------------------------------------------------------------------------------------
// Pattern tree

type Pat =
  | { k: 'wild'; node: Node }
  | { k: 'capture'; name: string; node: Node }
  | { k: 'value'; names: Node[]; node: Node }
  | { k: 'const'; lit: Lit; node: Node }
  | { k: 'seq'; items: Pat[]; node: Node }
  | { k: 'star'; name: string | null; node: Node }
  | { k: 'map'; keys: Pat[]; values: Pat[]; rest: string | null; node: Node }
  | { k: 'class'; cls: Node; args: Pat[]; kwNames: Node[]; kwPats: Pat[]; node: Node }
  | { k: 'or'; alts: Pat[]; node: Node }
  | { k: 'as'; pat: Pat; name: string; nameNode: Node; node: Node };

/** A literal: None/True/False compare by identity, numbers and strings by ==; complex numbers are not modelled. */
type Lit = { kind: 'singleton'; value: null | boolean } | { kind: 'number' | 'string'; nodes: Node[]; negative: boolean } | { kind: 'complex' };

function kids(n: Node): Node[] {
  return n.children.filter((c): c is Node => !!c && c.type !== 'comment' && c.type !== 'line_continuation');
}

function namedKids(n: Node): Node[] {
  return kids(n).filter((c) => c.isNamed);
}

function syntaxError(host: PatternHost, n: Node, msg: string): PythonSyntaxError {
  return new PythonSyntaxError(host.loc(n), msg);
}

class PatternReader {
  constructor(readonly host: PatternHost) {}

  /** The pattern of a case clause: one pattern, or an open sequence (`case a, *b:`). */
  clause(clause: Node): Pat {
    const pats = namedKids(clause).filter((c) => c.type === 'case_pattern');
    const open = kids(clause).some((c) => !c.isNamed && c.type === ',');
    if (pats.length === 1 && !open) return this.node(pats[0]);
    return { k: 'seq', items: pats.map((p) => this.node(p)), node: clause };
  }

  /** A pattern spelled by a run of sibling nodes (tree-sitter leaves `-` `1` and `_` unwrapped). */
  parts(parts: Node[], where: Node): Pat {
    if (parts.length === 1 && !parts[0].isNamed && parts[0].type === '_') return { k: 'wild', node: parts[0] };
    if (parts.length === 2 && parts[0].type === '-' && (parts[1].type === 'integer' || parts[1].type === 'float')) {
      if (/[jJ]$/.test(parts[1].text)) return { k: 'const', lit: { kind: 'complex' }, node: parts[1] };
      return { k: 'const', lit: { kind: 'number', nodes: [parts[1]], negative: true }, node: parts[1] };
    }
    const named = parts.filter((p) => p.isNamed);
    if (named.length === 1 && named.length === parts.length) return this.node(named[0]);
    throw syntaxError(this.host, parts[0] ?? where, 'invalid syntax');
  }

  node(n: Node): Pat {
    switch (n.type) {
      case 'case_pattern':
        return this.parts(kids(n), n);
      case 'dotted_name': {
        const names = namedKids(n);
        if (names.length === 1) return names[0].text === '_' ? { k: 'wild', node: n } : { k: 'capture', name: names[0].text, node: n };
        return { k: 'value', names, node: n };
      }
      case 'integer':
      case 'float':
        if (/[jJ]$/.test(n.text)) return { k: 'const', lit: { kind: 'complex' }, node: n };
        return { k: 'const', lit: { kind: 'number', nodes: [n], negative: false }, node: n };
      case 'string':
      case 'concatenated_string': {
        const strings = n.type === 'string' ? [n] : namedKids(n).filter((s) => s.type === 'string');
        if (strings.some((s) => /f/i.test(kids(s)[0]?.text.replace(/['"]/g, '') ?? ''))) throw syntaxError(this.host, n, 'patterns may only match literals and attribute lookups');
        return { k: 'const', lit: { kind: 'string', nodes: [n], negative: false }, node: n };
      }
      case 'none':
        return { k: 'const', lit: { kind: 'singleton', value: null }, node: n };
      case 'true':
      case 'false':
        return { k: 'const', lit: { kind: 'singleton', value: n.type === 'true' }, node: n };
      case 'complex_pattern':
        return this.complex(n);
      case 'union_pattern': {
        const alts: Node[][] = [[]];
        for (const c of kids(n)) {
          if (!c.isNamed && c.type === '|') alts.push([]);
          else alts[alts.length - 1].push(c);
        }
        return { k: 'or', alts: alts.map((a) => this.parts(a, n)), node: n };
      }
      case 'list_pattern':
      case 'tuple_pattern': {
        const items = namedKids(n).filter((c) => c.type === 'case_pattern');
        // `(p)` is a group, `(p,)` a sequence of one
        if (n.type === 'tuple_pattern' && items.length === 1 && !kids(n).some((c) => c.type === ',')) return this.node(items[0]);
        return { k: 'seq', items: items.map((c) => this.node(c)), node: n };
      }
      case 'splat_pattern': {
        const [op, target] = kids(n);
        if (op.type !== '*') throw syntaxError(this.host, n, 'invalid syntax');
        return { k: 'star', name: target && target.type === 'identifier' ? target.text : null, node: n };
      }
      case 'dict_pattern':
        return this.mapping(n);
      case 'class_pattern':
        return this.classPattern(n);
      case 'as_pattern': {
        const inner = namedKids(n)[0];
        const alias = namedKids(n)[namedKids(n).length - 1];
        if (alias.text === '_') throw syntaxError(this.host, alias, "cannot use '_' as a target");
        return { k: 'as', pat: this.node(inner), name: alias.text, nameNode: alias, node: n };
      }
    }
    throw syntaxError(this.host, n, 'invalid syntax');
  }

  /** `1+2j`, `-1-2j`: CPython's parser wants a real part, then an imaginary one. */
  complex(n: Node): Pat {
    const nums = kids(n).filter((c) => c.type === 'integer' || c.type === 'float');
    const imag = (x: Node) => /[jJ]$/.test(x.text);
    if (nums.length !== 2) throw syntaxError(this.host, n, 'invalid syntax');
    if (imag(nums[0])) throw syntaxError(this.host, nums[0], 'real number required in complex literal');
    if (!imag(nums[1])) throw syntaxError(this.host, nums[1], 'imaginary number required in complex literal');
    return { k: 'const', lit: { kind: 'complex' }, node: n };
  }

  mapping(n: Node): Pat {
    const keys: Pat[] = [];
    const values: Pat[] = [];
    let rest: string | null = null;
    let keyParts: Node[] = [];
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i);
      if (!c || c.type === 'comment') continue;
      const fieldName = n.fieldNameForChild(i);
      // `**rest` comes last
      if ((fieldName === 'key' || c.type === 'splat_pattern') && rest !== null) throw syntaxError(this.host, c, 'invalid syntax');
      if (fieldName === 'key') keyParts.push(c);
      else if (fieldName === 'value') {
        const key = this.parts(keyParts, n);
        if (key.k !== 'const' && key.k !== 'value') throw syntaxError(this.host, keyParts[0], 'invalid syntax');
        keys.push(key);
        values.push(this.node(c));
        keyParts = [];
      } else if (c.type === 'splat_pattern') {
        const target = kids(c)[1];
        if (!target || target.type !== 'identifier') throw syntaxError(this.host, target ?? c, 'invalid syntax');
        rest = target.text;
      }
    }
    return { k: 'map', keys, values, rest, node: n };
  }

  classPattern(n: Node): Pat {
    const [cls, ...args] = namedKids(n);
    const positional: Pat[] = [];
    const kwNames: Node[] = [];
    const kwPats: Pat[] = [];
    for (const a of args) {
      if (a.type !== 'case_pattern') continue;
      const inner = namedKids(a)[0];
      const kw = this.keyword(inner);
      if (kw) {
        kwNames.push(kw.name);
        kwPats.push(kw.pat);
      } else if (kwNames.length) throw syntaxError(this.host, a, 'positional patterns follow keyword patterns');
      else positional.push(this.node(a));
    }
    return { k: 'class', cls, args: positional, kwNames, kwPats, node: n };
  }

  /** `name=pattern`; tree-sitter reads `name=p as x` as `(name=p) as x`, which is `name=(p as x)`. */
  keyword(inner: Node | undefined): { name: Node; pat: Pat } | undefined {
    if (!inner) return undefined;
    if (inner.type === 'keyword_pattern') {
      const [name, , ...rest] = kids(inner);
      return { name, pat: this.parts(rest, inner) };
    }
    if (inner.type === 'as_pattern') {
      const [wrapped] = namedKids(inner);
      const kw = this.keyword(wrapped?.type === 'case_pattern' ? namedKids(wrapped)[0] : undefined);
      if (!kw) return undefined;
      const alias = namedKids(inner)[namedKids(inner).length - 1];
      if (alias.text === '_') throw syntaxError(this.host, alias, "cannot use '_' as a target");
      return { name: kw.name, pat: { k: 'as', pat: kw.pat, name: alias.text, nameNode: alias, node: inner } };
    }
    return undefined;
  }
}

/** The names a case clause's pattern binds (for the scope's locals). */
export function patternNames(clausePatterns: Node[]): string[] {
  const out: string[] = [];
  const walk = (n: Node, keywordName: boolean): void => {
    switch (n.type) {
      case 'dotted_name': {
        const ids = namedKids(n);
        if (ids.length === 1 && ids[0].text !== '_' && !keywordName) out.push(ids[0].text);
        return;
      }
      case 'class_pattern':
        // the class itself is a value, its sub-patterns may bind
        for (const c of namedKids(n).slice(1)) walk(c, false);
        return;
      case 'keyword_pattern':
        for (const c of namedKids(n).slice(1)) walk(c, false);
        return;
      case 'as_pattern': {
        const ks = namedKids(n);
        walk(ks[0], false);
        const alias = ks[ks.length - 1];
        if (alias.type === 'identifier' && alias.text !== '_') out.push(alias.text);
        return;
      }
      case 'splat_pattern':
        for (const c of namedKids(n)) if (c.type === 'identifier') out.push(c.text);
        return;
      case 'dict_pattern':
        for (let i = 0; i < n.childCount; i++) {
          const c = n.child(i);
          if (c && n.fieldNameForChild(i) !== 'key') walk(c, false);
        }
        return;
    }
    for (const c of namedKids(n)) walk(c, false);
  };
  for (const p of clausePatterns) walk(p, false);
  return out;
}

// ---------------------------------------------------------------------------------------------
// CPython's compile-time checks (compile.c: compiler_pattern_*), in its order

interface CheckContext {
  allowIrrefutable: boolean;
  stores: string[];
}

function constantRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return pyStrRepr(v);
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (v instanceof PyBytes) return `b${pyStrRepr(String.fromCharCode(...v.data))}`;
  return String(v);
}

/** Equal constants collide as dict keys do: 0, 0.0 and False; 1, 1.0 and True. */
function constantKey(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return `n:${v ? 1 : 0}`;
  if (typeof v === 'number' || typeof v === 'bigint') return `n:${v}`;
  if (v instanceof PyFloat) return Number.isInteger(v.v) ? `n:${BigInt(v.v)}` : `n:${v.v}`;
  if (typeof v === 'string') return `s:${v}`;
  if (v instanceof PyBytes) return `b:${Array.from(v.data).join(',')}`;
  return `?:${String(v)}`;
}

class PatternChecker {
  constructor(
    readonly host: PatternHost,
    readonly constant: (p: Pat & { k: 'const' }) => PyValue | undefined,
  ) {}

  fail(n: Node, msg: string): never {
    throw syntaxError(this.host, n, msg);
  }

  store(name: string, n: Node, pc: CheckContext): void {
    if (pc.stores.includes(name)) this.fail(n, `multiple assignments to name '${name}' in pattern`);
    pc.stores.push(name);
  }

  sub(p: Pat, pc: CheckContext): void {
    const allow = pc.allowIrrefutable;
    pc.allowIrrefutable = true;
    this.check(p, pc);
    pc.allowIrrefutable = allow;
  }

  check(p: Pat, pc: CheckContext): void {
    switch (p.k) {
      case 'wild':
        if (!pc.allowIrrefutable) this.fail(p.node, 'wildcard makes remaining patterns unreachable');
        return;
      case 'capture':
        if (!pc.allowIrrefutable) this.fail(p.node, `name capture '${p.name}' makes remaining patterns unreachable`);
        this.store(p.name, p.node, pc);
        return;
      case 'as':
        this.check(p.pat, pc);
        this.store(p.name, p.nameNode, pc);
        return;
      case 'value':
      case 'const':
        return;
      case 'star':
        if (p.name !== null) this.store(p.name, p.node, pc);
        return;
      case 'seq': {
        if (p.items.filter((i) => i.k === 'star').length > 1) this.fail(p.node, 'multiple starred names in sequence pattern');
        for (const item of p.items) this.sub(item, pc);
        return;
      }
      case 'map': {
        const seen = new Set<string>();
        for (const key of p.keys) {
          if (key.k !== 'const') continue;
          const v = this.constant(key);
          if (v === undefined) continue;
          const h = constantKey(v);
          if (seen.has(h)) this.fail(p.node, `mapping pattern checks duplicate key (${constantRepr(v)})`);
          seen.add(h);
        }
        for (const v of p.values) this.sub(v, pc);
        if (p.rest !== null) this.store(p.rest, p.node, pc);
        return;
      }
      case 'class': {
        const names = p.kwNames.map((k) => k.text);
        names.forEach((name, i) => {
          if (names.indexOf(name) !== i) this.fail(p.kwNames[i], `attribute name repeated in class pattern: ${name}`);
        });
        for (const a of p.args) this.sub(a, pc);
        for (const a of p.kwPats) this.sub(a, pc);
        return;
      }
      case 'or': {
        const outer = pc.stores;
        const allow = pc.allowIrrefutable;
        let control: string[] | undefined;
        p.alts.forEach((alt, i) => {
          pc.stores = [];
          pc.allowIrrefutable = i === p.alts.length - 1 && allow;
          this.check(alt, pc);
          if (!control) control = pc.stores;
          else if (pc.stores.length !== control.length || control.some((n) => !pc.stores.includes(n))) this.fail(alt.node, 'alternative patterns bind different names');
        });
        pc.stores = outer;
        pc.allowIrrefutable = allow;
        for (const name of control ?? []) this.store(name, p.node, pc);
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Matchers

/** Captures of the pattern being tried: stored only when the whole case pattern matched. */
type Captures = Array<[Store, PyValue]>;
type Matcher = (f: Frame, v: PyValue, b: Captures) => boolean | Promise<boolean>;

const SELF_MATCHING = ['bool', 'bytearray', 'bytes', 'dict', 'float', 'frozenset', 'int', 'list', 'set', 'str', 'tuple'];

function andThen(r: boolean | Promise<boolean>, next: () => boolean | Promise<boolean>): boolean | Promise<boolean> {
  if (r instanceof Promise) return r.then((ok) => (ok ? next() : false));
  return r ? next() : false;
}

function matchAll(f: Frame, ms: Matcher[], vs: PyValue[], b: Captures, i = 0): boolean | Promise<boolean> {
  for (; i < ms.length; i++) {
    const r = ms[i](f, vs[i], b);
    if (r instanceof Promise) {
      const idx = i;
      return r.then((ok) => (ok ? matchAll(f, ms, vs, b, idx + 1) : false));
    }
    if (!r) return false;
  }
  return true;
}

function opaqueSubject(v: PyValue, what: string, loc: SourceLocation): UnsupportedPythonError | undefined {
  if (v instanceof PyOpaque) return unsupported(`${what} against '${v.description}'`, loc, `'${v.description}' comes from a module the evaluator does not implement`);
  return undefined;
}

/** collections.abc.Sequence as MATCH_SEQUENCE sees it (str, bytes and bytearray are not). */
function sequenceItems(f: Frame, v: PyValue, loc: SourceLocation): PyValue[] | Promise<PyValue[]> | undefined {
  if (v instanceof PyList || v instanceof PyTuple) return v.items;
  if (v instanceof PyRange) return toArray(f.interp, v, loc);
  if (v instanceof HostObject && (v.typeName === 'list' || v.typeName === 'tuple')) return toArray(f.interp, v, loc);
  const e = opaqueSubject(v, 'a sequence pattern', loc);
  if (e) throw e;
  return undefined;
}

function isMapping(v: PyValue, loc: SourceLocation): boolean {
  if (v instanceof PyDict) return true;
  if (v instanceof HostObject && v.typeName === 'dict') return true;
  const e = opaqueSubject(v, 'a mapping pattern', loc);
  if (e) throw e;
  return false;
}

/** getattr(subject, name), or undefined where Python raises AttributeError. */
function attrOrMissing(f: Frame, v: PyValue, name: string, loc: SourceLocation): PyValue | undefined | Promise<PyValue | undefined> {
  const missing = (e: unknown): undefined => {
    const pe = toPyException(e);
    if (pe && pe.pyTypes.includes('AttributeError')) return undefined;
    throw e;
  };
  try {
    const r = getAttr(f.interp, v, name, loc);
    return r instanceof Promise ? r.catch(missing) : r;
  } catch (e) {
    return missing(e);
  }
}

function gather(f: Frame, v: PyValue, names: string[], loc: SourceLocation, out: PyValue[] = [], i = 0): PyValue[] | undefined | Promise<PyValue[] | undefined> {
  for (; i < names.length; i++) {
    const r = attrOrMissing(f, v, names[i], loc);
    if (r instanceof Promise) {
      const idx = i;
      return r.then((x) => {
        if (x === undefined) return undefined;
        out.push(x);
        return gather(f, v, names, loc, out, idx + 1);
      });
    }
    if (r === undefined) return undefined;
    out.push(r);
  }
  return out;
}

class MatcherCompiler {
  constructor(readonly host: PatternHost) {}

  /** A literal's value, computed once; undefined for complex numbers (not modelled). */
  constant(p: Pat & { k: 'const' }): PyValue | undefined {
    const lit = p.lit;
    if (lit.kind === 'complex') return undefined;
    if (lit.kind === 'singleton') return lit.value;
    // literal closures ignore their frame
    const v = this.host.expr(lit.nodes[0])(undefined as unknown as Frame) as PyValue;
    if (!lit.negative) return v;
    if (typeof v === 'number') return v === 0 ? 0 : -v;
    if (typeof v === 'bigint') return -v;
    return new PyFloat(-(v as PyFloat).v);
  }

  valueOf(names: Node[]): Ex {
    const first = this.host.load(names[0].text, names[0]);
    const loc = this.host.loc(names[0].parent ?? names[0]);
    const attrs = names.slice(1).map((n) => n.text);
    return (f) => {
      let v: PyValue | Promise<PyValue> = first(f);
      for (const a of attrs) v = v instanceof Promise ? v.then((o) => getAttr(f.interp, o, a, loc)) : getAttr(f.interp, v, a, loc);
      return v;
    };
  }

  compile(p: Pat): Matcher {
    const loc = this.host.loc(p.node);
    switch (p.k) {
      case 'wild':
        return () => true;
      case 'capture': {
        const store = this.host.store(p.name);
        return (_f, v, b) => {
          b.push([store, v]);
          return true;
        };
      }
      case 'as': {
        const inner = this.compile(p.pat);
        const store = this.host.store(p.name);
        return (f, v, b) =>
          andThen(inner(f, v, b), () => {
            b.push([store, v]);
            return true;
          });
      }
      case 'const': {
        if (p.lit.kind === 'complex')
          return () => {
            throw unsupported('complex number literal pattern', loc);
          };
        const c = this.constant(p);
        if (p.lit.kind === 'singleton') return (_f, v) => v === c;
        return (f, v) => eq(f.interp, v, c as PyValue);
      }
      case 'value': {
        const value = this.valueOf(p.names);
        return (f, v) => {
          const x = value(f);
          return x instanceof Promise ? x.then((y) => eq(f.interp, v, y)) : eq(f.interp, v, x);
        };
      }
      case 'or': {
        const alts = p.alts.map((a) => this.compile(a));
        const tryAlt = (f: Frame, v: PyValue, b: Captures, i: number): boolean | Promise<boolean> => {
          for (; i < alts.length; i++) {
            const mark = b.length;
            const r = alts[i](f, v, b);
            if (r instanceof Promise) {
              const idx = i;
              return r.then((ok) => {
                if (ok) return true;
                b.length = mark;
                return tryAlt(f, v, b, idx + 1);
              });
            }
            if (r) return true;
            b.length = mark;
          }
          return false;
        };
        return (f, v, b) => tryAlt(f, v, b, 0);
      }
      case 'seq':
        return this.sequence(p, loc);
      case 'star':
        // a star pattern outside a sequence (`case *a:`)
        throw syntaxError(this.host, p.node, 'invalid syntax');
      case 'map':
        return this.mapping(p, loc);
      case 'class':
        return this.classMatcher(p, loc);
    }
  }

  sequence(p: Pat & { k: 'seq' }, loc: SourceLocation): Matcher {
    const star = p.items.findIndex((i) => i.k === 'star');
    const before = (star < 0 ? p.items : p.items.slice(0, star)).map((i) => this.compile(i));
    const after = star < 0 ? [] : p.items.slice(star + 1).map((i) => this.compile(i));
    const starItem = star < 0 ? undefined : (p.items[star] as Pat & { k: 'star' });
    const starStore = starItem?.name ? this.host.store(starItem.name) : undefined;
    const ms = [...before, ...after];
    const n = before.length + after.length;
    const withItems = (f: Frame, items: PyValue[], b: Captures): boolean | Promise<boolean> => {
      if (star < 0 ? items.length !== n : items.length < n) return false;
      const vs = [...items.slice(0, before.length), ...items.slice(items.length - after.length)];
      if (starStore) {
        const middle = new PyList(items.slice(before.length, items.length - after.length));
        if (after.length === 0) return andThen(matchAll(f, before, vs, b), () => (b.push([starStore, middle]), true));
        // the starred name is stored in its place among the captures
        return andThen(matchAll(f, before, vs.slice(0, before.length), b), () => {
          b.push([starStore, middle]);
          return matchAll(f, after, vs.slice(before.length), b);
        });
      }
      return matchAll(f, ms, vs, b);
    };
    return (f, v, b) => {
      const items = sequenceItems(f, v, loc);
      if (items === undefined) return false;
      return items instanceof Promise ? items.then((xs) => withItems(f, xs, b)) : withItems(f, items, b);
    };
  }

  mapping(p: Pat & { k: 'map' }, loc: SourceLocation): Matcher {
    const keys: Ex[] = p.keys.map((k) => {
      if (k.k === 'value') return this.valueOf(k.names);
      const c = this.constant(k as Pat & { k: 'const' });
      if (c === undefined)
        return () => {
          throw unsupported('complex number literal pattern', loc);
        };
      return () => c;
    });
    const values = p.values.map((v) => this.compile(v));
    const restStore = p.rest !== null ? this.host.store(p.rest) : undefined;
    const withKeys = (f: Frame, v: PyValue, ks: PyValue[], b: Captures): boolean | Promise<boolean> => {
      const seen = new PyDict();
      for (const k of ks) {
        if (seen.has(k)) throw pyErr('ValueError', `mapping pattern checks duplicate key (${constantRepr(k)})`);
        seen.set(k, null);
      }
      const got: PyValue[] = [];
      const lookup = (i: number): boolean | Promise<boolean> => {
        for (; i < ks.length; i++) {
          // MATCH_KEYS asks subject.get(key, <missing>): no defaultdict default, no KeyError
          if (v instanceof PyDict) {
            const x = v.get(ks[i]);
            if (x === undefined) return false;
            got.push(x);
            continue;
          }
          if (!contains(f.interp, v, ks[i], loc)) return false;
          const x = getItem(f.interp, v, ks[i], loc);
          if (x instanceof Promise) {
            const idx = i;
            return x.then((y) => (got.push(y), lookup(idx + 1)));
          }
          got.push(x);
        }
        return andThen(matchAll(f, values, got, b), () => (restStore ? rest(f, v, ks, b) : true));
      };
      return lookup(0);
    };
    const rest = (f: Frame, v: PyValue, ks: PyValue[], b: Captures): boolean | Promise<boolean> => {
      const d = new PyDict();
      const fill = (entries: [PyValue, PyValue][]): boolean => {
        for (const [k, x] of entries) d.set(k, x);
        for (const k of ks) d.delete(k);
        b.push([restStore!, d]);
        return true;
      };
      if (v instanceof PyDict) return fill(v.entries());
      const ksOf = toArray(f.interp, v, loc);
      const collect = (names: PyValue[]): boolean | Promise<boolean> => {
        const vals = names.map((k) => getItem(f.interp, v, k, loc));
        if (vals.some((x) => x instanceof Promise)) return Promise.all(vals).then((xs) => fill(names.map((k, i) => [k, xs[i]])));
        return fill(names.map((k, i) => [k, vals[i] as PyValue]));
      };
      return ksOf instanceof Promise ? ksOf.then(collect) : collect(ksOf);
    };
    return (f, v, b) => {
      if (!isMapping(v, loc)) return false;
      if (len(f.interp, v, loc) < keys.length) return false;
      const ks: PyValue[] = [];
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i](f);
        if (k instanceof Promise) {
          return (async () => {
            ks.push(await k);
            for (let j = i + 1; j < keys.length; j++) ks.push(await keys[j](f));
            return withKeys(f, v, ks, b);
          })();
        }
        ks.push(k);
      }
      return withKeys(f, v, ks, b);
    };
  }

  classMatcher(p: Pat & { k: 'class' }, loc: SourceLocation): Matcher {
    const clsOf = this.valueOf(namedKids(p.cls));
    const args = p.args.map((a) => this.compile(a));
    const kwNames = p.kwNames.map((n) => n.text);
    const subs = [...args, ...p.kwPats.map((k) => this.compile(k))];
    const withClass = (f: Frame, v: PyValue, cls: PyValue, b: Captures): boolean | Promise<boolean> => {
      if (cls instanceof PyOpaque) throw unsupported(`class pattern with '${cls.description}'`, loc, `'${cls.description}' comes from a module the evaluator does not implement`);
      if (!(cls instanceof PyClass)) throw pyErr('TypeError', 'called match pattern must be a type');
      const e = opaqueSubject(v, 'a class pattern', loc);
      if (e) throw e;
      if (!isInstance(f.interp, v, cls, loc)) return false;
      const withNames = (positional: string[] | 'self'): boolean | Promise<boolean> => {
        const names = positional === 'self' ? kwNames : [...positional, ...kwNames];
        const seen = new Set<string>();
        for (const n of names) {
          if (seen.has(n)) throw pyErr('TypeError', `${cls.name}() got multiple sub-patterns for attribute ${pyStrRepr(n)}`);
          seen.add(n);
        }
        const attrs = gather(f, v, names, loc);
        const go = (xs: PyValue[] | undefined): boolean | Promise<boolean> => (xs === undefined ? false : matchAll(f, subs, positional === 'self' ? [v, ...xs] : xs, b));
        return attrs instanceof Promise ? attrs.then(go) : go(attrs);
      };
      if (args.length === 0) return withNames([]);
      return then(matchArgs(f, cls, loc), (ma) => {
        const self = ma === undefined && cls.mro.some((c) => SELF_MATCHING.some((n) => builtinTypes.get(n) === c));
        const allowed = self ? 1 : ma === undefined ? 0 : ma.length;
        if (allowed < args.length) throw pyErr('TypeError', `${cls.name}() accepts ${allowed} positional sub-pattern${allowed === 1 ? '' : 's'} (${args.length} given)`);
        if (self) return withNames('self');
        const names = ma!.slice(0, args.length).map((x) => {
          if (typeof x !== 'string') throw pyErr('TypeError', `__match_args__ elements must be strings (got ${typeName(x)})`);
          return x;
        });
        return withNames(names);
      });
    };
    return (f, v, b) => {
      const cls = clsOf(f);
      return cls instanceof Promise ? cls.then((c) => withClass(f, v, c, b)) : withClass(f, v, cls, b);
    };
  }
}

/** cls.__match_args__ (a tuple), or undefined when the class has none. */
function matchArgs(f: Frame, cls: PyClass, loc: SourceLocation): PyValue[] | undefined | Promise<PyValue[] | undefined> {
  const check = (ma: PyValue | undefined): PyValue[] | undefined => {
    if (ma === undefined) return undefined;
    if (!(ma instanceof PyTuple)) throw pyErr('TypeError', `${cls.name}.__match_args__ must be a tuple (got ${typeName(ma)})`);
    return ma.items;
  };
  return then(attrOrMissing(f, cls, '__match_args__', loc), check);
}

// ---------------------------------------------------------------------------------------------
// The statement

interface CompiledCase {
  pattern: Matcher;
  guard: Ex | undefined;
  guardLoc: SourceLocation | undefined;
  body: St;
  loc: SourceLocation;
}

/** Compiles `match subject: case ...` (tree-sitter's match_statement). */
export function compileMatch(host: PatternHost, n: Node, loc: SourceLocation): St {
  const subjects = n.childrenForFieldName('subject').filter((c): c is Node => !!c);
  const tupleSubject = subjects.length > 1 || subjects[0].type === 'list_splat' || kids(n).some((c) => !c.isNamed && c.type === ',');
  const subject = tupleSubject ? host.tuple(subjects) : host.expr(subjects[0]);
  const body = n.childForFieldName('body');
  const clauses = body ? namedKids(body).filter((c) => c.type === 'case_clause') : [];
  const reader = new PatternReader(host);
  const matchers = new MatcherCompiler(host);
  const checker = new PatternChecker(host, (p) => matchers.constant(p));
  // CPython compiles case by case: a pattern, its guard, then its body
  const cases: CompiledCase[] = clauses.map((clause, i) => {
    const pat = reader.clause(clause);
    const guardNode = clause.childForFieldName('guard');
    const lastDefault = i === clauses.length - 1 && i > 0 && pat.k === 'wild' && !guardNode;
    if (!lastDefault) checker.check(pat, { allowIrrefutable: !!guardNode || i === clauses.length - 1, stores: [] });
    const pattern = matchers.compile(pat);
    const guardExpr = guardNode ? namedKids(guardNode)[0] : undefined;
    const guard = guardExpr ? host.expr(guardExpr) : undefined;
    return { pattern, guard, guardLoc: guardExpr ? host.loc(guardExpr) : undefined, body: host.block(clause.childForFieldName('consequence')), loc: host.loc(pat.node) };
  });

  const matched = (f: Frame, c: CompiledCase, b: Captures, v: PyValue, i: number): Completion | Promise<Completion> => {
    const stored = storeAll(f, b);
    const afterStore = (): Completion | Promise<Completion> => {
      if (!c.guard) return c.body(f);
      f.stmt = c.guardLoc!;
      const g = c.guard(f);
      const decide = (gv: PyValue): Completion | Promise<Completion> => (truthy(f.interp, gv) ? c.body(f) : tryFrom(f, v, i + 1));
      return g instanceof Promise ? g.then(decide) : decide(g);
    };
    return stored instanceof Promise ? stored.then(afterStore) : afterStore();
  };
  const tryFrom = (f: Frame, v: PyValue, i: number): Completion | Promise<Completion> => {
    for (; i < cases.length; i++) {
      const c = cases[i];
      f.stmt = c.loc;
      const b: Captures = [];
      const r = c.pattern(f, v, b);
      if (r instanceof Promise) {
        const idx = i;
        return r.then((ok) => (ok ? matched(f, c, b, v, idx) : tryFrom(f, v, idx + 1)));
      }
      if (r) return matched(f, c, b, v, i);
    }
    return undefined;
  };
  return (f) => {
    f.stmt = loc;
    const v = subject(f);
    return v instanceof Promise ? v.then((x) => tryFrom(f, x, 0)) : tryFrom(f, v, 0);
  };
}

function storeAll(f: Frame, b: Captures, i = 0): void | Promise<void> {
  for (; i < b.length; i++) {
    const r = b[i][0](f, b[i][1]);
    if (r instanceof Promise) {
      const idx = i;
      return r.then(() => storeAll(f, b, idx + 1));
    }
  }
}
