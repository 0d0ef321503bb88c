// The value of a run argument as the user typed it (`--arg n=10`, the editor's parameter prompt):
// a Python literal as ast.literal_eval reads it (10, 'toys', [1, 2], {'a': None}, (1, 2), True),
// else JSON (true, null, {"a": 1}), else the text itself as a string. Parsed with the server's own
// tree-sitter grammar and static expression reader (model/staticExpr.ts); nothing is evaluated.
import { sharedPythonParser } from '../syntax/parser';
import { toSExpr, type SExpr } from '../model/staticExpr';

export interface ArgValue {
  value: unknown;
  /** How the text was read: a Python literal, JSON, or (neither) the text as a string. */
  as: 'python' | 'json' | 'string';
}

const NOT_LITERAL = Symbol('not a literal');

function literal(e: SExpr): unknown {
  switch (e.k) {
    case 'str': return e.v;
    case 'num': return e.v;
    case 'bool': return e.v;
    case 'none': return null;
    case 'list': case 'tuple': case 'set': {
      if (e.truncated) return NOT_LITERAL;
      const items = e.items.map(literal);
      return items.includes(NOT_LITERAL) ? NOT_LITERAL : items;
    }
    case 'dict': {
      if (e.truncated) return NOT_LITERAL;
      const out: Record<string, unknown> = {};
      for (const entry of e.entries) {
        if (!entry.key || (entry.key.k !== 'str' && entry.key.k !== 'num')) return NOT_LITERAL;
        const v = literal(entry.value);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out[String(entry.key.v)] = v;
      }
      return out;
    }
    case 'unary': return e.op === '+' && e.v.k === 'num' ? e.v.v : NOT_LITERAL;
    default: return NOT_LITERAL;
  }
}

/** A Python literal's value, or undefined when the text is not exactly one literal expression. Needs initPython(). */
export function pythonLiteral(text: string): { value: unknown } | undefined {
  if (!text.trim() || text.length > 100_000) return undefined;
  const tree = sharedPythonParser().parse(`(\n${text}\n)`);
  if (!tree) return undefined;
  try {
    const root = tree.rootNode;
    if (root.hasError || root.namedChildCount !== 1) return undefined;
    const stmt = root.namedChildren[0];
    if (stmt?.type !== 'expression_statement' || stmt.namedChildCount !== 1) return undefined;
    const expr = stmt.namedChildren[0];
    if (!expr) return undefined;
    const v = literal(toSExpr(expr));
    return v === NOT_LITERAL ? undefined : { value: v };
  } finally {
    tree.delete();
  }
}

/** Reads one argument's text (see the header). Needs initPython(). */
export function parseArgValue(text: string): ArgValue {
  const py = pythonLiteral(text);
  if (py) return { value: py.value, as: 'python' };
  try { return { value: JSON.parse(text), as: 'json' }; } catch { return { value: text, as: 'string' }; }
}
