// Hover on a DataFlow finding: the rule, what it reports, and the quick-fix it offers here — or
// why it offers none (the light bulb shows the same reason on its disabled action), and a link to the
// rule's page (rendered by the client's command when it names one).
import type { Hover, MarkupContent } from 'vscode-languageserver';
import type { Finding } from '../analysis/finding';
import { ruleDocsUri } from '../analysis/docsLink';
import { fixTitle, resolveFix } from '../analysis/fixResolution';
import { ruleSpecByCode } from '../rules';
import type { WorkspaceModel } from '../model/workspaceModel';

/**
 * The link to a rule's page: a command link when the client said which of its commands renders the
 * page (VS Code's `dataflow.openRuleDocs` opens the Markdown preview), else the page's file: URI.
 */
export function ruleDocsLink(code: string, docsCommand?: string): string {
  const uri = ruleDocsUri(code);
  return docsCommand ? `command:${docsCommand}?${encodeURIComponent(JSON.stringify([uri]))}` : uri;
}

export function findingHover(workspace: WorkspaceModel, uri: string, offset: number, findings: Finding[], docsCommand?: string): Hover | null {
  const file = workspace.get(uri);
  if (!file) return null;
  const here = findings.filter((f) => f.span.start <= offset && offset <= f.span.end);
  if (!here.length) return null;
  const parts: string[] = [];
  for (const f of here) {
    const spec = ruleSpecByCode(f.code);
    const fix = resolveFix(f, workspace);
    const fixLine = fix
      ? `Quick-fix: ${fixTitle(fix)}`
      : spec?.fix === 'none' ? 'This rule has no quick-fix.' : `No quick-fix here: ${f.noFixReason ?? 'no fix applies to this code'}.`;
    parts.push(`**${f.code}** \`${f.rule}\`${spec ? ` — ${spec.summary}` : ''}\n\n${fixLine} · [Rule documentation](${ruleDocsLink(f.code, docsCommand)})`);
  }
  const contents: MarkupContent = { kind: 'markdown', value: parts.join('\n\n---\n\n') };
  const first = here[0];
  return { contents, range: file.doc.lines.range(first.span.start, first.span.end) };
}
