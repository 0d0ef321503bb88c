// Code actions for DataFlow diagnostics: the rule's quick-fix (preferred), "ignore this rule on
// this line" (a suppression comment), and a link to the rule's documentation.
import { CodeAction, CodeActionKind, TextEdit, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../analysis/finding';
import { ruleDocsUri } from '../analysis/docsLink';
import { suppressionEdit } from '../analysis/suppression';
import type { WorkspaceModel } from '../model/workspaceModel';
import { toWorkspaceEdit } from './positions';

function sameRange(file: { doc: { lines: { offsetAt(p: { line: number; character: number }): number } } }, d: Diagnostic, f: Finding): boolean {
  return file.doc.lines.offsetAt(d.range.start) === f.span.start && file.doc.lines.offsetAt(d.range.end) === f.span.end;
}

export function codeActionsFor(workspace: WorkspaceModel, params: CodeActionParams, findings: Finding[]): CodeAction[] {
  const file = workspace.get(params.textDocument.uri);
  if (!file) return [];
  const only = params.context.only;
  const wantsQuickFix = !only || only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k));
  if (!wantsQuickFix) return [];
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'dataflow') continue;
    const f = findings.find((x) => x.code === d.code && sameRange(file, d, x));
    if (!f) continue;
    if (f.fix) {
      let fix;
      try { fix = f.fix(); } catch (err) { console.error(`dataflow: fix for ${f.code} failed: ${(err as Error).stack ?? err}`); }
      const edit = fix && toWorkspaceEdit(workspace, fix);
      if (fix && edit) {
        const a = CodeAction.create(fix.title, edit, CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.isPreferred = fix.isPreferred;
        actions.push(a);
      }
    }
    const sup = suppressionEdit(file, f);
    const pos = file.doc.lines.positionAt(sup.offset);
    const ignore = CodeAction.create(`Ignore ${f.rule} (${f.code}) on this line`, { changes: { [file.uri]: [TextEdit.insert(pos, sup.text)] } }, CodeActionKind.QuickFix);
    ignore.diagnostics = [d];
    actions.push(ignore);
    const docs = CodeAction.create(`Show documentation for ${f.code} (${f.rule})`, { title: 'Show documentation', command: 'dataflow.openRuleDocs', arguments: [ruleDocsUri(f.code)] }, CodeActionKind.QuickFix);
    docs.diagnostics = [d];
    actions.push(docs);
  }
  return actions;
}
