/**
 * Compiles a tree-sitter Python tree once into JS closures (`(frame) => value | Promise<value>`).
 * Names are resolved statically (locals → slots, enclosing functions → (depth, slot), globals →
 * the module Map), so the hot paths do no tree walking and no string dispatch.
 *
 * Execution is synchronous until something returns a Promise; from that point the enclosing
 * construct continues asynchronously (each construct has a sync path and an async continuation).
 */
import { GeneratorRun } from './generatorRun';
import { inLoopsMadeIn, loopsMadeIn } from './coroutineLoops';
import { PyGenerator } from './generatorObject';
import type { Node } from 'web-tree-sitter';
import {
  ArrayIterator,
  ClassAnnotation,
  DecoratorInfo,
  ELLIPSIS,
  Env,
  EvaluationLimitError,
  FunctionCode,
  IterResult,
  Kwargs,
  ParamInfo,
  ParamSpec,
  PyBytes,
  PyClass,
  PyCoroutine,
  PyDict,
  PyException,
  PyFloat,
  PyFunction,
  PyInstance,
  PyIterator,
  PyList,
  PyOpaque,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  PyValue,
  PythonSyntaxError,
  STOP,
  SourceLocation,
  UnsupportedPythonError,
  isExceptionClass,
  makeException,
  pyErr,
  builtinExceptionClasses,
} from './values';
import {
  CallLoc,
  Frame,
  Interp,
  LoopFrame,
  RETURN,
  awaitValue,
  binop,
  call,
  callHooks,
  callMethod,
  compare,
  delAttr,
  delItem,
  eq,
  format,
  getAttr,
  getItem,
  inplaceOp,
  iter,
  repr,
  setAttr,
  setItem,
  str,
  toArray,
  toPyException,
  truthy,
  unary,
  unsupported,
  typeName,
  callSync,
} from './runtime';
import { HostObject } from './host';
import { restrictedBuiltins } from './restrictedBuiltins';
import { floatRepr, parseIntText } from './numeric';
import { compileMatch, patternNames } from './matchPatterns';

export type Completion = undefined | number;
export type Ex = (f: Frame) => PyValue | Promise<PyValue>;
export type St = (f: Frame) => Completion | Promise<Completion>;
type Assign = (f: Frame, v: PyValue) => void | Promise<void>;

export const BREAK = 1;
export const CONTINUE = 2;
export { RETURN };

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Import hook implemented by evaluate.ts: returns the module object (or opaque) for a dotted name. */
export interface ImportHooks {
  importModule(interp: Interp, name: string, level: number, importer: Frame, loc: SourceLocation): PyValue | Promise<PyValue>;
  /** `from mod import name`: the attribute or submodule. */
  importFrom(interp: Interp, mod: PyValue, modName: string, name: string, loc: SourceLocation): PyValue | Promise<PyValue>;
  createClass(interp: Interp, spec: ClassSpec): PyValue | Promise<PyValue>;
}

export interface ClassSpec {
  name: string;
  qualname: string;
  module: string;
  bases: PyValue[];
  kwargs: Map<string, PyValue>;
  ns: Map<string, PyValue>;
  annotations: ClassAnnotation[];
  decorators: DecoratorInfo[];
  loc: SourceLocation;
}

export const importHooks: ImportHooks = {
  importModule: () => {
    throw new Error('import hooks not installed');
  },
  importFrom: () => {
    throw new Error('import hooks not installed');
  },
  createClass: () => {
    throw new Error('class hooks not installed');
  },
};

// ---------------------------------------------------------------------------------------------
// Scopes

type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

class Scope {
  readonly locals = new Map<string, number>();
  readonly globalDecl = new Set<string>();
  readonly nonlocalDecl = new Set<string>();
  /** Functions only: where `yield` appears. */
  yieldLoc: SourceLocation | undefined;
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | null,
    readonly qualname: string,
  ) {}
  slot(name: string): number {
    let s = this.locals.get(name);
    if (s === undefined) {
      s = this.locals.size;
      this.locals.set(name, s);
    }
    return s;
  }
}

type Resolved = { kind: 'global' } | { kind: 'local'; depth: number; slot: number } | { kind: 'class'; fallback: Resolved };

function resolveFree(s: Scope | null, name: string, depth: number): Resolved {
  while (s) {
    if (s.kind === 'class') {
      s = s.parent;
      continue;
    }
    if (s.kind === 'module') return { kind: 'global' };
    if (s.globalDecl.has(name)) return { kind: 'global' };
    if (!s.nonlocalDecl.has(name)) {
      const slot = s.locals.get(name);
      if (slot !== undefined) return { kind: 'local', depth, slot };
    }
    s = s.parent;
    depth++;
  }
  return { kind: 'global' };
}

function resolve(scope: Scope, name: string): Resolved {
  if (scope.kind === 'module') return { kind: 'global' };
  if (scope.kind === 'class') {
    if (scope.globalDecl.has(name)) return { kind: 'global' };
    return { kind: 'class', fallback: resolveFree(scope.parent, name, 0) };
  }
  if (scope.globalDecl.has(name)) return { kind: 'global' };
  if (!scope.nonlocalDecl.has(name)) {
    const slot = scope.locals.get(name);
    if (slot !== undefined) return { kind: 'local', depth: 0, slot };
  }
  return resolveFree(scope.parent, name, 1);
}

// ---------------------------------------------------------------------------------------------
// Tree helpers

function named(n: Node): Node[] {
  const out: Node[] = [];
  for (const c of n.namedChildren) if (c && c.type !== 'comment' && c.type !== 'line_continuation') out.push(c);
  return out;
}

function field(n: Node, name: string): Node | null {
  return n.childForFieldName(name);
}

function hasToken(n: Node, tok: string): boolean {
  for (const c of n.children) if (c && !c.isNamed && c.type === tok) return true;
  return false;
}

function isAsync(n: Node): boolean {
  const c = n.child(0);
  return !!c && c.type === 'async';
}

// ---------------------------------------------------------------------------------------------
// Compiled module

export interface CompiledModule {
  file: string;
  source: string;
  body: St;
  loc: SourceLocation;
  /** Top-level `if __name__ == "__main__":` blocks. */
  hasMainBlock: boolean;
}

interface CompiledCode extends FunctionCode {
  body?: St;
  expr?: Ex;
  /** Positional parameter count without defaults etc. are in params. */
}

// ---------------------------------------------------------------------------------------------

export class Compiler {
  constructor(
    readonly source: string,
    readonly file: string,
  ) {}

  loc(n: Node): SourceLocation {
    return {
      file: this.file,
      line: n.startPosition.row + 1,
      column: n.startPosition.column + 1,
      endLine: n.endPosition.row + 1,
      endColumn: n.endPosition.column + 1,
      startIndex: n.startIndex,
      endIndex: n.endIndex,
      node: n,
    };
  }

  callLoc(n: Node, callee: Node | null): CallLoc {
    return { ...this.loc(n), callee: callee ? callee.text : '' };
  }

  text(n: Node): string {
    return this.source.slice(n.startIndex, n.endIndex);
  }

  unsupportedNow(construct: string, n: Node, detail?: string): UnsupportedPythonError {
    return new UnsupportedPythonError(construct, this.loc(n), detail);
  }

