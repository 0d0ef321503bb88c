// The last performance report of each file, as the server saw it pass (the `dataflow/run` profile
// and "Profile with Python" requests go through the server). In memory only: the client keeps its
// own copy in the workspace storage; after a server restart the hover shows no measured times
// until the next profile.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeProfile, PerformanceReport } from '../report/reportTypes';

export interface MeasuredNode { id: string; run: number; ms: number; rows: number; statements: number; line?: number }

export class ProfileStore {
  private byFile = new Map<string, { report: PerformanceReport; at: string }>();

  record(report: PerformanceReport | undefined): void {
    if (!report?.source?.file) return;
    this.byFile.set(path.resolve(report.source.file), { report, at: report.createdAt });
  }

  /** The report of the file at `uri`, if one was recorded. */
  reportFor(uri: string): PerformanceReport | undefined {
    const p = filePath(uri);
    return p ? this.byFile.get(p)?.report : undefined;
  }

  /** The measured nodes of type `type` in the last report of `uri`'s file (every run). */
  nodesOfType(uri: string, type: string): { report: PerformanceReport; nodes: MeasuredNode[] } | undefined {
    const report = this.reportFor(uri);
    if (!report) return undefined;
    const nodes: MeasuredNode[] = [];
    for (const r of report.runs) for (const n of r.nodes) if (n.type === type) nodes.push(measured(n));
    return { report, nodes };
  }
}

function measured(n: NodeProfile): MeasuredNode {
  return { id: n.id, run: n.run, ms: n.ms, rows: n.rows, statements: n.statements, line: n.location?.line };
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return path.resolve(fileURLToPath(uri)); } catch { return undefined; }
}
