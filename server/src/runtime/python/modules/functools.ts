/** functools (wraps comes from functoolsWraps.ts). */
import { PyBuiltin, PyFunction, PyModule, PyProperty, PyValue, pyErr } from '../values';
import { Interp, call, toArray } from '../runtime';
import { functoolsWrapMembers } from './functoolsWraps';
import { fn, mod, then } from './kit';

export function functoolsModule(interp: Interp): PyModule {
  const identityDeco = (name: string) =>
    fn(name, (a) => {
      if (a.length === 1 && (a[0] instanceof PyFunction || a[0] instanceof PyBuiltin)) return a[0];
      return fn(name, (b) => b[0]);
    });
  return mod('functools', {
    ...functoolsWrapMembers(interp),
    lru_cache: identityDeco('lru_cache'),
    cache: identityDeco('cache'),
    cached_property: fn('cached_property', (a) => new PyProperty(a[0])),
    total_ordering: fn('total_ordering', (a) => a[0]),
    partial: fn('partial', (a, k) => {
      const [f, ...bound] = a;
      return fn('partial', (b, k2) => {
        const merged = new Map([...(k ?? new Map()), ...(k2 ?? new Map())]);
        return call(interp, f, [...bound, ...b], merged.size ? merged : null, undefined);
      });
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
