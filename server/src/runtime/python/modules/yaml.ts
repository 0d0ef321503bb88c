/**
 * yaml (PyYAML): safe_load / load(..., Loader=SafeLoader) / safe_load_all, on js-yaml's parser with
 * PyYAML's own resolver for plain scalars (YAML 1.1: yes/no/on/off booleans, 0o-less octal `017`,
 * 0b / 0x ints, sexagesimal `1:30`, floats only with a dot, `~` null), non-string mapping keys kept
 * as Python keys, merge keys `<<`, duplicate keys (the last wins). Timestamps (PyYAML makes date /
 * datetime) and the !!binary / !!set / !!omap / !!pairs tags are unsupported (exit 2). dump /
 * safe_dump write block style as PyYAML's emitter does (yamlDump.ts). Parse errors raise yaml.YAMLError (with js-yaml's message, not PyYAML's).
 */
import * as jsyaml from 'js-yaml';
import { ArrayIterator, ExceptionClass, PyClass, PyDict, PyFloat, PyList, PyObject, PyValue, normInt, pyErr, type SourceLocation } from '../values';
import { awaitValue, callMethod } from '../protocols/calls';
import { cmp } from '../protocols/operators';
import { truthy } from '../protocols/equality';
import { unsupported } from '../runtime';
import { dumpYaml } from './yamlDump';
import { StdlibContext, argOf, fn, partialModule } from './kit';

export const YAMLError = new PyClass('YAMLError', [ExceptionClass], new Map(), undefined, 'YAMLError', 'yaml.error');

/** A plain scalar PyYAML resolves to something other than str; js-yaml turns mapping keys into strings, so it stringifies to a token that names it. */
class Resolved {
  constructor(readonly value: PyValue, readonly token: string) {}
  get [Symbol.toStringTag](): string {
    return 'PyYamlScalar';
  }
  toString(): string {
    return this.token;
  }
}

const TOKEN = '\u0000pyyaml-key:';

// PyYAML's implicit resolvers (yaml/resolver.py), in its order of precedence for the first character.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP = /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** PyYAML's construct_yaml_int. */
function constructInt(text: string): number | bigint {
  let v = text.replace(/_/g, '');
  let sign = 1n;
  if (v[0] === '-') sign = -1n;
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  let n: bigint;
  if (v === '0') n = 0n;
  else if (v.startsWith('0b')) n = BigInt('0b' + v.slice(2));
  else if (v.startsWith('0x')) n = BigInt('0x' + v.slice(2));
  else if (v[0] === '0') n = BigInt('0o' + v.slice(1));
  else if (v.includes(':')) {
    n = 0n;
    let base = 1n;
    for (const d of v.split(':').reverse()) {
      n += BigInt(d) * base;
      base *= 60n;
    }
  } else n = BigInt(v);
  return normInt(sign * n);
}

/** PyYAML's construct_yaml_float. */
function constructFloat(text: string): number {
  let v = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (v[0] === '-') sign = -1;
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  if (v.includes(':')) {
    let n = 0;
    let base = 1;
    for (const d of v.split(':').reverse()) {
      n += Number(d) * base;
      base *= 60;
    }
    return sign * n;
  }
  return sign * Number(v);
}

function makeSchema(resolved: Map<string, PyValue>): jsyaml.Schema {
  let next = 0;
  const wrap = (value: PyValue): Resolved => {
    const token = `${TOKEN}${next++}`;
    resolved.set(token, value);
    return new Resolved(value, token);
  };
  const scalar = (tag: string, test: RegExp, make: (s: string) => PyValue) =>
    new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
      kind: 'scalar',
      resolve: (data: unknown) => typeof data === 'string' ? test.test(data) : data === null && test.test(''),
      construct: (data: unknown) => wrap(make(typeof data === 'string' ? data : '')),
    });
  const timestamp = new jsyaml.Type('tag:yaml.org,2002:timestamp', {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && TIMESTAMP.test(data),
    construct: (data: unknown) => {
      throw new UnsupportedYaml(`the YAML timestamp ${JSON.stringify(data)} (PyYAML makes a date/datetime of it)`);
    },
  });
  return jsyaml.FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar('null', NULL, () => null),
      scalar('bool', BOOL, (s) => /^(?:yes|true|on)$/i.test(s)),
      scalar('int', INT, constructInt),
      scalar('float', FLOAT, (s) => new PyFloat(constructFloat(s))),
      timestamp,
      jsyaml.types.merge,
    ],
  });
}

