// Entry points a user can run: module-level functions that execute a workflow (or call the
// express API), and the `if __name__ == "__main__":` block. Read from the tree and the facts.
import type { Node } from '../syntax/parser';
import type { SourceFile } from '../model/sourceFile';

import type { EntryParam, EntryPoint } from '../protocol';

export type { EntryParam, EntryPoint };

function params(def: Node): EntryParam[] {
  const out: EntryParam[] = [];
  const list = def.childForFieldName('parameters');
  if (!list) return out;
  let keywordOnly = false;
  for (const p of list.namedChildren) {
    if (!p) continue;
    switch (p.type) {
      case 'identifier': out.push({ name: p.text, hasDefault: false, kind: keywordOnly ? 'keyword' : 'positional' }); break;
      case 'typed_parameter': {
        const id = p.namedChildren.find((c) => c?.type === 'identifier');
        if (id) out.push({ name: id.text, hasDefault: false, kind: keywordOnly ? 'keyword' : 'positional' });
        else if (p.namedChildren.some((c) => c?.type === 'list_splat_pattern')) out.push({ name: p.text.replace(/^\*|:.*$/g, ''), hasDefault: true, kind: 'varargs' });
        else if (p.namedChildren.some((c) => c?.type === 'dictionary_splat_pattern')) out.push({ name: p.text.replace(/^\*\*|:.*$/g, ''), hasDefault: true, kind: 'kwargs' });
        break;
      }
      case 'default_parameter': case 'typed_default_parameter': {
        const name = p.childForFieldName('name');
        if (name) out.push({ name: name.text, hasDefault: true, kind: keywordOnly ? 'keyword' : 'positional' });
        break;
      }
      case 'list_splat_pattern': out.push({ name: p.text.slice(1), hasDefault: true, kind: 'varargs' }); keywordOnly = true; break;
      case 'keyword_separator': keywordOnly = true; break;
      case 'dictionary_splat_pattern': out.push({ name: p.text.slice(2), hasDefault: true, kind: 'kwargs' }); break;
      default: break;
    }
  }
  return out.filter((p) => p.name !== 'self' && p.name !== 'cls');
}

function isMainGuard(n: Node): boolean {
  if (n.type !== 'if_statement') return false;
  const cond = n.childForFieldName('condition');
  return !!cond && /^__name__\s*==\s*["']__main__["']$|^["']__main__["']\s*==\s*__name__$/.test(cond.text.trim());
}

const FIXTURE_DECORATOR = /^@\s*(pytest\.|pytest_asyncio\.)?fixture\b/;

function decorators(n: Node): string[] {
  return n.type === 'decorated_definition' ? n.namedChildren.filter((c): c is Node => c?.type === 'decorator').map((c) => c.text) : [];
}

/**
 * Functions (module level) that run a workflow or the express API, plus the __main__ block; in a
 * DataFlow file, also pytest tests (`test_*`, `TestX.test_*`: their parameters are fixtures, resolved
 * by the runner, so none is asked for) and `Class.method` methods that run a workflow.
 */
export function entryPoints(file: SourceFile): EntryPoint[] {
  const tree = file.doc.tree;
  if (!tree || !file.relevant) return [];
  const runs = new Set<string>();
  for (const e of file.facts.executes) if (e.functionName) runs.add(e.functionName.split('.')[0]);
  for (const e of file.facts.express) if (e.functionName) runs.add(e.functionName.split('.')[0]);
  // `Class.method` (the first two parts of a qualified name: a workflow run in a nested function counts for its method).
  const runsQualified = new Set<string>();
  for (const e of [...file.facts.executes, ...file.facts.express]) if (e.functionName?.includes('.')) runsQualified.add(e.functionName.split('.').slice(0, 2).join('.'));
  const out: EntryPoint[] = [];
  const root = tree.rootNode;
  for (let i = 0; i < root.namedChildCount; i++) {
    let n = root.namedChild(i);
    if (!n) continue;
    const decos = decorators(n);
    if (n.type === 'decorated_definition') n = n.childForFieldName('definition') ?? n;
    if (n.type === 'function_definition') {
      const name = n.childForFieldName('name')?.text;
      const isTest = !!name && /^test/.test(name) && !decos.some((d) => FIXTURE_DECORATOR.test(d));
      if (!name || (!runs.has(name) && !isTest)) continue;
      out.push({ name, line: n.startPosition.row, character: n.startPosition.column, isAsync: n.children.some((c) => c?.type === 'async'), params: isTest ? [] : params(n) });
    } else if (n.type === 'class_definition') {
      const cls = n.childForFieldName('name')?.text;
      if (!cls) continue;
      for (const member of n.childForFieldName('body')?.namedChildren ?? []) {
        if (!member) continue;
        const mdecos = decorators(member);
        const m = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
        if (!m || m.type !== 'function_definition') continue;
        const name = m.childForFieldName('name')?.text;
        if (!name || name.startsWith('_') || mdecos.some((d) => FIXTURE_DECORATOR.test(d))) continue;
        const isTest = /^Test/.test(cls) && /^test/.test(name);
        if (!isTest && !runs.has(`${cls}.${name}`) && !runsQualified.has(`${cls}.${name}`)) continue;
        out.push({ name: `${cls}.${name}`, line: m.startPosition.row, character: m.startPosition.column, isAsync: m.children.some((c) => c?.type === 'async'), params: isTest ? [] : params(m) });
      }
    } else if (isMainGuard(n)) {
      out.push({ name: '__main__', line: n.startPosition.row, character: n.startPosition.column, isAsync: false, params: [] });
    }
  }
  return out;
}
