/** The compiler's base: source locations, syntax checks, and which names each scope binds (collect). */
import type { Node } from 'web-tree-sitter';
import { PythonSyntaxError, SourceLocation, UnsupportedPythonError } from '../values';
import { CallLoc } from '../runtime';
import { patternNames } from '../matchPatterns';
import { type St, type Ex, type Assign } from './types';
import { Scope } from './scope';
import { named, field } from './treeNodes';

export abstract class CompilerBase {
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

  // Compiled by the subclasses (expressions.ts, comprehensions.ts, functions.ts, assignments.ts, statements.ts).
  abstract stmts(nodes: Node[], scope: Scope): St;
  abstract typeExpr(n: Node, scope: Scope): Ex;
  abstract target(t: Node, scope: Scope): Assign;
  abstract nameStore(name: string, scope: Scope): Assign;
  abstract nameLoad(name: string, scope: Scope, n: Node): Ex;
  abstract lambda(n: Node, scope: Scope): Ex;
  abstract comprehension(n: Node, scope: Scope): Ex;
}
