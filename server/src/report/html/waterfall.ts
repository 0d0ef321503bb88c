// The timeline of one run as inline SVG. Plain SVG written here rather than a chart library: no
// dependency to ship or audit, nothing to load under a `default-src 'none'` CSP (no eval, no inline
// style attributes: geometry is in SVG attributes, colours in the nonce'd stylesheet by class), and
// it costs a few kB of markup, also in the standalone export.
import type { NodeProfile, PerformanceReport } from '../reportTypes';
import { escapeHtml } from './escape';
import { fmtMs, fmtInt, plural } from './format';

type Run = PerformanceReport['runs'][number];

export const WATERFALL = { width: 960, padX: 8, axisH: 22, laneH: 22, barH: 16, loopH: 18, maxBars: 3000 } as const;

const OPS = ['create', 'read', 'list', 'update', 'delete', 'upsert', 'count', 'aggregate'] as const;
export type OpClass = (typeof OPS)[number] | 'other';

/** The colour class of an operation (`bulk_create` → create); never the raw value, so no class injection. */
export function opClass(operation: string | undefined, type?: string): OpClass {
  const raw = (operation ?? type ?? '').toLowerCase().replace(/^bulk_?/, '');
  for (const op of OPS) if (raw === op || raw.startsWith(op)) return op;
  if (type) { // CustomerReadNode, ProductBulkCreateNode…
    const t = type.toLowerCase();
    for (const op of OPS) if (t.endsWith(`${op}node`)) return op;
  }
  return 'other';
}

/**
 * Assigns lanes: sequential nodes share lane 0, a node that starts before every existing lane is
 * free (it ran in parallel) gets the first free lane or a new one. Input order does not matter.
 */
export function assignLanes(nodes: readonly Pick<NodeProfile, 'startMs' | 'ms'>[]): number[] {
  const order = nodes.map((_, i) => i).sort((a, b) => nodes[a]!.startMs - nodes[b]!.startMs || a - b);
  const laneEnd: number[] = [];
  const lanes = new Array<number>(nodes.length).fill(0);
  // The report rounds starts and durations to 0.001 ms: a node that starts as the previous ends may
  // seem to overlap it by up to 0.0015 ms after rounding. Nodes one at a time share lane 0.
  const eps = 0.002;
  for (const i of order) {
    const n = nodes[i]!;
    let lane = laneEnd.findIndex((end) => end <= n.startMs + eps);
    if (lane < 0) { lane = laneEnd.length; laneEnd.push(0); }
    laneEnd[lane] = n.startMs + Math.max(0, n.ms);
    lanes[i] = lane;
  }
  return lanes;
}

function fmtTick(v: number, step: number): string {
  if (step >= 1000) return `${+(v / 1000).toFixed(step >= 10000 ? 0 : 1)} s`;
  const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return `${v.toFixed(digits)} ms`;
}

