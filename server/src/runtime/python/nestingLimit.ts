// Nesting CPython refuses, refused before the evaluator's compiler recurses into it: a file with
// 5,000 nested parentheses made the compiler overflow JavaScript's stack ("RangeError: Maximum
// call stack size exceeded", an unlocated exit 1). Walked with a TreeCursor (no recursion).
// CPython 3.11's limits: 200 nested brackets (tokenizer MAXLEVEL: "too many nested parentheses"),
// 100 indentation levels (MAXINDENT: IndentationError "too many levels of indentation"), each at
// the place CPython reports it (checked with python3.11 on the files of the tests); a deeper
// expression (a chain of 10,000 `+`) makes CPython's compiler raise RecursionError.
import type { Node, Tree } from '../../python/parser';

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

export interface NestingProblem {
  node: Node;
  message: string;
}

/** The first place `tree` nests deeper than CPython (or the compiler) allows, if any. */
export function nestingProblem(tree: Tree): NestingProblem | undefined {
  const cursor = tree.walk();
  // One entry per node on the path from the root: [brackets open, blocks open] at that node.
  const brackets: number[] = [0];
  const blocks: number[] = [0];
  try {
    for (;;) {
      const type = cursor.nodeType;
      const depth = brackets.length;
      const b = brackets[depth - 1] + (BRACKETED.has(type) ? 1 : 0);
      const k = blocks[depth - 1] + (type === 'block' ? 1 : 0);
      if (b > MAX_BRACKET_NESTING) return { node: cursor.currentNode, message: 'too many nested parentheses' };
      if (k > MAX_BLOCK_NESTING) return { node: cursor.currentNode, message: 'too many levels of indentation' };
      if (depth > MAX_TREE_DEPTH) return { node: cursor.currentNode, message: `too deeply nested (more than ${MAX_TREE_DEPTH} levels; CPython's compiler raises RecursionError on such code)` };
      if (cursor.gotoFirstChild()) {
        brackets.push(b);
        blocks.push(k);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return undefined;
        brackets.pop();
        blocks.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}
