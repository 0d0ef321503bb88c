/** Compiles statements: the statement dispatch, if/for/while, try, with, raise, import. */
import type { Node } from 'web-tree-sitter';
import {
  EvaluationLimitError,
  PyException,
  PyInstance,
  PyList,
  PyOpaque,
  PyTuple,
  PyValue,
  STOP,
  SourceLocation,
  UnsupportedPythonError,
  pyErr,
} from '../values';
import { Frame, LoopFrame, RETURN, toPyException, unsupported, typeName } from '../runtime';
import { awaitValue, call } from '../protocols/calls';
import { iter } from '../protocols/iteration';
import { truthy } from '../protocols/equality';
import { HostObject } from '../host';
import { compileMatch } from '../matchPatterns';
import { AssignmentCompiler } from './assignments';
import { Scope, resolve } from './scope';
import { type St, BREAK, CONTINUE, type Ex, type Completion, type Assign, importHooks } from './types';
import { seq, noop, assertRest, chainSeq, exceptionMatches, chainContext, then, makeRaisable, chainVoid } from './steps';
import { named, field, isAsync, hasToken } from './treeNodes';
import { forAsync, whileAsync } from './loopContinuations';
import { recordTraceback } from './functionCalls';

export abstract class StatementCompiler extends AssignmentCompiler {
  override stmts(nodes: Node[], scope: Scope): St {
    const list = nodes.map((n) => this.stmt(n, scope));
    return seq(list);
  }

  block(n: Node | null, scope: Scope): St {
    if (!n) return () => undefined;
    return this.stmts(named(n), scope);
  }

  stmt(n: Node, scope: Scope): St {
    const loc = this.loc(n);
    switch (n.type) {
      case 'expression_statement': {
        const kids = named(n);
        if (kids.length === 1) {
          const k = kids[0];
          if (k.type === 'assignment') return this.assignment(k, scope, loc);
          if (k.type === 'augmented_assignment') return this.augAssign(k, scope, loc);
          const e = this.expr(k, scope);
          return (f) => {
            f.stmt = loc;
            const r = e(f);
            if (r instanceof Promise) return r.then(noop);
            return undefined;
          };
        }
        const e = this.tupleOf(kids, scope);
        return (f) => {
          f.stmt = loc;
          const r = e(f);
          if (r instanceof Promise) return r.then(noop);
          return undefined;
        };
      }
      case 'pass_statement':
        return () => undefined;
      case 'break_statement':
        return () => BREAK;
      case 'continue_statement':
        return () => CONTINUE;
      case 'return_statement': {
        const kids = named(n);
        if (kids.length === 0)
          return (f) => {
            f.stmt = loc;
            f.retval = null;
            return RETURN;
          };
        const e = kids.length === 1 ? this.expr(kids[0], scope) : this.tupleOf(kids, scope);
        return (f) => {
          f.stmt = loc;
          const v = e(f);
          if (v instanceof Promise)
            return v.then((x) => {
              f.retval = x;
              return RETURN;
            });
          f.retval = v;
          return RETURN;
        };
      }
      case 'if_statement':
        return this.ifStmt(n, scope, loc);
      case 'for_statement':
        return this.forStmt(n, scope, loc);
      case 'while_statement':
        return this.whileStmt(n, scope, loc);
      case 'try_statement':
        return this.tryStmt(n, scope, loc);
      case 'with_statement':
        return this.withStmt(n, scope, loc);
      case 'function_definition':
        return this.funcDef(n, scope, [], loc);
      case 'class_definition':
        return this.classDef(n, scope, [], loc);
      case 'decorated_definition': {
        const decos = named(n).filter((c) => c.type === 'decorator');
        const def = field(n, 'definition')!;
        if (def.type === 'class_definition') return this.classDef(def, scope, decos, loc);
        return this.funcDef(def, scope, decos, loc);
      }
      case 'raise_statement':
        return this.raiseStmt(n, scope, loc);
      case 'assert_statement': {
        const kids = named(n);
        const test = this.expr(kids[0], scope);
        const msg = kids[1] ? this.expr(kids[1], scope) : undefined;
        return (f) => {
          f.stmt = loc;
          const t = test(f);
          if (t instanceof Promise) return t.then((tv) => assertRest(f, tv, msg));
          return assertRest(f, t, msg);
        };
      }
      case 'delete_statement': {
        const targets = named(n).flatMap((c) => (c.type === 'expression_list' ? named(c) : [c]));
        const dels = targets.map((t) => this.delTarget(t, scope));
        return (f) => {
          f.stmt = loc;
          return chainSeq(dels, f);
        };
      }
      case 'global_statement':
      case 'nonlocal_statement':
        return () => undefined;
      case 'import_statement':
        return this.importStmt(n, scope, loc);
      case 'import_from_statement':
        return this.importFrom(n, scope, loc);
      case 'future_import_statement':
        return () => undefined;
      case 'match_statement':
        return compileMatch(
          {
            loc: (x) => this.loc(x),
            expr: (x) => this.expr(x, scope),
            tuple: (xs) => this.tupleOf(xs, scope),
            block: (x) => this.block(x, scope),
            load: (name, x) => this.nameLoad(name, scope, x),
            store: (name) => this.nameStore(name, scope),
          },
          n,
          loc,
        );
      case 'print_statement':
        return this.unsupportedSt('Python 2 print statement', n);
      case 'exec_statement':
        return this.unsupportedSt('exec statement', n);
      case 'type_alias_statement':
        return this.unsupportedSt('type alias statement', n);
      case 'comment':
        return () => undefined;
    }
    return this.unsupportedSt(`statement '${n.type}'`, n);
  }

