// How the language server process is started: shared by the client (which starts it in the editor),
// the protocol tests and the benches (which measure it as the editor runs it).

/**
 * Node and V8 options of the language server process. What each saves, measured with the
 * 10,000-line bench file open after bench:lsp's opens and edits, idle 3 s (resident MiB, medians
 * of 4 runs interleaved on a 2-CPU machine; the options before these: 121.8):
 * - `--max-semi-space-size=1`: a young generation of 2 MiB instead of 8 (V8's default: 32). The
 *   server's garbage is parse and analysis temporaries, and the young generation stays resident
 *   at its largest once grown.
 * - `--v8-pool-size=1`: one V8 worker thread instead of four. Each thread that runs the optimising
 *   compiler keeps a malloc arena of the compiler's freed memory; opens were no slower (2 CPUs).
 *   With the line above: 102.0.
 * - `--expose-gc`: the server collects its garbage itself once it goes idle, and compacts the old
 *   generation while the heap is small (lsp/idleCollector.ts): 99.5.
 * serverEnvironment() adds the last step (95–96.5).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=1', '--v8-pool-size=1', '--expose-gc'];

/**
 * glibc's malloc hands blocks of 64 KiB or more straight from the kernel and back on free: the
 * optimising compiler's zones, freed after each compilation, are otherwise kept in malloc's arenas
 * (3 MiB of the figures above). 32 KiB saved 3 MiB more but made the first open of a file 20 %
 * slower. Other C libraries ignore the variable.
 */
const MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=65536';
/** What GLIBC_TUNABLES was in the editor's environment ('' when unset), for the server's own children. */
const INHERITED_TUNABLES = 'DATAFLOW_SERVER_INHERITED_GLIBC_TUNABLES';

/** The environment the server process is started with: `parent` (the editor's) with the malloc setting. */
export function serverEnvironment(parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const inherited = parent.GLIBC_TUNABLES ?? '';
  return { ...parent, GLIBC_TUNABLES: inherited ? `${inherited}:${MALLOC_TUNABLES}` : MALLOC_TUNABLES, [INHERITED_TUNABLES]: inherited };
}

/**
 * In the server process, at start: gives back to `env` the GLIBC_TUNABLES the editor had, so the
 * processes the server starts (the runtime worker, the project's Python) run as they would have.
 * glibc read the variable when the server started; changing it now does not change the server.
 */
export function restoreInheritedEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  const inherited = env[INHERITED_TUNABLES];
  if (inherited === undefined) return;
  if (inherited) env.GLIBC_TUNABLES = inherited;
  else delete env.GLIBC_TUNABLES;
  delete env[INHERITED_TUNABLES];
}
