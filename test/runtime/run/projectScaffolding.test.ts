// A small project of our own (test/fixtures/projects/shop) run end to end through the evaluator and
// the DataFlow runtime on the real PGlite: imports of the project's own packages (absolute and
// relative), the workspace .env, pathlib reads, tempfile in the run's scratch folder, argparse,
// secrets, traceback, gc, socket, sys.exit, and what stays "not modelled" (exit 2).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initPython } from '../../../server/src/syntax/parser';
import { runFile, type RunFileOptions, type RunFileResult } from '../../../server/src/run/runFile';
import { localModuleResolver, packageNameOf, projectRootOf } from '../../../server/src/runtime/localModules';
import type { Database } from '../../../server/src/runtime/db/types';
import { sharedPglite } from '../backends';

const PROJECT = path.resolve(__dirname, '../../../../test/fixtures/projects/shop');
const script = (name: string) => path.join(PROJECT, 'scripts', name);

describe('project scaffolding: the project\'s own packages and the stdlib around workflows [pglite]', function () {
  let db: Database;
  const run = (o: Omit<RunFileOptions, 'db'>): Promise<RunFileResult> => runFile({ ...o, db, clock: '2026-01-02T03:04:05', seed: 11 });
  before(async () => {
    await initPython();
    db = await sharedPglite();
  });
  beforeEach(async () => {
    await db.resetSchema();
  });

  it('resolves absolute imports from the project root, relative imports inside packages, runs each __init__.py once, reads .env and data files', async () => {
    const r = await run({ file: script('place_orders.py') });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.log, [
      'shop/__init__ ran customers.json .json data',
      "settings {'region': 'eu-west', 'batch': 3, 'greeting': 'hello from eu-west', 'has_token': True}",
      "placed ['ada', 'grace', 'linus']",
    ]);
    assert.equal(r.runs.length, 1);
    assert.deepEqual(r.runs[0].nodes.map((n) => n.id), ['order_0', 'order_1', 'order_2']);
    assert.deepEqual(r.runs[0].results.order_2, { customer: 'linus', total: 12.0, id: 3 });
    assert.equal(r.tables.orders, 3);
    assert.ok(r.notes.some((n) => /sys\.exit\(0\) at place_orders\.py:22/.test(n)), r.notes.join('\n'));
  });

  it('the .env values reach os.environ but never the log, and never the real process environment', async () => {
    const r = await run({ file: script('place_orders.py') });
    assert.equal(process.env.SHOP_API_TOKEN, undefined);
    assert.ok(!JSON.stringify(r).includes('tok-fixture-0001'));
  });

  it('an env value given by the caller wins over .env (load_dotenv does not override)', async () => {
    const r = await run({ file: script('place_orders.py'), env: { SHOP_REGION: 'ap-south', SHOP_BATCH: '1' } });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.match(r.log[1], /'region': 'ap-south', 'batch': 1, 'greeting': 'hello from ap-south'/);
    assert.equal(r.tables.orders, 1);
  });

  it('tempfile lives in the run\'s scratch folder, removed when the run ends; argparse, secrets, traceback, gc, socket', async () => {
    const r = await run({ file: script('scaffolding.py') });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    const traceback = r.log.find((l) => l.startsWith('Traceback'))!;
    assert.deepEqual(
      r.log.filter((l) => l !== traceback),
      ['args 2 False eu', 'override 4 True us', 'report orders: 2 True True', 'removed after with False', 'named True True True', 'project True False True', "caught KeyError: 'missing'", 'gc 0 localhost', 'created 2'],
    );
    assert.match(traceback, /File ".*scaffolding\.py", line 51, column 9, in errors\nKeyError: 'missing'$/);
    assert.equal(r.tables.orders, 2);
  });

  it('secrets are deterministic under the run\'s seed and differ with another seed', async () => {
    const a = await run({ file: script('scaffolding.py'), entry: 'tokens' });
    const b = await run({ file: script('scaffolding.py'), entry: 'tokens' });
    const c = await runFile({ file: script('scaffolding.py'), entry: 'tokens', db, seed: 12 });
    assert.equal(a.exitCode, 0, JSON.stringify(a.error));
    assert.equal(c.exitCode, 0, JSON.stringify(c.error));
    assert.match(a.log[0], /^tokens [0-9a-f]{16} [A-Za-z0-9_-]{16} [abcd]$/);
    assert.deepEqual(a.log, b.log);
    assert.notDeepEqual(a.log, c.log);
  });

  it('the scratch folder and everything written in it is gone after the run', async () => {
    const os = await import('node:os');
    const before = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('dataflow-run-scratch-')));
    const r = await run({ file: script('scaffolding.py'), entry: 'files' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    const after = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('dataflow-run-scratch-') && !before.has(n));
    assert.deepEqual(after, []);
  });

  it('folders the code puts on sys.path are searched; the packages the runtime binds (dataflow) are never read from disk', async () => {
    const r = await run({ file: script('sys_path.py') });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    assert.deepEqual(r.log, ['FOUND THROUGH SYS.PATH!']);
    const ns = await run({ file: script('sys_path.py'), entry: 'namespace' });
    assert.equal(ns.exitCode, 0, JSON.stringify(ns.error));
    assert.deepEqual(ns.log, ['NAMESPACE PACKAGE! None True'], 'folders without __init__.py are namespace packages');
    const v = await run({ file: script('sys_path.py'), entry: 'vendored' });
    // vendor/dataflow/extras.py is not read: `dataflow` is the installed DataFlow 2.20, which has
    // no `dataflow.extras`, so Python's own ModuleNotFoundError (exit 1) is the truthful outcome.
    assert.equal(v.exitCode, 1, JSON.stringify(v.error));
    assert.equal(v.error!.type, 'ModuleNotFoundError');
    assert.match(v.error!.message, /No module named 'dataflow\.extras'/);
  });

  it('sys.exit(n): 0 ends the run successfully, 1 or a message fails it (exit 1), each saying where', async () => {
    const clean = await run({ file: script('exits.py'), entry: 'clean' });
    assert.equal(clean.exitCode, 0);
    assert.equal(clean.error, undefined);
    assert.deepEqual(clean.log, ['stopping cleanly']);
    assert.ok(clean.notes.some((n) => n === 'the file called sys.exit(0) at exits.py:6: the run stopped there, successfully'), clean.notes.join('\n'));
    const failing = await run({ file: script('exits.py'), entry: 'failing' });
    assert.equal(failing.exitCode, 1);
    assert.equal(failing.error!.type, 'SystemExit');
    assert.equal(failing.error!.message, 'the file called sys.exit(1) at exits.py:10');
    assert.equal(failing.error!.line, 10);
    const message = await run({ file: script('exits.py'), entry: 'with_message' });
    assert.equal(message.exitCode, 1);
    assert.match(message.error!.message, /^the file called sys\.exit\("configuration missing"\) at exits\.py:14/);
  });

  it('what the runtime does not model is exit 2 with the construct\'s name and location', async () => {
    const cases: Array<[string, RegExp, number]> = [
      ['unknown_member', /secrets\.SystemRandom/, 20],
      ['write_outside', /Path\.write_text\(\) outside the project and the run's scratch folder/, 26],
      ['read_outside', /Path\.read_text\(\) outside the project root/, 32],
      ['network', /socket\.create_connection/, 38],
    ];
    for (const [entry, message, line] of cases) {
      const r = await run({ file: script('exits.py'), entry });
      assert.equal(r.exitCode, 2, `${entry}: ${JSON.stringify(r.error)}`);
      assert.match(r.error!.message, message);
      assert.equal(r.error!.line, line, entry);
    }
    assert.equal(fs.existsSync('/etc/written-by-a-run.txt'), false);
  });

  it('a module or data file that is a link to a path outside the project is never read (exit 2); a link inside the project is', async () => {
    const os = await import('node:os');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-outside-'));
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-linked-project-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.py'), 'TOKEN = "outside-secret"\n');
      fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside-secret\n');
      fs.writeFileSync(path.join(project, 'pyproject.toml'), '');
      fs.writeFileSync(path.join(project, 'helpers.py'), 'VALUE = 41\n');
      fs.symlinkSync(path.join(outside, 'secret.py'), path.join(project, 'secret.py'));
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(project, 'secret.txt'));
      fs.symlinkSync(path.join(project, 'helpers.py'), path.join(project, 'alias.py'));
      fs.writeFileSync(path.join(project, 'main.py'), [
        'def module_link():', '    import secret', '    return secret.TOKEN', '',
        'def data_link():', '    with open("secret.txt") as f:', '        return f.read()', '',
        'def append_link():', '    with open("secret.txt", "a") as f:', '        f.write("x")', '    with open("secret.txt") as f:', '        return f.read()', '',
        'def inside_link():', '    import alias', '    print(alias.VALUE + 1)', '',
      ].join('\n'));
      const file = path.join(project, 'main.py');
      const mod = await run({ file, entry: 'module_link' });
      assert.equal(mod.exitCode, 2, JSON.stringify(mod.error));
      assert.match(mod.error!.message, /import of 'secret' from .*secret\.py.*a link to .*secret\.py, outside the project/);
      const data = await run({ file, entry: 'data_link' });
      assert.equal(data.exitCode, 2, JSON.stringify(data.error));
      assert.match(data.error!.message, /open\(\) outside the project root/);
      const appended = await run({ file, entry: 'append_link' });
      assert.equal(appended.exitCode, 2, JSON.stringify(appended.error));
      assert.match(appended.error!.message, /open\(\.\.\., 'a'\) of secret\.txt, a link to a file outside the project/);
      assert.ok(!JSON.stringify([mod, data, appended].map((r) => [r.log, r.error])).includes('outside-secret'), 'nothing of the outside file reaches the output');
      assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'outside-secret\n');
      const ok = await run({ file, entry: 'inside_link' });
      assert.equal(ok.exitCode, 0, JSON.stringify(ok.error));
      assert.deepEqual(ok.log, ['42']);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('from package import name: neither a name nor a submodule is ImportError "cannot import name", as CPython says', async () => {
    const r = await run({ file: script('exits.py'), entry: 'import_missing_name' });
    assert.equal(r.exitCode, 1, JSON.stringify(r.error));
    assert.equal(r.error!.type, 'ImportError');
    assert.equal(r.error!.message, `cannot import name 'no_such_thing' from 'shop' (${path.join(PROJECT, 'shop', '__init__.py')})`);
  });

  it('writes to the project\'s files go to the run\'s overlay: read back, removed, listed as the run sees them; the project is unchanged', async () => {
    const snapshot = (): Record<string, string> => {
      const out: Record<string, string> = {};
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else out[path.relative(PROJECT, p)] = fs.readFileSync(p, 'utf8');
        }
      };
      walk(PROJECT);
      return out;
    };
    const before = snapshot();
    const r = await run({ file: script('reports.py'), entry: 'export' });
    assert.equal(r.exitCode, 0, JSON.stringify(r.error));
    // What CPython prints for the same script run in a copy of the project (recorded with python3 3.11).
    assert.deepEqual(r.log, [
      "log ['started', 'placed 4']",
      'exported [\'customers.json\'] True',
      "rewritten ['zoe']",
      `appended '["zoe"]\\n'`,
      'removed False False False',
      'gone for the run',
      "back [] ['customers.json']",
      'exports exists',
    ]);
    assert.deepEqual(snapshot(), before, 'no file of the project was created, changed or removed');
    const note = r.notes.find((n) => n.startsWith('The run wrote'));
    assert.ok(note, r.notes.join('\n'));
    assert.match(note!, /orders\.log/);
    assert.match(note!, /exports\/daily\/customers\.json/);
    assert.match(note!, /data\/customers\.json/);
    assert.match(note!, /the project's own files are unchanged/);

    const appended = await run({ file: script('reports.py'), entry: 'append_to_existing' });
    assert.equal(appended.exitCode, 0, JSON.stringify(appended.error));
    assert.deepEqual(appended.log, [`['["ada", "grace", "linus", "barbara"]', '# appended']`], 'append starts from the project\'s content');
    assert.deepEqual(snapshot(), before);
  });
});

