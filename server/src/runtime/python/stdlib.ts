/**
 * The standard-library subset: typing, datetime, os, json, uuid, random, time, decimal, enum,
 * dataclasses, asyncio, logging, collections, math, sys, functools, itertools, copy; modules/ holds
 * one file per further module (dotenv, pathlib, tempfile, traceback, secrets, gc, argparse, socket),
 * each registered below with one line. Files go through `StdlibOptions.files` (reads in the project
 * root, writes in the run's scratch folder).
 * Everything that would touch the machine (clock, randomness, environment) goes through
 * `StdlibOptions`, so evaluations are reproducible.
 */
import { pytestAsyncioModule, pytestModule } from './pytestModule';
import { createHash } from 'node:crypto';
import {
  PyBytes,
  PyClass,
  PyDict,
  PyException,
  PyFloat,
  PyInstance,
  PyList,
  PyModule,
  PySet,
  PyTuple,
  PyValue,
  builtinExceptionClasses,
  makeException,
  normInt,
  pyErr,
} from './values';
import { Interp, call, getAttr, str, toArray, truthy, typeName, unsupported } from './runtime';
import { parseFloatText } from './numeric';
import type { FileAccess } from './fileAccess';
import type { StdlibContext } from './modules/kit';
import { dotenvModule } from './modules/dotenv';
import { pathlibModule } from './modules/pathlib';
import { tempfileModule } from './modules/tempfile';
import { tracebackModule } from './modules/traceback';
import { secretsModule } from './modules/secrets';
import { gcModule } from './modules/gc';
import { inspectModule } from './modules/inspect';
import { argparseModule } from './modules/argparse';
import { socketModule } from './modules/socket';
import { contextlibModule } from './modules/contextlib';
import { statisticsModule } from './modules/statistics';
import { reModule } from './modules/re';
import { yamlModule } from './modules/yaml';
import { difflibModule } from './modules/difflib';
import { sqlite3Module, type Sqlite3Api } from './modules/sqlite3';
import { aiosqliteModules } from './modules/aiosqlite';
import { hashlibModule } from './modules/hashlib';
import { fn, num, argOf, kwOf, mod, then } from './modules/kit';
import { activeInterp, PyDecimalObj } from './modules/decimal';
import { Clock, Rng } from './modules/clockAndRng';
import { typingModule } from './modules/typing';
import { datetimeModule, PyDateTimeObj } from './modules/datetime';
import { jsonDumps, jsonLoads, JSONDecodeError } from './modules/json';
import { Environ, osPath, osFiles } from './modules/os';
import { PyUUID, uuidFromBytes } from './modules/uuid';
import {
  fixEnumBases,
  EnumBase,
  IntEnumBase,
  StrEnumBase,
  FlagBase,
  EnumAuto,
  dataclassDecorator,
  DataclassField,
  asDict,
  DataclassFieldInfo,
} from './modules/classCreation';
import { asyncioModule } from './modules/asyncio';
import { Logger, LogHandler } from './modules/logging';
import { collectionsModule } from './modules/collections';
import { itertoolsModule } from './modules/itertools';
import { functoolsModule } from './modules/functools';
import { deepCopy } from './modules/copy';
import { mathModule } from './modules/math';
import { StdStream } from './modules/sys';

export interface StdlibOptions {
  /** Environment variables visible to os.getenv / os.environ (never the real process environment). */
  env: Record<string, string>;
  /** Clock: a fixed start time (epoch ms, Date or ISO string) — the clock then only advances via time.sleep/asyncio.sleep — or 'system'. */
  clock: number | Date | string | 'system';
  /** Seed for random, uuid4. */
  seed: number;
  /** sys.argv[0] */
  fileName: string;
  /** sys.argv[1:]: the command line the file is given (never the real process's). */
  argv?: string[];
  /** Disk access (reads in the project root, writes in the run's scratch folder); without it every file access is unsupported. */
  files?: FileAccess;
}

