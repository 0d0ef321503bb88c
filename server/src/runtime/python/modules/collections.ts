/** collections: defaultdict, Counter, OrderedDict, namedtuple, deque. */
import { PyClass, PyDict, PyException, PyDeque, PyList, PyModule, PyTuple, PyValue, builtinExceptionClasses, makeException, pyErr } from '../values';
import { Interp, methodTables, builtinTypes, unsupported } from '../runtime';
import { call } from '../protocols/calls';
import { toArray } from '../protocols/iteration';
import { fn, mod, then } from './kit';

class DefaultDict extends PyDict {
  constructor(
    readonly factory: PyValue,
    private readonly interp: Interp,
  ) {
    super();
  }
  override get typeName(): string {
    return 'defaultdict';
  }
  missing(k: PyValue): PyValue | Promise<PyValue> {
    if (this.factory === null) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [k]));
    return then(call(this.interp, this.factory, [], null, undefined), (v) => {
      this.set(k, v);
      return v;
    });
  }
}

class CounterDict extends PyDict {
  override get typeName(): string {
    return 'Counter';
  }
  missing(): PyValue {
    return 0;
  }
}

export function collectionsModule(interp: Interp): PyModule {
  activeInterpForDeque.interp = interp;
  const counterClass: PyClass = new PyClass(
    'Counter',
    [],
    new Map<string, PyValue>(),
    {
      construct: (a, _k, ctx) => {
        const c = new CounterDict();
        const src = a[0];
        if (src === undefined) return c;
        if (src instanceof PyDict) {
          for (const [k, v] of src.entries()) c.set(k, v);
          return c;
        }
        return then(toArray(interp, src, ctx.loc), (xs) => {
          for (const x of xs) c.set(x, ((c.get(x) as number | undefined) ?? 0) + 1);
          return c;
        });
      },
      isInstance: (v) => v instanceof CounterDict,
    },
    'Counter',
    'collections',
  );
  methodTables.dict.most_common = (_i, d: PyDict, a) => {
    if (!(d instanceof CounterDict)) throw pyErr('AttributeError', `'${d.typeName}' object has no attribute 'most_common'`);
    const entries = d.entries().sort((x, y) => Number(y[1]) - Number(x[1]));
    const n = a[0] === undefined || a[0] === null ? entries.length : Number(a[0]);
    return new PyList(entries.slice(0, n).map(([k, v]) => new PyTuple([k, v])));
  };
  counterClass.ns.set(
    'most_common',
    fn('most_common', (a) => {
      const c = a[0] as CounterDict;
      const entries = c.entries().sort((x, y) => Number(y[1]) - Number(x[1]));
      const n = a[1] === undefined || a[1] === null ? entries.length : Number(a[1]);
      return new PyList(entries.slice(0, n).map(([k, v]) => new PyTuple([k, v])));
    }),
  );
  return mod('collections', {
    defaultdict: new PyClass(
      'defaultdict',
      [],
      new Map(),
      {
        construct: (a) => {
          const d = new DefaultDict(a[0] ?? null, interp);
          if (a[1] instanceof PyDict) for (const [k, v] of a[1].entries()) d.set(k, v);
          return d;
        },
        isInstance: (v) => v instanceof DefaultDict,
      },
      'defaultdict',
      'collections',
    ),
    OrderedDict: builtinTypes.get('dict')!,
    Counter: counterClass,
    namedtuple: fn('namedtuple', (_a, _k, ctx) => {
      throw unsupported('collections.namedtuple', ctx.loc);
    }),
    deque: dequeClass,
  });
}
/** collections.deque(iterable=(), maxlen=None). */
const dequeClass = new PyClass(
  'deque',
  [],
  new Map(),
  {
    construct: (a, k, ctx) => {
      const interp = activeInterpForDeque.interp!;
      const m = a[1] ?? k?.get('maxlen') ?? null;
      const maxlen = m === null ? null : Number(toIndexValue(m));
      if (maxlen !== null && maxlen < 0) throw pyErr('ValueError', 'maxlen must be non-negative');
      const it = a[0] ?? k?.get('iterable');
      return then(it === undefined || it === null ? [] : toArray(interp, it, ctx.loc), (xs) => new PyDeque([...xs], maxlen));
    },
    isInstance: (v) => v instanceof PyDeque,
  },
  'deque',
  'collections',
);
PyDeque.cls = dequeClass;
/** The interpreter deque() builds for (set when the collections module is made). */
const activeInterpForDeque: { interp?: Interp } = {};
function toIndexValue(v: PyValue): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw pyErr('TypeError', 'an integer is required');
}
