// "Engines compared": the same entry point run by the embedded runtime and by the project's own
// Python (dataflow-run --compare), with every node whose result or statements differ.
import { escapeHtml as e } from './escape';
import type { Ctx } from './sections';

const MAX_ROWS = 500;
const MAX_VALUE = 2000;

function value(v: unknown): string {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v, null, 1);
  return s.length > MAX_VALUE ? s.slice(0, MAX_VALUE) + '…' : s;
}

export function renderEngines(ctx: Ctx): string {
  const c = ctx.report.engines;
  if (!c) return '';
  const diffs = c.differences.slice(0, MAX_ROWS);
  const head =
    `<p>Embedded runtime: ${e(c.embeddedRuns ?? 0)} run(s)${c.embeddedMs !== undefined ? `, ${e(Math.round(c.embeddedMs))} ms` : ''}; ` +
    `Python${c.python ? ` (${e(c.python)})` : ''}: ${e(c.pythonRuns ?? 0)} run(s)${c.pythonMs !== undefined ? `, ${e(Math.round(c.pythonMs))} ms` : ''}. ` +
    `${e(c.nodesAgreeing)} of ${e(c.nodesCompared)} node(s) agree.</p>`;
  const stopped = (label: string, code: number | undefined, x: typeof c.embeddedError) =>
    x ? `<p class="muted">${e(label)} stopped (exit ${e(code ?? '')}): ${e(x.type)}: ${e(x.message)}${x.file ? ` (${e(x.file)}:${e(x.line ?? '')})` : ''}</p>` : '';
  const table = diffs.length
    ? `<table class="engines"><thead><tr><th class="num">Run</th><th>Node</th><th>What differs</th><th>Embedded runtime</th><th>Python (real DataFlow)</th></tr></thead><tbody>` +
      diffs
        .map(
          (d) =>
            `<tr><td class="num">${e(d.run)}</td><td class="mono">${e(d.node ?? '')}</td><td>${e(d.kind)}: ${e(d.message)}</td>` +
            `<td><pre class="mono">${e(value(d.embeddedText ?? d.embedded))}</pre></td><td><pre class="mono">${e(value(d.pythonText ?? d.python))}</pre></td></tr>`,
        )
        .join('') +
      `</tbody></table>` +
      (c.differences.length > diffs.length ? `<p class="muted">${e(c.differences.length - diffs.length)} more differences in the JSON export.</p>` : '')
    : `<p class="empty">No differences: every node's result and statements agree.</p>`;
  return `<section id="engines"><h2>Engines compared</h2>${head}${stopped('The embedded runtime', c.embeddedExitCode, c.embeddedError)}${stopped('Python', c.pythonExitCode, c.pythonError)}${table}</section>`;
}
