/** Where a builder / runtime call was made in the user's Python file (passed through untouched). */
export interface SourceLocation {
  file?: string;
  /** 1-based */
  line: number;
  /** 0-based */
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** The Python function the call was made in (undefined at module level). */
  function?: string;
  /** The loops around the call site, outermost first, with the iteration (0-based) it was made in. */
  loops?: Array<{ kind: 'for' | 'while' | 'comprehension'; line: number; iteration: number }>;
}
