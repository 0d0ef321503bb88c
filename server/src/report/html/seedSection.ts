// The seeded data a profile ran on: how many synthetic rows, and for each filter of the workflow
// the rows seeded to match it and the selectivity it then had (runtime/dataflow/seed/filterSeeding.ts).
import { escapeHtml as e } from './escape';
import { fmtInt, fmtPct } from './format';
import type { Ctx } from './sections';

export function renderSeeding(ctx: Ctx): string {
  const d = ctx.report.database;
  if (!d.seedRows) return '';
  const filters = d.seededFilters ?? [];
  const rows = filters.map((f) => `<tr><td><code>${e(f.model)}</code></td><td><code>${e(f.condition)}</code></td><td class="num">${fmtInt(f.seeded)}</td><td class="num">${fmtInt(f.matching)} of ${fmtInt(f.total)}</td><td class="num">${e(fmtPct(f.total ? f.matching / f.total : null))}</td></tr>`);
  const table = rows.length
    ? `<table><thead><tr><th>Model</th><th>Filter</th><th>Rows seeded to match</th><th>Rows it selects</th><th>Selectivity</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p>No filter of the workflow could be matched with seeded values (no literal equality, <code>$in</code>, range or <code>LIKE</code> condition on a model field).</p>';
  return `<section id="seeding"><h2>Seeded data</h2><p>${fmtInt(d.seedRows)} synthetic rows per model table before the run (values shaped by field names and types; a share given the values the workflow's filters select):</p>${table}</section>`;
}
