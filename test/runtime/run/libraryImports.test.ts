// `from kailash.<module> import <name>` of a real module the runtime does not model: when kailash's
// source is found, a name the module does not bind is Python's ImportError (naming the file, as
// CPython does), not an opaque value that lets the run go on further than the real one (kailash-py's
// 03_enterprise_integration imports a create_gateway that kailash 2.63 does not have). Names bound
// under `if`/`try`, imported, assigned or defined, and submodules, import as before.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initPython } from '../../../server/src/syntax/parser';
import { findLibrarySource } from '../../../server/src/runtime/librarySource';
import { topLevelNames } from '../../../server/src/runtime/python/sourceModuleNames';
import { runFile } from '../../../server/src/run/runFile';
import type { Database } from '../../../server/src/runtime/db/types';
import { sharedPglite } from '../backends';
import { oracleDataflowSource, oracleRequired } from '../../helpers/oracle';

const REPO = path.join(__dirname, '..', '..', '..', '..');

describe('imports of real kailash modules the runtime does not model, checked against their source', function () {
  this.timeout(120000);
  let db: Database;
  let source: string | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'library-imports-'));
  before(async function () {
    await initPython();
    source = oracleDataflowSource(REPO);
    if (!source) {
      if (oracleRequired()) throw new Error('the oracle (the real DataFlow and kailash source) is missing: set DATAFLOW_ORACLE_DIR');
      this.skip();
    }
    const d = await sharedPglite();
    if (typeof d === 'string') throw new Error(d);
    db = d;
  });

  it('top-level names: definitions, assignments, imports and what is bound under if/try/with/for; dynamic modules are unknown', () => {
    const names = topLevelNames([
      'import os, json as j',
      'from .x import A, B as C',
      'a = b = 1',
      'd, (e, f) = 1, (2, 3)',
      'g: int = 3',
      'def h(): pass',
      '@deco',
      'class K: pass',
      'try:\n    import yaml\nexcept ImportError as err:\n    yaml = None\nelse:\n    ok = True',
      'if TYPE_CHECKING:\n    from typing import Any\nelif X:\n    z = 1',
      'for loop_var in []:\n    inner = 1',
      'def f():\n    local = 1',
      'with open("x") as handle, lock:\n    in_with = 1',
    ].join('\n'))!;
    for (const n of ['os', 'j', 'A', 'C', 'a', 'b', 'd', 'e', 'f', 'g', 'h', 'K', 'yaml', 'ok', 'Any', 'z', 'loop_var', 'inner', 'handle', 'in_with']) assert.ok(names.has(n), n);
    for (const n of ['json', 'B', 'local', 'x', 'err' /* deleted at the end of its except clause */]) assert.ok(!names.has(n), n);
    assert.equal(topLevelNames('from m import *\n'), undefined);
    assert.equal(topLevelNames('def __getattr__(name):\n    return 1\n'), undefined);
    assert.equal(topLevelNames('exec("x = 1")\n'), undefined);
  });

  it('a name the real kailash module does not have is ImportError naming its file; names it binds and its submodules import', async () => {
    const kailashDir = findLibrarySource({ projectRoot: dir, env: { DATAFLOW_SOURCE_DIR: source } }).kailashDir;
    assert.ok(kailashDir, 'kailash core is found beside the oracle\'s DataFlow');
    const file = path.join(dir, 'gateway_app.py');
    fs.writeFileSync(file, [
      'def missing():',
      '    from kailash.middleware.gateway import create_gateway',
      '',
      'def present():',
      '    from kailash.middleware.gateway import CheckpointManager, durable_gateway',
      '    return "imported"',
      '',
    ].join('\n'));
    const bad = await runFile({ file, entry: 'missing', db, root: dir, libraryEnv: { DATAFLOW_SOURCE_DIR: source } });
    assert.equal(bad.exitCode, 1, JSON.stringify(bad.error));
    assert.equal(bad.error!.type, 'ImportError');
    assert.equal(bad.error!.message, `cannot import name 'create_gateway' from 'kailash.middleware.gateway' (${path.join(kailashDir!, 'middleware', 'gateway', '__init__.py')})`);
    assert.equal(bad.error!.line, 2);
    const ok = await runFile({ file, entry: 'present', db, root: dir, libraryEnv: { DATAFLOW_SOURCE_DIR: source } });
    assert.equal(ok.exitCode, 0, JSON.stringify(ok.error));
    assert.equal(ok.returned, 'imported');
    // Without kailash's source nothing can be said: the name stays an opaque one, as before.
    const unknown = await runFile({ file, entry: 'missing', db, root: dir, libraryEnv: {} });
    assert.equal(unknown.exitCode, 0, JSON.stringify(unknown.error));
  });
});
