// Inlay hints with measured facts: after each `add_node(...)` call of a file that has a profile,
// the last measured time, statements and rows of the nodes that call added
// (`⏱ 12.4 ms · 1 stmt · 30 rows`; `×3` when it ran three times, in a loop or in several runs).
// A hint belongs to the call the profile recorded: same line, same node type. When an edit moves or
// changes the call, its hint goes away instead of labelling another call.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../model/sourceFile';
import type { ProfileStore } from './profileStore';
import { nodeTypeIn } from '../rules/nodeContext';

export interface ProfileHint {
  /** Offset the hint is shown at: the end of the add_node call. */
  offset: number;
  label: string;
  tooltip: string;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function profileHints(file: SourceFile, profiles: ProfileStore): ProfileHint[] {
  const report = profiles.reportFor(file.uri);
  if (!report) return [];
  let here: string;
  try { here = path.resolve(fileURLToPath(file.uri)); } catch { return []; }
  // The report's nodes by the line and type of the add_node call that created them.
  const byCall = new Map<string, { ms: number; statements: number; rows: number; ids: Set<string>; count: number; failed: number }>();
  for (const run of report.runs) {
    for (const n of run.nodes) {
      if (!n.location || path.resolve(n.location.file) !== here) continue;
      const key = `${n.location.line}\u0000${n.type}`;
      const g = byCall.get(key) ?? { ms: 0, statements: 0, rows: 0, ids: new Set<string>(), count: 0, failed: 0 };
      g.ms += n.ms;
      g.statements += n.statements;
      g.rows += n.rows;
      g.ids.add(n.id);
      g.count++;
      if (n.failed) g.failed++;
      byCall.set(key, g);
    }
  }
  if (!byCall.size) return [];
  const out: ProfileHint[] = [];
  for (const node of file.facts.nodes) {
    const type = nodeTypeIn(file, node); // a literal, or a name holding one (CREATE = "ProductCreateNode")
    if (!type) continue;
    const line = file.doc.lines.positionAt(node.span.start).line + 1;
    const g = byCall.get(`${line}\u0000${type}`);
    if (!g) continue;
    const times = g.count > 1 ? ` ×${g.count}` : '';
    const label = `⏱ ${ms(g.ms)} ms${times} · ${g.statements} stmt · ${g.rows} row${g.rows === 1 ? '' : 's'}${g.failed ? ` · ${g.failed} failed` : ''}`;
    const ids = [...g.ids];
    const tooltip = `Last profile (${report.createdAt}): ${g.count} execution${g.count === 1 ? '' : 's'} of this ${type} (node${ids.length === 1 ? '' : 's'} ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}); totals of time, statements and rows.`;
    out.push({ offset: node.span.end, label, tooltip });
  }
  return out;
}
