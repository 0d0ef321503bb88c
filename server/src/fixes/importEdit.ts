// Adding a module import to a Python file: `import os` placed with the file's other imports.
import type { TextEditAt } from '../analysis/finding';
import type { SourceFile } from '../model/sourceFile';

/** True when the file has `import <mod>` (plain, not aliased) at module level. */
export function hasModuleImport(file: SourceFile, mod: string): boolean {
  const re = /^import[ \t]+([^\n#]+)/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(file.text))) {
    if (m[1].split(',').some((p) => p.trim() === mod)) return true;
  }
  return false;
}

/**
 * An edit inserting `line` before the first module-level import (after `from __future__`
 * imports), or after the module docstring and leading comments when the file has no import.
 */
export function addImportEdit(file: SourceFile, line: string): TextEditAt {
  const text = file.text;
  const re = /^(?:import|from)[ \t]+(\S+)/gm;
  let m: RegExpExecArray | null;
  let afterFuture = -1;
  while ((m = re.exec(text))) {
    if (m[1] === '__future__') {
      const eol = text.indexOf('\n', m.index);
      afterFuture = eol < 0 ? text.length : eol + 1;
      continue;
    }
    const at = afterFuture >= 0 ? afterFuture : m.index;
    return { span: { start: at, end: at }, newText: `${line}\n` };
  }
  if (afterFuture >= 0) return { span: { start: afterFuture, end: afterFuture }, newText: `${line}\n` };
  // No import: after leading comments and a module docstring.
  let at = 0;
  const lead = /^(?:[ \t]*#[^\n]*\n|[ \t]*\n)*/.exec(text);
  if (lead) at = lead[0].length;
  const doc = /^("""|''')[\s\S]*?\1[^\n]*\n?/.exec(text.slice(at));
  if (doc) at += doc[0].length;
  const sep = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return { span: { start: at, end: at }, newText: `${sep}${line}\n` };
}