  ifStmt(n: Node, scope: Scope, loc: SourceLocation): St {
    const conds: Ex[] = [this.expr(field(n, 'condition')!, scope)];
    const bodies: St[] = [this.block(field(n, 'consequence'), scope)];
    let orelse: St | undefined;
    for (const c of n.childrenForFieldName('alternative')) {
      if (!c) continue;
      if (c.type === 'elif_clause') {
        conds.push(this.expr(field(c, 'condition')!, scope));
        bodies.push(this.block(field(c, 'consequence'), scope));
      } else if (c.type === 'else_clause') orelse = this.block(field(c, 'body'), scope);
    }
    const k = conds.length;
    const runFrom = (f: Frame, i: number): Completion | Promise<Completion> => {
      for (; i < k; i++) {
        const c = conds[i](f);
        if (c instanceof Promise) {
          const idx = i;
          return c.then((cv) => (truthy(f.interp, cv) ? bodies[idx](f) : runFrom(f, idx + 1)));
        }
        if (c === true || (c !== false && truthy(f.interp, c))) return bodies[i](f);
      }
      return orelse ? orelse(f) : undefined;
    };
    if (k === 1 && !orelse) {
      const cond = conds[0];
      const body = bodies[0];
      return (f) => {
        f.stmt = loc;
        const c = cond(f);
        if (c === true) return body(f);
        if (c === false) return undefined;
        if (c instanceof Promise) return c.then((cv) => (truthy(f.interp, cv) ? body(f) : undefined));
        return truthy(f.interp, c) ? body(f) : undefined;
      };
    }
    return (f) => {
      f.stmt = loc;
      return runFrom(f, 0);
    };
  }

