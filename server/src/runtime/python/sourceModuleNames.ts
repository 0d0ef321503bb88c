// The names a Python module's source binds at its top level, read with tree-sitter (nothing is run):
// `def`/`class`, assignments, imports, including those under top-level `if`/`try`/`with`/`for`.
// Used where a real library's source is found but its members are not catalogued: a
// `from kailash.x import missing` then raises ImportError as Python would, instead of passing as an
// opaque name. A module that can bind names no reader sees (`from m import *`, a module-level
// `__getattr__`, `globals()[...] =`, `setattr(sys.modules[...])`) answers undefined: unknown.
import * as fs from 'node:fs';
import type { Node } from 'web-tree-sitter';
import { sharedPythonParser } from '../../syntax/parser';

/** Top-level bound names, or undefined when the module binds names dynamically. */
export function topLevelNames(source: string): Set<string> | undefined {
  if (/\bglobals\(\)|\bsys\.modules\[|\b__getattr__\b|setattr\(|\bexec\(|:=/.test(source)) return undefined;
  // The documents' shared parser: parsing is synchronous, and a parser per module read was made and freed each time.
  const tree = sharedPythonParser().parse(source);
  try {
    if (!tree) return undefined;
    const names = new Set<string>();
    let dynamic = false;
    const targets = (n: Node): void => {
      if (n.type === 'identifier') names.add(n.text);
      else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'parenthesized_expression', 'tuple', 'list'].includes(n.type)) {
        for (const c of n.namedChildren) if (c) targets(c);
      }
    };
    const visit = (body: Node): void => {
      for (const st of body.namedChildren) {
        if (!st) continue;
        switch (st.type) {
          case 'function_definition':
          case 'class_definition': {
            const name = st.childForFieldName('name');
            if (name) names.add(name.text);
            break;
          }
          case 'decorated_definition': {
            const def = st.childForFieldName('definition');
            const name = def?.childForFieldName('name');
            if (name) names.add(name.text);
            break;
          }
          case 'import_statement':
            for (const c of st.namedChildren) {
              if (!c) continue;
              if (c.type === 'aliased_import') names.add(c.childForFieldName('alias')?.text ?? '');
              else if (c.type === 'dotted_name') names.add(c.text.split('.')[0]);
            }
            break;
          case 'import_from_statement':
            if (st.namedChildren.some((c) => c?.type === 'wildcard_import')) dynamic = true;
            for (const c of st.childrenForFieldName('name')) {
              if (!c) continue;
              if (c.type === 'aliased_import') names.add(c.childForFieldName('alias')?.text ?? '');
              else names.add(c.text.split('.').pop()!);
            }
            break;
          case 'expression_statement':
            for (const e of st.namedChildren) {
              if (e?.type === 'assignment' || e?.type === 'augmented_assignment') {
                // a = b = 1: the right side may be another assignment.
                let a: Node | null = e;
                while (a && (a.type === 'assignment' || a.type === 'augmented_assignment')) {
                  const left = a.childForFieldName('left');
                  if (left) targets(left);
                  a = a.childForFieldName('right');
                }
              }
            }
            break;
          case 'if_statement':
          case 'try_statement':
          case 'with_statement':
          case 'for_statement':
          case 'while_statement':
            if (st.type === 'for_statement') { const left = st.childForFieldName('left'); if (left) targets(left); }
            if (st.type === 'with_statement') {
              for (const c of st.namedChildren) if (c?.type === 'with_clause') for (const t of c.descendantsOfType('as_pattern_target')) if (t) for (const x of t.namedChildren) if (x) targets(x);
            }
            for (const c of st.namedChildren) {
              if (!c) continue;
              if (c.type === 'block') visit(c);
              else if (['elif_clause', 'else_clause', 'except_clause', 'finally_clause', 'except_group_clause'].includes(c.type)) {
                // (`except E as err` binds nothing afterwards: Python deletes err at the end of the clause.)
                for (const b of c.namedChildren) if (b?.type === 'block') visit(b);
              }
            }
            break;
        }
      }
    };
    visit(tree.rootNode);
    names.delete('');
    return dynamic ? undefined : names;
  } finally {
    tree?.delete();
  }
}

const cache = new Map<string, Set<string> | undefined>();

/** topLevelNames of a file, read once per process (undefined when it cannot be read). */
export function topLevelNamesOfFile(file: string): Set<string> | undefined {
  if (cache.has(file)) return cache.get(file);
  let names: Set<string> | undefined;
  try {
    names = topLevelNames(fs.readFileSync(file, 'utf8'));
  } catch {
    names = undefined;
  }
  cache.set(file, names);
  return names;
}
