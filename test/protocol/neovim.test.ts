// The server is a standard LSP server: headless Neovim (a second, independent client) receives
// the same diagnostics the VS Code client shows.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, ready, REPO, workspaceOf } from '../helpers/analysis';

const hasNvim = spawnSync('nvim', ['--version']).status === 0;

describe('a second LSP client: headless Neovim', function () {
  this.timeout(90000);
  before(function () {
    if (!hasNvim) {
      if (process.env.CI) throw new Error('neovim is required under CI (bash test-env/install.sh installs it)');
      console.log('      skipped: nvim is not installed (bash test-env/install.sh installs it)');
      this.skip();
    }
  });

  it('publishes the same diagnostics to Neovim as the analysis computes', async () => {
    await ready();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-nvim-'));
    for (const f of ['models.py', 'workflows.py']) fs.copyFileSync(path.join(REPO, 'test', 'integration', 'workspace', f), path.join(dir, f));
    const out = path.join(dir, 'result.json');
    const r = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${path.join(REPO, 'test', 'neovim', 'lsp-client.lua')}`], {
      env: { ...process.env, DF_SERVER: path.join(REPO, 'dist', 'server.js'), DF_FILE: path.join(dir, 'workflows.py'), DF_ROOT: dir, DF_OUT: out, DF_TIMEOUT_MS: '40000' },
      timeout: 80000,
      encoding: 'utf8',
    });
    assert.ok(fs.existsSync(out), `neovim wrote no result (exit ${r.status}): ${r.stderr}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { error?: string; diagnostics?: Array<{ code: string; source: string; line: number; character: number; message: string }> };
    assert.equal(result.error, undefined);
    // What the same engine computes in-process for the same files.
    const files = Object.fromEntries(['models.py', 'workflows.py'].map((f) => [path.join(dir, f), fs.readFileSync(path.join(dir, f), 'utf8')]));
    const ws = workspaceOf(files);
    const wfPath = path.join(dir, 'workflows.py');
    const lines = ws.get(pathToFileURL(wfPath).toString())!.doc.lines;
    const expected = analyze(ws, wfPath).map((f) => ({ code: f.code, line: lines.positionAt(f.span.start).line, character: lines.positionAt(f.span.start).character }));
    const got = result.diagnostics!.map((d) => ({ code: d.code, line: d.line, character: d.character }));
    const key = (x: { code: string; line: number; character: number }) => `${x.line}:${x.character}:${x.code}`;
    assert.deepEqual(got.map(key).sort(), expected.map(key).sort());
    assert.ok(result.diagnostics!.every((d) => d.source === 'dataflow'));
    assert.ok(got.some((d) => d.code === 'DF001') && got.some((d) => d.code === 'DF002') && got.some((d) => d.code === 'DF003'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
