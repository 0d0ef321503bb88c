// What every rule receives (the context itself lives in analysis/context.ts, below rules and
// fixes), plus the small helpers several rules share.
import type { SeverityName } from '../settings';
import type { SourceFile } from '../model/sourceFile';
import type { Finding, Fix } from '../analysis/finding';
import type { RuleSpec } from '../analysis/ruleSpec';
import type { Span } from '../model/staticExpr';
import type { RuleContext } from '../analysis/context';

export type { FactLists, RuleContext } from '../analysis/context';

export interface Rule {
  spec: RuleSpec;
  /** Runs only when the rule's setting is not `ignore`; `severity` is that setting. */
  check(ctx: RuleContext, severity: SeverityName): Finding[];
}

export function finding(rule: RuleSpec, severity: SeverityName, span: Span, message: string, extra: Partial<Finding> = {}): Finding {
  return { rule: rule.name, code: rule.code, severity, span, message, ...extra };
}

/** "1,000" */
export function fmt(n: number): string { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

/** Gives a finding its quick-fix; a fix that finds a late blocker records why on the finding. */
export function withFix(f: Finding, offer: { fix?: () => Fix | string | undefined; reason?: string }): Finding {
  if (offer.fix) {
    const make = offer.fix;
    f.fix = () => {
      const r = make();
      if (typeof r === 'string') { f.noFixReason = r; return undefined; }
      return r;
    };
  } else if (offer.reason) f.noFixReason = offer.reason;
  return f;
}

/** True when the file imports from dataflow or kailash (used when a model is not in the workspace). */
export function importsDataFlow(file: SourceFile): boolean {
  return file.facts.imports.some((i) => i.module === 'dataflow' || i.module.startsWith('dataflow.') || i.module.startsWith('kailash'))
    || /^\s*import\s+dataflow\b/m.test(file.text);
}
