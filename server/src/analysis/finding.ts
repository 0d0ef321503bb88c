// What a rule reports, independent of LSP: offsets into the file, and a lazily computed fix.
import type { RuleName, SeverityName } from '../settings';
import type { Span } from '../model/staticExpr';

export interface TextEditAt { span: Span; newText: string }
export interface FileEdit { uri: string; edits: TextEditAt[] }

export interface Fix {
  title: string;
  isPreferred: boolean;
  edits: FileEdit[];
  /** Overrides the rule's applicability for this fix (a rule may offer both kinds). */
  applicability?: 'safe' | 'unsafe';
}

export interface Finding {
  rule: RuleName;
  code: string;
  severity: SeverityName;
  message: string;
  span: Span;
  /**
   * Computes the quick-fix; undefined when no fix exists (then `noFixReason` says why). Called
   * only when asked for, through `resolveFix` (analysis/fixResolution.ts), which remembers it.
   */
  fix?: () => Fix | undefined;
  /** Why no fix is offered, when a fix was considered and refused (hover, light bulb, --format json). */
  noFixReason?: string;
}