function niceStep(span: number, targetTicks: number): number {
  const raw = span / Math.max(1, targetTicks);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export interface WaterfallResult { svg: string; lanes: number; drawn: number; omitted: number; ops: OpClass[] }

/** The SVG of one run: axis, one bar per node (x ∝ startMs, width ∝ ms), loop spans underneath. */
export function renderWaterfall(run: Run): WaterfallResult {
  const { width, padX, axisH, laneH, barH, loopH, maxBars } = WATERFALL;
  const all = run.nodes;
  const nodes = all.length > maxBars ? all.slice(0, maxBars) : all;
  const t0 = Math.min(run.startMs, ...nodes.map((n) => n.startMs));
  const t1 = Math.max(run.startMs + run.ms, ...nodes.map((n) => n.startMs + n.ms));
  const span = Math.max(t1 - t0, 1e-3);
  const trackW = width - 2 * padX;
  const xOf = (ms: number) => padX + ((ms - t0) / span) * trackW;
  const lanes = assignLanes(nodes);
  const laneCount = Math.max(1, ...lanes.map((l) => l + 1));

  const loops = new Map<number, { kind: string; start: number; end: number; count: number }>();
  for (const n of nodes) {
    const loop = n.loops?.[n.loops.length - 1];
    if (!loop) continue;
    const e = loops.get(loop.line) ?? { kind: loop.kind, start: n.startMs, end: n.startMs + n.ms, count: 0 };
    e.start = Math.min(e.start, n.startMs); e.end = Math.max(e.end, n.startMs + n.ms); e.count += 1;
    loops.set(loop.line, e);
  }
  const loopRows = loops.size > 0 ? 1 : 0;
  const height = axisH + laneCount * laneH + loopRows * loopH + 4;

  const parts: string[] = [];
  parts.push(`<svg class="waterfall" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Timeline of run ${escapeHtml(run.index)}: ${escapeHtml(fmtInt(all.length))} nodes over ${escapeHtml(fmtMs(span))}" preserveAspectRatio="xMinYMin meet">`);
  // Axis: ~8 ticks at round values.
  const step = niceStep(span, 8);
  parts.push(`<g class="axis">`);
  for (let v = 0; v <= span + 1e-9; v += step) {
    const x = xOf(t0 + v).toFixed(1);
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${axisH - 4}" y2="${height}"/><text x="${x}" y="${axisH - 8}" text-anchor="${v === 0 ? 'start' : 'middle'}">${escapeHtml(fmtTick(v, step))}</text>`);
  }
  parts.push(`</g>`);
  const ops = new Set<OpClass>();
  nodes.forEach((n, i) => {
    const op = opClass(n.operation, n.type);
    ops.add(op);
    const x = xOf(n.startMs);
    const w = Math.max(1, (Math.max(0, n.ms) / span) * trackW);
    const y = axisH + lanes[i]! * laneH + (laneH - barH) / 2;
    const label = `${n.id} · ${n.type}${n.model ? ` (${n.model})` : ''}`;
    const tip = `${label}\n${fmtMs(n.ms)} total, ${fmtMs(n.sqlMs)} SQL, ${plural(n.statements, 'statement')}, ${plural(n.rows, 'row')}` +
      `\nstart +${fmtMs(n.startMs - t0)}${n.location ? `\n${n.location.file}:${n.location.line}` : ''}${n.failed ? `\nFAILED${n.error ? `: ${n.error}` : ''}` : ''}`;
    parts.push(`<g class="bar op-${op}${n.failed ? ' failed' : ''}" data-node="${escapeHtml(n.id)}"><title>${escapeHtml(tip)}</title>` +
      `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${barH}" rx="2"/>`);
    const text = n.failed ? `✕ ${n.id}` : n.id;
    if (w >= text.length * 6.2 + 8) parts.push(`<text class="bar-label" x="${(x + 4).toFixed(2)}" y="${y + barH - 4}">${escapeHtml(text)}</text>`);
    else if (n.failed) parts.push(`<text class="fail-mark" x="${(x + w + 2).toFixed(2)}" y="${y + barH - 4}">✕</text>`);
    parts.push(`</g>`);
  });
  if (loopRows) {
    const y = axisH + laneCount * laneH + 2;
    for (const [line, l] of [...loops.entries()].sort((a, b) => a[1].start - b[1].start)) {
      const x = xOf(l.start); const w = Math.max(1, ((l.end - l.start) / span) * trackW);
      const text = `${l.kind} loop, line ${line}: ${plural(l.count, 'node run')}`;
      parts.push(`<g class="loop-span"><title>${escapeHtml(`${text}, ${fmtMs(l.end - l.start)}`)}</title><path d="M${x.toFixed(2)} ${y} v5 h${w.toFixed(2)} v-5"/>` +
        `<text x="${(x + 2).toFixed(2)}" y="${y + 15}">${escapeHtml(w >= text.length * 5.8 ? text : `L${line} ×${l.count}`)}</text></g>`);
    }
  }
  parts.push(`</svg>`);
  return { svg: parts.join(''), lanes: laneCount, drawn: nodes.length, omitted: all.length - nodes.length, ops: [...ops] };
}
