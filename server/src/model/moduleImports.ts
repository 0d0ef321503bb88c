// The import statements of a Python file, read from its text (no parse tree needed, so files that
// never mention DataFlow — package `__init__.py` files re-exporting models — cost almost nothing).
// Used by model resolution to follow `from x import User`, `from x import *`, `import x` and
// relative imports to the files that define the models.

export interface ModuleImport {
  /** `from M import ...` or `import M`. */
  kind: 'from' | 'import';
  /** The module as written, relative ones with their leading dots (`.models`, `..`, `app.models`). */
  module: string;
  /** For `from`: the imported names (`*` for a star import). */
  names: Array<{ name: string; alias?: string }>;
  /** For `import M as A`: the alias. */
  alias?: string;
}

const CANDIDATE = /^[ \t]*(from|import)[ \t\\]/gm;
const DOTTED = /^\.*[A-Za-z_][\w.]*$|^\.+$/;
const IDENT = /^[A-Za-z_]\w*$/;

/** Every import statement of `text` (module level and nested; nested ones count for the file). */
export function scanImports(text: string): ModuleImport[] {
  const out: ModuleImport[] = [];
  CANDIDATE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CANDIDATE.exec(text))) {
    const start = m.index + m[0].length - 1;
    const stmt = statementText(text, start);
    CANDIDATE.lastIndex = Math.max(CANDIDATE.lastIndex, start + stmt.consumed);
    const body = stmt.text.replace(/\s+/g, ' ').trim();
    if (m[1] === 'from') {
      const fm = /^(\S+) import (.+)$/.exec(body);
      if (!fm || !DOTTED.test(fm[1])) continue;
      const names: ModuleImport['names'] = [];
      for (const part of fm[2].replace(/[()]/g, '').split(',')) {
        const p = part.trim();
        if (!p) continue;
        if (p === '*') { names.push({ name: '*' }); continue; }
        const am = /^(\w+)(?: as (\w+))?$/.exec(p);
        if (am && IDENT.test(am[1])) names.push(am[2] ? { name: am[1], alias: am[2] } : { name: am[1] });
      }
      if (names.length) out.push({ kind: 'from', module: fm[1], names });
    } else {
      for (const part of body.split(',')) {
        const am = /^([A-Za-z_][\w.]*)(?: as (\w+))?$/.exec(part.trim());
        if (am) out.push(am[2] ? { kind: 'import', module: am[1], names: [], alias: am[2] } : { kind: 'import', module: am[1], names: [] });
      }
    }
  }
  return out;
}

/** The rest of the statement from `start`: up to the end of line, across `\` continuations and open parentheses; without comments. */
function statementText(text: string, start: number): { text: string; consumed: number } {
  let i = start, depth = 0, out = '';
  while (i < text.length && i - start < 4000) {
    const c = text[i];
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '\\' && text[i + 1] === '\n') { i += 2; out += ' '; continue; }
    if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') { i += 3; out += ' '; continue; }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) break;
    else if (c === '\n' && depth === 0) break;
    else if ((c === '"' || c === "'") ) break; // not an import statement after all
    out += c;
    i++;
  }
  return { text: out, consumed: i - start };
}

/** A string that changes when the imports of a text change. */
export function importsSignature(imports: readonly ModuleImport[]): string {
  return imports.map((i) => `${i.kind} ${i.module}${i.alias ? ` as ${i.alias}` : ''}${i.names.length ? `: ${i.names.map((n) => n.alias ? `${n.name} as ${n.alias}` : n.name).join(',')}` : ''}`).join(';');
}
