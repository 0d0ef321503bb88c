// Converts analysis results (offsets) into LSP objects (positions, diagnostics, workspace edits).
import { Diagnostic, DiagnosticSeverity, TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Finding, Fix } from '../analysis/finding';
import { ruleDocsUri } from '../analysis/docsLink';
import { resolveFix } from '../analysis/fixResolution';
import type { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import { LineIndex } from '../python/lineIndex';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

/**
 * `data.fixable` is true only when a quick-fix edit will be produced (`resolveFix`); without a
 * workspace the fix is not computed and `fixable` is left out.
 */
export function toDiagnostic(file: SourceFile, f: Finding, workspace?: WorkspaceModel): Diagnostic {
  const d = Diagnostic.create(file.doc.lines.range(f.span.start, f.span.end), f.message, SEVERITY[f.severity], f.code, 'dataflow');
  d.codeDescription = { href: ruleDocsUri(f.code) };
  if (!workspace) { d.data = { rule: f.rule }; return d; }
  const fix = resolveFix(f, workspace);
  d.data = fix ? { rule: f.rule, fixable: true, applicability: fix.applicability } : { rule: f.rule, fixable: false, ...(f.noFixReason ? { noFixReason: f.noFixReason } : {}) };
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
