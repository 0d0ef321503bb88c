// The language server's process settings (protocol/serverProcess.ts): the malloc setting reaches the
// server, and the processes the server starts get the editor's GLIBC_TUNABLES back, set or unset.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { SERVER_EXEC_ARGV, restoreInheritedEnvironment, serverEnvironment } from '../../server/src/protocol/serverProcess';

describe('server process settings', () => {
  it('an editor without GLIBC_TUNABLES: the server gets the malloc setting, its children get none', () => {
    const editor: NodeJS.ProcessEnv = { PATH: '/usr/bin' };
    const server = serverEnvironment(editor);
    assert.match(server.GLIBC_TUNABLES ?? '', /^glibc\.malloc\.mmap_threshold=\d+$/);
    restoreInheritedEnvironment(server);
    assert.deepEqual(server, editor);
  });

  it("an editor with GLIBC_TUNABLES: the server's setting comes after the editor's, and the children get the editor's", () => {
    const editor: NodeJS.ProcessEnv = { PATH: '/usr/bin', GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
    const server = serverEnvironment(editor);
    assert.match(server.GLIBC_TUNABLES ?? '', /^glibc\.malloc\.arena_max=2:glibc\.malloc\.mmap_threshold=\d+$/);
    restoreInheritedEnvironment(server);
    assert.deepEqual(server, editor);
  });

  it('a process not started with serverEnvironment keeps its environment', () => {
    const env: NodeJS.ProcessEnv = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
    restoreInheritedEnvironment(env);
    assert.deepEqual(env, { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
  });

  it('node accepts every option the server is started with', () => {
    const r = spawnSync(process.execPath, [...SERVER_EXEC_ARGV, '-e', 'process.stdout.write(typeof gc)'], { encoding: 'utf8', env: serverEnvironment() });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'function');
    assert.equal(r.stderr, '');
  });
});