  forStmt(n: Node, scope: Scope, loc: SourceLocation): St {
    const target = this.target(field(n, 'left')!, scope);
    const iterEx = this.rightExpr(field(n, 'right')!, scope);
    const body = this.block(field(n, 'body'), scope);
    const elseNode = field(n, 'alternative');
    const orelse = elseNode ? this.block(field(elseNode, 'body'), scope) : undefined;
    const kind: LoopFrame['kind'] = isAsync(n) ? 'async for' : 'for';
    const headerLoc = loc;
    // fast target: local slot
    const left = field(n, 'left')!;
    let fastSlot = -1;
    let fastGlobal: string | undefined;
    if (left.type === 'identifier') {
      const r = resolve(scope, left.text);
      if (r.kind === 'local' && r.depth === 0) fastSlot = r.slot;
      else if (r.kind === 'global') fastGlobal = left.text;
    }
    const run = (f: Frame, itv: PyValue): Completion | Promise<Completion> => {
      const interp = f.interp;
      const it = iter(interp, itv, headerLoc);
      const lf: LoopFrame = { kind, loc: headerLoc, iteration: -1, fn: f.name };
      const depth = interp.loops.length;
      interp.loops.push(lf);
      let async = false;
      try {
        for (;;) {
          const x = it.next();
          if (x instanceof Promise) {
            async = true;
            return forAsync(f, it, lf, depth, x, 0, target, body, orelse, headerLoc);
          }
          if (x === STOP) break;
          lf.iteration++;
          const t = interp.tick(headerLoc);
          if (t !== undefined) {
            async = true;
            return forAsync(f, it, lf, depth, t.then(() => x), 3, target, body, orelse, headerLoc);
          }
          if (fastSlot >= 0) f.env!.v[fastSlot] = x;
          else if (fastGlobal !== undefined) f.globals.set(fastGlobal, x);
          else {
            const a = target(f, x);
            if (a instanceof Promise) {
              async = true;
              return forAsync(f, it, lf, depth, a, 1, target, body, orelse, headerLoc);
            }
          }
          const c = body(f);
          if (c !== undefined) {
            if (c instanceof Promise) {
              async = true;
              return forAsync(f, it, lf, depth, c, 2, target, body, orelse, headerLoc);
            }
            if (c === BREAK) {
              interp.loops.length = depth;
              return undefined;
            }
            if (c === CONTINUE) continue;
            return c;
          }
        }
      } finally {
        if (!async) interp.loops.length = depth;
      }
      return orelse ? orelse(f) : undefined;
    };
    return (f) => {
      f.stmt = loc;
      const itv = iterEx(f);
      if (itv instanceof Promise) return itv.then((v) => run(f, v));
      return run(f, itv);
    };
  }

  whileStmt(n: Node, scope: Scope, loc: SourceLocation): St {
    const cond = this.expr(field(n, 'condition')!, scope);
    const body = this.block(field(n, 'body'), scope);
    const elseNode = field(n, 'alternative');
    const orelse = elseNode ? this.block(field(elseNode, 'body'), scope) : undefined;
    return (f) => {
      f.stmt = loc;
      const interp = f.interp;
      const lf: LoopFrame = { kind: 'while', loc, iteration: -1, fn: f.name };
      const depth = interp.loops.length;
      interp.loops.push(lf);
      let async = false;
      try {
        for (;;) {
          const c0 = cond(f);
          if (c0 instanceof Promise) {
            async = true;
            return whileAsync(f, lf, depth, c0, 0, cond, body, orelse, loc);
          }
          if (!(c0 === true || (c0 !== false && truthy(interp, c0)))) break;
          lf.iteration++;
          const t = interp.tick(loc);
          if (t !== undefined) {
            async = true;
            return whileAsync(f, lf, depth, t, 1, cond, body, orelse, loc);
          }
          const c = body(f);
          if (c !== undefined) {
            if (c instanceof Promise) {
              async = true;
              return whileAsync(f, lf, depth, c, 2, cond, body, orelse, loc);
            }
            if (c === BREAK) {
              interp.loops.length = depth;
              return undefined;
            }
            if (c === CONTINUE) continue;
            return c;
          }
          f.stmt = loc;
        }
      } finally {
        if (!async) interp.loops.length = depth;
      }
      return orelse ? orelse(f) : undefined;
    };
  }

