/**
 * Compiles a tree-sitter Python tree once into JS closures (`(frame) => value | Promise<value>`).
 * Names are resolved statically (locals → slots, enclosing functions → (depth, slot), globals →
 * the module Map), so the hot paths do no tree walking and no string dispatch.
 *
 * Execution is synchronous until something returns a Promise; from that point the enclosing
 * construct continues asynchronously (each construct has a sync path and an async continuation).
 */
import type { Node } from 'web-tree-sitter';
import { ArrayIterator, PyRange, makeException, builtinExceptionClasses } from './values';
import { eq, callSync } from './runtime';
import { floatRepr } from './numeric';
import { StatementCompiler } from './compiler/statements';
import { type CompiledModule } from './compiler/types';
import { Scope } from './compiler/scope';
import { named, field } from './compiler/treeNodes';
import { isMainCheck } from './compiler/steps';

export class Compiler extends StatementCompiler {
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

}

export { callSync, eq, makeException, builtinExceptionClasses, ArrayIterator, PyRange, floatRepr };

// The compiler's pieces the rest of the evaluator imports from here.
export * from './compiler/types';
export * from './compiler/steps';
export * from './compiler/stringEscapes';
export * from './compiler/functionCalls';
