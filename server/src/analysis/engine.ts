// The analysis engine shared by the language server and the CLI: runs every rule over a file
// against the workspace model and drops suppressed findings.
//
// Rules run per top-level statement, and a statement's findings are reused after an edit
// elsewhere as long as the statement's facts are the same objects (the extractor reused them)
// and nothing they may depend on outside the statement changed: the workspace's models and what
// model names resolve to (files, imports), the file's module-level bindings and imports, and the
// settings.
import type { AnalysisSettings } from '../settings';
import type { SourceFile } from '../model/sourceFile';
import type { StatementFacts } from '../model/facts';
import type { WorkspaceModel } from '../model/workspaceModel';
import { RULES } from '../rules';
import { importsDataFlow, type RuleContext } from '../rules/ruleContext';
import { crossStatementKey } from '../rules/loopFacts';
import type { Finding } from './finding';
import { forgetFixes } from './fixResolution';
import { suppressionsOf } from './suppression';
import { modelWrites } from '../rules/staleCacheKey';
import { crossStatementKey as nameCrossStatementKey } from '../rules/nameCheck';

/**
 * `start`: where the statement began when its findings were made. Rules build finding spans and
 * fixes from offsets that are not all fact spans (those are shifted in place when text before the
 * statement changes), so a statement that moved is checked again. `version`: of the file when the
 * findings were last handed out; their fixes (which read the whole file: references elsewhere,
 * free names) are computed again for another version. `reasons`: each finding's noFixReason as
 * the rule made it.
 */
interface Cached { key: string; start: number; version: number; findings: Finding[]; reasons: Array<string | undefined> }
const cache = new WeakMap<StatementFacts, Cached>();

/** What findings may depend on outside their own statement. */
function dependencyKey(file: SourceFile, workspace: WorkspaceModel, settings: AnalysisSettings): string {
  const bindings: string[] = [];
  const text = file.text;
  for (const a of file.facts.assignments) {
    if (a.functionName === undefined) bindings.push(`${a.name}=${text.slice(a.value.span.start, a.value.span.end)}`);
  }
  // DF032 reads which models the whole file writes.
  const writes = [...modelWrites(file)].map(([m, w]) => `${m}:${w.what}`).sort().join(',');
  return `${writes}\u0000${workspace.projectFilesVersion}\u0000${workspace.resolutionFingerprint()}\u0000${bindings.join('\u0001')}\u0000${importsDataFlow(file)}\u0000${crossStatementKey(file)}\u0000${JSON.stringify(settings)}\u0000${nameCrossStatementKey(file, workspace)}`;
}

function checkStatement(file: SourceFile, facts: StatementFacts, workspace: WorkspaceModel, settings: AnalysisSettings): Finding[] {
  const ctx: RuleContext = { file, facts, workspace, settings };
  const out: Finding[] = [];
  for (const rule of RULES) {
    try {
      const severity = settings.lint[rule.spec.name];
      if (severity === undefined || severity === 'ignore') continue;
      out.push(...rule.check(ctx, severity));
    } catch (err) {
      // A rule bug must never take the others (or the server) down.
      console.error(`dataflow: rule ${rule.spec.name} failed on ${file.uri}: ${(err as Error).stack ?? err}`);
    }
  }
  return out;
}

export function analyzeFile(file: SourceFile, workspace: WorkspaceModel, settings: AnalysisSettings): Finding[] {
  if (!settings.enable || !file.relevant || !file.doc.tree) return [];
  const key = dependencyKey(file, workspace, settings);
  const out: Finding[] = [];
  const isSuppressed = suppressionsOf(file);
  for (const st of file.facts.statements) {
    let hit = cache.get(st);
    if (!hit || hit.key !== key || hit.start !== st.span.start) {
      const findings = checkStatement(file, st, workspace, settings);
      hit = { key, start: st.span.start, version: file.version, findings, reasons: findings.map((f) => f.noFixReason) };
      cache.set(st, hit);
    } else if (hit.version !== file.version) {
      forgetFixes(hit.findings, hit.reasons);
      hit.version = file.version;
    }
    for (const f of hit.findings) if (!isSuppressed(f)) out.push(f);
  }
  out.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return out;
}
