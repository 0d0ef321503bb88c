// `# dataflow: ignore` (every rule) or `# dataflow: ignore[bulk-loop, DF003]` on the reported line
// or alone on the line above it silences a finding.
import type { SourceFile } from '../model/sourceFile';
import type { Finding } from './finding';

const MARK = /#\s*dataflow:\s*ignore(?:\[([^\]]*)\])?/;

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

/** A suppression checker for one file: the text is searched once, not once per finding. */
export function suppressionsOf(file: SourceFile): (f: Finding) => boolean {
  if (file.text.indexOf('dataflow:') === -1) return () => false;
  return (f) => {
    const line = file.doc.lines.positionAt(f.span.start).line;
    return matches(lineText(file, line), f, false) || matches(lineText(file, line - 1), f, true);
  };
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
