// ONE renderer for the report: the VS Code panel (mode 'webview') and the HTML export / CLI (mode
// 'standalone') both call it. Pure TypeScript, no `vscode` import.
//
// Security model: a strict CSP (`default-src 'none'`, scripts and styles only with the per-render
// nonce, images only data:), no remote resource, no inline event handler or style attribute, every
// report value HTML-escaped, and the report JSON embedded with `<` `>` `&` as \u escapes so no value
// can close its <script> element.
import type { PerformanceReport } from '../reportTypes';
import { checkCspSource, checkNonce, escapeHtml as e, jsonForScript } from './escape';
import { basename } from './format';
import { REPORT_SCRIPT } from './script';
import { REPORT_CSS } from './styles';
import { renderEngines } from './enginesSection';
import { renderSeeding } from './seedSection';
import { LIMITS, renderGroups, renderHeader, renderLog, renderNotes, renderPlans, renderRecommendations, renderStatements, renderSummary, renderTimeline, statementFlags, type Ctx } from './sections';

export interface RenderOptions {
  /** A fresh random value per render (≥ 16 base64 characters), e.g. crypto.randomBytes(16).toString('base64'). */
  nonce: string;
  /** `webview.cspSource` (webview mode): allowed for styles, images and fonts next to the nonce. */
  cspSource?: string;
  mode: 'webview' | 'standalone';
  /** Extra stylesheets (webview URIs from `webview.asWebviewUri`, webview mode only). */
  resourceUris?: { stylesheets?: string[] };
}

export function contentSecurityPolicy(opts: RenderOptions): string {
  const nonce = `'nonce-${checkNonce(opts.nonce)}'`;
  const src = opts.mode === 'webview' && opts.cspSource ? `${checkCspSource(opts.cspSource)} ` : '';
  return [
    `default-src 'none'`,
    `style-src ${src}${nonce}`,
    `script-src ${nonce}`,
    `img-src ${src}data:`,
    `font-src ${src}data:`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

export function renderReportHtml(report: PerformanceReport, opts: RenderOptions): string {
  const nonce = checkNonce(opts.nonce);
  const ctx: Ctx = { mode: opts.mode, report, flags: statementFlags(report) };
  const links = opts.mode === 'webview' ? (opts.resourceUris?.stylesheets ?? []).map((href) => `<link rel="stylesheet" nonce="${e(nonce)}" href="${e(href)}">`).join('') : '';
  const payload = { report, view: { mode: opts.mode, rowsRendered: Math.min(LIMITS.statementRows, report.statements.length), chunk: LIMITS.statementRows, sqlChars: LIMITS.sqlChars } };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy(opts))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(`DataFlow performance: ${basename(report.source.file)}`)}</title>
<style nonce="${e(nonce)}">${REPORT_CSS}</style>${links}
</head>
<body class="dfp-${opts.mode}">
<main>
${renderHeader(ctx)}
${renderSummary(ctx)}
${renderSeeding(ctx)}
${renderRecommendations(ctx)}
${renderTimeline(ctx)}
${renderGroups(ctx)}
${renderStatements(ctx)}
${renderPlans(ctx)}
${renderNotes(ctx)}
${renderEngines(ctx)}
${renderLog(ctx)}
</main>
<script type="application/json" id="dfp-data" nonce="${e(nonce)}">${jsonForScript(payload)}</script>
<script nonce="${e(nonce)}">${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

/** A small page with the same CSP and styles, for "nothing to show" states (e.g. a panel restored without its report). */
export function renderMessageHtml(title: string, message: string, opts: RenderOptions): string {
  const nonce = checkNonce(opts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy(opts))}">
<title>${e(title)}</title>
<style nonce="${e(nonce)}">${REPORT_CSS}</style>
</head>
<body class="dfp-${opts.mode}"><main><h1>${e(title)}</h1><p>${e(message)}</p></main></body>
</html>
`;
}
