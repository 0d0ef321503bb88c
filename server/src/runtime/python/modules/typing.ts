/** typing. */
import { PyClass, PyDict, PyModule, PyTypeAlias, PyValue } from '../values';
import { builtinTypes } from '../runtime';
import { fn, mod } from './kit';

export function typingModule(): PyModule {
  const alias = (name: string, origin?: string) => new PyTypeAlias(`typing.${name}`, [], origin ? builtinTypes.get(origin) : undefined);
  const special = (name: string, sub: (args: PyValue[]) => PyValue) => {
    const a = new PyTypeAlias(`typing.${name}`) as PyTypeAlias & { subscript?: (args: PyValue[]) => PyValue };
    a.subscript = sub;
    return a;
  };
  const m: Record<string, PyValue> = {
    Any: alias('Any'),
    List: alias('List', 'list'),
    Dict: alias('Dict', 'dict'),
    Set: alias('Set', 'set'),
    FrozenSet: alias('FrozenSet', 'frozenset'),
    Tuple: alias('Tuple', 'tuple'),
    Type: alias('Type', 'type'),
    Callable: alias('Callable'),
    Iterable: alias('Iterable'),
    Iterator: alias('Iterator'),
    Generator: alias('Generator'),
    AsyncIterator: alias('AsyncIterator'),
    AsyncGenerator: alias('AsyncGenerator'),
    Awaitable: alias('Awaitable'),
    Coroutine: alias('Coroutine'),
    Sequence: alias('Sequence'),
    MutableSequence: alias('MutableSequence'),
    Mapping: alias('Mapping'),
    MutableMapping: alias('MutableMapping'),
    Literal: alias('Literal'),
    ClassVar: alias('ClassVar'),
    Final: alias('Final'),
    Annotated: alias('Annotated'),
    NoReturn: alias('NoReturn'),
    Never: alias('Never'),
    Self: alias('Self'),
    Hashable: alias('Hashable'),
    Generic: alias('Generic'),
    Protocol: alias('Protocol'),
    Optional: special('Optional', (args) => new PyTypeAlias('typing.Optional', [args[0]])),
    Union: special('Union', (args) => (args.length === 2 && (args[0] === null || args[1] === null) ? new PyTypeAlias('typing.Optional', [args[0] === null ? args[1] : args[0]]) : new PyTypeAlias('typing.Union', args))),
    TYPE_CHECKING: false,
    cast: fn('cast', (a) => a[1]),
    TypeVar: fn('TypeVar', (a) => new PyTypeAlias(`~${String(a[0])}`)),
    NewType: fn('NewType', (a) => a[1]),
    overload: fn('overload', (a) => a[0]),
    final: fn('final', (a) => a[0]),
    runtime_checkable: fn('runtime_checkable', (a) => a[0]),
    no_type_check: fn('no_type_check', (a) => a[0]),
    get_type_hints: fn('get_type_hints', (a) => {
      const c = a[0];
      if (!(c instanceof PyClass)) return new PyDict();
      return PyDict.fromEntries(c.allAnnotations().map((x) => [x.name, x.value !== undefined ? x.value : x.source]));
    }),
  };
  const typedDict = new PyClass('TypedDict', [], new Map([['__typeddict__', true]]), undefined, 'TypedDict', 'typing');
  m.TypedDict = typedDict;
  m.NamedTuple = new PyClass('NamedTuple', [], new Map([['__namedtuple__', true]]), undefined, 'NamedTuple', 'typing');
  return mod('typing', m);
}
