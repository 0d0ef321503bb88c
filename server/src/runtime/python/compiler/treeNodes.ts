/** Reading tree-sitter nodes: named children, fields, tokens. */
import type { Node } from 'web-tree-sitter';

export function named(n: Node): Node[] {
  const out: Node[] = [];
  for (const c of n.namedChildren) if (c && c.type !== 'comment' && c.type !== 'line_continuation') out.push(c);
  return out;
}

export function field(n: Node, name: string): Node | null {
  return n.childForFieldName(name);
}

export function hasToken(n: Node, tok: string): boolean {
  for (const c of n.children) if (c && !c.isNamed && c.type === tok) return true;
  return false;
}

export function isAsync(n: Node): boolean {
  const c = n.child(0);
  return !!c && c.type === 'async';
}
