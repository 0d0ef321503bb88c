// The "Engines" section of a "Compare Engines" report: which interpreter ran the real DataFlow,
// each engine's run in figures, and every node whose result or statements differ between the
// embedded runtime and Python (the embedded runtime's fidelity on the user's own code).
import type { EngineRunSummary } from '../reportTypes';
import { escapeHtml as e } from './escape';
import { fmtInt, fmtMs } from './format';
import type { Ctx } from './sections';

const KIND_TEXT: Record<string, string> = { result: 'result differs', statements: 'statements differ', error: 'error differs', missing: 'only one engine' };

function engineRow(name: string, s: EngineRunSummary): string {
  return `<tr><td>${e(name)}</td><td>${s.ok ? 'ok' : `<span class="err">${e(s.error ?? 'failed')}</span>`}</td><td class="num">${e(fmtInt(s.runs))}</td><td class="num">${e(fmtInt(s.nodes))}</td><td class="num">${e(fmtInt(s.statements))}</td><td class="num">${e(fmtMs(s.elapsedMs))}</td></tr>`;
}

function side(label: string, text: string | undefined): string {
  return text === undefined ? '' : `<div><span class="muted">${e(label)}:</span> <code class="sql">${e(text)}</code></div>`;
}

export function renderEngines(ctx: Ctx): string {
  const c = ctx.report.comparison;
  if (!c) return '';
  const py = `${c.python.path} (kailash-dataflow ${c.python.version}${c.python.kailashVersion ? `, kailash ${c.python.kailashVersion}` : ''})`;
  const diffs = c.differences.length
    ? `<table data-engines="differences"><thead><tr><th class="num">Run</th><th>Node</th><th>Kind</th><th>Difference</th></tr></thead><tbody>${c.differences.map((d) =>
      `<tr><td class="num">${e(d.run + 1)}</td><td class="mono">${e(d.node ?? '(run)')}</td><td>${e(KIND_TEXT[d.kind] ?? d.kind)}</td><td>${e(d.message)}${side('embedded', d.embedded)}${side('Python', d.python)}</td></tr>`).join('')}</tbody></table>` +
      (c.differencesOmitted > 0 ? `<p class="muted">${e(fmtInt(c.differencesOmitted))} more differences were left out.</p>` : '')
    : `<p class="empty">No difference: every compared node returned the same result with the same statements.</p>`;
  return `<section id="engines"><h2>Engines: embedded runtime vs Python</h2>` +
    `<p>${e(`${fmtInt(c.nodesAgreeing)} of ${fmtInt(c.nodesCompared)} compared nodes agree. The rest of this report is the ${c.reportEngine === 'python' ? 'Python' : 'embedded runtime\'s'} run. Python: ${py}.`)}</p>` +
    `<table data-engines="runs"><thead><tr><th>Engine</th><th>Outcome</th><th class="num">Runs</th><th class="num">Nodes</th><th class="num">Statements</th><th class="num">Time</th></tr></thead><tbody>${engineRow('embedded runtime', c.embedded)}${engineRow('Python (real DataFlow)', c.pythonRun)}</tbody></table>` +
    `<h3>Differences (${e(fmtInt(c.differences.length + c.differencesOmitted))})</h3>${diffs}</section>`;
}