describe('project scaffolding: where the project\'s modules come from', () => {
  it('the project root is the nearest folder with a project marker, never above the boundary', () => {
    assert.equal(projectRootOf(script('exits.py')), PROJECT);
    assert.equal(projectRootOf(path.join(PROJECT, 'shop', 'services', 'orders.py')), PROJECT);
    assert.equal(projectRootOf(path.join(PROJECT, 'shop', 'services', 'orders.py'), path.join(PROJECT, 'shop')), path.join(PROJECT, 'shop'));
  });

  it('a file in a package has its dotted package; a script folder has none', () => {
    assert.equal(packageNameOf(path.join(PROJECT, 'shop', 'services', 'orders.py'), PROJECT), 'shop.services');
    assert.equal(packageNameOf(path.join(PROJECT, 'shop', 'models.py'), PROJECT), 'shop');
    assert.equal(packageNameOf(script('exits.py'), PROJECT), '');
  });

  it('resolves dotted names from the search roots and never outside the project root', () => {
    const resolve = localModuleResolver(PROJECT);
    assert.equal(resolve('shop.services.pricing', script('exits.py'))?.fileName, path.join(PROJECT, 'shop', 'services', 'pricing.py'));
    assert.equal(resolve('shop.services', script('exits.py'))?.fileName, path.join(PROJECT, 'shop', 'services', '__init__.py'));
    assert.equal(resolve('..config', path.join(PROJECT, 'shop', 'services', 'orders.py'))?.fileName, path.join(PROJECT, 'shop', 'config.py'));
    assert.equal(resolve('...outside', path.join(PROJECT, 'shop', 'services', 'orders.py')), undefined);
    assert.equal(resolve('no_such_module', script('exits.py')), undefined);
    const inner = localModuleResolver(path.join(PROJECT, 'shop'));
    assert.equal(inner('scripts.exits', path.join(PROJECT, 'shop', 'models.py')), undefined, 'scripts/ is outside the root shop/');
  });
});
