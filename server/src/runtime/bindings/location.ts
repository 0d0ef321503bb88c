// A host call's site as the workflow runtime and the profiler record it.
import type { HostContext } from '../python/host';
import type { SourceLocation } from '../workflow/types';

export function siteLocation(ctx: HostContext): SourceLocation {
  const s = ctx.site;
  const loops = s.loops.map((l) => ({ kind: (l.kind === 'async for' ? 'for' : l.kind) as 'for' | 'while' | 'comprehension', line: l.line, iteration: l.iteration }));
  const frame = s.stack[s.stack.length - 1];
  return {
    file: s.file,
    line: s.line,
    // The evaluator's columns are 1-based; SourceLocation's are 0-based.
    column: s.column - 1,
    endLine: s.endLine,
    endColumn: s.endColumn - 1,
    function: frame && frame.function !== '<module>' ? frame.function : undefined,
    loops: loops.length ? loops : undefined,
  };
}