  tryStmt(n: Node, scope: Scope, loc: SourceLocation): St {
    const body = this.block(field(n, 'body'), scope);
    const handlers: { types?: Ex; bind?: Assign; bindName?: (f: Frame) => void; block: St; loc: SourceLocation }[] = [];
    let orelse: St | undefined;
    let fin: St | undefined;
    for (const c of named(n)) {
      if (c.type === 'except_clause' && hasToken(c, '*')) return this.unsupportedSt('except* (exception groups)', c);
      if (c.type === 'except_clause') {
        let types: Ex | undefined;
        let bind: Assign | undefined;
        let blockNode: Node | null = null;
        for (const k of named(c)) {
          if (k.type === 'block') blockNode = k;
          else if (k.type === 'as_pattern') {
            types = this.expr(named(k)[0], scope);
            const alias = field(k, 'alias');
            if (alias) bind = this.target(alias, scope);
          } else types = this.expr(k, scope);
        }
        handlers.push({ types, bind, block: this.block(blockNode, scope), loc: this.loc(c) });
      } else if (c.type === 'except_group_clause') {
        return this.unsupportedSt('except* (exception groups)', c);
      } else if (c.type === 'else_clause') orelse = this.block(field(c, 'body'), scope);
      else if (c.type === 'finally_clause') fin = this.block(named(c).find((k) => k.type === 'block') ?? null, scope);
    }

    const matchHandler = (f: Frame, pe: PyException): (typeof handlers)[number] | undefined => {
      for (const h of handlers) {
        if (!h.types) return h;
        f.stmt = h.loc;
        const t = h.types(f);
        if (t instanceof Promise) throw unsupported('asynchronous expression in an except clause', h.loc);
        if (exceptionMatches(f.interp, pe, t, h.loc)) return h;
      }
      return undefined;
    };

    const runFinally = (f: Frame, comp: Completion, hasExc: boolean, exc: unknown): Completion | Promise<Completion> => {
      if (!fin) {
        if (hasExc) throw exc;
        return comp;
      }
      const fr = fin(f);
      if (fr instanceof Promise)
        return fr.then((c) => {
          if (c !== undefined) return c;
          if (hasExc) throw exc;
          return comp;
        });
      if (fr !== undefined) return fr;
      if (hasExc) throw exc;
      return comp;
    };

    const afterBody = (f: Frame, comp: Completion, hasExc: boolean, exc: unknown): Completion | Promise<Completion> => {
      let r2: Completion | Promise<Completion> = comp;
      let hasExc2 = false;
      let exc2: unknown;
      if (hasExc) {
        const pe = toPyException(exc);
        // Python's traceback of a caught exception reaches down from the frame that catches it.
        if (pe) recordTraceback(pe, f);
        let h: (typeof handlers)[number] | undefined;
        if (pe) {
          try {
            h = matchHandler(f, pe);
          } catch (e) {
            hasExc2 = true;
            exc2 = e;
          }
        }
        if (!hasExc2) {
          if (!h || !pe) {
            hasExc2 = true;
            exc2 = pe ?? exc;
          } else {
            const interp = f.interp;
            interp.handling.push(pe);
            const hdepth = interp.handling.length;
            let popped = false;
            const pop = () => {
              if (!popped) {
                popped = true;
                interp.handling.length = hdepth - 1;
              }
            };
            try {
              if (h.bind) {
                const b = h.bind(f, pe.exc);
                if (b instanceof Promise) throw unsupported('asynchronous except target', h.loc);
              }
              r2 = h.block(f);
            } catch (e) {
              hasExc2 = true;
              exc2 = chainContext(e, pe);
              pop();
            }
            if (r2 instanceof Promise) {
              const p = r2;
              return p.then(
                (c) => {
                  pop();
                  return runFinally(f, c, false, undefined);
                },
                (e) => {
                  pop();
                  return runFinally(f, undefined, true, chainContext(e, pe));
                },
              );
            }
            pop();
          }
        }
      } else if (comp === undefined && orelse) {
        try {
          r2 = orelse(f);
        } catch (e) {
          hasExc2 = true;
          exc2 = e;
        }
        if (r2 instanceof Promise)
          return r2.then(
            (c) => runFinally(f, c, false, undefined),
            (e) => runFinally(f, undefined, true, e),
          );
      }
      return runFinally(f, r2 as Completion, hasExc2, exc2);
    };

    return (f) => {
      f.stmt = loc;
      let r: Completion | Promise<Completion>;
      try {
        r = body(f);
      } catch (e) {
        if (!fin && (e instanceof EvaluationLimitError || e instanceof UnsupportedPythonError)) throw e;
        return afterBody(f, undefined, true, e);
      }
      if (r instanceof Promise)
        return r.then(
          (c) => afterBody(f, c, false, undefined),
          (e) => afterBody(f, undefined, true, e),
        );
      return afterBody(f, r, false, undefined);
    };
  }

  withStmt(n: Node, scope: Scope, loc: SourceLocation): St {
    const clause = named(n).find((c) => c.type === 'with_clause')!;
    const items = named(clause).filter((c) => c.type === 'with_item');
    const asyncWith = isAsync(n);
    let inner = this.block(field(n, 'body'), scope);
    for (let i = items.length - 1; i >= 0; i--) {
      const v = field(items[i], 'value')!;
      let mgrNode = v;
      let bind: Assign | undefined;
      if (v.type === 'as_pattern') {
        mgrNode = named(v)[0];
        const alias = field(v, 'alias');
        if (alias) bind = this.target(alias, scope);
      }
      inner = this.withOne(this.expr(mgrNode, scope), bind, inner, asyncWith, this.loc(items[i]), loc);
    }
    return inner;
  }

