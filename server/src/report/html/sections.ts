// The report's sections as HTML strings. Every report value goes through escapeHtml (e); numbers
// we computed ourselves are still escaped, for uniformity.
import type { Measurement, NPlusOne, PerformanceReport, PlanNode, PlanProfile, Recommendation, SourceLoc, StatementGroup, StatementProfile } from '../reportTypes';
import { escapeHtml as e } from './escape';
import { basename, fmtCost, fmtInt, fmtMs, fmtPct, fmtRatio, plural } from './format';
import { renderWaterfall, type OpClass } from './waterfall';

export type Mode = 'webview' | 'standalone';

export const LIMITS = {
  /** Statement rows rendered up front; the rest come from the embedded JSON, this many per click. */
  statementRows: 500,
  /** SQL characters shown before the "show all" expander. */
  sqlChars: 2000,
  /** SQL characters in group lists (full text: statements table). */
  groupSqlChars: 400,
  nodeRows: 500,
  logLines: 2000,
  groupRows: 200,
} as const;

export interface Ctx { mode: Mode; report: PerformanceReport; flags: StatementFlags }

export interface StatementFlags { similar: Map<number, number>; duplicate: Map<number, number>; nPlusOne: Set<string> }

export function statementFlags(r: PerformanceReport): StatementFlags {
  return {
    similar: new Map(r.groups.similar.map((g) => [g.id, g.count])),
    duplicate: new Map(r.groups.duplicate.map((g) => [g.id, g.count])),
    nPlusOne: new Set(r.groups.nPlusOne.map((g) => g.fingerprint)),
  };
}

/** `file:line` — a button posting goToSource in the webview, text in the standalone export. */
export function locLink(ctx: Ctx, loc: Pick<SourceLoc, 'file' | 'line' | 'column'> | undefined, label?: string): string {
  if (!loc) return '';
  const text = label ?? `${basename(loc.file)}:${loc.line}`;
  if (ctx.mode === 'standalone') return `<span class="loc mono" title="${e(`${loc.file}:${loc.line}${loc.column ? `:${loc.column}` : ''}`)}">${e(text)}</span>`;
  return `<button type="button" class="link loc mono" data-action="goto" data-file="${e(loc.file)}" data-line="${e(loc.line)}"${loc.column ? ` data-column="${e(loc.column)}"` : ''} title="${e(`Go to ${loc.file}:${loc.line}`)}">${e(text)}</button>`;
}

export function sqlHtml(sql: string, limit: number, id?: { kind: 'statement' | 'plan' | 'group'; id: number }): string {
  if (sql.length <= limit) return `<code class="sql">${e(sql)}</code>`;
  const more = id ? ` <button type="button" class="link" data-action="expand-sql" data-kind="${e(id.kind)}" data-id="${e(id.id)}">show all ${e(fmtInt(sql.length))} characters</button>` : ` <span class="muted">(${e(fmtInt(sql.length))} characters)</span>`;
  return `<code class="sql">${e(sql.slice(0, limit))}…</code>${more}`;
}

function card(label: string, value: string, sub = '', cls = ''): string {
  return `<div class="card${cls ? ` ${cls}` : ''}"><div class="label">${e(label)}</div><div class="value">${e(value)}</div>${sub ? `<div class="sub">${e(sub)}</div>` : ''}</div>`;
}

export function renderHeader(ctx: Ctx): string {
  const r = ctx.report;
  const meta = [
    `${r.source.file}${r.source.entry ? ` → ${r.source.entry}()` : ''}`,
    r.database.description,
    r.createdAt,
    `${r.tool.name} ${r.tool.version}`,
  ];
  const exportBtn = ctx.mode === 'webview' ? `<button type="button" class="secondary" data-action="export">Export report…</button>` : '';
  const toc = [['summary', 'Summary'], ['recommendations', `Recommendations (${r.recommendations.length})`], ['timeline', 'Timeline'], ['groups', 'Query groups'], ['statements', `Statements (${fmtInt(r.statements.length)})`], ['plans', `Plans (${r.plans.length})`], ['notes', 'Divergences & quirks'], ['log', 'Log']];
  return `<header class="top"><div><h1>Performance report: ${e(basename(r.source.file))}</h1><div class="meta">${meta.map((m) => `<span>${e(m)}</span>`).join('')}</div>` +
    `<nav class="toc">${toc.map(([id, t]) => `<a href="#${id}">${e(t)}</a>`).join('')}</nav></div>${exportBtn}</header>`;
}

