// Calls a test, a fixture or a Class.method the way pytest would, inside the evaluator: fixtures
// come from the test's class, its module, then the conftest.py files from the file's folder up to
// the project root (evaluated by the evaluator, never by Python), with their dependencies, autouse
// fixtures, yield fixtures' teardown after the test, and a few built-in fixtures (request,
// tmp_path, monkeypatch, caplog, capsys). Marks: skip/skipif/xfail/usefixtures/parametrize.
import { projectRootOf } from './localModules';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InvokeContext } from './python/evaluate';
import { awaitValue, call, delItem, getAttr, setAttr, setItem, Interp } from './python/runtime';
import { startGenerator, importHooks } from './python/compiler';
import { fromPlain } from './python/convert';
import { HostObject, SimpleHostObject, hostFunction } from './python/host';
import {
  EntryPointError,
  Kwargs,
  PyClass,
  PyClassMethod,
  PyCoroutine,
  PyDict,
  PyException,
  PyFunction,
  PyList,
  PyOpaque,
  PyStaticMethod,
  PyTuple,
  PyValue,
  SourceLocation,
  UnsupportedPythonError,
  builtinExceptionClasses,
  makeException,
} from './python/values';
import { FixtureDef, Mark, ParameterSet, fixtureDefOf, marksFor, marksFromValue, skipOutcome } from './python/pytestModule';

export interface TestEntryOptions {
  file: string;
  entry: string;
  /** Values for parameters by name (`--arg`); they win over fixtures and parametrize. */
  args: Record<string, unknown>;
  /** The folder where conftest.py lookup stops (default: the project root found from the file). */
  root?: string;
  /** Reads conftest.py files (the editor's text or the disk). */
  readFile?: (file: string) => string | undefined;
  /** Log lines (level, message) and print lines as they come, for caplog / capsys. */
  captured: { logs: Array<{ level: string; message: string }>; prints: string[] };
}

export interface TestEntryOutcome {
  kind: 'test' | 'fixture' | 'method';
  outcome: 'passed' | 'skipped' | 'xfailed' | 'xpassed';
  reason?: string;
  notes: string[];
  /** Fixtures set up, in order. */
  fixtures: string[];
  returnValue: PyValue | undefined;
}

/** conftest.py files from the project root down to the file's folder (outermost first). */
export function conftestFiles(file: string, root: string): string[] {
  const out: string[] = [];
  let d = path.dirname(path.resolve(file));
  const top = path.resolve(root);
  for (;;) {
    const c = path.join(d, 'conftest.py');
    if (c !== path.resolve(file) && fs.existsSync(c)) out.unshift(c);
    if (d === top || !d.startsWith(top)) break;
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}

/** Whether an entry should go through this runner: tests, fixtures and Class.method entries. */
export function isTestStyleEntry(entry: string, decoratorsOf: (name: string) => string[] | undefined): boolean {
  if (entry.includes('.')) return true;
  if (/^test/.test(entry)) return true;
  const decos = decoratorsOf(entry) ?? [];
  return decos.some((d) => /^(pytest\.|pytest_asyncio\.)?fixture\b/.test(d));
}

interface FixtureSource {
  def: FixtureDef;
  /** The instance for a fixture defined in a test class. */
  self?: PyValue;
  where: string;
}

class Teardowns {
  readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];
  push(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }
  /** Runs every teardown (last first); the first error is rethrown after all ran. */
  async runAll(): Promise<void> {
    let first: unknown;
    while (this.steps.length) {
      const s = this.steps.pop()!;
      try {
        await s.run();
      } catch (e) {
        first ??= e;
      }
    }
    if (first !== undefined) throw first;
  }
}

async function resolved(interp: Interp, v: PyValue | Promise<PyValue>, loc: SourceLocation | undefined): Promise<PyValue> {
  let r = await v;
  if (r instanceof PyCoroutine) r = await awaitValue(interp, r, loc);
  return r;
}

function plainFunction(v: PyValue | undefined): PyFunction | undefined {
  if (v instanceof PyFunction) return v;
  if (v instanceof PyStaticMethod || v instanceof PyClassMethod) return v.func instanceof PyFunction ? v.func : undefined;
  return undefined;
}

