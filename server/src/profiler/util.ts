import type { SourceLoc } from '../report/reportTypes';
import type { SourceLocation } from '../runtime/workflow/types';

/** The runtime's call-site location (0-based column) as the report's SourceLoc (1-based). */
export function toSourceLoc(loc: SourceLocation | undefined, fallbackFile = ''): SourceLoc | undefined {
  if (!loc) return undefined;
  const out: SourceLoc = { file: loc.file ?? fallbackFile, line: loc.line };
  if (loc.column !== undefined) out.column = loc.column + 1;
  if (loc.endLine !== undefined) out.endLine = loc.endLine;
  if (loc.endColumn !== undefined) out.endColumn = loc.endColumn + 1;
  if (loc.function !== undefined) out.function = loc.function;
  return out;
}

export function round(ms: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(ms * f) / f;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Throw the signal's reason as a cancellation when it has fired. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ProfilerCancelledError('profiling cancelled');
}

export class ProfilerCancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfilerCancelledError';
  }
}