  /** A statement/expression that raises UnsupportedPythonError when executed. */
  unsupportedSt(construct: string, n: Node, detail?: string): St {
    const loc = this.loc(n);
    return (f) => {
      f.stmt = loc;
      throw new UnsupportedPythonError(construct, loc, detail);
    };
  }
  unsupportedEx(construct: string, n: Node, detail?: string): Ex {
    const loc = this.loc(n);
    return () => {
      throw new UnsupportedPythonError(construct, loc, detail);
    };
  }

  checkSyntax(root: Node): void {
    if (!root.hasError) return;
    const find = (n: Node): Node | null => {
      if (n.isError || n.isMissing) return n;
      for (const c of n.children) {
        if (c && (c.hasError || c.isMissing || c.isError)) {
          const r = find(c);
          if (r) return r;
        }
      }
      return null;
    };
    const bad = find(root) ?? root;
    const what = bad.isMissing ? `missing ${bad.type}` : `invalid syntax near ${JSON.stringify(bad.text.slice(0, 40))}`;
    throw new PythonSyntaxError(this.loc(bad), what);
  }

  compileModule(root: Node): CompiledModule {
    this.checkSyntax(root);
    const scope = new Scope('module', null, '');
    const body = this.stmts(named(root), scope);
    let hasMain = false;
    for (const c of named(root)) if (c.type === 'if_statement' && isMainCheck(field(c, 'condition'))) hasMain = true;
    return { file: this.file, source: this.source, body, loc: this.loc(root), hasMainBlock: hasMain };
  }

  /**
   * `exec(code, globals, locals)` with two distinct dicts: top-level names are bound in the frame's
   * `classNs` (the locals) and read from it first, then from the globals and builtins; functions
   * defined in the code do not see the locals, as in CPython.
   */
  compileExec(root: Node): CompiledModule {
    this.checkSyntax(root);
    const scope = new Scope('class', new Scope('module', null, ''), '');
    const stmts = named(root);
    this.collect(stmts, scope);
    const body = this.stmts(stmts, scope);
    return { file: this.file, source: this.source, body, loc: this.loc(root), hasMainBlock: false };
  }

  // -------------------------------------------------------------------------------------------
  // Binding collection (which names are local to a function scope)