function fixtureValueNames(fn: PyFunction, skipFirst: boolean): string[] {
  const ps = fn.code.paramInfo.filter((p) => p.kind === 'positional' || p.kind === 'positional-only' || p.kind === 'keyword-only');
  return (skipFirst ? ps.slice(1) : ps).filter((p) => !p.hasDefault).map((p) => p.name);
}

/** Argument names of a parametrize mark: "a, b" or ["a", "b"]. */
function argNames(interp: Interp, v: PyValue): string[] {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (v instanceof PyList || v instanceof PyTuple) return v.items.map((x) => interp.str(x));
  return [];
}

export interface LoadedConftests {
  modules: Array<{ file: string; globals: Map<string, PyValue> }>;
  errors: Array<{ file: string; error: unknown }>;
}

/** Evaluates the conftest.py files (outermost first) before the test module, as pytest does. */
export async function loadConftests(ctx: InvokeContext, file: string, root: string | undefined, readFile?: (f: string) => string | undefined): Promise<LoadedConftests> {
  const top = root ?? projectRootOf(file);
  const out: LoadedConftests = { modules: [], errors: [] };
  for (const c of conftestFiles(file, top)) {
    const text = readFile?.(c) ?? fs.readFileSync(c, 'utf8');
    const name = `conftest_${path.relative(top, path.dirname(c)).replace(/[\\/]/g, '_') || 'root'}`;
    const r = await ctx.loadModule(text, c, name);
    if (r.error) out.errors.push({ file: c, error: r.error });
    out.modules.push({ file: c, globals: r.globals });
  }
  return out;
}