export function renderSummary(ctx: Ctx): string {
  const r = ctx.report; const s = r.summary;
  const failedNodes = r.runs.reduce((n, run) => n + run.nodes.filter((x) => x.failed).length, 0);
  const runErrors = r.runs.filter((x) => x.error).length;
  const cards = [
    card('Total time', fmtMs(s.totalMs), `${plural(s.runs, 'run')}, ${plural(s.nodes, 'node')}`),
    card('Time in SQL', fmtMs(s.sqlMs), s.totalMs > 0 ? `${fmtPct(s.sqlMs / s.totalMs)} of total` : ''),
    card('Statements', fmtInt(s.statements), r.statementsOmitted > 0 ? `${fmtInt(r.statementsOmitted)} not kept in the report` : `${plural(s.slowStatements, 'slow statement')}`, s.slowStatements > 0 ? 'warn' : ''),
    card('Rows', fmtInt(s.rows), 'returned or affected'),
    card('Query cache hit rate', fmtPct(s.cache.queryHitRate), `${fmtInt(s.cache.queryHits)} hits / ${fmtInt(s.cache.queryMisses)} misses`),
    card('Pool peak', `${fmtInt(s.pool.peakConnections)} / ${fmtInt(s.pool.size + s.pool.maxOverflow)}`, `pool_size ${s.pool.size} + overflow ${s.pool.maxOverflow}; waited ${fmtMs(s.pool.waitMs)}`, s.pool.waitMs > 0 && s.pool.peakConnections >= s.pool.size + s.pool.maxOverflow ? 'warn' : ''),
    card('Errors', fmtInt(s.errors), failedNodes || runErrors ? `${plural(failedNodes, 'failed node')}, ${plural(runErrors, 'failed run')}` : 'none', s.errors > 0 ? 'alert' : ''),
    card('N+1 patterns', fmtInt(s.nPlusOne), `${plural(r.groups.duplicate.length, 'duplicate group')}`, s.nPlusOne > 0 ? 'alert' : ''),
    card('Divergences', fmtInt(r.divergences.length), 'runtime vs DataFlow', r.divergences.length > 0 ? 'warn' : ''),
    card('DataFlow quirks hit', fmtInt(r.quirks.length), 'reproduced on purpose', r.quirks.length > 0 ? 'warn' : ''),
    card('Profiler overhead', fmtMs(s.profilerMs), s.totalMs > 0 ? `${fmtPct(s.profilerMs / s.totalMs)} of the run's time` : ''),
    ...(s.analysisMs !== undefined ? [card('Report analysis', fmtMs(s.analysisMs), 'plans and what-ifs, after the run')] : []),
  ];
  return `<section id="summary"><h2>Summary</h2><div class="cards">${cards.join('')}</div></section>`;
}

function measureBars(rec: Recommendation): string {
  const pick = (m: Measurement) => ({ ms: m.ms, cost: m.cost });
  const b = pick(rec.before); const a = pick(rec.after);
  const key: 'ms' | 'cost' | undefined = b.ms !== undefined && a.ms !== undefined ? 'ms' : b.cost !== undefined && a.cost !== undefined ? 'cost' : b.ms !== undefined ? 'ms' : b.cost !== undefined ? 'cost' : undefined;
  const val = (m: Measurement) => (key ? m[key] : undefined);
  const max = Math.max(val(rec.before) ?? 0, val(rec.after) ?? 0, 1e-9);
  const W = 260;
  const bar = (m: Measurement, cls: string) => {
    const v = val(m);
    if (v === undefined) return `<span class="muted">not measured</span>`;
    const w = Math.max(1, (v / max) * W);
    return `<svg width="${W}" height="12" class="mbar" aria-hidden="true"><rect class="${cls}" x="0" y="1" width="${w.toFixed(1)}" height="10" rx="2"/></svg>`;
  };
  const figures = (m: Measurement) => [m.ms !== undefined ? fmtMs(m.ms) : '', m.cost !== undefined ? `cost ${fmtCost(m.cost)}` : '', m.statements !== undefined ? plural(m.statements, 'statement') : ''].filter(Boolean).join(' · ');
  const row = (k: string, m: Measurement, cls: string) => `<div class="k">${e(k)}</div><div>${bar(m, cls)}</div><div class="desc"><strong>${e(figures(m) || '–')}</strong> ${e(m.description)}${m.plan ? `<br><code class="sql">${e(m.plan)}</code>` : ''}</div>`;
  return `<div class="compare">${row('before', rec.before, 'before')}${row('after', rec.after, 'after')}</div>`;
}

