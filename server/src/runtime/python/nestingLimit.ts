// Nesting CPython refuses, refused before the evaluator's compiler recurses into it: a file with
// 5,000 nested parentheses made the compiler overflow JavaScript's stack ("RangeError: Maximum
// call stack size exceeded", an unlocated exit 1). Walked with a TreeCursor (no recursion).
// CPython 3.11's limits: 200 nested brackets (tokenizer MAXLEVEL: "too many nested parentheses"),
// 100 indentation levels (MAXINDENT: IndentationError "too many levels of indentation"), each at
// the place CPython reports it, 20 frame blocks of loops, withs and try parts in one function
// (compiler CO_MAXBLOCKS: "too many statically nested blocks"); checked against CPython 3.11's
// compile() by test/fixtures/stdlib-cpython/limits_cases.py. A deeper
// expression (a chain of 10,000 `+`) makes CPython's compiler raise RecursionError.
import type { Node, Tree } from '../../syntax/parser';

export const MAX_BRACKET_NESTING = 200;
/** CPython's indent stack holds MAXINDENT (100) levels, the module level included: 99 nested blocks. */
export const MAX_BLOCK_NESTING = 99;
/** Syntax tree depth past which the evaluator's compiler would run out of stack. */
export const MAX_TREE_DEPTH = 1500;

const BRACKETED = new Set([
  'parenthesized_expression', 'tuple', 'list', 'dictionary', 'set', 'argument_list', 'parameters', 'subscript',
  'list_comprehension', 'dictionary_comprehension', 'set_comprehension', 'generator_expression',
  'list_pattern', 'tuple_pattern', 'dict_pattern', 'parenthesized_list_splat',
]);

/** CPython's compiler: at most CO_MAXBLOCKS (20) frame blocks (loops, with, try parts) open in one code object. */
export const MAX_STATIC_BLOCKS = 20;

export interface NestingProblem {
  node: Node;
  message: string;
}

/**
 * Frame blocks CPython 3.11's compiler pushes for a node, given its parent (compile.c): a loop's or
 * a with's body 1; a try's body 1 when it has except clauses (TRY_EXCEPT), an except clause 2
 * (EXCEPTION_HANDLER and HANDLER_CLEANUP), a finally clause 1 (FINALLY_END), and 1 more for
 * everything before the finally clause when there is one (FINALLY_TRY). A function, class or
 * lambda starts a new code object.
 */
interface TryShape {
  except: boolean;
  finally: boolean;
}
const NOT_A_TRY: TryShape = { except: false, finally: false };

function staticBlocks(parentType: string, parent: TryShape, type: string, field: string | null): number | 'reset' {
  switch (parentType) {
    case 'function_definition':
    case 'class_definition':
    case 'lambda':
      return 'reset';
    case 'for_statement':
    case 'while_statement':
    case 'with_statement':
      return type === 'block' && field === 'body' ? 1 : 0;
    case 'try_statement':
      if (type === 'finally_clause') return 1;
      if (type === 'block' && field === 'body') return (parent.except ? 1 : 0) + (parent.finally ? 1 : 0);
      if (type === 'except_clause' || type === 'except_group_clause') return 2 + (parent.finally ? 1 : 0);
      if (type === 'else_clause') return parent.finally ? 1 : 0;
      return 0;
    default:
      return 0;
  }
}

/** The first place `tree` nests deeper than CPython (or the compiler) allows, if any. */
export function nestingProblem(tree: Tree): NestingProblem | undefined {
  const cursor = tree.walk();
  // One entry per node on the path from the root: brackets and indented blocks open at that node,
  // CPython frame blocks open in its code object, its type and (for a try) whether it has a finally.
  const brackets: number[] = [0];
  const blocks: number[] = [0];
  const fblocks: number[] = [0];
  const types: string[] = [''];
  const tries: TryShape[] = [NOT_A_TRY];
  try {
    for (;;) {
      const type = cursor.nodeType;
      const depth = brackets.length;
      const b = brackets[depth - 1] + (BRACKETED.has(type) ? 1 : 0);
      const k = blocks[depth - 1] + (type === 'block' ? 1 : 0);
      const add = staticBlocks(types[depth - 1], tries[depth - 1], type, cursor.currentFieldName);
      const f = add === 'reset' ? 0 : fblocks[depth - 1] + add;
      if (b > MAX_BRACKET_NESTING) return { node: cursor.currentNode, message: 'too many nested parentheses' };
      if (k > MAX_BLOCK_NESTING) return { node: cursor.currentNode, message: 'too many levels of indentation' };
      if (f > MAX_STATIC_BLOCKS) {
        // CPython reports a loop's or with's body at the statement, an except or finally clause at the clause.
        const node = cursor.currentNode;
        return { node: type === 'block' && node.parent && types[depth - 1] !== 'try_statement' ? node.parent : node, message: 'too many statically nested blocks' };
      }
      if (depth > MAX_TREE_DEPTH) return { node: cursor.currentNode, message: `too deeply nested (more than ${MAX_TREE_DEPTH} levels; CPython's compiler raises RecursionError on such code)` };
      if (cursor.gotoFirstChild()) {
        brackets.push(b);
        blocks.push(k);
        fblocks.push(f);
        types.push(type);
        tries.push(type === 'try_statement' ? tryShape(cursor) : NOT_A_TRY);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return undefined;
        brackets.pop();
        blocks.pop();
        fblocks.pop();
        types.pop();
        tries.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The clauses of the try statement whose first child the cursor is on (the cursor is left where it was). */
function tryShape(cursor: ReturnType<Tree['walk']>): TryShape {
  const shape = { except: false, finally: false };
  while (cursor.gotoNextSibling()) {
    if (cursor.nodeType === 'finally_clause') shape.finally = true;
    else if (cursor.nodeType === 'except_clause' || cursor.nodeType === 'except_group_clause') shape.except = true;
  }
  cursor.gotoParent();
  cursor.gotoFirstChild();
  return shape;
}