export async function runTestEntry(ctx: InvokeContext, o: TestEntryOptions, conftests: LoadedConftests): Promise<TestEntryOutcome> {
  const { interp, globals } = ctx;
  const notes: string[] = [];
  const setUp: string[] = [];
  const loc: SourceLocation = { file: o.file, line: 1, column: 1, endLine: 1, endColumn: 1, startIndex: 0, endIndex: 0 };
  const [first, second, ...rest] = o.entry.split('.');
  if (rest.length) throw new EntryPointError(`${o.entry}: name a function, a fixture or Class.method (one dot)`);

  // ---- fixtures: built-ins < conftest (outermost first) < module < class
  const root = o.root ?? projectRootOf(o.file);
  const registry = new Map<string, FixtureSource>();
  const autouse: string[] = [];
  const addFrom = (g: Map<string, PyValue> | Map<string, PyValue>, where: string, self?: PyValue) => {
    for (const v of g.values()) {
      const def = fixtureDefOf(v);
      if (!def) continue;
      registry.set(def.name, { def, self, where });
      if (def.autouse && !autouse.includes(def.name)) autouse.push(def.name);
    }
  };
  const conftestErrors = conftests.errors;
  for (const c of conftests.modules) addFrom(c.globals, path.relative(path.dirname(o.file), c.file) || 'conftest.py');
  addFrom(globals, path.basename(o.file));

  // ---- the target
  let cls: PyClass | undefined;
  let fn: PyFunction;
  const top = globals.get(first);
  if (second !== undefined) {
    if (!(top instanceof PyClass)) throw new EntryPointError(top === undefined ? `No class named '${first}' at the top level of ${o.file}` : `'${first}' is not a class (it is ${interp.typeName(top)})`);
    cls = top;
    const m = plainFunction(cls.lookup(second));
    if (!m) throw new EntryPointError(cls.lookup(second) === undefined ? `Class '${first}' has no method '${second}'` : `'${first}.${second}' is not a method`);
    fn = m;
  } else {
    const fromConftest = top === undefined ? registry.get(first) : undefined;
    if (fromConftest) fn = fromConftest.def.fn;
    else if (!(top instanceof PyFunction)) throw new EntryPointError(top === undefined ? `No function or fixture named '${first}' in ${o.file} or its conftest.py files` : `'${first}' is not a function (it is ${interp.typeName(top)})`);
    else fn = top;
  }
  const isTestClass = !!cls && /^Test/.test(cls.name);
  const entryFixture = !cls ? fixtureDefOf(fn) : undefined;
  const kind: TestEntryOutcome['kind'] = entryFixture ? 'fixture' : cls && !isTestClass && !/^test/.test(second ?? '') ? 'method' : 'test';
  const staticMethod = cls && cls.lookup(second!) instanceof PyStaticMethod;


  // ---- marks: module pytestmark, class, function
  const marks: Mark[] = [...marksFromValue(globals.get('pytestmark')), ...(cls ? [...marksFromValue(cls.lookup('pytestmark')), ...marksFor(cls)] : []), ...marksFor(fn)];
  const skip = marks.find((m) => m.name === 'skip');
  if (skip && kind === 'test') return { kind, outcome: 'skipped', reason: interp.str(skip.kwargs.get('reason') ?? skip.args[0] ?? 'unconditional skip'), notes, fixtures: setUp, returnValue: undefined };
  for (const m of marks.filter((x) => x.name === 'skipif' && kind === 'test')) {
    const cond = m.args[0] ?? m.kwargs.get('condition') ?? false;
    if (typeof cond === 'string') throw new UnsupportedPythonError('skipif with a string condition', loc, 'the evaluator does not evaluate condition strings');
    if (interp.truthy(cond)) return { kind, outcome: 'skipped', reason: interp.str(m.kwargs.get('reason') ?? 'condition is true'), notes, fixtures: setUp, returnValue: undefined };
  }
  const xfail = kind === 'test' ? marks.find((m) => m.name === 'xfail') : undefined;
  const given = new Map<string, PyValue>();
  for (const [k, v] of Object.entries(o.args)) given.set(k, fromPlain(v));
  for (const m of marks.filter((x) => x.name === 'parametrize')) {
    const names = argNames(interp, m.args[0] ?? m.kwargs.get('argnames') ?? '');
    const values = m.args[1] ?? m.kwargs.get('argvalues') ?? null;
    if (names.every((n) => given.has(n))) continue;
    if (values instanceof PyOpaque) throw new UnsupportedPythonError(`the parameter sets of @pytest.mark.parametrize(${names.map((n) => `'${n}'`).join(', ')}) for ${o.entry}`, values.loc ?? loc, `'${values.description}' comes from a module the evaluator does not implement; pass --arg NAME=VALUE`);
    const sets = await interp.toArray(values);
    if (!sets.length) return { kind, outcome: 'skipped', reason: `got empty parameter set [${names.map((n) => `'${n}'`).join(', ')}]`, notes, fixtures: setUp, returnValue: undefined };
    const firstSet = sets[0];
    const vals = firstSet instanceof ParameterSet ? firstSet.values : names.length === 1 ? [firstSet] : firstSet instanceof PyTuple || firstSet instanceof PyList ? firstSet.items : [firstSet];
    names.forEach((n, i) => {
      if (!given.has(n)) given.set(n, vals[i] ?? null);
    });
    notes.push(`parametrize: ran the first of ${sets.length} parameter set(s) (${names.map((n) => `${n}=${interp.repr(given.get(n)!)}`).join(', ')}); pass --arg NAME=VALUE for others`);
  }
  const useFixtures = marks.filter((m) => m.name === 'usefixtures').flatMap((m) => m.args.map((a) => interp.str(a)));

  // ---- the instance (test classes: setup_class / setup_method like pytest)
  const teardowns = new Teardowns();
  let instance: PyValue | undefined;
  if (cls && !staticMethod) {
    try {
      instance = await resolved(interp, call(interp, cls, [], null, loc), loc);
    } catch (e) {
      if (e instanceof PyException && e.pyType === 'TypeError' && /missing \d+ required/.test(e.pyMessage)) throw new EntryPointError(`${o.entry}: ${cls.name}() needs constructor arguments (${e.pyMessage}); entry points on classes take a no-argument constructor`);
      throw e;
    }
    addFrom(cls.ns, cls.name, instance);
    for (const base of cls.mro.slice(1)) for (const [k, v] of base.ns) if (!registry.has(k) && fixtureDefOf(v)) addFrom(new Map([[k, v]]), base.name, instance);
  }

  // ---- built-in fixtures
  const tmpDirs: string[] = [];
  const builtins: Record<string, (request: PyValue) => Promise<PyValue>> = {
    tmp_path: async () => {
      // pytest's tmp_path: a pathlib.Path to a fresh folder, here inside the run's scratch folder
      // (the only place the evaluated code may write), made by the evaluator's own tempfile/pathlib.
      const made = await ctx.loadModule('import pathlib as _pl, tempfile as _tf\n_tmp_path = _pl.Path(_tf.mkdtemp(prefix="pytest-tmp-"))\n', '<tmp_path>', '_pytest_tmp_path');
      const p = made.globals.get('_tmp_path');
      if (!made.error && p !== undefined) return p;
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-run-tmp-'));
      tmpDirs.push(d);
      notes.push('tmp_path is a str path here (this run has no file access for pathlib)');
      return d;
    },
    tmpdir: async () => builtins.tmp_path(null),
    monkeypatch: async () => monkeypatch(interp, teardowns, loc),
    caplog: async () => caplog(o.captured),
    capsys: async () => capsys(o.captured),
  };

  // ---- resolution
  const cache = new Map<string, PyValue>();
  const resolving: string[] = [];
  const missingError = (name: string, needer: string): Error => {
    const failed = conftestErrors[0];
    if (failed) {
      const why = failed.error instanceof Error ? failed.error.message : String(failed.error);
      if (failed.error instanceof UnsupportedPythonError) {
        const err = new UnsupportedPythonError(`fixture '${name}' (needed by ${needer})`, failed.error.location, `it is not defined in ${path.basename(o.file)}, and ${path.relative(path.dirname(o.file), failed.file)} could not be evaluated to its end: ${why}`);
        return err;
      }
      return failed.error as Error;
    }
    return new UnsupportedPythonError(`fixture '${name}' (needed by ${needer})`, loc, `it is not defined in ${path.basename(o.file)} nor its conftest.py files up to ${root} (a pytest plugin's fixture is not modelled)`);
  };
  const markObject = (m: Mark) => {
    const kw = new PyDict();
    for (const [k, v] of m.kwargs) kw.set(k, v);
    return new StrictHostObject('Mark', {}, { name: m.name, args: new PyTuple(m.args), kwargs: kw });
  };
  const node = new StrictHostObject(
    'Node',
    {
      get_closest_marker: (a) => {
        const name = interp.str(a[0]);
        const m = [...marks].reverse().find((x) => x.name === name);
        return m ? markObject(m) : (a[1] ?? null);
      },
      iter_markers: (a, k) => {
        const name = a[0] ?? k.get('name') ?? null;
        return new PyList([...marks].reverse().filter((x) => name === null || x.name === interp.str(name)).map(markObject));
      },
    },
    { name: o.entry.split('.').pop()!, nodeid: `${path.relative(root, o.file)}::${o.entry.replace('.', '::')}`, fspath: o.file, path: o.file },
  );
  const makeRequest = (def: FixtureDef | undefined): PyValue => {
    const attrs: Record<string, PyValue> = {
      fspath: o.file,
      path: o.file,
      node,
      function: fn,
      cls: cls ?? null,
      instance: instance ?? null,
      module: ctx.module,
      fixturename: def?.name ?? null,
      scope: def?.scope ?? 'function',
    };
    if (def?.params) {
      attrs.param = def.params[0] ?? null;
      notes.push(`fixture '${def.name}': request.param is the first of its ${def.params.length} param(s)`);
    }
    return new StrictHostObject(
      'FixtureRequest',
      {
        getfixturevalue: async (a) => resolve(interp.str(a[0]), 'request.getfixturevalue'),
        addfinalizer: (a) => {
          const f = a[0];
          teardowns.push('finalizer', async () => {
            await resolved(interp, call(interp, f, [], null, loc), loc);
          });
          return null;
        },
      },
      attrs,
    );
  };
  async function setupFixture(src: FixtureSource): Promise<PyValue> {
    const { def } = src;
    const kwargs: Kwargs = new Map();
    for (const p of fixtureValueNames(def.fn, src.self !== undefined)) kwargs.set(p, p === 'request' ? makeRequest(def) : await resolve(p, `fixture '${def.name}'`));
    const positional = src.self !== undefined ? [src.self] : [];
    if (def.fn.code.yieldLoc) {
      const gen = startGenerator(interp, def.fn, positional, kwargs.size ? kwargs : null);
      const step = await gen.next();
      if (step.done) throw new PyException(makeException(builtinExceptionClasses.get('ValueError')!, [`${def.name} did not yield a value`]));
      teardowns.push(def.name, async () => {
        const after = await gen.next();
        if (!after.done) throw new UnsupportedPythonError(`fixture '${def.name}' yields more than once`, def.fn.code.loc, "pytest reports \"fixture function has more than one 'yield'\"");
      });
      return step.value;
    }
    return resolved(interp, call(interp, def.fn, positional, kwargs.size ? kwargs : null, def.fn.code.loc), def.fn.code.loc);
  }
  async function resolve(name: string, needer: string): Promise<PyValue> {
    if (given.has(name)) return given.get(name)!;
    if (cache.has(name)) return cache.get(name)!;
    if (resolving.includes(name)) throw new EntryPointError(`fixture dependency cycle: ${[...resolving, name].join(' -> ')}`);
    resolving.push(name);
    try {
      let value: PyValue;
      const src = registry.get(name);
      if (src) value = await setupFixture(src);
      else if (name === 'request') value = makeRequest(undefined);
      else if (builtins[name]) value = await builtins[name](null);
      else throw missingError(name, needer);
      cache.set(name, value);
      setUp.push(name);
      return value;
    } finally {
      resolving.pop();
    }
  }

  let returnValue: PyValue | undefined;
  let outcomeKind: TestEntryOutcome['outcome'] = 'passed';
  let reason: string | undefined;
  const classHook = async (name: string) => {
    if (!cls || !isTestClass) return;
    const h = cls.lookup(name);
    if (h === undefined) return;
    const f = plainFunction(h);
    const wantsArg = !!f && fixtureValueNames(f, true).length + f.code.paramInfo.filter((p) => p.hasDefault).length > 0;
    const target = await getAttr(interp, h instanceof PyClassMethod ? cls : instance!, name, loc);
    const args = wantsArg ? [name.endsWith('_class') ? cls : fn] : [];
    await resolved(interp, call(interp, target, args, null, loc), loc);
  };
  try {
    try {
      if (kind === 'fixture') {
        returnValue = await resolve(entryFixture!.name, 'the entry');
      } else {
        await classHook('setup_class');
        if (isTestClass) teardowns.push('teardown_class', () => classHook('teardown_class'));
        await classHook('setup_method');
        if (isTestClass) teardowns.push('teardown_method', () => classHook('teardown_method'));
        if (kind === 'test') for (const a of [...autouse, ...useFixtures]) await resolve(a, 'autouse');
        const kwargs: Kwargs = new Map();
        const missing: string[] = [];
        for (const p of fixtureValueNames(fn, !!cls && !staticMethod)) {
          if (kind === 'method' && !given.has(p) && !registry.has(p) && !builtins[p] && p !== 'request') {
            missing.push(p);
            continue;
          }
          kwargs.set(p, p === 'request' ? makeRequest(undefined) : await resolve(p, o.entry));
        }
        if (missing.length) throw new EntryPointError(`Cannot call ${o.entry}(): missing value${missing.length > 1 ? 's' : ''} for ${missing.map((m) => `'${m}'`).join(', ')} (pass --arg NAME=VALUE)`, missing);
        const target = cls && !staticMethod ? await getAttr(interp, instance!, second!, loc) : cls ? fn : fn;
        returnValue = await resolved(interp, call(interp, target, [], kwargs.size ? kwargs : null, fn.code.loc), fn.code.loc);
      }
    } finally {
      await teardowns.runAll();
    }
    if (xfail) {
      outcomeKind = 'xpassed';
      notes.push(`xfail: the test passed although marked xfail${xfail.kwargs.get('reason') ? ` (${interp.str(xfail.kwargs.get('reason')!)})` : ''}`);
    }
  } catch (e) {
    const s = skipOutcome(e);
    if (s) {
      outcomeKind = s.kind;
      reason = s.reason;
    } else if (xfail && e instanceof PyException) {
      outcomeKind = 'xfailed';
      reason = `${e.pyType}: ${e.pyMessage}`;
    } else throw e;
  } finally {
    for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  }
  for (const c of conftestErrors) {
    const why = c.error instanceof Error ? c.error.message.split('\n')[0] : String(c.error);
    notes.push(`${path.relative(path.dirname(o.file), c.file)} could not be evaluated to its end (${why}); the fixtures it defines after that point were not available`);
  }
  return { kind, outcome: outcomeKind, reason, notes, fixtures: setUp, returnValue };
}

