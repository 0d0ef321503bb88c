// Shared by the incremental-analysis fuzz tests (in-process and over the protocol).

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The minimal reproduction of the one divergence the fuzz found: `withLocalRuntime()` (a typo
 * mid-typing) makes the function body an error region; deleting one space of indentation on line 6
 * (0-based) then re-parses the `for` statement before it with the same start and end offsets but a
 * different subtree (its block becomes an ERROR node).
 */
export const REPARSED_STATEMENT_TEXT = [
  'from dataflow import DataFlow',
  'def load(products):',
  '    withLocalRuntime() as runtime:',
  '        results = runtime.execute(workflow.build())',
  '    for p in products:',
  '        workflow.add_node("ProductCreateNode", f"create_{p}", {"name": p})',
  '    workflow.add_node("ProductListNode", "list", {})',
  'def f(ids):',
  '',
].join('\n');