  collect(nodes: Node[], scope: Scope): void {
    const bound = new Set<string>();
    const bindTarget = (t: Node | null): void => {
      if (!t) return;
      switch (t.type) {
        case 'identifier':
          bound.add(t.text);
          return;
        case 'pattern_list':
        case 'tuple_pattern':
        case 'list_pattern':
        case 'tuple':
        case 'list':
        case 'expression_list':
        case 'parenthesized_expression':
        case 'list_splat_pattern':
        case 'list_splat':
        case 'as_pattern_target':
          for (const c of named(t)) bindTarget(c);
          return;
        default:
          walkExpr(t);
      }
    };
    const walkExpr = (n: Node): void => {
      switch (n.type) {
        case 'named_expression':
          bindTarget(field(n, 'name'));
          walkExpr(field(n, 'value')!);
          return;
        case 'lambda':
          return;
        case 'yield':
          if (!scope.yieldLoc) scope.yieldLoc = this.loc(n);
          break;
        case 'list_comprehension':
        case 'set_comprehension':
        case 'dictionary_comprehension':
        case 'generator_expression':
          // walrus targets inside comprehensions bind in the enclosing function
          for (const c of named(n)) walkExpr(c);
          return;
      }
      for (const c of named(n)) walkExpr(c);
    };
    const walk = (n: Node): void => {
      switch (n.type) {
        case 'function_definition':
          bound.add(field(n, 'name')!.text);
          for (const p of named(field(n, 'parameters')!)) {
            const v = field(p, 'value');
            if (v) walkExpr(v);
          }
          return;
        case 'class_definition':
          bound.add(field(n, 'name')!.text);
          return;
        case 'decorated_definition':
          for (const c of named(n)) if (c.type === 'decorator') walkExpr(c);
          walk(field(n, 'definition')!);
          return;
        case 'assignment':
        case 'augmented_assignment': {
          bindTarget(field(n, 'left'));
          const r = field(n, 'right');
          if (r) {
            if (r.type === 'assignment' || r.type === 'augmented_assignment') walk(r);
            else walkExpr(r);
          }
          return;
        }
        case 'for_statement':
          bindTarget(field(n, 'left'));
          walkExpr(field(n, 'right')!);
          for (const c of named(n)) if (c.type === 'block' || c.type === 'else_clause') walk(c);
          return;
        case 'with_item': {
          const v = field(n, 'value')!;
          if (v.type === 'as_pattern') {
            walkExpr(named(v)[0]);
            bindTarget(field(v, 'alias'));
          } else walkExpr(v);
          return;
        }
        case 'except_clause':
        case 'except_group_clause': {
          for (const c of named(n)) {
            if (c.type === 'as_pattern') bindTarget(field(c, 'alias'));
            else if (c.type === 'block') walk(c);
            else walkExpr(c);
          }
          return;
        }
        case 'import_statement':
          for (const c of n.childrenForFieldName('name')) {
            if (!c) continue;
            if (c.type === 'aliased_import') bound.add(field(c, 'alias')!.text);
            else bound.add(named(c)[0].text);
          }
          return;
        case 'import_from_statement':
          for (const c of n.childrenForFieldName('name')) {
            if (!c) continue;
            if (c.type === 'aliased_import') bound.add(field(c, 'alias')!.text);
            else bound.add(named(c).map((x) => x.text).join('.'));
          }
          return;
        case 'global_statement':
          for (const c of named(n)) scope.globalDecl.add(c.text);
          return;
        case 'nonlocal_statement':
          for (const c of named(n)) scope.nonlocalDecl.add(c.text);
          return;
        case 'delete_statement':
          for (const c of named(n)) bindTarget(c);
          return;
        case 'expression_statement':
        case 'block':
        case 'if_statement':
        case 'elif_clause':
        case 'else_clause':
        case 'while_statement':
        case 'try_statement':
        case 'finally_clause':
        case 'with_statement':
        case 'with_clause':
        case 'match_statement':
          for (const c of named(n)) walk(c);
          return;
        case 'case_clause': {
          const patterns = named(n).filter((c) => c.type === 'case_pattern');
          for (const name of patternNames(patterns)) bound.add(name);
          for (const c of named(n)) if (c.type !== 'case_pattern') walk(c);
          return;
        }
        default:
          walkExpr(n);
      }
    };
    for (const n of nodes) walk(n);
    for (const name of bound) if (!scope.globalDecl.has(name) && !scope.nonlocalDecl.has(name)) scope.slot(name);
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  stmts(nodes: Node[], scope: Scope): St {
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

  // --- assignment ----------------------------------------------------------------------------

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
        for (let i = 0; i < assigns.length; i++) {
          const a = assigns[i](f, x);
          if (a instanceof Promise) return a.then(() => chainAssign(assigns, i + 1, f, x)).then(noop);
        }
        return undefined;
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
  typeExpr(n: Node, scope: Scope): Ex {
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
  target(t: Node, scope: Scope): Assign {
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
      for (let i = 0; i < subs.length; i++) {
        const r = subs[i](f, vals[i]);
        if (r instanceof Promise) return r.then(() => assignRest(subs, i + 1, f, vals));
      }
    };
    return (f, v) => {
      if (v instanceof PyTuple || v instanceof PyList) return assignAll(f, v.items);
      const arr = toArray(f.interp, v, loc);
      if (arr instanceof Promise) return arr.then((xs) => assignAll(f, xs));
      return assignAll(f, arr);
    };
  }

  nameStore(name: string, scope: Scope): Assign {
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

  nameLoad(name: string, scope: Scope, n: Node): Ex {
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
        return (f) => {
          for (let i = 0; i < subs.length; i++) {
            const r = subs[i](f);
            if (r instanceof Promise) return r.then(() => chainVoid(subs, i + 1, f));
          }
        };
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

  // --- control flow --------------------------------------------------------------------------

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

  // --- imports -------------------------------------------------------------------------------

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

  // --- functions and classes -----------------------------------------------------------------

  decorators(decos: Node[], scope: Scope): { ex: Ex; info: DecoratorInfo }[] {
    return decos.map((d) => {
      const e = named(d)[0];
      return { ex: this.expr(e, scope), info: { source: this.text(e), loc: this.loc(d) } };
    });
  }

  /** Builds the FunctionCode for def/lambda and returns it with default-value expressions. */
  functionCode(name: string, paramsNode: Node | null, bodyNode: Node, scope: Scope, isLambda: boolean, asyncDef: boolean, n: Node) {
    const qual = scope.kind === 'module' ? name : scope.kind === 'class' ? `${scope.qualname}.${name}` : `${scope.qualname}.<locals>.${name}`;
    const fscope = new Scope('function', scope, qual);
    const positional: string[] = [];
    const kwOnly: string[] = [];
    let vararg: string | undefined;
    let kwarg: string | undefined;
    let posOnlyCount = 0;
    let sawStar = false;
    const defaults: Ex[] = [];
    const kwDefaults: { name: string; ex: Ex }[] = [];
    const info: ParamInfo[] = [];
    let firstDefaultSeen = false;
    const params = paramsNode ? named(paramsNode) : [];
    for (const p of params) {
      switch (p.type) {
        case 'identifier':
        case 'typed_parameter': {
          if (p.type === 'typed_parameter') {
            const inner = named(p)[0];
            if (inner.type === 'list_splat_pattern') {
              vararg = named(inner)[0].text;
              sawStar = true;
              info.push({ name: vararg, kind: 'varargs', hasDefault: false, annotation: field(p, 'type')?.text });
              break;
            }
            if (inner.type === 'dictionary_splat_pattern') {
              kwarg = named(inner)[0].text;
              info.push({ name: kwarg, kind: 'varkw', hasDefault: false, annotation: field(p, 'type')?.text });
              break;
            }
          }
          const nm = p.type === 'identifier' ? p.text : named(p)[0].text;
          const ann = p.type === 'typed_parameter' ? field(p, 'type')?.text : undefined;
          if (sawStar) {
            kwOnly.push(nm);
            info.push({ name: nm, kind: 'keyword-only', hasDefault: false, annotation: ann });
          } else {
            if (firstDefaultSeen) throw new PythonSyntaxError(this.loc(p), 'non-default argument follows default argument');
            positional.push(nm);
            info.push({ name: nm, kind: 'positional', hasDefault: false, annotation: ann });
          }
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const nm = field(p, 'name')!.text;
          const ex = this.expr(field(p, 'value')!, scope);
          const ann = p.type === 'typed_default_parameter' ? field(p, 'type')?.text : undefined;
          if (sawStar) {
            kwOnly.push(nm);
            kwDefaults.push({ name: nm, ex });
            info.push({ name: nm, kind: 'keyword-only', hasDefault: true, annotation: ann });
          } else {
            positional.push(nm);
            defaults.push(ex);
            firstDefaultSeen = true;
            info.push({ name: nm, kind: 'positional', hasDefault: true, annotation: ann });
          }
          break;
        }
        case 'list_splat_pattern':
          vararg = named(p)[0].text;
          sawStar = true;
          info.push({ name: vararg, kind: 'varargs', hasDefault: false });
          break;
        case 'dictionary_splat_pattern':
          kwarg = named(p)[0].text;
          info.push({ name: kwarg, kind: 'varkw', hasDefault: false });
          break;
        case 'keyword_separator':
          sawStar = true;
          break;
        case 'positional_separator':
          posOnlyCount = positional.length;
          for (const i of info) if (i.kind === 'positional') i.kind = 'positional-only';
          break;
        case 'tuple_pattern':
          throw this.unsupportedNow('tuple parameter unpacking', p);
        default:
          throw this.unsupportedNow(`parameter '${p.type}'`, p);
      }
    }
    const names = [...positional];
    const varargSlot = vararg !== undefined ? names.push(vararg) - 1 : -1;
    const kwOnlyStart = names.length;
    names.push(...kwOnly);
    const kwargSlot = kwarg !== undefined ? names.push(kwarg) - 1 : -1;
    for (const nm of names) fscope.slot(nm);
    const byName = new Map<string, number>();
    names.forEach((nm, i) => {
      if (i >= posOnlyCount && i !== varargSlot && i !== kwargSlot) byName.set(nm, i);
    });
    const spec: ParamSpec = {
      names,
      posCount: positional.length,
      posOnlyCount,
      varargSlot,
      kwOnlyStart,
      kwOnlyCount: kwOnly.length,
      kwargSlot,
      byName,
      defaultCount: defaults.length,
      kwOnlyWithDefault: new Set(kwDefaults.map((k) => k.name)),
    };
    const code: CompiledCode = {
      name,
      qualname: qual,
      file: this.file,
      loc: this.loc(n),
      params: spec,
      nslots: 0,
      isAsync: asyncDef,
      isLambda,
      yieldLoc: undefined,
      paramInfo: info,
    };
    if (isLambda) {
      this.collect([bodyNode], fscope);
      code.expr = this.expr(bodyNode, fscope);
    } else {
      const stmts = named(bodyNode);
      this.collect(stmts, fscope);
      code.body = this.stmts(stmts, fscope);
    }
    code.yieldLoc = fscope.yieldLoc;
    code.nslots = fscope.locals.size;
    return { code, defaults, kwDefaults };
  }

  funcDef(n: Node, scope: Scope, decos: Node[], loc: SourceLocation): St {
    const name = field(n, 'name')!.text;
    const { code, defaults, kwDefaults } = this.functionCode(name, field(n, 'parameters'), field(n, 'body')!, scope, false, isAsync(n), n);
    const store = this.nameStore(name, scope);
    const decorators = this.decorators(decos, scope);
    const makeFn = (f: Frame, dflts: PyValue[], kwd: PyValue[]): PyFunction => {
      const kw = new Map<string, PyValue>();
      kwDefaults.forEach((k, i) => kw.set(k.name, kwd[i]));
      const module = String(f.globals.get('__name__') ?? '__main__');
      return new PyFunction(code, f.env, f.globals, dflts, kw, module);
    };
    return (f) => {
      f.stmt = loc;
      const r = then(evalList(f, decorators.map((d) => d.ex)), (decoVals) =>
        then(evalList(f, defaults), (dv) =>
          then(evalList(f, kwDefaults.map((k) => k.ex)), (kv) => {
            let fn: PyValue = makeFn(f, dv, kv);
            return then(applyDecorators(f, decoVals, fn, decorators.map((d) => d.info.loc)), (v) => {
              fn = v;
              return store(f, fn);
            });
          }),
        ),
      );
      return r instanceof Promise ? r.then(noop) : undefined;
    };
  }

  classDef(n: Node, scope: Scope, decos: Node[], loc: SourceLocation): St {
    const name = field(n, 'name')!.text;
    const qual = scope.kind === 'module' ? name : scope.kind === 'class' ? `${scope.qualname}.${name}` : `${scope.qualname}.<locals>.${name}`;
    if (field(n, 'type_parameters')) return this.unsupportedSt('generic class type parameters', n);
    const baseExs: Ex[] = [];
    const kwExs: { name: string; ex: Ex; node: Node }[] = [];
    const sup = field(n, 'superclasses');
    if (sup) {
      for (const a of named(sup)) {
        if (a.type === 'keyword_argument') {
          const kn = field(a, 'name')!.text;
          if (kn === 'metaclass') return this.unsupportedSt('metaclass', a);
          kwExs.push({ name: kn, ex: this.expr(field(a, 'value')!, scope), node: a });
        } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') return this.unsupportedSt('star arguments in class bases', a);
        else baseExs.push(this.expr(a, scope));
      }
    }
    const cscope = new Scope('class', scope, qual);
    const bodyStmts = named(field(n, 'body')!);
    // class scope: collect assigned names (for nothing but declarations; class ns is a Map)
    this.collect(bodyStmts, cscope);
    const body = this.stmts(bodyStmts, cscope);
    const store = this.nameStore(name, scope);
    const decorators = this.decorators(decos, scope);
    const classLoc = this.loc(n);
    return (f) => {
      f.stmt = loc;
      const interp = f.interp;
      const r = then(evalList(f, decorators.map((d) => d.ex)), (decoVals) =>
        then(evalList(f, baseExs), (bases) =>
          then(evalList(f, kwExs.map((k) => k.ex)), (kwVals) => {
            const ns = new Map<string, PyValue>();
            const module = String(f.globals.get('__name__') ?? '__main__');
            ns.set('__module__', module);
            ns.set('__qualname__', qual);
            const cf = new Frame(interp, f.globals, f.env, f.fn, ns, qual, f.file, loc) as Frame & { annotations?: ClassAnnotation[] };
            cf.annotations = [];
            const finish = (): unknown => {
              const kwargs = new Map<string, PyValue>();
              kwExs.forEach((k, i) => kwargs.set(k.name, kwVals[i]));
              return then(
                importHooks.createClass(interp, {
                  name,
                  qualname: qual,
                  module,
                  bases,
                  kwargs,
                  ns,
                  annotations: cf.annotations!,
                  decorators: decorators.map((d) => d.info),
                  loc: classLoc,
                }),
                (cls) => then(applyDecorators(f, decoVals, cls, decorators.map((d) => d.info.loc)), (v) => store(f, v)),
              );
            };
            const b = body(cf);
            if (b instanceof Promise) return b.then(finish);
            return finish();
          }),
        ),
      );
      return r instanceof Promise ? r.then(noop) : undefined;
    };
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

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
      const step = (i: number): PyValue[] | Promise<PyValue[]> => {
        for (; i < parts.length; i++) {
          const p = parts[i];
          const v = p.ex(f);
          if (v instanceof Promise) {
            const idx = i;
            return v.then((x) => then(addPart(f, out, p, x), () => step(idx + 1)));
          }
          const a = addPart(f, out, p, v);
          if (a instanceof Promise) {
            const idx = i;
            return a.then(() => step(idx + 1));
          }
        }
        return out;
      };
      return step(0);
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
    return (f) => {
      const d = new PyDict();
      const step = (i: number): PyValue | Promise<PyValue> => {
        for (; i < items.length; i++) {
          const it = items[i];
          const kv = it.k(f);
          if (kv instanceof Promise) {
            const idx = i;
            return kv.then((k) => then(putItem(f, d, it, k), () => step(idx + 1)));
          }
          const r = putItem(f, d, it, kv);
          if (r instanceof Promise) {
            const idx = i;
            return r.then(() => step(idx + 1));
          }
        }
        if (d.map.size > 100000) f.interp.checkSize(d.map.size, loc);
        return d;
      };
      return step(0);
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

  lambda(n: Node, scope: Scope): Ex {
    const { code, defaults, kwDefaults } = this.functionCode('<lambda>', field(n, 'parameters'), field(n, 'body')!, scope, true, false, n);
    return (f) =>
      then(evalList(f, defaults), (dv) =>
        then(evalList(f, kwDefaults.map((k) => k.ex)), (kv) => {
          const kw = new Map<string, PyValue>();
          kwDefaults.forEach((k, i) => kw.set(k.name, kv[i]));
          return new PyFunction(code, f.env, f.globals, dv, kw, String(f.globals.get('__name__') ?? '__main__'));
        }),
      );
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

  comprehension(n: Node, scope: Scope): Ex {
    const kind = n.type;
    const bodyNode = field(n, 'body')!;
    const clauses = named(n).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const cscope = new Scope('comprehension', scope, scope.qualname);
    // bind comprehension targets
    const bindNames = (t: Node): void => {
      if (t.type === 'identifier') cscope.slot(t.text);
      else for (const c of named(t)) bindNames(c);
    };
    for (const c of clauses) if (c.type === 'for_in_clause') bindNames(field(c, 'left')!);
    const compiled: CompClause[] = clauses.map((c, i) => {
      if (c.type === 'for_in_clause') {
        const right = field(c, 'right')!;
        // the first iterable is evaluated in the enclosing scope
        const iterEx = i === 0 ? undefined : this.rightExpr(right, cscope);
        return { kind: 'for', target: this.target(field(c, 'left')!, cscope), iter: iterEx, loc: this.loc(c), async: isAsync(c) };
      }
      return { kind: 'if', cond: this.expr(named(c)[0], cscope), loc: this.loc(c) };
    });
    if (compiled[0]?.kind !== 'for') return this.unsupportedEx('comprehension without a for clause', n);
    const firstIter = this.rightExpr(field(clauses[0], 'right')!, scope);
    let body: Ex;
    let valEx: Ex | undefined;
    if (kind === 'dictionary_comprehension') {
      body = this.expr(field(bodyNode, 'key')!, cscope);
      valEx = this.expr(field(bodyNode, 'value')!, cscope);
    } else body = this.expr(bodyNode, cscope);
    const loc = this.loc(n);
    const spec: CompSpec = { clauses: compiled, body, value: valEx, loc, nslots: () => cscope.locals.size };
    return (f) =>
      then(firstIter(f), (first) => {
        const interp = f.interp;
        const child = new Frame(interp, f.globals, { v: new Array(cscope.locals.size), up: f.env }, f.fn, null, f.name, f.file, f.stmt) as Frame & { outer?: Frame };
        child.outer = f;
        const it = new ComprehensionIterator(child, spec, iter(interp, first, compiled[0].loc));
        if (kind === 'generator_expression') return it;
        if (kind === 'list_comprehension') return then(drain(it, loc), (xs) => new PyList(xs));
        if (kind === 'set_comprehension') return then(drain(it, loc), (xs) => PySet.of(xs));
        return then(drain(it, loc), (xs) => {
          const d = new PyDict();
          for (const p of xs) {
            const t = (p as PyTuple).items;
            d.set(t[0], t[1]);
          }
          return d;
        });
      });
  }
}

// ---------------------------------------------------------------------------------------------
// Comprehension iterator (lazy; drained for list/set/dict comprehensions)

interface CompClause {
  kind: 'for' | 'if';
  target?: Assign;
  iter?: Ex;
  cond?: Ex;
  loc: SourceLocation;
  async?: boolean;
}
interface CompSpec {
  clauses: CompClause[];
  body: Ex;
  value?: Ex;
  loc: SourceLocation;
  nslots: () => number;
}

class ComprehensionIterator extends PyIterator {
  private readonly iters: (PyIterator | undefined)[];
  private readonly frames: (LoopFrame | undefined)[];
  private pos = 0;
  private done = false;
  private readonly prevFor: number[];
  private readonly lastFor: number;
  constructor(
    private readonly f: Frame,
    private readonly spec: CompSpec,
    first: PyIterator,
  ) {
    super();
    const n = spec.clauses.length;
    this.iters = new Array(n);
    this.frames = new Array(n);
    this.iters[0] = first;
    this.prevFor = new Array(n);
    let last = -1;
    for (let i = 0; i < n; i++) {
      this.prevFor[i] = last;
      if (spec.clauses[i].kind === 'for') last = i;
    }
    this.lastFor = last;
  }
  override get typeName(): string {
    return 'generator';
  }

  private pushFrames(): number {
    const loops = this.f.interp.loops;
    const depth = loops.length;
    for (const lf of this.frames) if (lf) loops.push(lf);
    return depth;
  }

  next(): IterResult | Promise<IterResult> {
    if (this.done) return STOP;
    const interp = this.f.interp;
    const depth = this.pushFrames();
    let async = false;
    try {
      const r = this.step(null);
      if (r instanceof Promise) {
        async = true;
        return r.finally(() => {
          interp.loops.length = depth;
        });
      }
      return r;
    } finally {
      if (!async) interp.loops.length = depth;
    }
  }

  /**
   * Advances the state machine. `resume` carries the value of a pending asynchronous step:
   * [stage, value] where stage is 'iter' | 'next' | 'cond' | 'body' | 'assign' | 'tick'.
   */
  private step(resume: [string, PyValue | IterResult] | null): IterResult | Promise<IterResult> {
    const { clauses } = this.spec;
    const f = this.f;
    const interp = f.interp;
    const n = clauses.length;
    for (;;) {
      if (resume) {
        const [stage, val] = resume;
        resume = null;
        if (stage === 'body') {
          this.pos = this.lastFor;
          return val as PyValue;
        }
        if (stage === 'iter') {
          this.iters[this.pos] = iter(interp, val as PyValue, clauses[this.pos].loc);
          continue;
        }
        if (stage === 'next') {
          const r = this.afterNext(val as IterResult);
          if (r instanceof Promise) return r.then((x) => this.step(['tick', x as PyValue]));
          if (r === STOP) return STOP;
          continue;
        }
        if (stage === 'cond') {
          if (truthy(interp, val as PyValue)) this.pos++;
          else this.pos = this.prevFor[this.pos];
          if (this.pos < 0) {
            this.done = true;
            return STOP;
          }
          continue;
        }
        // 'tick' / 'assign': nothing more to do
        continue;
      }
      if (this.pos === n) {
        const v = this.evalBody();
        if (v instanceof Promise) return v.then((x) => this.step(['body', x]));
        this.pos = this.lastFor;
        return v;
      }
      const c = clauses[this.pos];
      if (c.kind === 'for') {
        let it = this.iters[this.pos];
        if (!it) {
          const iv = c.iter!(f);
          if (iv instanceof Promise) return iv.then((x) => this.step(['iter', x]));
          it = this.iters[this.pos] = iter(interp, iv, c.loc);
        }
        const x = it.next();
        if (x instanceof Promise) return x.then((v) => this.step(['next', v]));
        const r = this.afterNext(x);
        if (r instanceof Promise) return r.then(() => this.step(['tick', null]));
        if (r === STOP) return STOP;
        continue;
      }
      const cv = c.cond!(f);
      if (cv instanceof Promise) return cv.then((v) => this.step(['cond', v]));
      if (cv === true || (cv !== false && truthy(interp, cv))) this.pos++;
      else {
        this.pos = this.prevFor[this.pos];
        if (this.pos < 0) {
          this.done = true;
          return STOP;
        }
      }
    }
  }

  /** After the iterator at pos produced x: assign the target and advance; STOP when exhausted. */
  private afterNext(x: IterResult): IterResult | Promise<unknown> | undefined {
    const interp = this.f.interp;
    const c = this.spec.clauses[this.pos];
    if (x === STOP) {
      this.iters[this.pos] = undefined;
      const lf = this.frames[this.pos];
      if (lf) {
        const i = interp.loops.lastIndexOf(lf);
        if (i >= 0) interp.loops.splice(i, 1);
      }
      this.frames[this.pos] = undefined;
      this.pos = this.prevFor[this.pos];
      if (this.pos < 0) {
        this.done = true;
        return STOP;
      }
      return undefined;
    }
    let lf = this.frames[this.pos];
    if (!lf) {
      lf = this.frames[this.pos] = { kind: 'comprehension', loc: c.loc, iteration: -1, fn: this.f.name };
      interp.loops.push(lf);
    }
    lf.iteration++;
    const t = interp.tick(c.loc);
    const a = c.target!(this.f, x);
    this.pos++;
    if (t !== undefined) return a instanceof Promise ? Promise.all([t, a]) : t;
    if (a instanceof Promise) return a;
    return undefined;
  }

  private evalBody(): PyValue | Promise<PyValue> {
    const f = this.f;
    const k = this.spec.body(f);
    if (!this.spec.value) return k;
    const v = this.spec.value;
    if (k instanceof Promise) return k.then((kv) => then(v(f), (vv) => new PyTuple([kv, vv])));
    const vv = v(f);
    if (vv instanceof Promise) return vv.then((x) => new PyTuple([k, x]));
    return new PyTuple([k, vv]);
  }
}

function drain(it: PyIterator, loc: SourceLocation): PyValue[] | Promise<PyValue[]> {
  const out: PyValue[] = [];
  for (;;) {
    const x = it.next();
    if (x instanceof Promise) return drainRest(it, out, x, loc);
    if (x === STOP) return out;
    out.push(x);
  }
}

async function drainRest(it: PyIterator, out: PyValue[], p: Promise<IterResult>, loc: SourceLocation): Promise<PyValue[]> {
  let x: IterResult | Promise<IterResult> = p;
  for (;;) {
    if (x instanceof Promise) x = await x;
    if (x === STOP) return out;
    out.push(x);
    x = it.next();
  }
  void loc;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function noop(): undefined {
  return undefined;
}

/** Applies fn to v, or chains it when v is a Promise. */
export function then<T, R>(v: T | Promise<T>, fn: (x: T) => R | Promise<R>): R | Promise<R> {
  if (v instanceof Promise) return v.then(fn);
  return fn(v);
}

function seq(list: St[]): St {
  const n = list.length;
  if (n === 0) return () => undefined;
  if (n === 1) return list[0];
  if (n === 2) {
    const [a, b] = list;
    return (f) => {
      const c = a(f);
      if (c !== undefined) {
        if (c instanceof Promise) return c.then((x) => (x !== undefined ? x : b(f)));
        return c;
      }
      return b(f);
    };
  }
  const runFrom = (f: Frame, i: number): Completion | Promise<Completion> => {
    for (; i < n; i++) {
      const c = list[i](f);
      if (c !== undefined) {
        if (c instanceof Promise) {
          const idx = i;
          return c.then((x) => (x !== undefined ? x : runFrom(f, idx + 1)));
        }
        return c;
      }
    }
    return undefined;
  };
  return (f) => runFrom(f, 0);
}

function chainAssign(assigns: Assign[], i: number, f: Frame, x: PyValue): void | Promise<void> {
  for (; i < assigns.length; i++) {
    const a = assigns[i](f, x);
    if (a instanceof Promise) {
      const idx = i;
      return a.then(() => chainAssign(assigns, idx + 1, f, x));
    }
  }
}

function assignRest(subs: Assign[], i: number, f: Frame, vals: PyValue[]): void | Promise<void> {
  for (; i < subs.length; i++) {
    const r = subs[i](f, vals[i]);
    if (r instanceof Promise) {
      const idx = i;
      return r.then(() => assignRest(subs, idx + 1, f, vals));
    }
  }
}

function chainVoid(steps: ((f: Frame) => void | Promise<void> | unknown)[], i: number, f: Frame): void | Promise<void> {
  for (; i < steps.length; i++) {
    const r = steps[i](f);
    if (r instanceof Promise) {
      const idx = i;
      return r.then(() => chainVoid(steps, idx + 1, f));
    }
  }
}

function chainSeq(steps: ((f: Frame) => void | Promise<void>)[], f: Frame): Completion | Promise<Completion> {
  const r = chainVoid(steps, 0, f);
  return r instanceof Promise ? r.then(noop) : undefined;
}

export function evalList(f: Frame, exs: Ex[]): PyValue[] | Promise<PyValue[]> {
  const n = exs.length;
  const out = new Array<PyValue>(n);
  for (let i = 0; i < n; i++) {
    const v = exs[i](f);
    if (v instanceof Promise) return evalListAsync(f, exs, out, i, v);
    out[i] = v;
  }
  return out;
}

async function evalListAsync(f: Frame, exs: Ex[], out: PyValue[], i: number, p: Promise<PyValue>): Promise<PyValue[]> {
  out[i] = await p;
  for (i = i + 1; i < exs.length; i++) {
    const v = exs[i](f);
    out[i] = v instanceof Promise ? await v : v;
  }
  return out;
}

function addPart(f: Frame, out: PyValue[], p: { splat: boolean; loc: SourceLocation }, v: PyValue): void | Promise<void> {
  if (!p.splat) {
    out.push(v);
    return;
  }
  if (v instanceof PyList || v instanceof PyTuple) {
    for (const x of v.items) out.push(x);
    return;
  }
  const arr = toArray(f.interp, v, p.loc);
  if (arr instanceof Promise)
    return arr.then((xs) => {
      for (const x of xs) out.push(x);
    });
  for (const x of arr) out.push(x);
}

function putItem(f: Frame, d: PyDict, it: { splat: boolean; v?: Ex; loc: SourceLocation }, k: PyValue): void | Promise<void> {
  if (it.splat) return mergeInto(f, d, k, it.loc);
  const v = it.v!(f);
  if (v instanceof Promise)
    return v.then((x) => {
      d.set(k, x);
    });
  d.set(k, v);
}

/** {**m}: m is a dict or a mapping with keys() and __getitem__. */
function mergeInto(f: Frame, d: PyDict, m: PyValue, loc: SourceLocation): void | Promise<void> {
  if (m instanceof PyDict) {
    for (const [h, v] of m.map) d.setHashed(h, m.keyOf(h), v);
    return;
  }
  if (m instanceof PyInstance || m instanceof HostObject) {
    const interp = f.interp;
    return then(callMethod(interp, m, 'keys', [], null, loc), (ks) =>
      then(toArray(interp, ks, loc), (keys) => {
        const step = (i: number): void | Promise<void> => {
          for (; i < keys.length; i++) {
            const v = getItem(interp, m, keys[i], loc);
            if (v instanceof Promise) {
              const idx = i;
              return v.then((x) => {
                d.set(keys[idx], x);
                return step(idx + 1);
              });
            }
            d.set(keys[i], v);
          }
        };
        return step(0);
      }),
    );
  }
  if (m instanceof PyOpaque) throw unsupported(`** unpacking of '${m.description}'`, loc);
  throw pyErr('TypeError', `'${typeName(m)}' object is not a mapping`);
}

function buildCallArgs(f: Frame, parts: { kind: 'pos' | 'star' | 'kw' | 'dstar'; name?: string; ex: Ex }[], loc: SourceLocation): [PyValue[], Kwargs | null] | Promise<[PyValue[], Kwargs | null]> {
  const args: PyValue[] = [];
  let kwargs: Kwargs | null = null;
  const interp = f.interp;
  const addKw = (k: string, v: PyValue) => {
    kwargs ??= new Map();
    if (kwargs.has(k)) throw pyErr('TypeError', `got multiple values for keyword argument '${k}'`);
    kwargs.set(k, v);
  };
  const apply = (p: (typeof parts)[number], v: PyValue): void | Promise<void> => {
    switch (p.kind) {
      case 'pos':
        args.push(v);
        return;
      case 'kw':
        addKw(p.name!, v);
        return;
      case 'star': {
        if (v instanceof PyList || v instanceof PyTuple) {
          for (const x of v.items) args.push(x);
          return;
        }
        if (v instanceof PyOpaque) throw unsupported(`* unpacking of '${v.description}'`, loc);
        const arr = toArray(interp, v, loc);
        if (arr instanceof Promise)
          return arr.then((xs) => {
            for (const x of xs) args.push(x);
          });
        for (const x of arr) args.push(x);
        return;
      }
      case 'dstar': {
        const d = new PyDict();
        return then(mergeInto(f, d, v, loc), () => {
          for (const [k, x] of d.entries()) {
            if (typeof k !== 'string') throw pyErr('TypeError', 'keywords must be strings');
            addKw(k, x);
          }
        });
      }
    }
  };
  const step = (i: number): [PyValue[], Kwargs | null] | Promise<[PyValue[], Kwargs | null]> => {
    for (; i < parts.length; i++) {
      const p = parts[i];
      const v = p.ex(f);
      if (v instanceof Promise) {
        const idx = i;
        return v.then((x) => then(apply(p, x), () => step(idx + 1)));
      }
      const r = apply(p, v);
      if (r instanceof Promise) {
        const idx = i;
        return r.then(() => step(idx + 1));
      }
    }
    return [args, kwargs];
  };
  return step(0);
}

function storeAfter(f: Frame, a: PyValue, b: PyValue | Promise<PyValue>, op: string, loc: SourceLocation, store: Assign): Completion | Promise<Completion> {
  const r = then(b, (bv) => then(inplaceOp(f.interp, op, a, bv, loc), (v) => store(f, v)));
  return r instanceof Promise ? r.then(noop) : undefined;
}

function assertRest(f: Frame, t: PyValue, msg: Ex | undefined): Completion | Promise<Completion> {
  if (truthy(f.interp, t)) return undefined;
  if (!msg) throw pyErr('AssertionError');
  return then(msg(f), (m) => {
    throw pyErr('AssertionError', m);
  }) as unknown as Completion;
}

function applyDecorators(f: Frame, decos: PyValue[], target: PyValue, locs: SourceLocation[]): PyValue | Promise<PyValue> {
  let v: PyValue | Promise<PyValue> = target;
  for (let i = decos.length - 1; i >= 0; i--) {
    const d = decos[i];
    const l = locs[i];
    v = then(v, (x) => call(f.interp, d, [x], null, l));
  }
  return v;
}

async function fstringAsync(f: Frame, parts: (string | Ex)[], i: number, out: string, pending: Promise<PyValue>, loc: SourceLocation): Promise<PyValue> {
  out += (await pending) as string;
  for (i = i + 1; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'string') out += p;
    else {
      const v = p(f);
      out += (v instanceof Promise ? await v : v) as string;
    }
  }
  if (out.length > 1_000_000) f.interp.checkSize(out.length, loc);
  return out;
}

function chainContext(e: unknown, ctx: PyException): unknown {
  if (e instanceof PyException && e !== ctx && !e.context) e.context = ctx;
  return e;
}

export function exceptionMatches(interp: Interp, pe: PyException, t: PyValue, loc: SourceLocation): boolean {
  if (t instanceof PyTuple) return t.items.some((x) => exceptionMatches(interp, pe, x, loc));
  if (t instanceof PyClass) {
    const mro = pe.exc.cls.mro;
    if (mro.includes(t)) return true;
    if (t.module !== 'builtins') return mro.some((c) => c.name === t.name && c.module !== 'builtins');
    return false;
  }
  if (t instanceof PyOpaque) throw unsupported(`except clause with '${t.description}'`, loc, 'the exception class comes from a module the evaluator does not implement');
  throw pyErr('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
}

function makeRaisable(interp: Interp, v: PyValue, loc: SourceLocation): PyException | Promise<PyException> {
  if (v instanceof PyClass && isExceptionClass(v)) return then(call(interp, v, [], null, loc), (inst) => new PyException(inst as PyInstance));
  if (v instanceof PyInstance && isExceptionClass(v.cls)) return new PyException(v);
  if (v instanceof PyOpaque) throw unsupported(`raise of '${v.description}'`, loc);
  throw pyErr('TypeError', 'exceptions must derive from BaseException');
}

function isMainCheck(cond: Node | null): boolean {
  if (!cond || cond.type !== 'comparison_operator') return false;
  const kids = named(cond);
  if (kids.length !== 2) return false;
  const txt = kids.map((k) => k.text.replace(/^['"]|['"]$/g, ''));
  return (txt[0] === '__name__' && txt[1] === '__main__') || (txt[1] === '__name__' && txt[0] === '__main__');
}

const SIMPLE_ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

export function decodeEscapes(s: string, bytes: boolean): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\' || i === s.length - 1) {
      out += ch;
      continue;
    }
    const nx = s[i + 1];
    if (nx in SIMPLE_ESC) {
      out += SIMPLE_ESC[nx];
      i++;
      continue;
    }
    if (nx === '\r') {
      i += s[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (/[0-7]/.test(nx)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1))!;
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length;
      continue;
    }
    if (nx === 'x') {
      const h = s.slice(i + 2, i + 4);
      if (/^[0-9a-fA-F]{2}$/.test(h)) {
        out += String.fromCharCode(parseInt(h, 16));
        i += 3;
        continue;
      }
    }
    if (!bytes && (nx === 'u' || nx === 'U')) {
      const len = nx === 'u' ? 4 : 8;
      const h = s.slice(i + 2, i + 2 + len);
      if (new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) {
        out += String.fromCodePoint(parseInt(h, 16));
        i += 1 + len;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Async loop continuations

async function forAsync(
  f: Frame,
  it: PyIterator,
  lf: LoopFrame,
  depth: number,
  pending: Promise<unknown>,
  stage: number,
  target: Assign,
  body: St,
  orelse: St | undefined,
  loc: SourceLocation,
): Promise<Completion> {
  // stage 0: pending = next value (not yet counted); 3: pending = value already counted;
  // 1: pending = target assignment; 2: pending = body completion.
  const interp = f.interp;
  let exhausted = false;
  try {
    let c: Completion;
    if (stage === 2) c = (await pending) as Completion;
    else {
      if (stage === 1) await pending;
      else {
        const x = (await pending) as IterResult;
        if (x === STOP) exhausted = true;
        else {
          if (stage === 0) {
            lf.iteration++;
            const t = interp.tick(loc);
            if (t) await t;
          }
          const a = target(f, x);
          if (a instanceof Promise) await a;
        }
      }
      if (exhausted) c = undefined;
      else {
        const b = body(f);
        c = b instanceof Promise ? await b : b;
      }
    }
    while (!exhausted) {
      if (c !== undefined) {
        if (c === BREAK) return undefined;
        if (c !== CONTINUE) return c;
      }
      const nx = it.next();
      const x = nx instanceof Promise ? await nx : nx;
      if (x === STOP) {
        exhausted = true;
        break;
      }
      lf.iteration++;
      const t = interp.tick(loc);
      if (t) await t;
      const a = target(f, x);
      if (a instanceof Promise) await a;
      const b = body(f);
      c = b instanceof Promise ? await b : b;
    }
  } finally {
    interp.loops.length = depth;
  }
  return orelse ? await orelse(f) : undefined;
}

async function whileAsync(
  f: Frame,
  lf: LoopFrame,
  depth: number,
  pending: Promise<unknown>,
  stage: number,
  cond: Ex,
  body: St,
  orelse: St | undefined,
  loc: SourceLocation,
): Promise<Completion> {
  // stage 0: pending = condition value; 1: pending = tick (iteration counted); 2: pending = body completion.
  const interp = f.interp;
  let exhausted = false;
  try {
    let c: Completion = undefined;
    if (stage === 2) c = (await pending) as Completion;
    else {
      if (stage === 1) await pending;
      else {
        const cv = (await pending) as PyValue;
        if (!truthy(interp, cv)) exhausted = true;
        else {
          lf.iteration++;
          const t = interp.tick(loc);
          if (t) await t;
        }
      }
      if (!exhausted) {
        const b = body(f);
        c = b instanceof Promise ? await b : b;
      }
    }
    while (!exhausted) {
      f.stmt = loc;
      if (c !== undefined) {
        if (c === BREAK) return undefined;
        if (c !== CONTINUE) return c;
      }
      const x = cond(f);
      const cv = x instanceof Promise ? await x : x;
      if (!truthy(interp, cv)) {
        exhausted = true;
        break;
      }
      lf.iteration++;
      const t = interp.tick(loc);
      if (t) await t;
      const b = body(f);
      c = b instanceof Promise ? await b : b;
    }
  } finally {
    interp.loops.length = depth;
  }
  return orelse ? await orelse(f) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Function calls

function bindArgs(fn: PyFunction, args: PyValue[], kwargs: Kwargs | null): (PyValue | undefined)[] {
  const code = fn.code;
  const p = code.params;
  const vars = new Array<PyValue | undefined>(code.nslots);
  const np = p.posCount;
  const nargs = args.length;
  if (nargs > np) {
    if (p.varargSlot < 0) {
      const nd = p.defaultCount;
      const takes = nd ? `from ${np - nd} to ${np}` : `${np}`;
      throw pyErr('TypeError', `${code.qualname}() takes ${takes} positional argument${np === 1 && !nd ? '' : 's'} but ${nargs} ${nargs === 1 ? 'was' : 'were'} given`);
    }
    vars[p.varargSlot] = new PyTuple(args.slice(np));
    for (let i = 0; i < np; i++) vars[i] = args[i];
  } else {
    for (let i = 0; i < nargs; i++) vars[i] = args[i];
    if (p.varargSlot >= 0) vars[p.varargSlot] = new PyTuple([]);
  }
  let extra: PyDict | undefined;
  if (p.kwargSlot >= 0) vars[p.kwargSlot] = extra = new PyDict();
  if (kwargs !== null && kwargs.size > 0) {
    for (const [k, v] of kwargs) {
      const slot = p.byName.get(k);
      if (slot === undefined) {
        if (extra) {
          extra.set(k, v);
          continue;
        }
        if (p.names.indexOf(k) >= 0 && p.names.indexOf(k) < p.posOnlyCount) throw pyErr('TypeError', `${code.qualname}() got some positional-only arguments passed as keyword arguments: '${k}'`);
        throw pyErr('TypeError', `${code.qualname}() got an unexpected keyword argument '${k}'`);
      }
      if (vars[slot] !== undefined) throw pyErr('TypeError', `${code.qualname}() got multiple values for argument '${k}'`);
      vars[slot] = v;
    }
  }
  if (nargs < np) {
    const firstDefault = np - p.defaultCount;
    let missing: string[] | undefined;
    for (let i = nargs; i < np; i++) {
      if (vars[i] === undefined) {
        if (i >= firstDefault) vars[i] = fn.defaults[i - firstDefault];
        else (missing ??= []).push(p.names[i]);
      }
    }
    if (missing) throw pyErr('TypeError', `${code.qualname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${listNames(missing)}`);
  }
  if (p.kwOnlyCount) {
    let missing: string[] | undefined;
    for (let i = p.kwOnlyStart; i < p.kwOnlyStart + p.kwOnlyCount; i++) {
      if (vars[i] === undefined) {
        const nm = p.names[i];
        const d = fn.kwDefaults.get(nm);
        if (d !== undefined) vars[i] = d;
        else (missing ??= []).push(nm);
      }
    }
    if (missing) throw pyErr('TypeError', `${code.qualname}() missing ${missing.length} required keyword-only argument${missing.length > 1 ? 's' : ''}: ${listNames(missing)}`);
  }
  return vars;
}

function listNames(xs: string[]): string {
  const q = xs.map((x) => `'${x}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return q.slice(0, -1).join(', ') + ', and ' + q[q.length - 1];
}

/** Records a traceback entry for the frame an exception is leaving. */
export function recordTraceback(e: unknown, frame: Frame): unknown {
  if (e instanceof PyException) {
    if (!e.recorded.has(frame)) {
      e.recorded.add(frame);
      e.traceback.push({ file: frame.file, line: frame.stmt.line, column: frame.stmt.column, function: frame.name });
    }
  } else if (e instanceof UnsupportedPythonError) e.locate(frame.stmt);
  else if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new EvaluationLimitError('depth', frame.stmt, 'JavaScript stack exhausted (recursion too deep)');
  }
  return e;
}

function callFunction(interp: Interp, fn: PyFunction, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const code = fn.code as CompiledCode;
  const env: Env = { v: bindArgs(fn, args, kwargs), up: fn.env };
  if (code.yieldLoc) return new PyGenerator(new GeneratorRun((run) => runFunctionBody(interp, fn, env, code, run)), code.qualname, code.isAsync);
  if (code.isAsync) {
    const made = loopsMadeIn(interp);
    return new PyCoroutine(code.qualname, () => inLoopsMadeIn(interp, made, () => runFunction(interp, fn, env, loc)));
  }
  return runFunction(interp, fn, env, loc);
}

function runFunction(interp: Interp, fn: PyFunction, env: Env, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const code = fn.code as CompiledCode;
  if (interp.depth >= interp.limits.maxDepth) throw new EvaluationLimitError('depth', loc ?? code.loc, `Recursion depth limit exceeded (${interp.limits.maxDepth} nested calls, calling ${code.qualname}())`);
  if ((++interp.calls & 1023) === 0) {
    const y = interp.slowCheck(loc);
    if (y) return y.then(() => runFunctionBody(interp, fn, env, code));
  }
  return runFunctionBody(interp, fn, env, code);
}

/** `yield from it` inside a generator: delegates next/send/throw to `it`; its value is the sub-generator's return value. */
/**
 * While a generator is suspended at a `yield`, its frames and loops leave the evaluator's stacks
 * (the consumer's call sites and tracebacks must not show them); they are put back on top of the
 * consumer's stacks when it resumes the generator, as CPython pushes a generator's frame on resume.
 */
function suspendAt(interp: Interp, run: GeneratorRun, wait: (run: GeneratorRun) => Promise<PyValue>): Promise<PyValue> {
  const frames = interp.frames.splice(run.baseFrames);
  const loops = interp.loops.splice(run.baseLoops);
  interp.depth -= frames.length;
  const restore = () => {
    run.baseFrames = interp.frames.length;
    run.baseLoops = interp.loops.length;
    interp.frames.push(...frames);
    interp.loops.push(...loops);
    interp.depth += frames.length;
  };
  return wait(run).then(
    (sent) => {
      restore();
      return sent;
    },
    (e) => {
      restore();
      throw e;
    },
  );
}

function yieldFrom(interp: Interp, run: GeneratorRun, it: PyIterator): Promise<PyValue> | PyValue {
  const gen = it instanceof PyGenerator ? it : undefined;
  const step = (r: IterResult | Promise<IterResult>): PyValue | Promise<PyValue> => {
    if (r instanceof Promise) return r.then(step);
    if (r === STOP) return gen ? gen.run.returnValue : null;
    return suspendAt(interp, run, (g) => g.yield(r)).then(
      (sent) => step(gen && sent !== null ? gen.sendStep(sent) : it.next()),
      (e) => {
        if (gen && e instanceof PyException) {
          if (e.pyType === 'GeneratorExit') return then(gen.close(), () => Promise.reject(e));
          return step(gen.throwStep(e));
        }
        throw e;
      },
    );
  };
  return step(it.next());
}

/** Runs a generator function's body step by step (pytest yield fixtures; see generatorRun.ts). */
export function startGenerator(interp: Interp, fn: PyFunction, args: PyValue[], kwargs: Kwargs | null): GeneratorRun {
  const code = fn.code as CompiledCode;
  return new GeneratorRun((run) => runFunctionBody(interp, fn, { v: bindArgs(fn, args, kwargs), up: fn.env }, code, run));
}

function runFunctionBody(interp: Interp, fn: PyFunction, env: Env, code: CompiledCode, generatorRun?: GeneratorRun): PyValue | Promise<PyValue> {
  const frame = new Frame(interp, fn.globals, env, fn, null, code.qualname, code.file, code.loc);
  if (generatorRun) {
    (frame as Frame & { generatorRun?: GeneratorRun }).generatorRun = generatorRun;
    generatorRun.baseFrames = interp.frames.length;
    generatorRun.baseLoops = interp.loops.length;
  }
  interp.depth++;
  const fdepth0 = interp.frames.length;
  // A generator may be resumed at another stack depth: its frame then starts at its run's current base.
  const fdepthOf = () => (generatorRun ? generatorRun.baseFrames : fdepth0);
  interp.frames.push(frame);
  let r: unknown;
  try {
    r = code.body ? code.body(frame) : code.expr!(frame);
  } catch (e) {
    interp.depth--;
    interp.frames.length = fdepthOf();
    throw recordTraceback(e, frame);
  }
  if (r instanceof Promise)
    return r.then(
      (c) => {
        interp.depth--;
        interp.frames.length = fdepthOf();
        return code.expr ? (c as PyValue) : c === RETURN ? frame.retval : null;
      },
      (e) => {
        interp.depth--;
        interp.frames.length = fdepthOf();
        throw recordTraceback(e, frame);
      },
    );
  interp.depth--;
  interp.frames.length = fdepthOf();
  if (code.expr) return r as PyValue;
  return r === RETURN ? frame.retval : null;
}

callHooks.callFunction = callFunction;

export { callSync, eq, makeException, builtinExceptionClasses, ArrayIterator, PyRange, floatRepr };
