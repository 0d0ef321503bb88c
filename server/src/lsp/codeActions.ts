// Code actions for DataFlow diagnostics, computed in two steps (codeAction, then
// codeAction/resolve for the edit when the client supports it):
// - the rule's quick-fix, titled with its applicability, or a disabled action saying why there is none;
// - "Fix all <code> in this file" when several findings of the rule have fixes;
// - "Ignore <rule> on this line" and "Ignore <rule> in this file" (suppression comments);
// - "Show documentation";
// - `source.fixAll.dataflow`: every safe fix of the file (editor.codeActionsOnSave).
import { CodeAction, CodeActionKind, TextEdit, type CodeActionParams, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import type { Finding } from '../analysis/finding';
import { ruleDocsUri } from '../analysis/docsLink';
import { fileSuppressionEdit, suppressionEdit } from '../analysis/suppression';
import { combineFixes, fixTitle, resolveFix, type ResolvedFix } from '../analysis/fixResolution';
import { ruleSpecByCode } from '../rules';
import type { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import { toWorkspaceEdit } from './positions';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.dataflow`;

/** What a deferred action needs to find its finding again in codeAction/resolve. */
export interface ActionData { uri: string; version: number; kind: 'fix' | 'fixAllCode' | 'fixAllSafe'; code: string; start: number; end: number }

export interface CodeActionOptions { resolveSupport: boolean }

function sameRange(file: SourceFile, d: Diagnostic, f: Finding): boolean {
  return file.doc.lines.offsetAt(d.range.start) === f.span.start && file.doc.lines.offsetAt(d.range.end) === f.span.end;
}

function editOf(workspace: WorkspaceModel, edits: Map<string, Array<{ span: { start: number; end: number }; newText: string }>>): WorkspaceEdit | undefined {
  return toWorkspaceEdit(workspace, { title: '', isPreferred: false, edits: [...edits].map(([uri, list]) => ({ uri, edits: list })) });
}

function fixesOf(workspace: WorkspaceModel, findings: Finding[], keep: (f: Finding, fix: ResolvedFix) => boolean): ResolvedFix[] {
  const out: ResolvedFix[] = [];
  for (const f of findings) {
    const fix = resolveFix(f, workspace);
    if (fix && keep(f, fix)) out.push(fix);
  }
  return out;
}

/** The edit of a deferred action, computed now (codeAction/resolve, or at once without resolve support). */
export function editFor(workspace: WorkspaceModel, data: ActionData, findings: Finding[]): WorkspaceEdit | undefined {
  const file = workspace.get(data.uri);
  if (!file || file.version !== data.version) return undefined;
  if (data.kind === 'fix') {
    const f = findings.find((x) => x.code === data.code && x.span.start === data.start && x.span.end === data.end);
    const fix = f && resolveFix(f, workspace);
    return fix ? toWorkspaceEdit(workspace, fix) : undefined;
  }
  const fixes = fixesOf(workspace, findings, (f, fix) => (data.kind === 'fixAllCode' ? f.code === data.code : fix.applicability === 'safe'));
  const { edits, applied } = combineFixes(fixes);
  return applied ? editOf(workspace, edits) : undefined;
}

function deferred(workspace: WorkspaceModel, title: string, kind: string, data: ActionData, findings: Finding[], opts: CodeActionOptions): CodeAction | undefined {
  const action = CodeAction.create(title, kind);
  if (opts.resolveSupport) {
    action.data = data;
  } else {
    const edit = editFor(workspace, data, findings);
    if (!edit) return undefined;
    action.edit = edit;
  }
  return action;
}

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => k === kind || kind.startsWith(`${k}.`));
}

export function codeActionsFor(workspace: WorkspaceModel, params: CodeActionParams, findings: Finding[], opts: CodeActionOptions = { resolveSupport: false }): CodeAction[] {
  const file = workspace.get(params.textDocument.uri);
  if (!file) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const base = { uri: file.uri, version: file.version };

  if (only && wants(only, FIX_ALL_KIND) && !wants(only, CodeActionKind.QuickFix)) {
    const safe = fixesOf(workspace, findings, (_f, fix) => fix.applicability === 'safe');
    if (!safe.length) return [];
    const a = deferred(workspace, 'Fix all safe DataFlow problems', FIX_ALL_KIND, { ...base, kind: 'fixAllSafe', code: '', start: 0, end: 0 }, findings, opts);
    return a ? [a] : [];
  }
  if (!wants(only, CodeActionKind.QuickFix)) return [];

  const fixAllOffered = new Set<string>();
  for (const d of params.context.diagnostics) {
    if (d.source !== 'dataflow') continue;
    const f = findings.find((x) => x.code === d.code && sameRange(file, d, x));
    if (!f) continue;
    const spec = ruleSpecByCode(f.code);
    const fix = resolveFix(f, workspace);
    if (fix) {
      const a = deferred(workspace, fixTitle(fix), CodeActionKind.QuickFix, { ...base, kind: 'fix', code: f.code, start: f.span.start, end: f.span.end }, findings, opts);
      if (a) {
        a.diagnostics = [d];
        a.isPreferred = fix.isPreferred;
        actions.push(a);
      }
      // Several fixable findings of this rule in the file: one action for all of them.
      if (!fixAllOffered.has(f.code)) {
        fixAllOffered.add(f.code);
        const same = findings.filter((x) => x.code === f.code && resolveFix(x, workspace));
        if (same.length > 1) {
          const all = deferred(workspace, `Fix all ${f.code} (${f.rule}) in this file (${same.length})`, CodeActionKind.QuickFix, { ...base, kind: 'fixAllCode', code: f.code, start: 0, end: 0 }, findings, opts);
          if (all) { all.diagnostics = [d]; actions.push(all); }
        }
      }
    } else if (spec && spec.fix !== 'none' && f.noFixReason) {
      // Say why the usual fix is not offered here (VS Code shows it greyed, with the reason).
      const a = CodeAction.create(`No quick-fix for ${f.code} here`, CodeActionKind.QuickFix);
      a.disabled = { reason: f.noFixReason };
      a.diagnostics = [d];
      actions.push(a);
    }
    const sup = suppressionEdit(file, f);
    const ignore = CodeAction.create(`Ignore ${f.rule} (${f.code}) on this line`, { changes: { [file.uri]: [TextEdit.insert(file.doc.lines.positionAt(sup.offset), sup.text)] } }, CodeActionKind.QuickFix);
    ignore.diagnostics = [d];
    actions.push(ignore);
    const fileSup = fileSuppressionEdit(file, f);
    const ignoreFile = CodeAction.create(`Ignore ${f.rule} (${f.code}) in this file`, { changes: { [file.uri]: [TextEdit.insert(file.doc.lines.positionAt(fileSup.offset), fileSup.text)] } }, CodeActionKind.QuickFix);
    ignoreFile.diagnostics = [d];
    actions.push(ignoreFile);
    const docs = CodeAction.create(`Show documentation for ${f.code} (${f.rule})`, { title: 'Show documentation', command: 'dataflow.openRuleDocs', arguments: [ruleDocsUri(f.code)] }, CodeActionKind.QuickFix);
    docs.diagnostics = [d];
    actions.push(docs);
  }
  return actions;
}
