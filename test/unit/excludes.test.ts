// dataflow.files.exclude and the default excludes (issue 13 §4): globs are matched without
// regular expressions (server/src/workspace/globMatch.ts), a crafted glob (the kind a repository's .vscode/settings.json can ship) cannot hang the scan,
// and over-long globs are left out and said to be. Real files for the scan.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_EXCLUDES, Excluder, MAX_GLOB_LENGTH, discoverPythonFiles } from '../../server/src/workspace/fileDiscovery';

describe('exclude globs', () => {
  it('the defaults leave out virtual environments, node_modules, .git and caches, at any depth', () => {
    const e = new Excluder(DEFAULT_EXCLUDES);
    for (const dir of ['node_modules', '.venv', 'svc/venv', 'a/b/__pycache__', '.git', 'lib/site-packages', '.tox', 'x/.pytest_cache']) assert.equal(e.excluded(dir, true), true, dir);
    for (const dir of ['app', 'src/models', 'environment', 'venvs_doc']) assert.equal(e.excluded(dir, true), false, dir);
    assert.equal(e.excluded('app/models.py', false), false);
  });

  it('user globs: a folder by name, a folder\'s contents, file patterns at one or any depth', () => {
    const e = new Excluder(['legacy', 'build/**', '**/generated/*.py', '*.pyi.py']);
    assert.equal(e.excluded('legacy', true), true);
    assert.equal(e.excluded('build', true), true);
    assert.equal(e.excluded('src/generated/models.py', false), true);
    assert.equal(e.excluded('generated/models.py', false), true);
    assert.equal(e.excluded('src/generated/sub/models.py', false), false, '* stays inside one folder');
    assert.equal(e.excluded('stub.pyi.py', false), true);
    assert.equal(e.excluded('pkg/stub.pyi.py', false), false);
    assert.equal(e.excluded('.hidden/build/x.py', false), false);
    assert.deepEqual(e.rejected, []);
  });

  it('alternatives, classes and ** between segments', () => {
    const e = new Excluder(['**/{build,dist}/**', 'tests/test_[0-9]*.py', 'scripts/[!_]*.py', 'a/**/z.py', '{x,y{1,2}}/*.py']);
    for (const [p, dir, want] of [
      ['pkg/build', true, true], ['dist', true, true], ['pkg/builds', true, false],
      ['tests/test_1_api.py', false, true], ['tests/test_api.py', false, false],
      ['scripts/run.py', false, true], ['scripts/_private.py', false, false],
      ['a/z.py', false, true], ['a/b/c/z.py', false, true], ['b/a/z.py', false, false],
      ['y2/m.py', false, true], ['y3/m.py', false, false], ['x/m.py', false, true],
    ] as Array<[string, boolean, boolean]>) assert.equal(e.excluded(p, dir), want, p);
    const tooMany = new Excluder(['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}/x.py']);
    assert.equal(tooMany.rejected.length, 1);
    assert.match(tooMany.rejected[0].reason, /more than 64 alternatives/);
  });

  it('a crafted glob that made the old converter backtrack for ever is matched at once; an over-long one is left out and listed', () => {
    // The old converter turned this into ^(?:.*/)?a[^/]*a[^/]*…b$ (picomatch into much the same),
    // which on a path of 40 "a"s tries every way to split them (well over 10^10 steps): the scan hung.
    const crafted = `**/${'a*'.repeat(24)}b`;
    const e = new Excluder([crafted, `${'x'.repeat(MAX_GLOB_LENGTH)}*`]);
    assert.equal(e.excluded(`src/${'a'.repeat(40)}`, true), false);
    assert.equal(e.excluded(`src/${'a'.repeat(40)}.py`, false), false);
    assert.equal(e.excluded(`src/${'a'.repeat(30)}b`, false), true);
    assert.equal(e.rejected.length, 1);
    assert.match(e.rejected[0].reason, new RegExp(`longer than ${MAX_GLOB_LENGTH} characters`));
  });

  it('the scan honours them on real files', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-excludes-'));
    try {
      for (const rel of ['app/models.py', 'app/generated/orm.py', 'legacy/old.py', '.venv/lib/x.py', `${'a'.repeat(40)}/m.py`]) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), 'x = 1\n');
      }
      const found = await discoverPythonFiles([root], new Excluder([...DEFAULT_EXCLUDES, 'legacy', '**/generated/**', `**/${'a*'.repeat(24)}b`]));
      assert.deepEqual(found.files.map((f) => path.relative(root, f.path).split(path.sep).join('/')).sort(), [`${'a'.repeat(40)}/m.py`, 'app/models.py']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