// ---------------------------------------------------------------------------------------------
// Built-in fixtures

/** A host object whose attributes beyond the modelled ones are unsupported (pytest has them), never an AttributeError. */
class StrictHostObject extends SimpleHostObject {
  constructor(
    private readonly kind: string,
    methods: ConstructorParameters<typeof SimpleHostObject>[1] = {},
    attrs: Record<string, PyValue> = {},
  ) {
    super(kind, methods, attrs);
  }
  override getAttr(name: string): PyValue | undefined {
    const v = super.getAttr(name);
    if (v === undefined && !name.startsWith('__')) throw new UnsupportedPythonError(`${this.kind}.${name}`, undefined, 'pytest has it; the evaluator does not model it');
    return v;
  }
}

function monkeypatch(interp: Interp, teardowns: Teardowns, loc: SourceLocation): PyValue {
  const undo: Array<() => void | Promise<void>> = [];
  teardowns.push('monkeypatch', async () => {
    while (undo.length) await undo.pop()!();
  });
  const environ = async (): Promise<PyValue> => {
    const osMod = await importHooks.importModule(interp, 'os', 0, interp.frames[interp.frames.length - 1], loc);
    return getAttr(interp, osMod, 'environ', loc);
  };
  const envGet = async (env: PyValue, k: string): Promise<PyValue | undefined> => {
    const getter = await getAttr(interp, env, 'get', loc);
    const v = await call(interp, getter, [k], null, loc);
    return v === null ? undefined : v;
  };
  return new SimpleHostObject('MonkeyPatch', {
    setenv: async (a) => {
      const env = await environ();
      const k = interp.str(a[0]);
      const before = await envGet(env, k);
      await setItem(interp, env, k, interp.str(a[1]), loc);
      undo.push(() => (before === undefined ? delItem(interp, env, k, loc) : setItem(interp, env, k, before, loc)));
      return null;
    },
    delenv: async (a, k) => {
      const env = await environ();
      const key = interp.str(a[0]);
      const before = await envGet(env, key);
      if (before === undefined) {
        if (interp.truthy(k.get('raising') ?? a[1] ?? true)) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [key]));
        return null;
      }
      delItem(interp, env, key, loc);
      undo.push(() => setItem(interp, env, key, before, loc));
      return null;
    },
    setattr: async (a) => {
      if (typeof a[0] === 'string') throw new UnsupportedPythonError('monkeypatch.setattr("dotted.path", value)', loc, 'pass the object and the attribute name');
      const [target, name, value] = [a[0], interp.str(a[1]), a[2]];
      const before = await getAttr(interp, target, name, loc);
      await setAttr(interp, target, name, value, loc);
      undo.push(() => setAttr(interp, target, name, before, loc));
      return null;
    },
    setitem: async (a) => {
      const [target, key, value] = a;
      await setItem(interp, target, key, value, loc);
      return null;
    },
  });
}

