// The analysis engine shared by the language server and the CLI: runs every rule over a file
// against the workspace model and drops suppressed findings.
import type { AnalysisSettings } from '../settings';
import type { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import { RULES } from '../rules';
import type { Finding } from './finding';
import { isSuppressed } from './suppression';

export function analyzeFile(file: SourceFile, workspace: WorkspaceModel, settings: AnalysisSettings): Finding[] {
  if (!settings.enable || !file.relevant || !file.doc.tree) return [];
  const ctx = { file, workspace, settings };
  const out: Finding[] = [];
  for (const rule of RULES) {
    let found: Finding[];
    try {
      found = rule.check(ctx);
    } catch (err) {
      // A rule bug must never take the others (or the server) down.
      console.error(`dataflow: rule ${rule.name} failed on ${file.uri}: ${(err as Error).stack ?? err}`);
      continue;
    }
    for (const f of found) if (!isSuppressed(file, f)) out.push(f);
  }
  out.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return out;
}
