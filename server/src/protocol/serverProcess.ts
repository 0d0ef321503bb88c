// How the language server process is started: shared by the client (which starts it in the editor)
// and bench:lsp (which measures it as the editor runs it).

/**
 * Node options of the language server process. A young generation of 4 MiB semi-spaces instead of
 * V8's 16 MiB: the server's garbage is short-lived (parse and analysis temporaries), and the
 * larger nursery only kept ~30 MiB more resident (a 10,000-line file open: 160 -> 131 MiB; after
 * 40 edits 186 -> 155 MiB), with no measurable change in open or edit time (bench:lsp).
 * `--expose-gc`: the server collects its garbage itself once it goes idle (lsp/idleCollector.ts).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4', '--expose-gc'];
