// Output formats of dataflow-lint: human (file:line:col code message), JSON and SARIF 2.1.0.
import type { Finding } from '../analysis/finding';
import { ruleDocsUri } from '../analysis/docsLink';
import { RULE_SPECS } from '../rules';
import { resolveFix } from '../analysis/fixResolution';
import type { WorkspaceModel } from '../model/workspaceModel';

export interface Reported {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  rule: string;
  severity: string;
  message: string;
  /**
   * True only when a quick-fix edit is produced for this finding. Left out when the fix was not
   * computed (human and SARIF output do not print it).
   */
  fixable?: boolean;
  /** `safe` or `unsafe` (changes behaviour), when fixable. */
  fixApplicability?: 'safe' | 'unsafe';
  /** Why the rule's quick-fix is not offered here, when it is not. */
  noFixReason?: string;
}

export function toReported(file: string, f: Finding, pos: (offset: number) => { line: number; character: number }, workspace?: WorkspaceModel, withFix = true): Reported {
  const s = pos(f.span.start), e = pos(f.span.end);
  const r: Reported = { file, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, code: f.code, rule: f.rule, severity: f.severity, message: f.message };
  if (!withFix) return r;
  const fix = resolveFix(f, workspace);
  r.fixable = !!fix;
  if (fix) r.fixApplicability = fix.applicability;
  else if (f.noFixReason) r.noFixReason = f.noFixReason;
  return r;
}

export function human(items: Reported[]): string {
  return items.map((r) => `${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code} [${r.rule}] ${r.message}`).join('\n');
}

export function json(items: Reported[]): string { return JSON.stringify(items, null, 2); }

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function sarif(items: Reported[], version: string): string {
  const rules = RULE_SPECS.map((r) => ({
    id: r.code,
    name: r.name,
    shortDescription: { text: r.summary },
    helpUri: ruleDocsUri(r.code),
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] ?? 'warning' },
    properties: { fix: r.fix },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'dataflow-lint', informationUri: 'https://github.com/dataflow-performance', version, rules } },
      results: items.map((r) => ({
        ruleId: r.code,
        ruleIndex: RULE_SPECS.findIndex((s) => s.name === r.rule),
        level: SARIF_LEVEL[r.severity] ?? 'warning',
        message: { text: r.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: r.file }, region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn } } }],
      })),
    }],
  };
  return JSON.stringify(log, null, 2);
}
