// Converts analysis results (offsets) into LSP objects (positions, diagnostics, workspace edits).
import { Diagnostic, DiagnosticSeverity, TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Finding, Fix } from '../analysis/finding';
import { ruleDocsUri } from '../analysis/docsLink';
import type { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import { LineIndex } from '../syntax/lineIndex';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

/**
 * `data.fixable` is false only when the rule offered no fix function (known without computing
 * anything); otherwise it is left out: whether a fix will come is known only by computing it
 * (`resolveFix`), which reads the whole file and is done when the editor asks for code actions,
 * not on every publish — on a 10,000-line file that was 717 fixes computed per keystroke.
 */
export function toDiagnostic(file: SourceFile, f: Finding): Diagnostic {
  const d = Diagnostic.create(file.doc.lines.range(f.span.start, f.span.end), f.message, SEVERITY[f.severity], f.code, 'dataflow');
  d.codeDescription = { href: ruleDocsUri(f.code) };
  d.data = f.fix ? { rule: f.rule } : { rule: f.rule, fixable: false, ...(f.noFixReason ? { noFixReason: f.noFixReason } : {}) };
  return d;
}

export function toWorkspaceEdit(workspace: WorkspaceModel, fix: Fix): WorkspaceEdit | undefined {
  const changes: Record<string, TextEdit[]> = {};
  for (const fe of fix.edits) {
    const file = workspace.get(fe.uri);
    if (file) {
      changes[fe.uri] = fe.edits.map((e) => TextEdit.replace(file.doc.lines.range(e.span.start, e.span.end), e.newText));
      continue;
    }
    // A non-Python project file (DF033 edits requirements.txt / pyproject.toml).
    const project = workspace.projectFile(fe.uri);
    if (!project) return undefined;
    const lines = new LineIndex(project.text);
    changes[fe.uri] = fe.edits.map((e) => TextEdit.replace(lines.range(e.span.start, e.span.end), e.newText));
  }
  return { changes };
}