class UnsupportedYaml extends Error {}

/** The Python value of js-yaml's result: Resolved scalars unwrapped, mapping keys restored from their tokens. */
function toPython(x: unknown, resolved: Map<string, PyValue>, seen: Map<object, PyValue>): PyValue {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string') return x;
  if (x instanceof Resolved) return x.value;
  if (typeof x !== 'object') throw new Error(`unexpected js-yaml value ${String(x)}`);
  const done = seen.get(x);
  if (done) return done;
  if (Array.isArray(x)) {
    const l = new PyList([]);
    seen.set(x, l);
    for (const v of x) l.items.push(toPython(v, resolved, seen));
    return l;
  }
  const d = new PyDict();
  seen.set(x, d);
  for (const [k, v] of Object.entries(x)) d.set(k.startsWith(TOKEN) && resolved.has(k) ? resolved.get(k)! : k, toPython(v, resolved, seen));
  return d;
}

const SAFE_TAGS = /tag:yaml\.org,2002:(binary|set|omap|pairs|timestamp)/;

/** Parses YAML text the way PyYAML's SafeLoader does; `all`: every document (safe_load_all). */
export function loadYaml(text: string, loc: SourceLocation | undefined, all = false): PyValue {
  const resolved = new Map<string, PyValue>();
  const schema = makeSchema(resolved);
  try {
    if (all) {
      const docs = jsyaml.loadAll(text, undefined, { schema, json: true });
      return new ArrayIterator(docs.map((doc) => toPython(doc, resolved, new Map())), 'generator');
    }
    return toPython(jsyaml.load(text, { schema, json: true }), resolved, new Map());
  } catch (e) {
    if (e instanceof UnsupportedYaml) throw unsupported(e.message, loc);
    if (e instanceof jsyaml.YAMLException) {
      const tag = SAFE_TAGS.exec(e.message);
      if (tag) throw unsupported(`the YAML tag !!${tag[1]}`, loc, 'PyYAML constructs it; the evaluator does not');
      throw pyErr(YAMLError, e.message);
    }
    throw e;
  }
}