  withOne(mgrEx: Ex, bind: Assign | undefined, body: St, asyncWith: boolean, itemLoc: SourceLocation, loc: SourceLocation): St {
    const enterName = asyncWith ? '__aenter__' : '__enter__';
    const exitName = asyncWith ? '__aexit__' : '__exit__';
    const enter = (f: Frame, m: PyValue): PyValue | Promise<PyValue> => {
      const interp = f.interp;
      if (m instanceof HostObject) {
        try {
          const r = m.enter(interp.hostContext(itemLoc), asyncWith);
          if (r instanceof Promise) return r.catch((e) => Promise.reject(interp.hostError(e, itemLoc)));
          return r;
        } catch (e) {
          throw interp.hostError(e, itemLoc);
        }
      }
      if (m instanceof PyInstance) {
        const fn = m.cls.lookup(enterName) ?? (asyncWith ? m.cls.lookup('__enter__') : undefined);
        if (fn === undefined) throw pyErr('TypeError', `'${m.cls.name}' object does not support the ${asyncWith ? 'asynchronous ' : ''}context manager protocol`);
        const r = call(interp, fn, [m], null, itemLoc);
        return asyncWith ? then(r, (x) => awaitValue(interp, x, itemLoc)) : r;
      }
      if (m instanceof PyOpaque) throw unsupported(`context manager '${m.description}'`, itemLoc);
      throw pyErr('TypeError', `'${typeName(m)}' object does not support the context manager protocol`);
    };
    const exit = (f: Frame, m: PyValue, pe: PyException | null): PyValue | Promise<PyValue> => {
      const interp = f.interp;
      if (m instanceof HostObject) {
        try {
          const r = m.exit(pe, interp.hostContext(itemLoc));
          if (r instanceof Promise) return r.then((x) => !!x, (e) => Promise.reject(interp.hostError(e, itemLoc)));
          return !!r;
        } catch (e) {
          throw interp.hostError(e, itemLoc);
        }
      }
      const inst = m as PyInstance;
      const fn = inst.cls.lookup(exitName) ?? (asyncWith ? inst.cls.lookup('__exit__') : undefined);
      if (fn === undefined) return false;
      const args: PyValue[] = pe ? [pe.exc.cls, pe.exc, null] : [null, null, null];
      const r = call(interp, fn, [inst, ...args], null, itemLoc);
      return asyncWith ? then(r, (x) => awaitValue(interp, x, itemLoc)) : r;
    };
    const finish = (f: Frame, m: PyValue, comp: Completion, hasExc: boolean, exc: unknown): Completion | Promise<Completion> => {
      if (hasExc) {
        const pe = toPyException(exc);
        if (!pe) throw exc;
        const x = exit(f, m, pe);
        const decide = (v: PyValue): Completion => {
          if (truthy(f.interp, v)) return undefined;
          throw pe;
        };
        return x instanceof Promise ? x.then(decide) : decide(x);
      }
      const x = exit(f, m, null);
      return x instanceof Promise ? x.then(() => comp) : comp;
    };
    const runBody = (f: Frame, m: PyValue, entered: PyValue): Completion | Promise<Completion> => {
      let r: Completion | Promise<Completion>;
      try {
        if (bind) {
          const b = bind(f, entered);
          if (b instanceof Promise) throw unsupported('asynchronous with-target assignment', itemLoc);
        }
        r = body(f);
      } catch (e) {
        return finish(f, m, undefined, true, e);
      }
      if (r instanceof Promise)
        return r.then(
          (c) => finish(f, m, c, false, undefined),
          (e) => finish(f, m, undefined, true, e),
        );
      return finish(f, m, r, false, undefined);
    };
    return (f) => {
      f.stmt = loc;
      return then(mgrEx(f), (m) => then(enter(f, m), (entered) => runBody(f, m, entered))) as Completion | Promise<Completion>;
    };
  }

