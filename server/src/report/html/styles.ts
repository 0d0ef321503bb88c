// The report's stylesheet. In the webview the --vscode-* variables follow the user's theme; the
// standalone export falls back to the light/dark palettes below (prefers-color-scheme).
export const REPORT_CSS = String.raw`
:root {
  color-scheme: light dark;
  --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --hover: #eef1f4;
  --accent: #0969da; --bad: #cf222e; --good: #1a7f37; --warn: #9a6700; --code-bg: #f3f4f6;
  --c-create: #2da44e; --c-read: #0969da; --c-list: #8250df; --c-count: #1b7c83; --c-aggregate: #bf3989;
  --c-update: #d4a72c; --c-upsert: #e16f24; --c-delete: #cf222e; --c-other: #8c959f;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --hover: #1f2630;
    --accent: #4493f8; --bad: #f85149; --good: #3fb950; --warn: #d29922; --code-bg: #1b222c;
    --c-create: #3fb950; --c-read: #4493f8; --c-list: #a371f7; --c-count: #39c5cf; --c-aggregate: #db61a2;
    --c-update: #d29922; --c-upsert: #f0883e; --c-delete: #f85149; --c-other: #6e7681;
  }
}
:root {
  --t-fg: var(--vscode-editor-foreground, var(--fg));
  --t-bg: var(--vscode-editor-background, var(--bg));
  --t-muted: var(--vscode-descriptionForeground, var(--muted));
  --t-border: var(--vscode-panel-border, var(--vscode-widget-border, var(--border)));
  --t-panel: var(--vscode-sideBar-background, var(--vscode-editorWidget-background, var(--panel)));
  --t-hover: var(--vscode-list-hoverBackground, var(--hover));
  --t-accent: var(--vscode-textLink-foreground, var(--accent));
  --t-bad: var(--vscode-errorForeground, var(--bad));
  --t-good: var(--vscode-charts-green, var(--good));
  --t-warn: var(--vscode-editorWarning-foreground, var(--warn));
  --t-code: var(--vscode-textCodeBlock-background, var(--code-bg));
}
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body {
  color: var(--t-fg); background: var(--t-bg);
  font-family: var(--vscode-font-family, -apple-system, BlinkMacSystemFont, "Segoe UI", system-ui, Ubuntu, sans-serif);
  font-size: var(--vscode-font-size, 13px); line-height: 1.45;
}
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.5em; margin: 0 0 2px; font-weight: 600; }
h2 { font-size: 1.15em; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--t-border); font-weight: 600; }
h3 { font-size: 1em; margin: 16px 0 6px; font-weight: 600; }
code, pre, .mono { font-family: var(--vscode-editor-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace); font-size: 0.92em; }
.muted { color: var(--t-muted); }
.bad { color: var(--t-bad); }
.good { color: var(--t-good); }
header.top { display: flex; gap: 16px; align-items: flex-start; justify-content: space-between; flex-wrap: wrap; }
header.top .meta { color: var(--t-muted); font-size: 0.92em; }
header.top .meta span + span::before { content: " · "; }
nav.toc { margin: 10px 0 0; display: flex; gap: 4px 14px; flex-wrap: wrap; font-size: 0.92em; }
nav.toc a { color: var(--t-accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
button {
  font: inherit; cursor: pointer; border-radius: 3px; padding: 3px 10px;
  color: var(--vscode-button-foreground, #fff); background: var(--vscode-button-background, var(--accent));
  border: 1px solid var(--vscode-button-border, transparent);
}
button:hover { background: var(--vscode-button-hoverBackground, var(--accent)); filter: brightness(1.08); }
button.secondary { color: var(--vscode-button-secondaryForeground, var(--t-fg)); background: var(--vscode-button-secondaryBackground, var(--t-panel)); border-color: var(--t-border); }
button.link { background: none; border: none; padding: 0; color: var(--t-accent); text-decoration: none; font-family: inherit; }
button.link:hover { text-decoration: underline; filter: none; }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder, var(--accent)); outline-offset: 1px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
.card { background: var(--t-panel); border: 1px solid var(--t-border); border-radius: 6px; padding: 8px 12px; }
.card .label { color: var(--t-muted); font-size: 0.85em; }
.card .value { font-size: 1.35em; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .sub { color: var(--t-muted); font-size: 0.85em; }
.card.alert { border-color: var(--t-bad); }
.card.alert .value { color: var(--t-bad); }
.card.warn { border-color: var(--t-warn); }
.card.warn .value { color: var(--t-warn); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--t-border); vertical-align: top; }
th { font-weight: 600; color: var(--t-muted); font-size: 0.88em; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:hover { background: var(--t-hover); }
tr.failed td:first-child { box-shadow: inset 3px 0 var(--t-bad); }
.sql { white-space: pre-wrap; word-break: break-word; background: var(--t-code); padding: 1px 4px; border-radius: 3px; display: inline-block; max-width: 100%; }
.sql-cell { min-width: 320px; }
.sql-cell .sql, .plan > div > .sql { max-height: 13.5em; overflow: auto; }
.err { color: var(--t-bad); font-size: 0.92em; }
ul.failures { margin: 6px 0; padding-left: 0; list-style: none; }
ul.failures li { color: var(--t-bad); }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 0.8em; font-weight: 600; line-height: 1.6; white-space: nowrap; border: 1px solid currentColor; margin: 1px 2px 1px 0; }
.badge.similar { color: var(--c-list); }
.badge.duplicate { color: var(--t-warn); }
.badge.nplus1 { color: var(--t-bad); }
.badge.slow { color: var(--c-upsert); }
.badge.error { color: var(--t-bad); }
.badge.code { color: var(--t-accent); }
.badge.verdict-recommended { color: var(--vscode-testing-iconPassed, var(--good)); }
.badge.verdict-not-worth-it { color: var(--t-muted); }
.badge.verdict-unverified { color: var(--t-warn); border-style: dashed; }
svg text { fill: var(--t-fg); font-size: 11px; font-family: inherit; }
svg .axis text { fill: var(--t-muted); font-size: 10px; }
svg .grid { stroke: var(--t-border); stroke-width: 1; stroke-dasharray: 2 3; }
.bar rect { stroke: none; }
.bar .bar-label { fill: #fff; font-size: 10.5px; pointer-events: none; }
.bar.failed rect { stroke: var(--t-bad); stroke-width: 2; fill-opacity: 0.55; }
.bar.failed .bar-label { fill: var(--t-fg); font-weight: 600; }
.fail-mark { fill: var(--t-bad) !important; font-weight: 700; }
.op-create rect, rect.op-create { fill: var(--vscode-charts-green, var(--c-create)); }
.op-read rect, rect.op-read { fill: var(--vscode-charts-blue, var(--c-read)); }
.op-list rect, rect.op-list { fill: var(--vscode-charts-purple, var(--c-list)); }
.op-count rect, rect.op-count { fill: var(--c-count); }
.op-aggregate rect, rect.op-aggregate { fill: var(--c-aggregate); }
.op-update rect, rect.op-update { fill: var(--vscode-charts-yellow, var(--c-update)); }
.op-upsert rect, rect.op-upsert { fill: var(--vscode-charts-orange, var(--c-upsert)); }
.op-delete rect, rect.op-delete { fill: var(--vscode-charts-red, var(--c-delete)); }
.op-other rect, rect.op-other { fill: var(--c-other); }
.loop-span path { fill: none; stroke: var(--t-muted); stroke-width: 1; }
.loop-span text { fill: var(--t-muted); font-size: 10px; }
.waterfall-wrap { overflow-x: auto; border: 1px solid var(--t-border); border-radius: 6px; padding: 6px; background: var(--t-panel); }
svg.waterfall { display: block; width: 100%; min-width: 640px; height: auto; }
.legend { display: flex; gap: 12px; flex-wrap: wrap; font-size: 0.85em; color: var(--t-muted); margin: 6px 0 0; }
.legend svg { vertical-align: -1px; margin-right: 4px; }
.run-head { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.dur { display: flex; align-items: center; gap: 6px; justify-content: flex-end; }
.dur svg { flex: none; }
.dur rect.track { fill: var(--t-border); opacity: 0.5; }
.dur rect.fill { fill: var(--t-accent); }
.dur rect.fill.slow { fill: var(--t-bad); }
.rec { border: 1px solid var(--t-border); border-radius: 6px; padding: 10px 14px; margin: 0 0 10px; background: var(--t-panel); }
.rec.verdict-recommended { border-left: 4px solid var(--vscode-testing-iconPassed, var(--good)); }
.rec.verdict-not-worth-it { border-left: 4px solid var(--t-muted); }
.rec.verdict-unverified { border-left: 4px dashed var(--t-warn); }
.rec .title { font-weight: 600; font-size: 1.05em; }
.rec .where { font-size: 0.92em; margin: 2px 0 8px; }
.compare { display: grid; grid-template-columns: max-content 260px 1fr; gap: 4px 10px; align-items: center; margin: 6px 0; }
.compare .k { color: var(--t-muted); font-size: 0.9em; }
.compare rect.before { fill: var(--t-bad); }
.compare rect.after { fill: var(--vscode-testing-iconPassed, var(--good)); }
.compare .desc { font-size: 0.92em; }
.ratio { font-weight: 600; }
.rec .detail { margin: 6px 0; }
.rec .actions { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
ul.plan-tree, ul.plan-tree ul { list-style: none; margin: 0; padding-left: 18px; }
ul.plan-tree { padding-left: 0; }
ul.plan-tree li { position: relative; padding: 2px 0; }
ul.plan-tree ul li::before { content: "└─"; position: absolute; left: -16px; color: var(--t-muted); font-family: monospace; }
.pnode { font-weight: 600; }
.pnode.costliest { color: var(--t-bad); }
.pnode.costliest::after { content: " ◆ costliest"; font-size: 0.8em; font-weight: 600; }
.plan { border: 1px solid var(--t-border); border-radius: 6px; padding: 8px 12px; margin: 0 0 10px; }
ul.notes { padding-left: 18px; margin: 4px 0; }
ul.notes li { margin: 3px 0; }
pre.log, pre.raw { background: var(--t-code); padding: 8px 10px; border-radius: 6px; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-word; margin: 0; }
.more { margin: 8px 0; display: flex; gap: 10px; align-items: center; }
details > summary { cursor: pointer; color: var(--t-accent); }
.empty { color: var(--t-muted); font-style: italic; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
`;