export function yamlModule(ctx: StdlibContext) {
  const { interp } = ctx;
  const SafeLoader = new PyClass('SafeLoader', [], new Map(), undefined, 'SafeLoader', 'yaml.loader');
  const CSafeLoader = new PyClass('CSafeLoader', [], new Map(), undefined, 'CSafeLoader', 'yaml.cyaml');
  /** The text of a str or a stream (an object with read()). */
  const textOf = (v: PyValue | undefined, loc: SourceLocation | undefined): string | Promise<string> => {
    if (typeof v === 'string') return v;
    if (v instanceof PyObject && !(v instanceof PyDict) && !(v instanceof PyList)) {
      const r = callMethod(interp, v, 'read', [], null, loc);
      const got = (x: PyValue): string | Promise<string> => {
        if (x instanceof Promise) return x.then(got);
        if (typeof x !== 'string') throw unsupported('yaml loading from a bytes stream', loc);
        return x;
      };
      return r instanceof Promise ? r.then((x) => awaitValue(interp, x, loc)).then(got) : got(r);
    }
    throw unsupported(`yaml loading from ${v === undefined ? 'nothing' : typeof v}`, loc);
  };
  const loader = (name: string, all: boolean, needsLoader: boolean) =>
    fn(name, (a, k, c) => {
      if (needsLoader) {
        const l = argOf(a, k, 1, 'Loader');
        if (l === undefined) throw pyErr('TypeError', "load() missing 1 required positional argument: 'Loader'");
        if (l !== SafeLoader && l !== CSafeLoader) throw unsupported(`yaml.${name}() with a Loader other than SafeLoader`, c.loc, 'only safe loading is modelled');
      }
      const t = textOf(argOf(a, k, 0, 'stream'), c.loc);
      return t instanceof Promise ? t.then((s) => loadYaml(s, c.loc, all)) : loadYaml(t, c.loc, all);
    });
  const SafeDumper = new PyClass('SafeDumper', [], new Map(), undefined, 'SafeDumper', 'yaml.dumper');
  const Dumper = new PyClass('Dumper', [], new Map(), undefined, 'Dumper', 'yaml.dumper');
  /** dump(data, stream=None, Dumper=Dumper, **kwds) → dump_all's keywords; what PyYAML does with the rest is not modelled. */
  const dumper = (name: string, safe: boolean) =>
    fn(name, (a, k, c) => {
      const kw = k ?? new Map<string, PyValue>();
      const opt = (key: string): PyValue | undefined => kw.get(key);
      const known = new Set(['data', 'stream', 'Dumper', 'default_flow_style', 'default_style', 'canonical', 'indent', 'width', 'allow_unicode', 'line_break', 'encoding', 'explicit_start', 'explicit_end', 'version', 'tags', 'sort_keys']);
      for (const key of kw.keys()) if (!known.has(key)) throw unsupported(`yaml.${name}(${key}=...)`, c.loc);
      if (a.length > 2) throw unsupported(`yaml.${name}() with more than two positional arguments`, c.loc);
      const d = argOf(a, k, 2, 'Dumper');
      const isSafe = safe || d === SafeDumper;
      if (d !== undefined && d !== SafeDumper && d !== Dumper) throw unsupported(`yaml.${name}() with a Dumper other than yaml.Dumper / yaml.SafeDumper`, c.loc);
      const flow = opt('default_flow_style');
      if (flow !== undefined && flow !== false) throw unsupported(`yaml.${name}(default_flow_style=${flow === null ? 'None' : 'True'})`, c.loc, 'only block style is modelled');
      for (const key of ['default_style', 'canonical', 'line_break', 'encoding', 'version', 'tags']) {
        const v = opt(key);
        if (v !== undefined && v !== null && v !== false) throw unsupported(`yaml.${name}(${key}=...)`, c.loc);
      }
      const intOpt = (key: string): number | undefined => {
        const v = opt(key);
        return typeof v === 'number' ? v : undefined;
      };
      const given = intOpt('indent');
      const indent = given !== undefined && given > 1 && given < 10 ? given : 2;
      const w = intOpt('width');
      const flag = (key: string, dflt: boolean) => {
        const v = opt(key);
        return v === undefined || v === null ? dflt : truthy(interp, v);
      };
      const text = dumpYaml(
        argOf(a, k, 0, 'data') ?? null,
        {
          safe: isSafe,
          sortKeys: flag('sort_keys', true),
          indent,
          width: w !== undefined && w > indent * 2 ? w : 80,
          allowUnicode: flag('allow_unicode', false),
          explicitStart: flag('explicit_start', false),
          explicitEnd: flag('explicit_end', false),
          compare: (x, y) => cmp(interp, x, y, '<'),
          plainIsStr: (v) => !(BOOL.test(v) || FLOAT.test(v) || INT.test(v) || NULL.test(v) || TIMESTAMP.test(v) || v === '<<' || v === '='),
        },
        c.loc,
      );
      const stream = argOf(a, k, 1, 'stream');
      if (stream === undefined || stream === null) return text.join('');
      const writeFrom = (i: number): PyValue | Promise<PyValue> => {
        for (; i < text.length; i++) {
          const r = callMethod(interp, stream, 'write', [text[i]], null, c.loc);
          if (r instanceof Promise) {
            const next = i + 1;
            return r.then(() => writeFrom(next));
          }
        }
        return null;
      };
      return writeFrom(0);
    });
  return partialModule('yaml', {
    dump: dumper('dump', false),
    safe_dump: dumper('safe_dump', true),
    Dumper,
    SafeDumper,
    safe_load: loader('safe_load', false, false),
    safe_load_all: loader('safe_load_all', true, false),
    load: loader('load', false, true),
    load_all: loader('load_all', true, true),
    SafeLoader,
    CSafeLoader,
    YAMLError,
  });
}