// ---------------------------------------------------------------------------------------------
// datetime

// ---------------------------------------------------------------------------------------------
// itertools, functools, copy, math, sys

export function makeStdlib(interp: Interp, opts: StdlibOptions): Map<string, () => PyModule> {
  activeInterp.interp = interp;
  const clock = new Clock(opts.clock);
  const rng = new Rng(opts.seed);
  const uuidRng = new Rng(`uuid:${opts.seed}`);
  const env = { ...opts.env };
  const modules = new Map<string, () => PyModule>();
  const reg = (name: string, make: () => PyModule) => modules.set(name, make);
  /** A module modelled in part: members it lacks are "not modelled" (exit 2), not AttributeErrors. */
  const regPartial = (name: string, make: () => PyModule) =>
    modules.set(name, () => {
      const m = make();
      m.partial = true;
      return m;
    });
  const ctx: StdlibContext = { interp, env, seed: opts.seed, fileName: opts.fileName, files: opts.files, makeRng: (stream) => new Rng(stream) };

  reg('typing', typingModule);
  reg('typing_extensions', typingModule);
  reg('__future__', () => mod('__future__', { annotations: true }));
  reg('datetime', () => datetimeModule(clock));
  reg('json', () =>
    mod('json', {
      dumps: fn('dumps', (a, k, ctx) => jsonDumps(interp, a[0], k, ctx.loc)),
      loads: fn('loads', (a) => {
        const s = a[0];
        if (s instanceof PyBytes) return jsonLoads(Buffer.from(s.data).toString('utf8'));
        if (typeof s !== 'string') throw pyErr('TypeError', `the JSON object must be str, bytes or bytearray, not ${typeName(s)}`);
        return jsonLoads(s);
      }),
      // json.dump / json.load through the file object's own write() / read() (open() files, the run's overlay).
      dump: fn('dump', async (a, k, ctx) => {
        const fp = a[1] ?? k?.get('fp');
        if (fp === undefined) throw pyErr('TypeError', "dump() missing 1 required positional argument: 'fp'");
        const rest = new Map(k ?? []);
        rest.delete('fp');
        const text = jsonDumps(interp, a[0] ?? rest.get('obj') ?? null, rest, ctx.loc);
        await call(interp, await getAttr(interp, fp, 'write', ctx.loc), [text], null, ctx.loc);
        return null;
      }),
      load: fn('load', async (a, k, ctx) => {
        const fp = a[0] ?? k?.get('fp');
        if (fp === undefined) throw pyErr('TypeError', "load() missing 1 required positional argument: 'fp'");
        const s = await call(interp, await getAttr(interp, fp, 'read', ctx.loc), [], null, ctx.loc);
        if (s instanceof PyBytes) return jsonLoads(Buffer.from(s.data).toString('utf8'));
        if (typeof s !== 'string') throw pyErr('TypeError', `the JSON object must be str, bytes or bytearray, not ${typeName(s)}`);
        return jsonLoads(s);
      }),
      JSONDecodeError,
    }),
  );
  regPartial('os', () => {
    const environ = new Environ(env);
    const path = osPath(ctx);
    return mod('os', {
      environ,
      getenv: fn('getenv', (a, k) => environ.get(a[0]) ?? argOf(a, k, 1, 'default') ?? null),
      path,
      sep: '/',
      linesep: '\n',
      name: 'posix',
      cpu_count: fn('cpu_count', () => 2),
      getpid: fn('getpid', () => 1),
      getcwd: fn('getcwd', () => (ctx.files ? ctx.files.root : '/')),
      ...osFiles(ctx),
    });
  });
  regPartial('os.path', () => osPath(ctx));
  reg('pytest', () => pytestModule(interp));
  reg('pytest_asyncio', () => pytestAsyncioModule(interp));
  reg('uuid', () => {
    const UUID = new PyClass(
      'UUID',
      [],
      new Map(),
      {
        construct: (a, k) => {
          const h = String(argOf(a, k, 0, 'hex') ?? '')
            .replace(/[{}-]/g, '')
            .replace(/^urn:uuid:/, '')
            .toLowerCase();
          if (!/^[0-9a-f]{32}$/.test(h)) throw pyErr('ValueError', 'badly formed hexadecimal UUID string');
          return new PyUUID(h);
        },
        isInstance: (v) => v instanceof PyUUID,
      },
      'UUID',
      'uuid',
    );
    const rand16 = () => {
      const b = new Uint8Array(16);
      for (let i = 0; i < 16; i += 4) {
        const x = uuidRng.u32();
        b[i] = x & 0xff;
        b[i + 1] = (x >>> 8) & 0xff;
        b[i + 2] = (x >>> 16) & 0xff;
        b[i + 3] = (x >>> 24) & 0xff;
      }
      return b;
    };
    const hashed = (algo: string, version: number) =>
      fn(`uuid${version}`, (a) => {
        const ns = a[0];
        if (!(ns instanceof PyUUID)) throw pyErr('TypeError', 'namespace must be a UUID');
        const h = createHash(algo).update(Buffer.from(ns.hex, 'hex')).update(String(a[1])).digest();
        return uuidFromBytes(Uint8Array.from(h.subarray(0, 16)), version);
      });
    return mod('uuid', {
      UUID,
      uuid4: fn('uuid4', () => uuidFromBytes(rand16(), 4)),
      uuid1: fn('uuid1', () => uuidFromBytes(rand16(), 1)),
      uuid5: hashed('sha1', 5),
      uuid3: hashed('md5', 3),
      NAMESPACE_DNS: new PyUUID('6ba7b8109dad11d180b400c04fd430c8'),
      NAMESPACE_URL: new PyUUID('6ba7b8119dad11d180b400c04fd430c8'),
      NAMESPACE_OID: new PyUUID('6ba7b8129dad11d180b400c04fd430c8'),
    });
  });
  reg('random', () => {
    const randint = (lo: number, hi: number) => lo + rng.below(hi - lo + 1);
    return mod('random', {
      seed: fn('seed', (a) => {
        rng.seed(a[0] === undefined || a[0] === null ? opts.seed : str(interp, a[0]));
        return null;
      }),
      random: fn('random', () => new PyFloat(rng.random())),
      randint: fn('randint', (a) => randint(Number(a[0]), Number(a[1]))),
      randrange: fn('randrange', (a) => {
        const [start, stop, step] = a.length === 1 ? [0, Number(a[0]), 1] : [Number(a[0]), Number(a[1]), Number(a[2] ?? 1)];
        const n = Math.ceil((stop - start) / step);
        if (n <= 0) throw pyErr('ValueError', 'empty range for randrange()');
        return start + step * rng.below(n);
      }),
      uniform: fn('uniform', (a) => {
        const lo = num(a[0]);
        const hi = num(a[1]);
        return new PyFloat(lo + (hi - lo) * rng.random());
      }),
      gauss: fn('gauss', (a) => {
        const mu = num(a[0], 0);
        const sigma = num(a[1], 1);
        const u = 1 - rng.random();
        const v = rng.random();
        return new PyFloat(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
      }),
      choice: fn('choice', (a, _k, ctx) =>
        then(toArray(interp, a[0], ctx.loc), (xs) => {
          if (!xs.length) throw pyErr('IndexError', 'Cannot choose from an empty sequence');
          return xs[rng.below(xs.length)];
        }),
      ),
      choices: fn('choices', (a, k, ctx) =>
        then(toArray(interp, a[0], ctx.loc), (xs) => {
          const n = Number(kwOf(k, 'k') ?? 1);
          const weights = kwOf(k, 'weights') ?? a[1];
          const ws = weights instanceof PyList || weights instanceof PyTuple ? weights.items.map((w) => num(w)) : undefined;
          const total = ws ? ws.reduce((s, w) => s + w, 0) : 0;
          const out: PyValue[] = [];
          for (let i = 0; i < n; i++) {
            if (!ws) out.push(xs[rng.below(xs.length)]);
            else {
              let r = rng.random() * total;
              let j = 0;
              while (j < ws.length - 1 && r >= ws[j]) r -= ws[j++];
              out.push(xs[j]);
            }
          }
          return new PyList(out);
        }),
      ),
      shuffle: fn('shuffle', (a) => {
        const l = a[0];
        if (!(l instanceof PyList)) throw pyErr('TypeError', 'shuffle expects a list');
        for (let i = l.items.length - 1; i > 0; i--) {
          const j = rng.below(i + 1);
          [l.items[i], l.items[j]] = [l.items[j], l.items[i]];
        }
        return null;
      }),
      sample: fn('sample', (a, k, ctx) =>
        then(toArray(interp, a[0], ctx.loc), (xs) => {
          const n = Number(argOf(a, k, 1, 'k'));
          if (n > xs.length || n < 0) throw pyErr('ValueError', 'Sample larger than population or is negative');
          const pool = xs.slice();
          const out: PyValue[] = [];
          for (let i = 0; i < n; i++) out.push(pool.splice(rng.below(pool.length), 1)[0]);
          return new PyList(out);
        }),
      ),
    });
  });
  regPartial('time', () =>
    mod('time', {
      time: fn('time', () => new PyFloat(clock.now() / 1000)),
      time_ns: fn('time_ns', () => normInt(BigInt(Math.round(clock.now() * 1e6)))),
      perf_counter: fn('perf_counter', () => new PyFloat(clock.perf())),
      perf_counter_ns: fn('perf_counter_ns', () => Math.round(clock.perf() * 1e9)),
      monotonic: fn('monotonic', () => new PyFloat(clock.perf())),
      monotonic_ns: fn('monotonic_ns', () => Math.round(clock.perf() * 1e9)),
      process_time_ns: fn('process_time_ns', () => Math.round(clock.perf() * 1e9)),
      process_time: fn('process_time', () => new PyFloat(clock.perf())),
      sleep: fn('sleep', (a) => {
        clock.sleep(num(a[0]));
        return null;
      }),
      strftime: fn('strftime', (a) => new PyDateTimeObj(Math.floor(clock.now() * 1000), null, false).strftime(String(a[0]))),
    }),
  );
  reg('decimal', () =>
    mod('decimal', {
      Decimal: new PyClass(
        'Decimal',
        [],
        new Map(),
        {
          construct: (a) => {
            const v = a[0] ?? '0';
            if (typeof v === 'string') {
              const t = v.trim();
              if (parseFloatText(t) === undefined) throw new PyException(makeException(new PyClass('InvalidOperation', [builtinExceptionClasses.get('ArithmeticError')!], new Map(), undefined, 'InvalidOperation', 'decimal'), [`[<class 'decimal.ConversionSyntax'>]`]));
              return new PyDecimalObj(t);
            }
            if (typeof v === 'number' || typeof v === 'bigint') return new PyDecimalObj(String(v));
            if (v instanceof PyDecimalObj) return v;
            if (v instanceof PyFloat) throw unsupported('Decimal(float) (exact binary expansion)', undefined);
            throw pyErr('TypeError', `conversion from ${typeName(v)} to Decimal is not supported`);
          },
          isInstance: (v) => v instanceof PyDecimalObj,
        },
        'Decimal',
        'decimal',
      ),
    }),
  );
  reg('enum', () => {
    fixEnumBases();
    return mod('enum', {
      Enum: EnumBase,
      IntEnum: IntEnumBase,
      StrEnum: StrEnumBase,
      Flag: FlagBase,
      IntFlag: IntEnumBase,
      auto: new PyClass('auto', [], new Map(), { construct: () => new EnumAuto() }, 'auto', 'enum'),
      unique: fn('unique', (a) => a[0]),
    });
  });
  reg('dataclasses', () =>
    mod('dataclasses', {
      dataclass: dataclassDecorator(interp),
      field: fn('field', (_a, k) => new DataclassField(kwOf(k, 'default'), kwOf(k, 'default_factory'), truthy(interp, kwOf(k, 'init') ?? true), truthy(interp, kwOf(k, 'repr') ?? true))),
      asdict: fn('asdict', (a) => asDict(interp, a[0])),
      astuple: fn('astuple', (a) => {
        const d = asDict(interp, a[0]);
        return d instanceof PyDict ? new PyTuple(d.values()) : d;
      }),
      is_dataclass: fn('is_dataclass', (a) => {
        const c = a[0] instanceof PyInstance ? a[0].cls : a[0];
        return c instanceof PyClass && c.lookup('__dataclass_fields__') !== undefined;
      }),
      fields: fn('fields', (a) => {
        const c = a[0] instanceof PyInstance ? a[0].cls : a[0];
        const fs = c instanceof PyClass ? c.lookup('__dataclass_fields__') : undefined;
        return new PyTuple(fs instanceof PyDict ? fs.keys().map((n) => new DataclassFieldInfo(String(n))) : []);
      }),
      replace: fn('replace', (a, k) => {
        const obj = a[0] as PyInstance;
        const out = new PyInstance(obj.cls);
        for (const [n, v] of obj.dict) out.dict.set(n, v);
        if (k) for (const [n, v] of k) out.dict.set(n, v);
        return out;
      }),
      FrozenInstanceError: builtinExceptionClasses.get('AttributeError')!,
    }),
  );
  reg('asyncio', () => asyncioModule(interp, clock));
  regPartial('logging', () => {
    const loggers = new Map<string, Logger>();
    const getLogger = fn('getLogger', (a) => {
      const name = a[0] === undefined || a[0] === null ? 'root' : String(a[0]);
      let l = loggers.get(name);
      if (!l) loggers.set(name, (l = new Logger(name, interp)));
      return l;
    });
    const root = new Logger('root', interp);
    const m: Record<string, PyValue> = {
      getLogger,
      basicConfig: fn('basicConfig', () => null),
      DEBUG: 10,
      INFO: 20,
      WARNING: 30,
      WARN: 30,
      ERROR: 40,
      CRITICAL: 50,
      NOTSET: 0,
      // Records go to the run log whatever the handler (a FileHandler writes no file).
      StreamHandler: fn('StreamHandler', () => new LogHandler('StreamHandler')),
      FileHandler: fn('FileHandler', () => new LogHandler('FileHandler')),
      NullHandler: fn('NullHandler', () => new LogHandler('NullHandler')),
      Formatter: fn('Formatter', () => new LogHandler('Formatter')),
      getLevelName: fn('getLevelName', (a) => {
        const names: Record<number, string> = { 0: 'NOTSET', 10: 'DEBUG', 20: 'INFO', 30: 'WARNING', 40: 'ERROR', 50: 'CRITICAL' };
        const v = a[0];
        if (typeof v === 'number') return names[v] ?? `Level ${v}`;
        const back = Object.entries(names).find(([, n]) => n === v);
        return back ? Number(back[0]) : `Level ${str(interp, v ?? null)}`;
      }),
      captureWarnings: fn('captureWarnings', () => null),
      shutdown: fn('shutdown', () => null),
      root,
      disable: fn('disable', () => null),
    };
    for (const lvl of ['debug', 'info', 'warning', 'error', 'exception', 'critical']) m[lvl] = fn(lvl, (a, _k, ctx) => call(interp, root.getAttr(lvl, interp.hostContext(ctx.loc))!, a, null, ctx.loc));
    return mod('logging', m);
  });
  reg('collections', () => collectionsModule(interp));
  reg('itertools', () => itertoolsModule(interp));
  reg('functools', () => functoolsModule(interp));
  reg('copy', () =>
    mod('copy', {
      copy: fn('copy', (a) => {
        const v = a[0];
        if (v instanceof PyList) return new PyList(v.items.slice());
        if (v instanceof PyDict) return v.copy();
        if (v instanceof PySet) return PySet.of(v.values(), v.frozen);
        if (v instanceof PyInstance) {
          const out = new PyInstance(v.cls);
          for (const [k, x] of v.dict) out.dict.set(k, x);
          return out;
        }
        return v;
      }),
      deepcopy: fn('deepcopy', (a) => deepCopy(a[0], new Map())),
    }),
  );
  reg('math', () => mathModule(interp));
  regPartial('sys', () =>
    mod('sys', {
      argv: new PyList([opts.fileName, ...(opts.argv ?? [])]),
      version: '3.12.0 (dataflow evaluator)',
      version_info: new PyTuple([3, 12, 0, 'final', 0]),
      platform: 'linux',
      path: new PyList([]),
      maxsize: Number.MAX_SAFE_INTEGER,
      modules: new PyDict(),
      stdout: new StdStream(interp, 'stdout'),
      stderr: new StdStream(interp, 'stderr'),
      exit: fn('exit', (a) => {
        throw pyErr('SystemExit', ...((a.length ? [a[0]] : []) as [PyValue]));
      }),
      getrecursionlimit: fn('getrecursionlimit', () => interp.limits.maxDepth),
      setrecursionlimit: fn('setrecursionlimit', () => null),
    }),
  );
  reg('warnings', () =>
    mod('warnings', {
      warn: fn('warn', (a, _k, ctx) => {
        interp.hooks.log('WARNING', str(interp, a[0] ?? ''), ctx.loc);
        return null;
      }),
      filterwarnings: fn('filterwarnings', () => null),
      simplefilter: fn('simplefilter', () => null),
    }),
  );
  reg('dotenv', () => dotenvModule(ctx));
  reg('pathlib', () => pathlibModule(ctx));
  reg('tempfile', () => tempfileModule(ctx));
  reg('traceback', () => tracebackModule(ctx));
  reg('secrets', () => secretsModule(ctx));
  reg('gc', () => gcModule(ctx));
  reg('inspect', () => inspectModule(ctx));
  reg('argparse', () => argparseModule(ctx));
  reg('socket', () => socketModule(ctx));
  reg('contextlib', () => contextlibModule(ctx));
  reg('statistics', () => statisticsModule(ctx));
  reg('re', () => reModule(ctx));
  reg('yaml', () => yamlModule(ctx));
  reg('difflib', () => difflibModule(ctx));
  reg('hashlib', () => hashlibModule(ctx));
  // One sqlite3 per evaluation: aiosqlite runs on its connections and shares its Row and exceptions.
  let sqlite3: Sqlite3Api | undefined;
  const sqlite3Api = () => (sqlite3 ??= sqlite3Module(ctx));
  reg('sqlite3', () => sqlite3Api().module);
  let aiosqlite: ReturnType<typeof aiosqliteModules> | undefined;
  const aiosqliteApi = () => (aiosqlite ??= aiosqliteModules(ctx, sqlite3Api()));
  reg('aiosqlite', () => aiosqliteApi().top);
  reg('aiosqlite.core', () => aiosqliteApi().core);
  reg('abc', () =>
    mod('abc', {
      ABC: new PyClass('ABC', [], new Map(), undefined, 'ABC', 'abc'),
      abstractmethod: fn('abstractmethod', (a) => a[0]),
    }),
  );
  return modules;
}

// The module files' types and hooks the rest of the code imports from here.
export { PyDateTimeObj, PyTimeDelta, parseIsoDateTime } from './modules/datetime';
export { PyDecimalObj } from './modules/decimal';
export { PyUUID } from './modules/uuid';
export { createClass } from './modules/classCreation';
export { setAdder } from './modules/itertools';
export { setMultiplier } from './modules/math';
export { setPercentFormatter } from './modules/logging';
