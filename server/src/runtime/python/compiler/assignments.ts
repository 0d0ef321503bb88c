/** Compiles assignments: targets, unpacking, augmented assignment, del, annotated names; name loads and stores. */
import type { Node } from 'web-tree-sitter';
import { ClassAnnotation, EvaluationLimitError, PyList, PyTuple, PyValue, SourceLocation, pyErr } from '../values';
import { Frame } from '../runtime';
import { binop, inplaceOp } from '../protocols/operators';
import { delAttr, getAttr, setAttr } from '../protocols/attributes';
import { delItem, getItem, setItem } from '../protocols/subscripts';
import { toArray } from '../protocols/iteration';
import { restrictedBuiltins } from '../restrictedBuiltins';
import { FunctionCompiler } from './functions';
import { Scope, resolve, type Resolved } from './scope';
import { type St, type Completion, type Ex, type Assign } from './types';
import { field, named } from './treeNodes';
import { noop, chainAssign, then, assignRest, chainVoid, storeAfter } from './steps';

/** A local constant, not an import: V8 folds it in the hot int paths (an imported one is a property load). */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export abstract class AssignmentCompiler extends FunctionCompiler {
  assignment(n: Node, scope: Scope, loc: SourceLocation): St {
    const targets: Node[] = [];
    let cur: Node = n;
    let annotation: Node | null = null;
    for (;;) {
      targets.push(field(cur, 'left')!);
      if (!annotation) annotation = field(cur, 'type');
      const r = field(cur, 'right');
      if (r && r.type === 'assignment') {
        cur = r;
        continue;
      }
      if (r && r.type === 'augmented_assignment') return this.unsupportedSt('augmented assignment inside a chained assignment', r);
      break;
    }
    const rhsNode = field(cur, 'right');
    // class-body annotations
    if (annotation && scope.kind === 'class' && targets.length === 1 && targets[0].type === 'identifier') {
      return this.classAnnotation(targets[0], annotation, rhsNode, scope, loc);
    }
    if (!rhsNode) {
      // `x: int` — declares only
      return (f) => {
        f.stmt = loc;
        return undefined;
      };
    }
    const rhs = rhsNode.type === 'expression_list' ? this.tupleOf(named(rhsNode), scope) : this.expr(rhsNode, scope);
    // fast path: single identifier target
    if (targets.length === 1) {
      const t = targets[0];
      if (t.type === 'identifier') {
        const r = resolve(scope, t.text);
        if (r.kind === 'local' && r.depth === 0) {
          const slot = r.slot;
          return (f) => {
            f.stmt = loc;
            const v = rhs(f);
            if (v instanceof Promise)
              return v.then((x) => {
                f.env!.v[slot] = x;
                return undefined;
              });
            f.env!.v[slot] = v;
            return undefined;
          };
        }
        if (r.kind === 'global') {
          const name = t.text;
          return (f) => {
            f.stmt = loc;
            const v = rhs(f);
            if (v instanceof Promise)
              return v.then((x) => {
                f.globals.set(name, x);
                return undefined;
              });
            f.globals.set(name, v);
            return undefined;
          };
        }
      }
      const assign = this.target(t, scope);
      return (f) => {
        f.stmt = loc;
        const v = rhs(f);
        if (v instanceof Promise) return v.then((x) => assign(f, x)).then(noop);
        const a = assign(f, v);
        if (a instanceof Promise) return a.then(noop);
        return undefined;
      };
    }
    const assigns = targets.map((t) => this.target(t, scope));
    return (f) => {
      f.stmt = loc;
      const v = rhs(f);
      const run = (x: PyValue): Completion | Promise<Completion> => {
        const r = chainAssign(assigns, 0, f, x);
        return r instanceof Promise ? r.then(noop) : undefined;
      };
      if (v instanceof Promise) return v.then(run);
      return run(v);
    };
  }

  classAnnotation(target: Node, annotation: Node, rhsNode: Node | null, scope: Scope, loc: SourceLocation): St {
    const name = target.text;
    const typeNode = annotation;
    const source = this.text(typeNode.type === 'type' && named(typeNode).length === 1 ? named(typeNode)[0] : typeNode);
    const annEx = this.typeExpr(typeNode, scope);
    const rhs = rhsNode ? (rhsNode.type === 'expression_list' ? this.tupleOf(named(rhsNode), scope) : this.expr(rhsNode, scope)) : undefined;
    const annLoc = this.loc(typeNode);
    return (f) => {
      f.stmt = loc;
      const ann: ClassAnnotation = { name, source, node: typeNode, loc: annLoc, hasDefault: !!rhs };
      let value: PyValue | undefined;
      f.interp.noYield++;
      try {
        const v = annEx(f);
        if (!(v instanceof Promise)) value = v;
        else v.catch(noop);
      } catch (e) {
        if (e instanceof EvaluationLimitError) throw e;
        value = undefined;
      } finally {
        f.interp.noYield--;
      }
      if (value !== undefined) ann.value = value;
      const anns = (f as Frame & { annotations?: ClassAnnotation[] }).annotations;
      if (anns) {
        const i = anns.findIndex((a) => a.name === name);
        if (i >= 0) anns.splice(i, 1);
        anns.push(ann);
      }
      if (!rhs) return undefined;
      const v = rhs(f);
      if (v instanceof Promise)
        return v.then((x) => {
          f.classNs!.set(name, x);
          return undefined;
        });
      f.classNs!.set(name, v);
      return undefined;
    };
  }

  /** Annotation expressions: generic_type (List[str]), union_type, member_type, strings. */
  override typeExpr(n: Node, scope: Scope): Ex {
    switch (n.type) {
      case 'type': {
        const kids = named(n);
        if (kids.length === 1) return this.typeExpr(kids[0], scope);
        return this.unsupportedEx('annotation', n);
      }
      case 'generic_type': {
        const kids = named(n);
        const base = this.typeExpr(kids[0], scope);
        const params = kids[1] ? named(kids[1]).map((k) => this.typeExpr(k, scope)) : [];
        const loc = this.loc(n);
        return (f) => {
          const b = base(f) as PyValue;
          const args = params.map((p) => p(f) as PyValue);
          return getItem(f.interp, b, args.length === 1 ? args[0] : new PyTuple(args), loc);
        };
      }
      case 'union_type': {
        const kids = named(n).map((k) => this.typeExpr(k, scope));
        const loc = this.loc(n);
        return (f) => kids.map((k) => k(f) as PyValue).reduce((a, b) => binop(f.interp, '|', a, b, loc) as PyValue);
      }
      case 'member_type': {
        const kids = named(n);
        const base = this.typeExpr(kids[0], scope);
        const name = kids[kids.length - 1].text;
        const loc = this.loc(n);
        return (f) => getAttr(f.interp, base(f) as PyValue, name, loc);
      }
      case 'list': {
        const kids = named(n).map((k) => this.typeExpr(k, scope));
        return (f) => new PyList(kids.map((k) => k(f) as PyValue));
      }
      case 'splat_type':
      case 'constrained_type':
        return this.unsupportedEx(`annotation '${n.type}'`, n);
    }
    return this.expr(n, scope);
  }

  /** Assignment target → assigner. */
  override target(t: Node, scope: Scope): Assign {
    switch (t.type) {
      case 'identifier':
        return this.nameStore(t.text, scope);
      case 'attribute': {
        const obj = this.expr(field(t, 'object')!, scope);
        const name = field(t, 'attribute')!.text;
        const loc = this.loc(t);
        return (f, v) => {
          const o = obj(f);
          if (o instanceof Promise) return o.then((x) => setAttr(f.interp, x, name, v, loc));
          return setAttr(f.interp, o, name, v, loc);
        };
      }
      case 'subscript': {
        const obj = this.expr(field(t, 'value')!, scope);
        const key = this.subscriptKey(t, scope);
        const loc = this.loc(t);
        return (f, v) => {
          const o = obj(f);
          if (o instanceof Promise) return o.then((ov) => then(key(f), (k) => setItem(f.interp, ov, k, v, loc)));
          const k = key(f);
          if (k instanceof Promise) return k.then((kv) => setItem(f.interp, o, kv, v, loc));
          return setItem(f.interp, o, k, v, loc);
        };
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
        return this.unpackTarget(named(t), scope, t);
      case 'parenthesized_expression': {
        const kids = named(t);
        if (kids.length === 1) return this.target(kids[0], scope);
        break;
      }
      case 'as_pattern_target': {
        const kids = named(t);
        if (kids.length === 1) return this.target(kids[0], scope);
        return this.unpackTarget(kids, scope, t);
      }
    }
    const e = this.unsupportedNow(`assignment to '${t.type}'`, t);
    return () => {
      throw e;
    };
  }

  unpackTarget(kids: Node[], scope: Scope, n: Node): Assign {
    const starIdx = kids.findIndex((k) => k.type === 'list_splat_pattern' || k.type === 'list_splat');
    const subs = kids.map((k) => (k.type === 'list_splat_pattern' || k.type === 'list_splat' ? this.target(named(k)[0], scope) : this.target(k, scope)));
    const count = kids.length;
    const loc = this.loc(n);
    const assignAll = (f: Frame, xs: PyValue[]): void | Promise<void> => {
      let vals: PyValue[];
      if (starIdx < 0) {
        if (xs.length !== count) {
          if (xs.length < count) throw pyErr('ValueError', `not enough values to unpack (expected ${count}, got ${xs.length})`);
          throw pyErr('ValueError', `too many values to unpack (expected ${count})`);
        }
        vals = xs;
      } else {
        if (xs.length < count - 1) throw pyErr('ValueError', `not enough values to unpack (expected at least ${count - 1}, got ${xs.length})`);
        const after = count - 1 - starIdx;
        vals = [...xs.slice(0, starIdx), new PyList(xs.slice(starIdx, xs.length - after)), ...xs.slice(xs.length - after)];
      }
      return assignRest(subs, 0, f, vals);
    };
    return (f, v) => {
      if (v instanceof PyTuple || v instanceof PyList) return assignAll(f, v.items);
      const arr = toArray(f.interp, v, loc);
      if (arr instanceof Promise) return arr.then((xs) => assignAll(f, xs));
      return assignAll(f, arr);
    };
  }

  override nameStore(name: string, scope: Scope): Assign {
    const r = resolve(scope, name);
    switch (r.kind) {
      case 'global':
        return (f, v) => {
          f.globals.set(name, v);
        };
      case 'class':
        return (f, v) => {
          f.classNs!.set(name, v);
        };
      case 'local': {
        const { depth, slot } = r;
        if (depth === 0)
          return (f, v) => {
            f.env!.v[slot] = v;
          };
        return (f, v) => {
          let e = f.env!;
          for (let i = 0; i < depth; i++) e = e.up!;
          e.v[slot] = v;
        };
      }
    }
  }

  override nameLoad(name: string, scope: Scope, n: Node): Ex {
    const r = resolve(scope, name);
    return this.loadResolved(name, r, n);
  }

  loadResolved(name: string, r: Resolved, n: Node): Ex {
    switch (r.kind) {
      case 'global':
        return (f) => {
          let v = f.globals.get(name);
          if (v === undefined) {
            const table = (restrictedBuiltins.inUse ? restrictedBuiltins.of.get(f.globals) : undefined) ?? f.interp.builtins;
            v = table.get(name);
            if (v === undefined) throw pyErr('NameError', `name '${name}' is not defined`);
          }
          return v;
        };
      case 'local': {
        const { depth, slot } = r;
        if (depth === 0)
          return (f) => {
            const v = f.env!.v[slot];
            if (v === undefined) throw pyErr('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
            return v;
          };
        return (f) => {
          let e = f.env!;
          for (let i = 0; i < depth; i++) e = e.up!;
          const v = e.v[slot];
          if (v === undefined) throw pyErr('NameError', `cannot access free variable '${name}' where it is not associated with a value in enclosing scope`);
          return v;
        };
      }
      case 'class': {
        const fb = this.loadResolved(name, r.fallback, n);
        return (f) => {
          const v = f.classNs!.get(name);
          if (v !== undefined) return v;
          return fb(f);
        };
      }
    }
  }

  delTarget(t: Node, scope: Scope): (f: Frame) => void | Promise<void> {
    const loc = this.loc(t);
    switch (t.type) {
      case 'identifier': {
        const name = t.text;
        const r = resolve(scope, name);
        if (r.kind === 'global')
          return (f) => {
            if (!f.globals.delete(name)) throw pyErr('NameError', `name '${name}' is not defined`);
          };
        if (r.kind === 'class')
          return (f) => {
            if (!f.classNs!.delete(name)) throw pyErr('NameError', `name '${name}' is not defined`);
          };
        const { depth, slot } = r;
        return (f) => {
          let e = f.env!;
          for (let i = 0; i < depth; i++) e = e.up!;
          if (e.v[slot] === undefined) throw pyErr('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
          e.v[slot] = undefined;
        };
      }
      case 'attribute': {
        const obj = this.expr(field(t, 'object')!, scope);
        const name = field(t, 'attribute')!.text;
        return (f) => then(obj(f), (o) => delAttr(f.interp, o, name, loc));
      }
      case 'subscript': {
        const obj = this.expr(field(t, 'value')!, scope);
        const key = this.subscriptKey(t, scope);
        return (f) => then(obj(f), (o) => then(key(f), (k) => delItem(f.interp, o, k, loc)));
      }
      case 'tuple':
      case 'list':
      case 'pattern_list':
      case 'parenthesized_expression': {
        const subs = named(t).map((c) => this.delTarget(c, scope));
        return (f) => chainVoid(subs, 0, f);
      }
    }
    const e = this.unsupportedNow(`del of '${t.type}'`, t);
    return () => {
      throw e;
    };
  }

  augAssign(n: Node, scope: Scope, loc: SourceLocation): St {
    const t = field(n, 'left')!;
    const opTok = field(n, 'operator')!.text; // e.g. "+="
    const op = opTok.slice(0, -1);
    const rhsNode = field(n, 'right')!;
    const rhs = rhsNode.type === 'expression_list' ? this.tupleOf(named(rhsNode), scope) : this.expr(rhsNode, scope);
    const opLoc = this.loc(n);
    if (t.type === 'identifier') {
      const load = this.nameLoad(t.text, scope, t);
      const store = this.nameStore(t.text, scope);
      const r = resolve(scope, t.text);
      if (r.kind === 'local' && r.depth === 0 && op === '+') {
        const slot = r.slot;
        const name = t.text;
        return (f) => {
          f.stmt = loc;
          const a = f.env!.v[slot];
          if (a === undefined) throw pyErr('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
          const b = rhs(f);
          if (typeof a === 'number' && typeof b === 'number') {
            const s = a + b;
            if (s <= MAX_SAFE && s >= -MAX_SAFE) {
              f.env!.v[slot] = s;
              return undefined;
            }
          }
          return storeAfter(f, a, b, op, opLoc, store);
        };
      }
      return (f) => {
        f.stmt = loc;
        const a = load(f);
        if (a instanceof Promise) return a.then((av) => then(rhs(f), (b) => storeAfter(f, av, b, op, opLoc, store)));
        const b = rhs(f);
        if (typeof a === 'number' && typeof b === 'number' && op === '+') {
          const s = a + b;
          if (s <= MAX_SAFE && s >= -MAX_SAFE) {
            const w = store(f, s);
            return w instanceof Promise ? w.then(noop) : undefined;
          }
        }
        return storeAfter(f, a, b, op, opLoc, store);
      };
    }
    if (t.type === 'attribute') {
      const obj = this.expr(field(t, 'object')!, scope);
      const name = field(t, 'attribute')!.text;
      const tloc = this.loc(t);
      return (f) => {
        f.stmt = loc;
        const r = then(obj(f), (o) =>
          then(getAttr(f.interp, o, name, tloc), (a) => then(rhs(f), (b) => then(inplaceOp(f.interp, op, a, b, opLoc), (v) => setAttr(f.interp, o, name, v, tloc)))),
        );
        return r instanceof Promise ? r.then(noop) : undefined;
      };
    }
    if (t.type === 'subscript') {
      const obj = this.expr(field(t, 'value')!, scope);
      const key = this.subscriptKey(t, scope);
      const tloc = this.loc(t);
      return (f) => {
        f.stmt = loc;
        const r = then(obj(f), (o) =>
          then(key(f), (k) => then(getItem(f.interp, o, k, tloc), (a) => then(rhs(f), (b) => then(inplaceOp(f.interp, op, a, b, opLoc), (v) => setItem(f.interp, o, k, v, tloc))))),
        );
        return r instanceof Promise ? r.then(noop) : undefined;
      };
    }
    return this.unsupportedSt(`augmented assignment to '${t.type}'`, t);
  }
}