  raiseStmt(n: Node, scope: Scope, loc: SourceLocation): St {
    const kids = named(n);
    const causeNode = field(n, 'cause');
    const excNode = kids.find((k) => k !== causeNode && k.id !== causeNode?.id);
    const excEx = excNode ? this.expr(excNode, scope) : undefined;
    const causeEx = causeNode ? this.expr(causeNode, scope) : undefined;
    return (f) => {
      f.stmt = loc;
      const interp = f.interp;
      if (!excEx) {
        const cur = interp.handling[interp.handling.length - 1];
        if (!cur) throw pyErr('RuntimeError', 'No active exception to reraise');
        throw cur;
      }
      return then(excEx(f), (ev) =>
        then(causeEx ? causeEx(f) : null, (cv) => {
          return then(makeRaisable(interp, ev, loc), (pe) => {
            if (causeEx) {
              if (cv !== null) {
                const ce = cv instanceof PyInstance ? new PyException(cv) : undefined;
                pe.pyCause = ce;
              }
            }
            const ctx = interp.handling[interp.handling.length - 1];
            if (ctx && ctx !== pe) pe.context = ctx;
            throw pe;
          });
        }),
      ) as unknown as Completion;
    };
  }

  importStmt(n: Node, scope: Scope, loc: SourceLocation): St {
    const steps: ((f: Frame) => void | Promise<void>)[] = [];
    for (const c of n.childrenForFieldName('name')) {
      if (!c) continue;
      if (c.type === 'aliased_import') {
        const modName = named(field(c, 'name')!).map((x) => x.text).join('.');
        const store = this.nameStore(field(c, 'alias')!.text, scope);
        steps.push((f) => then(importHooks.importModule(f.interp, modName, 0, f, loc), (m) => store(f, m)));
      } else {
        const parts = named(c).map((x) => x.text);
        const modName = parts.join('.');
        const store = this.nameStore(parts[0], scope);
        steps.push((f) =>
          then(importHooks.importModule(f.interp, modName, 0, f, loc), () =>
            then(importHooks.importModule(f.interp, parts[0], 0, f, loc), (top) => store(f, top)),
          ),
        );
      }
    }
    return (f) => {
      f.stmt = loc;
      const r = chainVoid(steps, 0, f);
      return r instanceof Promise ? r.then(noop) : undefined;
    };
  }

  importFrom(n: Node, scope: Scope, loc: SourceLocation): St {
    const modNode = field(n, 'module_name')!;
    let level = 0;
    let modName: string;
    if (modNode.type === 'relative_import') {
      const prefix = named(modNode).find((k) => k.type === 'import_prefix');
      level = prefix ? prefix.text.length : 0;
      const dn = named(modNode).find((k) => k.type === 'dotted_name');
      modName = dn ? named(dn).map((x) => x.text).join('.') : '';
    } else modName = named(modNode).map((x) => x.text).join('.');
    const wildcard = named(n).some((k) => k.type === 'wildcard_import');
    const names: { name: string; store: Assign }[] = [];
    for (const c of n.childrenForFieldName('name')) {
      if (!c) continue;
      if (c.type === 'aliased_import') names.push({ name: named(field(c, 'name')!).map((x) => x.text).join('.'), store: this.nameStore(field(c, 'alias')!.text, scope) });
      else {
        const nm = named(c).map((x) => x.text).join('.');
        names.push({ name: nm, store: this.nameStore(nm, scope) });
      }
    }
    if (wildcard && scope.kind !== 'module') return this.unsupportedSt('import * inside a function or class', n);
    return (f) => {
      f.stmt = loc;
      const interp = f.interp;
      const r = then(importHooks.importModule(interp, modName, level, f, loc), (mod) => {
        if (wildcard) {
          if (mod instanceof PyOpaque) throw unsupported(`from ${modName} import *`, loc, 'module is not implemented by the evaluator');
          const dict = (mod as { dict?: Map<string, PyValue> }).dict;
          if (!dict) throw unsupported(`from ${modName} import *`, loc);
          const all = dict.get('__all__');
          const keys = all instanceof PyList || all instanceof PyTuple ? all.items.map((x) => String(x)) : [...dict.keys()].filter((k) => !k.startsWith('_'));
          for (const k of keys) {
            const v = dict.get(k);
            if (v !== undefined) f.globals.set(k, v);
          }
          return undefined;
        }
        const steps = names.map(({ name, store }) => (fr: Frame) => then(importHooks.importFrom(interp, mod, modName, name, loc), (v) => store(fr, v)));
        return chainVoid(steps, 0, f);
      });
      return r instanceof Promise ? r.then(noop) : undefined;
    };
  }
}
