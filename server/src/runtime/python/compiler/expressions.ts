/** Compiles expressions: names, literals, f-strings, operators, comparisons, subscripts, calls. */
import { GeneratorRun } from '../generatorRun';
import type { Node } from 'web-tree-sitter';
import { ELLIPSIS, Kwargs, PyBytes, PyDict, PyFloat, PyList, PySet, PySlice, PyTuple, PyValue, UnsupportedPythonError, pyErr } from '../values';
import { Frame } from '../runtime';
import { awaitValue, call, callMethod } from '../protocols/calls';
import { binop, compare, unary } from '../protocols/operators';
import { format, repr, str } from '../protocols/text';
import { getAttr } from '../protocols/attributes';
import { getItem } from '../protocols/subscripts';
import { iter } from '../protocols/iteration';
import { truthy } from '../protocols/equality';
import { parseIntText } from '../numeric';
import { CompilerBase } from './base';
import { Scope, resolve } from './scope';
import { type Ex } from './types';
import { named, field, hasToken } from './treeNodes';
import { then, evalList, fstringAsync, buildCallArgs, eachStep, addPartAt, putItemAt } from './steps';
import { yieldFrom, suspendAt } from './functionCalls';
import { decodeEscapes } from './stringEscapes';

/** A local constant, not an import: V8 folds it in the hot int paths (an imported one is a property load). */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export abstract class ExpressionCompiler extends CompilerBase {
  /** The right side of `for x in <expr>` may be an expression_list. */
  rightExpr(n: Node, scope: Scope): Ex {
    if (n.type === 'expression_list') return this.tupleOf(named(n), scope);
    return this.expr(n, scope);
  }

  tupleOf(kids: Node[], scope: Scope): Ex {
    const b = this.seqBuilder(kids, scope);
    return (f) => then(b(f), (xs) => new PyTuple(xs));
  }

  /** Elements with optional *splats → array. */
  seqBuilder(kids: Node[], scope: Scope): (f: Frame) => PyValue[] | Promise<PyValue[]> {
    const hasSplat = kids.some((k) => k.type === 'list_splat');
    if (!hasSplat) {
      const exs = kids.map((k) => this.expr(k, scope));
      return (f) => evalList(f, exs);
    }
    const parts = kids.map((k) => (k.type === 'list_splat' ? { splat: true, ex: this.expr(named(k)[0], scope), loc: this.loc(k) } : { splat: false, ex: this.expr(k, scope), loc: this.loc(k) }));
    return (f) => {
      const out: PyValue[] = [];
      const r = eachStep(parts.length, addPartAt, f, parts, out);
      return r instanceof Promise ? r.then(() => out) : out;
    };
  }

  expr(n: Node, scope: Scope): Ex {
    switch (n.type) {
      case 'identifier':
        return this.nameLoad(n.text, scope, n);
      case 'integer':
        return this.intLiteral(n);
      case 'float':
        return this.floatLiteral(n);
      case 'true':
        return () => true;
      case 'false':
        return () => false;
      case 'none':
        return () => null;
      case 'ellipsis':
        return () => ELLIPSIS;
      case 'string':
      case 'concatenated_string':
        return this.stringLiteral(n, scope);
      case 'parenthesized_expression': {
        const kids = named(n);
        if (kids.length !== 1) return this.unsupportedEx('parenthesized expression', n);
        return this.expr(kids[0], scope);
      }
      case 'tuple':
      case 'expression_list':
        return this.tupleOf(named(n), scope);
      case 'list': {
        const b = this.seqBuilder(named(n), scope);
        const loc = this.loc(n);
        return (f) =>
          then(b(f), (xs) => {
            if (xs.length > 100000) f.interp.checkSize(xs.length, loc);
            return new PyList(xs);
          });
      }
      case 'set': {
        const b = this.seqBuilder(named(n), scope);
        return (f) => then(b(f), (xs) => PySet.of(xs));
      }
      case 'dictionary':
        return this.dictLiteral(n, scope);
      case 'binary_operator':
        return this.binary(n, scope);
      case 'unary_operator': {
        const op = field(n, 'operator')!.text;
        const arg = this.expr(field(n, 'argument')!, scope);
        const loc = this.loc(n);
        if (op === '-')
          return (f) => {
            const v = arg(f);
            if (typeof v === 'number') return v === 0 ? 0 : -v;
            return then(v, (x) => unary(f.interp, op, x, loc));
          };
        return (f) => then(arg(f), (x) => unary(f.interp, op, x, loc));
      }
      case 'not_operator': {
        const arg = this.expr(field(n, 'argument')!, scope);
        return (f) => {
          const v = arg(f);
          if (v === true) return false;
          if (v === false) return true;
          if (v instanceof Promise) return v.then((x) => !truthy(f.interp, x));
          return !truthy(f.interp, v);
        };
      }
      case 'boolean_operator': {
        const op = field(n, 'operator')!.text;
        const l = this.expr(field(n, 'left')!, scope);
        const r = this.expr(field(n, 'right')!, scope);
        if (op === 'and')
          return (f) => {
            const a = l(f);
            if (a instanceof Promise) return a.then((x) => (truthy(f.interp, x) ? r(f) : x));
            return truthy(f.interp, a) ? r(f) : a;
          };
        return (f) => {
          const a = l(f);
          if (a instanceof Promise) return a.then((x) => (truthy(f.interp, x) ? x : r(f)));
          return truthy(f.interp, a) ? a : r(f);
        };
      }
      case 'comparison_operator':
        return this.comparison(n, scope);
      case 'conditional_expression': {
        const [a, c, b] = named(n).map((k) => this.expr(k, scope));
        return (f) => {
          const cv = c(f);
          if (cv instanceof Promise) return cv.then((x) => (truthy(f.interp, x) ? a(f) : b(f)));
          return truthy(f.interp, cv) ? a(f) : b(f);
        };
      }
      case 'lambda':
        return this.lambda(n, scope);
      case 'call':
        return this.callExpr(n, scope);
      case 'attribute': {
        const obj = this.expr(field(n, 'object')!, scope);
        const name = field(n, 'attribute')!.text;
        const loc = this.loc(n);
        return (f) => {
          const o = obj(f);
          if (o instanceof Promise) return o.then((x) => getAttr(f.interp, x, name, loc));
          return getAttr(f.interp, o, name, loc);
        };
      }
      case 'subscript': {
        const obj = this.expr(field(n, 'value')!, scope);
        const key = this.subscriptKey(n, scope);
        const loc = this.loc(n);
        return (f) => {
          const o = obj(f);
          if (o instanceof Promise) return o.then((ov) => then(key(f), (k) => getItem(f.interp, ov, k, loc)));
          const k = key(f);
          if (k instanceof Promise) return k.then((kv) => getItem(f.interp, o, kv, loc));
          if (o instanceof PyList && typeof k === 'number') {
            const xs = o.items;
            const i = k < 0 ? k + xs.length : k;
            if (i >= 0 && i < xs.length) return xs[i];
          } else if (o instanceof PyDict && typeof k === 'string') {
            const e = o.map.get(k);
            if (e !== undefined) return e;
          }
          return getItem(f.interp, o, k, loc);
        };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(n, scope);
      case 'await': {
        const arg = this.expr(named(n)[0], scope);
        const loc = this.loc(n);
        return (f) => then(arg(f), (v) => awaitValue(f.interp, v, loc));
      }
      case 'named_expression': {
        const nameNode = field(n, 'name')!;
        let s: Scope = scope;
        let hops = 0;
        while (s.kind === 'comprehension' && s.parent) {
          s = s.parent;
          hops++;
        }
        const store = this.nameStore(nameNode.text, s);
        const val = this.expr(field(n, 'value')!, scope);
        return (f) =>
          then(val(f), (v) => {
            let target: Frame = f;
            for (let i = 0; i < hops; i++) target = (target as Frame & { outer?: Frame }).outer ?? target;
            return then(store(target, v), () => v);
          });
      }
      case 'yield': {
        // A generator's frame carries its GeneratorRun (generatorRun.ts); `yield` hands a value to the consumer.
        const kids = named(n);
        const loc = this.loc(n);
        const runOf = (f: Frame): GeneratorRun => {
          const run = (f as Frame & { generatorRun?: GeneratorRun }).generatorRun;
          if (!run) throw new UnsupportedPythonError('yield outside a generator body', loc);
          return run;
        };
        if (n.children.some((c) => c?.type === 'from')) {
          const src = this.expr(kids[0], scope);
          return (f) => then(src(f), (v) => yieldFrom(f.interp, runOf(f), iter(f.interp, v, loc)));
        }
        const val: Ex = kids.length ? this.expr(kids[0], scope) : () => null;
        return (f) => then(val(f), (v) => suspendAt(f.interp, runOf(f), (run) => run.yield(v)));
      }
      case 'list_splat':
      case 'dictionary_splat':
        return this.unsupportedEx(`'${n.type}' here`, n);
      case 'as_pattern':
        return this.unsupportedEx("'as' pattern outside with/except", n);
      case 'type':
        return this.typeExpr(n, scope);
      case 'keyword_argument':
        return this.unsupportedEx('keyword argument outside a call', n);
    }
    return this.unsupportedEx(`expression '${n.type}'`, n);
  }

  intLiteral(n: Node): Ex {
    const t = n.text;
    if (/[jJ]$/.test(t)) return this.unsupportedEx('complex number literal', n);
    const v = parseIntText(t.replace(/[lL]$/, ''), 0);
    if (v === undefined) return this.unsupportedEx(`integer literal ${t}`, n);
    return () => v;
  }

  floatLiteral(n: Node): Ex {
    const t = n.text;
    if (/[jJ]$/.test(t)) return this.unsupportedEx('complex number literal', n);
    const v = new PyFloat(parseFloat(t.replace(/_/g, '')));
    return () => v;
  }

  stringLiteral(n: Node, scope: Scope): Ex {
    const strings = n.type === 'concatenated_string' ? named(n).filter((k) => k.type === 'string') : [n];
    type Part = string | Ex;
    const parts: Part[] = [];
    let bytes: boolean | undefined;
    for (const s of strings) {
      const kids = s.children.filter((k): k is Node => !!k);
      const start = kids.find((k) => k.type === 'string_start');
      const prefix = (start?.text ?? '').replace(/['"]/g, '').toLowerCase();
      const isRaw = prefix.includes('r');
      const isF = prefix.includes('f');
      const isB = prefix.includes('b');
      if (prefix.includes('t')) return this.unsupportedEx('template string (t-string)', s);
      if (bytes !== undefined && bytes !== isB) return this.unsupportedEx('mixing bytes and str literals', n);
      bytes = isB;
      for (const k of kids) {
        if (k.type === 'string_content') {
          let t = k.text;
          if (isF) t = t.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
          parts.push(isRaw ? t : decodeEscapes(t, isB));
        } else if (k.type === 'escape_sequence') {
          parts.push(isRaw ? k.text : decodeEscapes(k.text, isB));
        } else if (k.type === 'interpolation') {
          parts.push(this.interpolation(k, scope));
        }
      }
    }
    if (bytes) {
      const text = parts.filter((p): p is string => typeof p === 'string').join('');
      const data = Uint8Array.from([...text].map((c) => c.charCodeAt(0) & 0xff));
      return () => new PyBytes(data);
    }
    // merge constants
    const merged: Part[] = [];
    for (const p of parts) {
      if (typeof p === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] = (merged[merged.length - 1] as string) + p;
      else merged.push(p);
    }
    if (merged.length === 0) return () => '';
    if (merged.length === 1 && typeof merged[0] === 'string') {
      const c = merged[0];
      return () => c;
    }
    const loc = this.loc(n);
    return (f) => {
      let out = '';
      for (let i = 0; i < merged.length; i++) {
        const p = merged[i];
        if (typeof p === 'string') out += p;
        else {
          const v = p(f);
          if (v instanceof Promise) return fstringAsync(f, merged, i, out, v, loc);
          out += v as string;
        }
      }
      if (out.length > 1_000_000) f.interp.checkSize(out.length, loc);
      return out;
    };
  }

  /** One `{expr!conv:spec}` → an Ex producing the formatted string. */
  interpolation(k: Node, scope: Scope): Ex {
    const exprNode = field(k, 'expression')!;
    const ex = this.expr(exprNode, scope);
    const convNode = field(k, 'type_conversion');
    const conv = convNode ? convNode.text.slice(1) : '';
    const specNode = field(k, 'format_specifier');
    const debug = hasToken(k, '=');
    let debugText = '';
    if (debug) {
      const eqTok = k.children.find((c) => c && !c.isNamed && c.type === '=');
      debugText = this.source.slice(k.startIndex + 1, eqTok!.endIndex);
    }
    const loc = this.loc(k);
    let spec: ((f: Frame) => string | Promise<string>) | undefined;
    if (specNode) {
      const pieces: (string | Ex)[] = [];
      let pos = specNode.startIndex + 1; // after ':'
      for (const c of named(specNode)) {
        if (c.type === 'format_expression') {
          if (c.startIndex > pos) pieces.push(this.source.slice(pos, c.startIndex));
          const inner = field(c, 'expression') ?? named(c)[0];
          const e = this.expr(inner, scope);
          pieces.push((f) => then(e(f), (v) => str(f.interp, v)));
          pos = c.endIndex;
        }
      }
      if (specNode.endIndex > pos) pieces.push(this.source.slice(pos, specNode.endIndex));
      if (pieces.every((p) => typeof p === 'string')) {
        const s = pieces.join('');
        spec = () => s;
      } else
        spec = (f) => {
          let out = '';
          for (const p of pieces) out += typeof p === 'string' ? p : (p(f) as string);
          return out;
        };
    }
    const effConv = conv || (debug && !specNode ? 'r' : '');
    return (f) => {
      const v = ex(f);
      const fin = (x: PyValue): string | Promise<string> => {
        const interp = f.interp;
        let val: PyValue = x;
        if (effConv === 'r') val = repr(interp, x);
        else if (effConv === 's') val = str(interp, x);
        else if (effConv === 'a') val = repr(interp, x).replace(/[^\x00-\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
        const sp = spec ? spec(f) : '';
        if (sp instanceof Promise) return sp.then((s) => debugText + format(interp, val, s, loc));
        if (sp === '' && typeof val === 'string') return debugText + val;
        if (sp === '' && typeof val === 'number') return debugText + String(val);
        return debugText + format(interp, val, sp, loc);
      };
      if (v instanceof Promise) return v.then(fin);
      return fin(v);
    };
  }

  dictLiteral(n: Node, scope: Scope): Ex {
    const items = named(n).map((c) => {
      if (c.type === 'pair') return { splat: false, k: this.expr(field(c, 'key')!, scope), v: this.expr(field(c, 'value')!, scope), loc: this.loc(c) };
      if (c.type === 'dictionary_splat') return { splat: true, k: this.expr(named(c)[0], scope), v: undefined, loc: this.loc(c) };
      return { splat: false, k: this.unsupportedEx(`dictionary item '${c.type}'`, c), v: undefined, loc: this.loc(c) };
    });
    const loc = this.loc(n);
    const done = (f: Frame, d: PyDict): PyDict => {
      if (d.map.size > 100000) f.interp.checkSize(d.map.size, loc);
      return d;
    };
    return (f) => {
      const d = new PyDict();
      const r = eachStep(items.length, putItemAt, f, items, d);
      return r instanceof Promise ? r.then(() => done(f, d)) : done(f, d);
    };
  }

  binary(n: Node, scope: Scope): Ex {
    const op = field(n, 'operator')!.text;
    const l = this.expr(field(n, 'left')!, scope);
    const r = this.expr(field(n, 'right')!, scope);
    const loc = this.loc(n);
    const slow = (f: Frame, a: PyValue | Promise<PyValue>, b: PyValue | Promise<PyValue>): PyValue | Promise<PyValue> => {
      if (a instanceof Promise) return a.then((x) => then(b instanceof Promise ? b : b, (y) => binop(f.interp, op, x, y, loc)));
      if (b instanceof Promise) return b.then((y) => binop(f.interp, op, a, y, loc));
      return binop(f.interp, op, a, b, loc);
    };
    switch (op) {
      case '+':
        return (f) => {
          const a = l(f);
          if (a instanceof Promise) return slow(f, a, a.then(() => r(f)));
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') {
            const s = a + b;
            if (s <= MAX_SAFE && s >= -MAX_SAFE) return s;
          } else if (typeof a === 'string' && typeof b === 'string') {
            const s = a + b;
            if (s.length < 1_000_000) return s;
          }
          return slow(f, a, b);
        };
      case '-':
        return (f) => {
          const a = l(f);
          if (a instanceof Promise) return slow(f, a, a.then(() => r(f)));
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') {
            const s = a - b;
            if (s <= MAX_SAFE && s >= -MAX_SAFE) return s === 0 ? 0 : s;
          }
          return slow(f, a, b);
        };
      case '*':
        return (f) => {
          const a = l(f);
          if (a instanceof Promise) return slow(f, a, a.then(() => r(f)));
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') {
            const s = a * b;
            if (s <= MAX_SAFE && s >= -MAX_SAFE) return s === 0 ? 0 : s;
          }
          return slow(f, a, b);
        };
      case '%':
        return (f) => {
          const a = l(f);
          if (a instanceof Promise) return slow(f, a, a.then(() => r(f)));
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number' && b > 0 && a >= 0) return a % b;
          return slow(f, a, b);
        };
    }
    return (f) => {
      const a = l(f);
      if (a instanceof Promise) return slow(f, a, a.then(() => r(f)));
      return slow(f, a, r(f));
    };
  }

  comparison(n: Node, scope: Scope): Ex {
    const operands: Ex[] = [];
    const ops: string[] = [];
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i)!;
      if (n.fieldNameForChild(i) === 'operators') ops.push(c.text.replace(/\s+/g, ' '));
      else if (c.isNamed && c.type !== 'comment') operands.push(this.expr(c, scope));
    }
    const loc = this.loc(n);
    if (ops.length === 1) {
      const op = ops[0];
      const [l, r] = operands;
      const fast = (f: Frame, a: PyValue, b: PyValue): boolean => {
        if (typeof a === 'number' && typeof b === 'number') {
          switch (op) {
            case '<':
              return a < b;
            case '<=':
              return a <= b;
            case '>':
              return a > b;
            case '>=':
              return a >= b;
            case '==':
              return a === b;
            case '!=':
              return a !== b;
          }
        }
        if (typeof a === 'string' && typeof b === 'string') {
          if (op === '==') return a === b;
          if (op === '!=') return a !== b;
        }
        return compare(f.interp, op, a, b, loc);
      };
      return (f) => {
        const a = l(f);
        if (a instanceof Promise) return a.then((x) => then(r(f), (y) => fast(f, x, y)));
        const b = r(f);
        if (b instanceof Promise) return b.then((y) => fast(f, a, y));
        return fast(f, a, b);
      };
    }
    return (f) => {
      const step = (i: number, left: PyValue): PyValue | Promise<PyValue> => {
        for (; i < ops.length; i++) {
          const right = operands[i + 1](f);
          if (right instanceof Promise) {
            const idx = i;
            return right.then((rv) => (compare(f.interp, ops[idx], left, rv, loc) ? step(idx + 1, rv) : false));
          }
          if (!compare(f.interp, ops[i], left, right, loc)) return false;
          left = right;
        }
        return true;
      };
      return then(operands[0](f), (first) => step(0, first));
    };
  }

  subscriptKey(n: Node, scope: Scope): Ex {
    const subs = n.childrenForFieldName('subscript').filter((k): k is Node => !!k && k.type !== 'comment');
    const one = (s: Node): Ex => {
      if (s.type === 'slice') return this.slice(s, scope);
      return this.expr(s, scope);
    };
    if (subs.length === 1) return one(subs[0]);
    const exs = subs.map(one);
    return (f) => then(evalList(f, exs), (xs) => new PyTuple(xs));
  }

  slice(s: Node, scope: Scope): Ex {
    const slots: (Ex | null)[] = [null, null, null];
    let pos = 0;
    for (const c of s.children) {
      if (!c) continue;
      if (!c.isNamed && c.type === ':') pos++;
      else if (c.isNamed && c.type !== 'comment') slots[pos] = this.expr(c, scope);
    }
    const [a, b, c] = slots;
    return (f) => then(a ? a(f) : null, (x) => then(b ? b(f) : null, (y) => then(c ? c(f) : null, (z) => new PySlice(x, y, z))));
  }

  callExpr(n: Node, scope: Scope): Ex {
    const fnNode = field(n, 'function')!;
    const argsNode = field(n, 'arguments')!;
    const loc = this.callLoc(n, fnNode);
    // arguments
    type ArgPart = { kind: 'pos' | 'star' | 'kw' | 'dstar'; name?: string; ex: Ex };
    const parts: ArgPart[] = [];
    if (argsNode.type === 'generator_expression') parts.push({ kind: 'pos', ex: this.expr(argsNode, scope) });
    else
      for (const a of named(argsNode)) {
        if (a.type === 'keyword_argument') parts.push({ kind: 'kw', name: field(a, 'name')!.text, ex: this.expr(field(a, 'value')!, scope) });
        else if (a.type === 'list_splat') parts.push({ kind: 'star', ex: this.expr(named(a)[0], scope) });
        else if (a.type === 'dictionary_splat') parts.push({ kind: 'dstar', ex: this.expr(named(a)[0], scope) });
        else if (a.type === 'parenthesized_list_splat') parts.push({ kind: 'star', ex: this.expr(named(named(a)[0])[0] ?? named(a)[0], scope) });
        else parts.push({ kind: 'pos', ex: this.expr(a, scope) });
      }
    const simple = parts.every((p) => p.kind === 'pos');
    const posExs = parts.map((p) => p.ex);
    const buildArgs: (f: Frame) => [PyValue[], Kwargs | null] | Promise<[PyValue[], Kwargs | null]> = simple
      ? (f) => then(evalList(f, posExs), (xs) => [xs, null] as [PyValue[], Kwargs | null])
      : (f) => buildCallArgs(f, parts, loc);

    // super() without arguments
    if (fnNode.type === 'identifier' && fnNode.text === 'super' && parts.length === 0 && resolve(scope, 'super').kind === 'global') {
      return (f) => {
        const sup = f.globals.get('super') ?? f.interp.builtins.get('super')!;
        const fn = f.fn;
        if (!fn || !fn.ownerClass || !f.env || f.env.v.length === 0) throw pyErr('RuntimeError', 'super(): no arguments');
        const self = f.env.v[0];
        return call(f.interp, sup, [fn.ownerClass, self ?? null], null, loc);
      };
    }
    // method call: obj.name(...)
    if (fnNode.type === 'attribute') {
      const objEx = this.expr(field(fnNode, 'object')!, scope);
      const name = field(fnNode, 'attribute')!.text;
      if (simple) {
        const k = posExs.length;
        if (k === 0)
          return (f) => {
            const o = objEx(f);
            if (o instanceof Promise) return o.then((ov) => callMethod(f.interp, ov, name, [], null, loc));
            return callMethod(f.interp, o, name, [], null, loc);
          };
        if (k === 1) {
          const a0 = posExs[0];
          return (f) => {
            const o = objEx(f);
            if (o instanceof Promise) return o.then((ov) => then(a0(f), (x) => callMethod(f.interp, ov, name, [x], null, loc)));
            const x = a0(f);
            if (x instanceof Promise) return x.then((xv) => callMethod(f.interp, o, name, [xv], null, loc));
            return callMethod(f.interp, o, name, [x], null, loc);
          };
        }
      }
      return (f) => {
        const o = objEx(f);
        if (o instanceof Promise) return o.then((ov) => then(buildArgs(f), ([a, kw]) => callMethod(f.interp, ov, name, a, kw, loc)));
        const args = buildArgs(f);
        if (args instanceof Promise) return args.then(([a, kw]) => callMethod(f.interp, o, name, a, kw, loc));
        return callMethod(f.interp, o, name, args[0], args[1], loc);
      };
    }
    const fnEx = this.expr(fnNode, scope);
    return (f) => {
      const fn = fnEx(f);
      if (fn instanceof Promise) return fn.then((fv) => then(buildArgs(f), ([a, kw]) => call(f.interp, fv, a, kw, loc)));
      const args = buildArgs(f);
      if (args instanceof Promise) return args.then(([a, kw]) => call(f.interp, fn, a, kw, loc));
      return call(f.interp, fn, args[0], args[1], loc);
    };
  }
}