/** The card's one ratio, labelled: "26× faster", "1.3× slower", "44× lower cost". */
export function ratioLabel(rec: Pick<Recommendation, 'ratio' | 'before' | 'after'>): string {
  if (rec.ratio === undefined || !(rec.ratio > 0) || !Number.isFinite(rec.ratio)) return '';
  const time = rec.before.ms !== undefined && rec.after.ms !== undefined;
  const better = rec.ratio >= 1;
  const what = time ? (better ? 'faster' : 'slower') : better ? 'lower cost' : 'higher cost';
  return `${fmtRatio(better ? rec.ratio : 1 / rec.ratio)} ${what}`;
}

function ratioText(rec: Recommendation): string {
  const label = ratioLabel(rec);
  return label ? `<span class="ratio">${e(label)}</span>` : '';
}

const VERDICT_TEXT: Record<string, string> = { recommended: 'recommended', 'not-worth-it': 'not worth it', unverified: 'unverified' };

export function renderRecommendations(ctx: Ctx): string {
  const recs = ctx.report.recommendations;
  if (!recs.length) return `<section id="recommendations"><h2>Recommendations</h2><p class="empty">No recommendation: nothing the rules flag was slow in this run.</p></section>`;
  const order: Record<string, number> = { recommended: 0, unverified: 1, 'not-worth-it': 2 };
  const sorted = [...recs].sort((a, b) => (order[a.verdict] ?? 3) - (order[b.verdict] ?? 3) || (b.ratio ?? 0) - (a.ratio ?? 0));
  const items = sorted.map((rec) => {
    const verdict = ['recommended', 'not-worth-it', 'unverified'].includes(rec.verdict) ? rec.verdict : 'unverified';
    const loc = { file: rec.file, line: rec.line, column: rec.column };
    const actions: string[] = [];
    // The measurement says the fix does not pay here: no primary button, a secondary one that says so.
    if (ctx.mode === 'webview' && rec.diagnostic?.fixTitle) {
      actions.push(
        verdict === 'not-worth-it'
          ? `<button type="button" class="secondary" data-action="apply-fix" data-rec="${e(rec.id)}" title="${e(`Measured as not worth it here; apply the quick fix “${rec.diagnostic.fixTitle}” anyway`)}">Apply anyway: ${e(rec.diagnostic.fixTitle)}</button>`
          : `<button type="button" data-action="apply-fix" data-rec="${e(rec.id)}" title="${e(`Apply the quick fix “${rec.diagnostic.fixTitle}”`)}">Apply fix: ${e(rec.diagnostic.fixTitle)}</button>`,
      );
    }
    if (ctx.mode === 'webview') actions.push(`<button type="button" class="secondary" data-action="goto" data-file="${e(rec.file)}" data-line="${e(rec.line)}"${rec.column ? ` data-column="${e(rec.column)}"` : ''}>Go to source</button>`);
    else if (rec.diagnostic?.fixTitle) actions.push(`<span class="muted">Quick fix in VS Code: “${e(rec.diagnostic.fixTitle)}”</span>`);
    return `<article class="rec verdict-${verdict}" data-rec-id="${e(rec.id)}">` +
      `<div><span class="badge code">${e(rec.code)}</span><span class="badge verdict-${verdict}">${e(VERDICT_TEXT[verdict])}</span> <span class="title">${e(rec.title)}</span></div>` +
      `<div class="where muted">${e(rec.rule)} · ${locLink(ctx, loc, `${rec.file}:${rec.line}`)} · ${e(plural(rec.nodeIds.length, 'node'))} ${ratioText(rec)}</div>` +
      measureBars(rec) + `<div class="detail">${e(rec.detail)}</div>` +
      (actions.length ? `<div class="actions">${actions.join('')}</div>` : '') + `</article>`;
  });
  return `<section id="recommendations"><h2>Recommendations</h2>${items.join('')}</section>`;
}

