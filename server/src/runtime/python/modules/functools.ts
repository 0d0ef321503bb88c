/** functools (wraps comes from functoolsWraps.ts). */
import {
  PyBuiltin,
  PyFunction,
  PyModule,
  PyProperty,
  PyValue,
  pyErr,
  PyTuple,
  type Kwargs,
  PyDict,
  PyInstance,
  type SourceLocation,
  PyClass,
  PyBoundMethod,
} from '../values';
import { Interp } from '../runtime';
import { call } from '../protocols/calls';
import { compare } from '../protocols/operators';
import { toArray } from '../protocols/iteration';
import { truthy } from '../protocols/equality';
import { functoolsWrapMembers } from './functoolsWraps';
import { fn, mod, then } from './kit';
import { NotImplemented } from '../builtins';
import { HostObject, type HostContext } from '../host';

/** The key lru_cache / cache file a call under: the positional arguments, then a marker and each keyword with its value. */
const KWD_MARK = new PyTuple([]);
function cacheKey(a: PyValue[], k: Kwargs | null): PyTuple {
  if (!k || k.size === 0) return new PyTuple(a);
  const parts = [...a, KWD_MARK];
  for (const [n, v] of k) parts.push(n, v);
  return new PyTuple(parts);
}

/** functools.lru_cache / cache: the wrapper calls the function once per distinct arguments (unbounded, as maxsize=None). */
function memoized(interp: Interp, f: PyValue): PyBuiltin {
  const results = new PyDict();
  const name = f instanceof PyFunction ? f.code.name : f instanceof PyBuiltin ? f.name : 'wrapper';
  return fn(name, (a, k, ctx) => {
    const key = cacheKey(a, k);
    const hit = results.get(key);
    if (hit !== undefined) return hit;
    return then(call(interp, f, a, k, ctx.loc), (v) => {
      results.set(key, v);
      return v;
    });
  });
}

/**
 * functools.cached_property: the first read of the attribute on an instance calls the function
 * and stores the value in the instance's __dict__, which later reads return; assignment writes there.
 */
function cachedProperty(interp: Interp, f: PyValue): PyProperty {
  const name = f instanceof PyFunction ? f.code.name : '';
  const get = fn(name, (a, _k, ctx) => {
    const self = a[0];
    if (self instanceof PyInstance && self.dict.has(name)) return self.dict.get(name)!;
    return then(call(interp, f, [self], null, ctx.loc), (v) => {
      if (self instanceof PyInstance) self.dict.set(name, v);
      return v;
    });
  });
  const set = fn(name, (a) => {
    if (a[0] instanceof PyInstance) a[0].dict.set(name, a[1]);
    return null;
  });
  return new PyProperty(get, set);
}

/** How functools.total_ordering derives each missing comparison from the one the class defines (CPython's convert table). */
type Derive = (r: PyValue, eqSelf: () => boolean) => PyValue;
const not = (r: PyValue, interp: Interp) => !truthy(interp, r);
function totalOrdering(interp: Interp, cls: PyValue, loc: SourceLocation | undefined): PyValue {
  if (!(cls instanceof PyClass)) throw pyErr('TypeError', 'total_ordering expects a class');
  const roots = ['__lt__', '__le__', '__gt__', '__ge__'].filter((op) => cls.ns.has(op));
  if (!roots.length) throw pyErr('ValueError', 'must define at least one ordering operation: < > <= >=');
  const root = roots.reduce((a, b) => (b > a ? b : a));
  const rootFn = cls.ns.get(root)!;
  const t = (r: PyValue) => truthy(interp, r);
  const convert: Record<string, [string, Derive][]> = {
    __lt__: [['__gt__', (r, eq) => !t(r) && !eq()], ['__le__', (r, eq) => (t(r) ? r : eq())], ['__ge__', (r) => not(r, interp)]],
    __le__: [['__ge__', (r, eq) => not(r, interp) || eq()], ['__lt__', (r, eq) => (t(r) ? !eq() : r)], ['__gt__', (r) => not(r, interp)]],
    __gt__: [['__lt__', (r, eq) => !t(r) && !eq()], ['__ge__', (r, eq) => (t(r) ? r : eq())], ['__le__', (r) => not(r, interp)]],
    __ge__: [['__le__', (r, eq) => not(r, interp) || eq()], ['__gt__', (r, eq) => (t(r) ? !eq() : r)], ['__lt__', (r) => not(r, interp)]],
  };
  for (const [op, derive] of convert[root]) {
    if (roots.includes(op)) continue;
    cls.ns.set(
      op,
      fn(op, (a, _k, ctx) =>
        then(call(interp, rootFn, [a[0], a[1]], null, ctx.loc ?? loc), (r) => (r === NotImplemented ? r : derive(r, () => compare(interp, '==', a[0], a[1], ctx.loc ?? loc)))),
      ),
    );
  }
  return cls;
}

/** functools.partial(func, *args, **keywords): a callable with .func, .args and .keywords (not a method when put on a class, as in CPython). */
class Partial extends HostObject {
  constructor(
    private readonly interp: Interp,
    readonly func: PyValue,
    readonly args: PyValue[],
    readonly keywords: Kwargs,
  ) {
    super();
  }
  override get typeName(): string {
    return 'partial';
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'func') return this.func;
    if (name === 'args') return new PyTuple(this.args);
    if (name === 'keywords') return PyDict.fromEntries([...this.keywords]);
    return undefined;
  }
  override call(args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> {
    const merged = new Map([...this.keywords, ...kwargs]);
    return call(this.interp, this.func, [...this.args, ...args], merged.size ? merged : null, ctx.loc);
  }
  override get isCallable(): boolean {
    return true;
  }
}

export function functoolsModule(interp: Interp): PyModule {
  const cacheDeco = (name: string) =>
    fn(name, (a, k) => {
      // @lru_cache / @cache on a function, or @lru_cache(maxsize=...) giving the decorator
      if (a.length === 1 && !(k && k.size) && (a[0] instanceof PyFunction || a[0] instanceof PyBuiltin || a[0] instanceof PyBoundMethod)) return memoized(interp, a[0]);
      return fn(name, (b) => memoized(interp, b[0]));
    });
  return mod('functools', {
    ...functoolsWrapMembers(interp),
    lru_cache: cacheDeco('lru_cache'),
    cache: cacheDeco('cache'),
    cached_property: fn('cached_property', (a) => cachedProperty(interp, a[0])),
    total_ordering: fn('total_ordering', (a, _k, ctx) => totalOrdering(interp, a[0], ctx.loc)),
    partial: fn('partial', (a, k) => {
      const [f, ...bound] = a;
      return new Partial(interp, f, bound, k ?? new Map());
    }),
    reduce: fn('reduce', (a, _k, ctx) =>
      then(toArray(interp, a[1], ctx.loc), (xs) => {
        let acc: PyValue;
        let i = 0;
        if (a.length > 2) acc = a[2];
        else {
          if (xs.length === 0) throw pyErr('TypeError', 'reduce() of empty iterable with no initial value');
          acc = xs[0];
          i = 1;
        }
        const step = (j: number, cur: PyValue): PyValue | Promise<PyValue> => {
          for (; j < xs.length; j++) {
            const r = call(interp, a[0], [cur, xs[j]], null, ctx.loc);
            if (r instanceof Promise) {
              const idx = j;
              return r.then((v) => step(idx + 1, v));
            }
            cur = r;
          }
          return cur;
        };
        return step(i, acc);
      }),
    ),
  });
}
