// `# dataflow: ignore` (every rule) or `# dataflow: ignore[bulk-loop, DF003]` on the reported line
// or alone on the line above it silences a finding; `# dataflow: ignore-file` or
// `# dataflow: ignore-file[bulk-loop]` alone on any line silences it in the whole file.
import type { SourceFile } from '../model/sourceFile';
import type { Finding } from './finding';

const MARK = /#\s*dataflow:\s*ignore(?!-)(?:\[([^\]]*)\])?/;
const FILE_MARK = /^[ \t]*#\s*dataflow:\s*ignore-file(?:\[([^\]]*)\])?/gm;

function lineText(file: SourceFile, line: number): string {
  const lines = file.doc.lines;
  if (line < 0 || line >= lines.lineCount) return '';
  const start = lines.lineStart(line);
  const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : file.text.length;
  return file.text.slice(start, end);
}

function matches(text: string, f: Finding, standaloneOnly: boolean): boolean {
  const m = MARK.exec(text);
  if (!m) return false;
  if (standaloneOnly && !/^\s*#/.test(text)) return false;
  if (m[1] === undefined) return true;
  return m[1].split(',').map((s) => s.trim()).some((id) => id === f.rule || id === f.code);
}

/** The rules (names or codes) a file silences as a whole; `*` for `ignore-file` without a list. */
export function fileSuppressions(text: string): Set<string> {
  const out = new Set<string>();
  if (text.indexOf('ignore-file') === -1) return out;
  for (const m of text.matchAll(FILE_MARK)) {
    if (m[1] === undefined) out.add('*');
    else for (const id of m[1].split(',')) if (id.trim()) out.add(id.trim());
  }
  return out;
}

/**
 * A suppression checker for one file: the text is searched once, not once per finding, and only
 * findings on or below a line holding "dataflow:" (which every mark has) read their lines.
 */
export function suppressionsOf(file: SourceFile): (f: Finding) => boolean {
  const text = file.text;
  let at = text.indexOf('dataflow:');
  if (at === -1) return () => false;
  const whole = fileSuppressions(text);
  const lines = file.doc.lines;
  const marked = new Set<number>();
  for (; at !== -1; at = text.indexOf('dataflow:', at + 1)) marked.add(lines.positionAt(at).line);
  return (f) => {
    if (whole.size && (whole.has('*') || whole.has(f.rule) || whole.has(f.code))) return true;
    const line = lines.positionAt(f.span.start).line;
    return (marked.has(line) && matches(lineText(file, line), f, false))
      || (marked.has(line - 1) && matches(lineText(file, line - 1), f, true));
  };
}

/**
 * The edit that silences `f`'s rule in the whole file: extends an existing `ignore-file[...]`
 * comment, else inserts one after the shebang, encoding line and module docstring.
 */
export function fileSuppressionEdit(file: SourceFile, f: Finding): { offset: number; text: string } {
  const text = file.text;
  FILE_MARK.lastIndex = 0;
  const existing = FILE_MARK.exec(text);
  FILE_MARK.lastIndex = 0;
  if (existing && existing[1] !== undefined) {
    return { offset: existing.index + existing[0].length - 1, text: `, ${f.rule}` };
  }
  let offset = 0;
  const tree = file.doc.tree;
  const first = tree?.rootNode.namedChildren.find((c) => c && c.type !== 'comment');
  // After a module docstring, else at the top below `#!` / `# -*- coding` lines.
  if (first && first.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') {
    const end = text.indexOf('\n', first.endIndex);
    offset = end < 0 ? text.length : end + 1;
    return { offset, text: `${end < 0 ? '\n' : ''}# dataflow: ignore-file[${f.rule}]\n` };
  }
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && i < 2 && (/^#!/.test(lines[i]) || /^#.*coding[:=]/.test(lines[i]))) { offset += lines[i].length + 1; i++; }
  return { offset: Math.min(offset, text.length), text: `# dataflow: ignore-file[${f.rule}]\n` };
}

/** The edit that adds a suppression comment for `f` at the end of its line. */
export function suppressionEdit(file: SourceFile, f: Finding): { offset: number; text: string } {
  const lines = file.doc.lines;
  const line = lines.positionAt(f.span.start).line;
  const text = lineText(file, line).replace(/\r?\n$/, '');
  const offset = lines.lineStart(line) + text.length;
  const existing = MARK.exec(text);
  if (existing && existing[1] !== undefined) {
    // Extend an existing ignore[...] list.
    const close = lines.lineStart(line) + existing.index + existing[0].length - 1;
    return { offset: close, text: `, ${f.rule}` };
  }
  return { offset, text: `  # dataflow: ignore[${f.rule}]` };
}