class LogRecord extends HostObject {
  constructor(
    readonly level: string,
    readonly message: string,
  ) {
    super();
  }
  override get typeName(): string {
    return 'LogRecord';
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'levelname':
        return this.level.toUpperCase();
      case 'message':
      case 'msg':
        return this.message;
      case 'getMessage':
        return hostFunction('getMessage', () => this.message);
    }
    return undefined;
  }
}

function caplog(captured: TestEntryOptions['captured']): PyValue {
  const start = captured.logs.length;
  let from = start;
  const records = () => captured.logs.slice(from);
  const obj = new (class extends SimpleHostObject {
    override getAttr(name: string): PyValue | undefined {
      if (name === 'records') return new PyList(records().map((r) => new LogRecord(r.level, r.message)));
      if (name === 'text') return records().map((r) => `${r.level.toUpperCase().padEnd(8)} ${r.message}`).join('\n') + (records().length ? '\n' : '');
      if (name === 'messages') return new PyList(records().map((r) => r.message));
      return super.getAttr(name);
    }
  })('LogCaptureFixture', {
    set_level: () => null,
    clear: () => {
      from = captured.logs.length;
      return null;
    },
    at_level: () => new SimpleHostObject('_GeneratorContextManager'),
  });
  return obj;
}

function capsys(captured: TestEntryOptions['captured']): PyValue {
  let from = captured.prints.length;
  return new SimpleHostObject('CaptureFixture', {
    readouterr: () => {
      const out = captured.prints.slice(from).map((l) => l + '\n').join('');
      from = captured.prints.length;
      const r = new SimpleHostObject('CaptureResult', {}, { out, err: '' });
      return r;
    },
  });
}
