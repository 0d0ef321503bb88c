// What every rule receives, plus the small helpers several rules share.
import type { AnalysisSettings, RuleName, SeverityName } from '../settings';
import type { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import type { Finding } from '../analysis/finding';
import { RULE_CODES } from '../analysis/finding';
import type { Span } from '../model/staticExpr';

export interface RuleContext {
  file: SourceFile;
  workspace: WorkspaceModel;
  settings: AnalysisSettings;
}

export interface Rule {
  name: RuleName;
  check(ctx: RuleContext): Finding[];
}

export function finding(rule: RuleName, severity: SeverityName, span: Span, message: string, extra: Partial<Finding> = {}): Finding {
  return { rule, code: RULE_CODES[rule], severity, span, message, ...extra };
}

/** "1,000" */
export function fmt(n: number): string { return n.toLocaleString('en-US'); }

/** True when the file imports from dataflow or kailash (used when a model is not in the workspace). */
export function importsDataFlow(file: SourceFile): boolean {
  return file.facts.imports.some((i) => i.module === 'dataflow' || i.module.startsWith('dataflow.') || i.module.startsWith('kailash'))
    || /^\s*import\s+dataflow\b/m.test(file.text);
}
