// What the report's buttons do in VS Code: open a source location, and apply the quick-fix of the
// DataFlow diagnostic a recommendation points at (the same code action the light bulb offers).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PerformanceReport, Recommendation } from '../../../server/src/report/reportTypes';

/** Report paths are absolute or relative to a workspace folder (or to the profiled file's folder). */
export async function resolveSourceUri(file: string, report?: PerformanceReport): Promise<vscode.Uri | undefined> {
  const exists = async (uri: vscode.Uri) => {
    try { await vscode.workspace.fs.stat(uri); return true; } catch { return false; }
  };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
    try { const uri = vscode.Uri.parse(file, true); if (await exists(uri)) return uri; } catch { /* not a URI */ }
  }
  if (path.isAbsolute(file)) {
    const uri = vscode.Uri.file(file);
    return (await exists(uri)) ? uri : undefined;
  }
  const candidates: vscode.Uri[] = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, file));
  if (report && path.isAbsolute(report.source.file)) candidates.push(vscode.Uri.file(path.join(path.dirname(report.source.file), file)));
  for (const uri of candidates) if (await exists(uri)) return uri;
  return undefined;
}

/** Opens `file` and selects `line`:`column` (1-based). */
export async function goToSource(file: string, line: number, column?: number, report?: PerformanceReport): Promise<vscode.TextEditor | undefined> {
  const uri = await resolveSourceUri(file, report);
  if (!uri) {
    void vscode.window.showWarningMessage(`DataFlow: ${file} is not in the workspace.`);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const ln = Math.min(Math.max(0, line - 1), Math.max(0, doc.lineCount - 1));
  const col = Math.max(0, (column ?? 1) - 1);
  const pos = doc.validatePosition(new vscode.Position(ln, col));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false, selection: new vscode.Range(pos, pos) });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

/** The DataFlow diagnostic with the recommendation's code at (or nearest to, on the same line) its position. */
export function findDiagnostic(diagnostics: readonly vscode.Diagnostic[], code: string, line: number, column: number): vscode.Diagnostic | undefined {
  const pos = new vscode.Position(line - 1, Math.max(0, column - 1));
  const ours = diagnostics.filter((d) => d.source === 'dataflow' && codeOf(d) === code);
  return ours.find((d) => d.range.contains(pos)) ??
    ours.filter((d) => d.range.start.line <= pos.line && d.range.end.line >= pos.line).sort((a, b) => Math.abs(a.range.start.character - pos.character) - Math.abs(b.range.start.character - pos.character))[0];
}

function waitForDiagnostic(uri: vscode.Uri, code: string, line: number, column: number, timeoutMs: number): Promise<vscode.Diagnostic | undefined> {
  return new Promise((resolve) => {
    const check = () => findDiagnostic(vscode.languages.getDiagnostics(uri), code, line, column);
    const first = check();
    if (first) { resolve(first); return; }
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const d = check();
      if (d) { done(); resolve(d); }
    });
    const timer = setTimeout(() => { done(); resolve(undefined); }, timeoutMs);
    const done = () => { clearTimeout(timer); sub.dispose(); };
  });
}

/** The quick-fix to run: the preferred one titled `fixTitle`, else any titled so, else the preferred one. */
export function pickCodeAction(actions: readonly vscode.CodeAction[], fixTitle: string | undefined): vscode.CodeAction | undefined {
  const fixes = actions.filter((a) => !a.disabled);
  return fixes.find((a) => a.isPreferred && a.title === fixTitle) ?? fixes.find((a) => a.title === fixTitle) ?? (fixTitle === undefined ? fixes.find((a) => a.isPreferred) : undefined);
}

export interface ApplyFixResult { applied: boolean; title?: string; reason?: string }

/** Applies the quick-fix of recommendation `recommendationId` through the code action provider. */
export async function applyRecommendationFix(report: PerformanceReport, recommendationId: number, timeoutMs = 10000): Promise<ApplyFixResult> {
  const rec: Recommendation | undefined = report.recommendations.find((r) => r.id === recommendationId);
  if (!rec) return { applied: false, reason: `no recommendation ${recommendationId} in the report` };
  if (!rec.diagnostic) return { applied: false, reason: `${rec.code} has no matching diagnostic to fix` };
  const uri = await resolveSourceUri(rec.file, report);
  if (!uri) return { applied: false, reason: `${rec.file} is not in the workspace` };
  const doc = await vscode.workspace.openTextDocument(uri); // opening it makes the server analyse it
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
  const diag = await waitForDiagnostic(uri, rec.diagnostic.code, rec.diagnostic.line, rec.diagnostic.column, timeoutMs);
  if (!diag) return { applied: false, reason: `the ${rec.diagnostic.code} diagnostic is no longer at ${rec.file}:${rec.diagnostic.line} (already fixed, or the file changed)` };
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value, 20)) ?? [];
  const action = pickCodeAction(actions, rec.diagnostic.fixTitle);
  if (!action) return { applied: false, reason: `no quick fix titled “${rec.diagnostic.fixTitle ?? '(preferred)'}” among: ${actions.map((a) => a.title).join(' | ') || 'none'}` };
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) return { applied: false, title: action.title, reason: 'the editor refused the edit' };
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return { applied: true, title: action.title };
}