const OP_LABEL: Record<OpClass, string> = { create: 'create', read: 'read', list: 'list', update: 'update', delete: 'delete', upsert: 'upsert', count: 'count', aggregate: 'aggregate', other: 'other' };

export function renderTimeline(ctx: Ctx): string {
  const r = ctx.report;
  if (!r.runs.length) return `<section id="timeline"><h2>Timeline</h2><p class="empty">No workflow run was recorded.</p></section>`;
  const runs = r.runs.map((run) => {
    const wf = renderWaterfall(run);
    const legend = wf.ops.map((op) => `<span><svg width="10" height="10" aria-hidden="true"><rect class="op-${op}" width="10" height="10" rx="2"/></svg>${e(OP_LABEL[op])}</span>`).join('') +
      (run.nodes.some((n) => n.failed) ? `<span class="bad">✕ failed</span>` : '');
    const failed = run.nodes.filter((n) => n.failed);
    const nodes = run.nodes.slice(0, LIMITS.nodeRows).map((n) => `<tr${n.failed ? ' class="failed"' : ''}><td class="mono">${e(n.id)}</td><td>${e(n.type)}</td><td class="num">${e(fmtMs(n.startMs - run.startMs))}</td><td class="num">${e(fmtMs(n.ms))}</td><td class="num">${e(fmtMs(n.sqlMs))}</td><td class="num">${e(fmtInt(n.statements))}</td><td class="num">${e(fmtInt(n.rows))}</td><td class="num">${e(`${n.cache.hits}/${n.cache.hits + n.cache.misses}`)}</td><td>${locLink(ctx, n.location)}${n.loops?.length ? ` <span class="muted">${e(n.loops.map((l) => `${l.kind}@${l.line}${l.iteration !== undefined ? `#${l.iteration}` : ''}`).join(' › '))}</span>` : ''}${n.error ? `<div class="err">${e(n.error)}</div>` : ''}</td></tr>`).join('');
    return `<div class="run"><div class="run-head"><h3>Run ${e(run.index)}${run.workflowId ? ` · ${e(run.workflowId)}` : ''}</h3><span class="muted">${e(fmtMs(run.ms))} · ${e(plural(run.nodes.length, 'node'))}${wf.lanes > 1 ? ` · up to ${e(wf.lanes)} in parallel` : ''}</span>${run.location ? locLink(ctx, run.location) : ''}</div>` +
      (run.error ? `<div class="err">${e(run.error.type)}: ${e(run.error.message)}</div>` : '') +
      `<div class="waterfall-wrap">${wf.svg}</div><div class="legend">${legend}${wf.omitted ? `<span>${e(fmtInt(wf.omitted))} later nodes not drawn</span>` : ''}</div>` +
      (failed.length ? `<ul class="failures">${failed.slice(0, 20).map((n) => `<li><strong class="mono">✕ ${e(n.id)}</strong> ${e(n.type)}${n.error ? `: ${e(n.error)}` : ''} ${locLink(ctx, n.location)}</li>`).join('')}${failed.length > 20 ? `<li>${e(fmtInt(failed.length - 20))} more failed nodes</li>` : ''}</ul>` : '') +
      `<details><summary>Nodes (${e(fmtInt(run.nodes.length))})</summary><table><thead><tr><th>Node</th><th>Type</th><th class="num">Start</th><th class="num">Time</th><th class="num">SQL</th><th class="num">Stmts</th><th class="num">Rows</th><th class="num">Cache</th><th>Source</th></tr></thead><tbody>${nodes}</tbody></table>` +
      (run.nodes.length > LIMITS.nodeRows ? `<p class="muted">${e(fmtInt(run.nodes.length - LIMITS.nodeRows))} more nodes in the JSON export.</p>` : '') + `</details></div>`;
  });
  return `<section id="timeline"><h2>Timeline</h2>${runs.join('')}</section>`;
}

function groupTable(groups: StatementGroup[], kind: 'similar' | 'duplicate'): string {
  if (!groups.length) return `<p class="empty">None.</p>`;
  const rows = [...groups].sort((a, b) => b.totalMs - a.totalMs).slice(0, LIMITS.groupRows).map((g) =>
    `<tr><td class="num">${e(fmtInt(g.count))}×</td><td class="num">${e(fmtMs(g.totalMs))}</td><td class="sql-cell">${sqlHtml(g.sql, LIMITS.groupSqlChars)}</td><td class="mono">${e(g.nodeIds.slice(0, 4).join(', '))}${g.nodeIds.length > 4 ? e(` +${g.nodeIds.length - 4}`) : ''}</td></tr>`).join('');
  return `<table data-group="${kind}"><thead><tr><th class="num">Count</th><th class="num">Total</th><th>SQL</th><th>Nodes</th></tr></thead><tbody>${rows}</tbody></table>` +
    (groups.length > LIMITS.groupRows ? `<p class="muted">${e(fmtInt(groups.length - LIMITS.groupRows))} smaller groups in the JSON export.</p>` : '');
}

function nPlusOneList(ctx: Ctx, groups: NPlusOne[]): string {
  if (!groups.length) return `<p class="empty">No N+1 pattern.</p>`;
  return `<table data-group="nplus1"><thead><tr><th class="num">Count</th><th class="num">Total</th><th>SQL</th><th>Where</th></tr></thead><tbody>${groups.map((g) =>
    `<tr><td class="num">${e(fmtInt(g.count))}×</td><td class="num">${e(fmtMs(g.totalMs))}</td><td class="sql-cell">${sqlHtml(g.sql, LIMITS.groupSqlChars)}</td><td>${locLink(ctx, g.location)}${g.loop ? ` <span class="muted">${e(`${g.loop.kind} loop, line ${g.loop.line}`)}</span>` : ''}<div class="muted mono">${e(g.nodeIds.slice(0, 4).join(', '))}${g.nodeIds.length > 4 ? e(` +${g.nodeIds.length - 4}`) : ''}</div></td></tr>`).join('')}</tbody></table>`;
}

export function renderGroups(ctx: Ctx): string {
  const g = ctx.report.groups;
  return `<section id="groups"><h2>Query groups</h2>` +
    `<h3><span class="badge nplus1">N+1</span> Similar statements from one loop or node (${e(g.nPlusOne.length)})</h3>${nPlusOneList(ctx, g.nPlusOne)}` +
    `<h3><span class="badge duplicate">duplicate</span> Same SQL and same parameters (${e(g.duplicate.length)})</h3>${groupTable(g.duplicate, 'duplicate')}` +
    `<h3><span class="badge similar">similar</span> Same SQL, different parameters (${e(g.similar.length)})</h3>${groupTable(g.similar, 'similar')}</section>`;
}

/** One statement row. The webview script has a DOM twin of this (script.ts: statementRow). */
export function statementRow(ctx: Ctx, s: StatementProfile, maxMs: number): string {
  const f = ctx.flags;
  const badges: string[] = [];
  if (f.nPlusOne.has(s.fingerprint)) badges.push('<span class="badge nplus1">N+1</span>');
  if (s.duplicateGroup !== undefined) badges.push(`<span class="badge duplicate">duplicate ×${e(f.duplicate.get(s.duplicateGroup) ?? '?')}</span>`);
  if (s.similarGroup !== undefined) badges.push(`<span class="badge similar">similar ×${e(f.similar.get(s.similarGroup) ?? '?')}</span>`);
  if (s.slow) badges.push('<span class="badge slow">slow</span>');
  if (s.error) badges.push('<span class="badge error">error</span>');
  const w = Math.max(1, (s.durationMs / Math.max(maxMs, 1e-9)) * 80);
  return `<tr data-stmt="${e(s.id)}"${s.error ? ' class="failed"' : ''}><td class="num">${e(s.id)}</td><td class="num">${e(fmtMs(s.startMs))}</td>` +
    `<td class="num"><div class="dur"><span>${e(fmtMs(s.durationMs))}</span><svg width="80" height="8" aria-hidden="true"><rect class="track" width="80" height="8" rx="2"/><rect class="fill${s.slow ? ' slow' : ''}" width="${w.toFixed(1)}" height="8" rx="2"/></svg></div></td>` +
    `<td class="num">${e(fmtInt(s.rows))}</td><td>${e(s.kind)}</td><td class="sql-cell">${sqlHtml(s.sql, LIMITS.sqlChars, { kind: 'statement', id: s.id })}${s.error ? `<div class="err">${e(s.error)}</div>` : ''}</td>` +
    `<td>${badges.join('')}</td><td>${s.nodeId ? `<span class="mono">${e(s.nodeId)}</span> ` : ''}${locLink(ctx, s.location)}</td></tr>`;
}

export function renderStatements(ctx: Ctx): string {
  const st = ctx.report.statements;
  const omitted = ctx.report.statementsOmitted;
  if (!st.length) return `<section id="statements"><h2>Statements</h2><p class="empty">No SQL statement was recorded.</p></section>`;
  let maxMs = 0; for (const s of st) if (s.durationMs > maxMs) maxMs = s.durationMs;
  const first = st.slice(0, LIMITS.statementRows);
  const rows: string[] = new Array(first.length);
  for (let i = 0; i < first.length; i++) rows[i] = statementRow(ctx, first[i]!, maxMs);
  const rest = st.length - first.length;
  return `<section id="statements"><h2>Statements</h2>` +
    `<table id="statements-table" data-max-ms="${e(maxMs)}"><thead><tr><th class="num">#</th><th class="num">Start</th><th class="num">Duration</th><th class="num">Rows</th><th>Kind</th><th>SQL</th><th>Flags</th><th>Source</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<div class="more"><span class="muted" id="statements-count">Showing ${e(fmtInt(first.length))} of ${e(fmtInt(st.length))} statements${omitted ? e(` (${fmtInt(omitted)} more were not kept in the report)`) : ''}.</span>` +
    (rest > 0 ? `<button type="button" class="secondary" data-action="more-rows" id="more-rows">Show ${e(fmtInt(Math.min(rest, LIMITS.statementRows)))} more</button>` : '') + `</div></section>`;
}

/** The node with the largest exclusive cost (time when analysed), when the profiler did not mark one. */
export function costliestNode(root: PlanNode): PlanNode {
  let marked: PlanNode | undefined; let best = root; let bestVal = -Infinity;
  const walk = (n: PlanNode) => {
    if (n.costliest && !marked) marked = n;
    const own = n.actualMs !== undefined ? n.actualMs * (n.loops ?? 1) - n.children.reduce((a, c) => a + (c.actualMs ?? 0) * (c.loops ?? 1), 0) : n.totalCost - n.children.reduce((a, c) => a + c.totalCost, 0);
    if (own > bestVal) { bestVal = own; best = n; }
    n.children.forEach(walk);
  };
  walk(root);
  return marked ?? best;
}

function planNodeHtml(n: PlanNode, hot: PlanNode, depth: number): string {
  const name = `${n.nodeType}${n.index ? ` using ${n.index}` : ''}${n.relation ? ` on ${n.relation}` : ''}`;
  const est = `cost ${fmtCost(n.startupCost)}..${fmtCost(n.totalCost)} · ${fmtInt(n.planRows)} rows`;
  const act = n.actualMs !== undefined ? ` · actual ${fmtMs(n.actualMs)}, ${fmtInt(n.actualRows ?? 0)} rows × ${fmtInt(n.loops ?? 1)} loops` : '';
  const kids = depth < 64 && n.children.length ? `<ul>${n.children.map((c) => planNodeHtml(c, hot, depth + 1)).join('')}</ul>` : '';
  return `<li><span class="pnode${n === hot ? ' costliest' : ''}">${e(name)}</span> <span class="muted">${e(est + act)}</span>${n.filter ? `<div class="muted mono">Filter: ${e(n.filter)}</div>` : ''}${kids}</li>`;
}

export function renderPlans(ctx: Ctx): string {
  const plans = ctx.report.plans;
  if (!plans.length) return `<section id="plans"><h2>Plans</h2><p class="empty">No EXPLAIN plan was captured.</p></section>`;
  const uses = new Map<number, number>();
  for (const s of ctx.report.statements) if (s.planId !== undefined) uses.set(s.planId, (uses.get(s.planId) ?? 0) + 1);
  const items = plans.map((p: PlanProfile) => {
    const hot = costliestNode(p.root);
    return `<div class="plan" data-plan="${e(p.id)}"><div><strong>Plan ${e(p.id)}</strong> <span class="muted">${e(p.analyzed ? 'EXPLAIN ANALYZE (rolled back)' : 'EXPLAIN')} · total cost ${e(fmtCost(p.totalCost))}${p.executionMs !== undefined ? e(` · executed in ${fmtMs(p.executionMs)}`) : ''} · ${e(plural(uses.get(p.id) ?? 0, 'statement'))}</span></div>` +
      `<div>${sqlHtml(p.sql, LIMITS.sqlChars, { kind: 'plan', id: p.id })}</div><ul class="plan-tree">${planNodeHtml(p.root, hot, 0)}</ul>` +
      `<details class="raw-plan" data-plan="${e(p.id)}"><summary>Raw EXPLAIN (FORMAT JSON)</summary><pre class="raw"></pre></details></div>`;
  });
  return `<section id="plans"><h2>Plans</h2>${items.join('')}</section>`;
}

function noteHtml(n: unknown): string {
  if (n && typeof n === 'object' && !Array.isArray(n)) {
    const o = n as Record<string, unknown>;
    const tags = [o.model !== undefined ? `model ${String(o.model)}` : '', o.node !== undefined ? `node ${String(o.node)}` : ''].filter(Boolean).join(', ');
    if (typeof o.code === 'string' || typeof o.message === 'string') return `<li><code>${e(o.code ?? '')}</code> ${e(o.message ?? '')}${tags ? ` <span class="muted">(${e(tags)})</span>` : ''}</li>`;
  }
  return `<li><code>${e(typeof n === 'string' ? n : JSON.stringify(n))}</code></li>`;
}

export function renderNotes(ctx: Ctx): string {
  const r = ctx.report;
  const list = (xs: unknown[], none: string) => (xs.length ? `<ul class="notes">${xs.map(noteHtml).join('')}</ul>` : `<p class="empty">${e(none)}</p>`);
  const tables = Object.entries(r.tables);
  return `<section id="notes"><h2>Divergences &amp; quirks</h2>` +
    `<h3>Divergences: where the profiling runtime differs from DataFlow (${e(r.divergences.length)})</h3>${list(r.divergences, 'None.')}` +
    `<h3>DataFlow quirks hit: reproduced as DataFlow does them (${e(r.quirks.length)})</h3>${list(r.quirks, 'None.')}` +
    (tables.length ? `<h3>Table rows after the run</h3><table class="tables"><thead><tr><th>Table</th><th class="num">Rows</th></tr></thead><tbody>${tables.map(([t, n]) => `<tr><td class="mono">${e(t)}</td><td class="num">${e(fmtInt(n))}</td></tr>`).join('')}</tbody></table>` : '') +
    `</section>`;
}

export function renderLog(ctx: Ctx): string {
  const log = ctx.report.log;
  const shown = log.slice(0, LIMITS.logLines);
  return `<section id="log"><h2>Log</h2>${log.length ? `<pre class="log">${e(shown.join('\n'))}</pre>${log.length > shown.length ? `<p class="muted">${e(fmtInt(log.length - shown.length))} more lines in the JSON export.</p>` : ''}` : '<p class="empty">Nothing was printed.</p>'}</section>`;
}
