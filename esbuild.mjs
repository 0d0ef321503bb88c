// Bundles the VS Code client, the language server and the CLIs into dist/ and copies the
// tree-sitter, PGlite and sql.js WASM files beside them. Nothing is downloaded: the WASM comes from node_modules.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// V8 keeps a script's source text as long as the script lives, with two bytes a character when
// one character needs them. esbuild escapes non-ASCII characters in strings but leaves them in
// comments and regular expressions, so one "→" in a comment doubled the language server's bundle
// in memory. They are written as \u escapes, which mean the same in both places.
const asciiOutput = {
  name: 'ascii-output',
  setup(build) {
    build.onEnd(() => {
      const file = build.initialOptions.outfile;
      if (!file || !existsSync(file)) return;
      const text = readFileSync(file, 'utf8');
      // eslint-disable-next-line no-control-regex
      if (/^[\x00-\x7f]*$/.test(text)) return;
      writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    });
  },
};

const common = {
  plugins: [asciiOutput],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  define: {
    // web-tree-sitter's ESM build reads import.meta.url; give the CommonJS bundle a real one.
    'import.meta.url': '__importMetaUrl',
    // server/src/version.ts: the version the server, the CLIs and the reports state.
    DATAFLOW_PERF_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version),
  },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/lint.ts'], outfile: 'dist/dataflow-lint.js', banner: { js: "#!/usr/bin/env node\nconst __importMetaUrl = require('url').pathToFileURL(__filename).href;" } },
  { entryPoints: ['server/src/run/worker/workerMain.ts'], outfile: 'dist/runtime-worker.js' },
  { entryPoints: ['server/src/cli/run.ts'], outfile: 'dist/dataflow-run.js', banner: { js: "#!/usr/bin/env node\nconst __importMetaUrl = require('url').pathToFileURL(__filename).href;" } },
];

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'dist/web-tree-sitter.wasm');
copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), 'dist/tree-sitter-python.wasm');
// PGlite (the embedded PostgreSQL) loads its WASM build and data image from beside the bundle.
const pgliteDist = path.dirname(require.resolve('@electric-sql/pglite'));
for (const f of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) copyFileSync(path.join(pgliteDist, f), path.join('dist', f));
// sql.js (SQLite in WASM: the evaluator's sqlite3 / aiosqlite) loads its WASM from beside the bundle.
copyFileSync(path.join(path.dirname(require.resolve('sql.js')), 'sql-wasm.wasm'), 'dist/sql-wasm.wasm');
// Profile with Python: the tracer the project's interpreter runs (server/src/pythonProfile).
mkdirSync('dist/python', { recursive: true });
copyFileSync('server/python/dataflow_tracer.py', 'dist/python/dataflow_tracer.py');

// The embedded database's first start fills its data directory from a seed made here once per
// PGlite version (server/src/runtime/db/pgliteSeed.ts): a freshly initialised PGlite data
// directory, gzipped (~4.5 MB in the .vsix), instead of an initdb on the user's machine.
await esbuild.build({ ...common, logLevel: 'warning', sourcemap: false, entryPoints: ['server/src/runtime/db/pgliteSeed.ts'], outfile: 'dist/.build/pgliteSeed.js', external: ['@electric-sql/pglite'] });
const seed = await require(path.resolve('dist/.build/pgliteSeed.js')).writePgliteSeed(path.resolve('dist'));
if (seed.written) console.log(`  dist/pglite-seed.tgz  ${(seed.bytes / 1e6).toFixed(1)}mb (embedded database seed, made in ${(seed.ms / 1000).toFixed(1)} s)`);

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context({ ...common, ...e });
    await ctx.watch();
  }
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  chmodSync('dist/dataflow-lint.js', 0o755);
  chmodSync('dist/dataflow-run.js', 0o755);
}
