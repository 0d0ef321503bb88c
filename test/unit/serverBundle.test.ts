// What the language server's bundle holds. The embedded runtime (the Python evaluator, PGlite, pg,
// sql.js) runs in the worker process; a value import that reaches it from the server (once through
// pythonProfile's index, for one function) put 1.4 MB of it into dist/server.js, loaded and
// initialised at every start. The bundle is built here in memory with esbuild, as esbuild.mjs does.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const RUNTIME_ONLY = [
  /node_modules\/@electric-sql\/pglite\//,
  /node_modules\/pg\//,
  /node_modules\/sql\.js\//,
  /server\/src\/runtime\/python\/evaluate\.ts$/,
  /server\/src\/runtime\/db\/pgliteDatabase\.ts$/,
  /server\/src\/run\/runFile\.ts$/,
];

describe('the language server bundle', function () {
  this.timeout(60000);

  it('holds no embedded runtime (evaluator, PGlite, pg, sql.js): that runs in the worker', async () => {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['server/src/server.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outfile: 'server-bundle-check.js',
      define: { 'import.meta.url': '__importMetaUrl', DATAFLOW_PERF_VERSION: '"test"' },
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((f) => f.endsWith('server/src/lsp/diagnosticsScheduler.ts')), 'the bundle was read (the scheduler is in it)');
    const runtime = inputs.filter((f) => RUNTIME_ONLY.some((re) => re.test(f)));
    assert.deepEqual(runtime, [], `runtime modules in the server bundle:\n  ${runtime.join('\n  ')}`);
  });
});
