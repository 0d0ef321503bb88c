// Number and text formatting for the report. No toLocaleString: its output depends on the
// machine's locale (tests and exports must not), and it is slow in loops of 10,000 rows.

export function fmtInt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const s = String(Math.round(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Milliseconds with a precision that suits the magnitude: 0.42 ms, 12.4 ms, 1,234 ms, 12.3 s. */
export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${fmtInt(ms)} ms`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtCost(cost: number | undefined): string {
  if (cost === undefined || !Number.isFinite(cost)) return '–';
  return cost >= 1000 ? fmtInt(cost) : cost.toFixed(2);
}

export function fmtPct(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return `${(ratio * 100).toFixed(ratio >= 0.995 || ratio === 0 ? 0 : 1)} %`;
}

export function fmtRatio(ratio: number): string {
  return ratio >= 10 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(1)}×`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

export function basename(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}
