/** Class creation: plain classes, enum.Enum/IntEnum/StrEnum/Flag members and @dataclasses.dataclass. */
import {
  Kwargs,
  PyBuiltin,
  PyClass,
  PyClassMethod,
  PyDict,
  PyFunction,
  PyInstance,
  PyList,
  PyOpaque,
  PyProperty,
  PyStaticMethod,
  PyTuple,
  PyTypeAlias,
  PyValue,
  pyErr,
  isExceptionClass,
} from '../values';
import { Interp, builtinTypes, typeName, unsupported } from '../runtime';
import { call } from '../protocols/calls';
import { eq, truthy } from '../protocols/equality';
import { repr } from '../protocols/text';
import { HostObject } from '../host';
import { ClassSpec } from '../compiler/types';
import { fn, kwOf, then } from './kit';

export class DataclassFieldInfo extends HostObject {
  constructor(readonly name: string) {
    super();
  }
  override get typeName(): string {
    return 'Field';
  }
  override getAttr(name: string): PyValue | undefined {
    return name === 'name' ? this.name : undefined;
  }
}
export const EnumBase = new PyClass('Enum', [], new Map<string, PyValue>([['__enum_base__', true]]), undefined, 'Enum', 'enum');
export const IntEnumBase = new PyClass('IntEnum', [], new Map<string, PyValue>([['__enum_base__', true]]), undefined, 'IntEnum', 'enum');
export const StrEnumBase = new PyClass('StrEnum', [], new Map<string, PyValue>([['__enum_base__', true]]), undefined, 'StrEnum', 'enum');
export const FlagBase = new PyClass('Flag', [EnumBase], new Map(), undefined, 'Flag', 'enum');

export class EnumAuto extends HostObject {
  override get typeName(): string {
    return 'auto';
  }
}

export class DataclassField extends HostObject {
  constructor(
    readonly dflt: PyValue | undefined,
    readonly factory: PyValue | undefined,
    readonly init: boolean,
    readonly inRepr: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return 'Field';
  }
}

export function fixEnumBases(): void {
  // IntEnum/StrEnum derive from int/str and Enum (resolved after builtin types exist)
  if (IntEnumBase.bases.length) return;
  (IntEnumBase as { bases: PyClass[] }).bases.push(builtinTypes.get('int')!, EnumBase);
  IntEnumBase.mro = [IntEnumBase, builtinTypes.get('int')!, EnumBase];
  (StrEnumBase as { bases: PyClass[] }).bases.push(builtinTypes.get('str')!, EnumBase);
  StrEnumBase.mro = [StrEnumBase, builtinTypes.get('str')!, EnumBase];
}

function isDescriptorLike(v: PyValue): boolean {
  return v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyStaticMethod || v instanceof PyClassMethod || v instanceof PyProperty || v instanceof PyClass;
}

export function createClass(interp: Interp, spec: ClassSpec): PyValue {
  fixEnumBases();
  const bases: PyClass[] = [];
  let typedDict = false;
  for (const b of spec.bases) {
    if (b instanceof PyOpaque) throw unsupported(`class ${spec.name} with base class '${b.description}'`, spec.loc, 'the base class comes from a module the evaluator does not implement');
    if (b instanceof PyTypeAlias) continue; // Generic[T], Protocol
    if (!(b instanceof PyClass)) throw pyErr('TypeError', `bases must be types, not ${typeName(b)}`);
    if (b === builtinTypes.get('object')) continue;
    if (b.ns.get('__typeddict__') === true) {
      typedDict = true;
      continue;
    }
    if (b.ns.get('__namedtuple__') === true) throw unsupported('typing.NamedTuple classes', spec.loc);
    bases.push(b);
  }
  const enumLike = bases.some((b) => b.mro.some((c) => c.ns.get('__enum_base__') === true));
  for (const b of bases) {
    if (b.module === 'builtins' && b.native && !isExceptionClass(b) && !enumLike) throw unsupported(`subclassing the builtin type '${b.name}'`, spec.loc);
    if (b.native?.host) throw unsupported(`subclassing the host class '${b.name}'`, spec.loc);
  }
  const cls = new PyClass(spec.name, bases, spec.ns, typedDict ? builtinTypes.get('dict')!.native : undefined, spec.qualname, spec.module);
  cls.annotations = spec.annotations;
  cls.decorators = spec.decorators;
  cls.loc = spec.loc;
  if (spec.kwargs.size) cls.classKwargs = spec.kwargs;
  for (const v of spec.ns.values()) {
    const f = v instanceof PyFunction ? v : v instanceof PyStaticMethod || v instanceof PyClassMethod ? v.func : v instanceof PyProperty ? v.fget : undefined;
    if (f instanceof PyFunction && !f.ownerClass) f.ownerClass = cls;
    if (v instanceof PyProperty && v.fset instanceof PyFunction && !v.fset.ownerClass) v.fset.ownerClass = cls;
  }
  if (enumLike && !cls.ns.has('__enum_base__')) makeEnum(interp, cls);
  return cls;
}

function makeEnum(interp: Interp, cls: PyClass): void {
  const members: PyInstance[] = [];
  let lastInt = 0;
  const isStr = cls.mro.includes(StrEnumBase);
  for (const [name, v] of [...cls.ns.entries()]) {
    if (name.startsWith('_') || isDescriptorLike(v)) continue;
    let value = v;
    if (v instanceof EnumAuto) value = isStr ? name.toLowerCase() : lastInt + 1;
    if (typeof value === 'number') lastInt = value;
    const alias = members.find((m) => eq(interp, m.dict.get('_value_') ?? null, value));
    if (alias) {
      cls.ns.set(name, alias);
      continue;
    }
    const m = new PyInstance(cls);
    m.dict.set('_name_', name);
    m.dict.set('_value_', value);
    members.push(m);
    cls.ns.set(name, m);
  }
  cls.enumMembers = members;
}

export function dataclassDecorator(interp: Interp): PyBuiltin {
  const apply = (cls: PyValue, opts: Kwargs | null): PyValue => {
    if (!(cls instanceof PyClass)) throw pyErr('TypeError', 'dataclass() should be called on a class');
    const frozen = truthy(interp, kwOf(opts, 'frozen') ?? false);
    const fields: { name: string; dflt?: PyValue; factory?: PyValue; init: boolean; repr: boolean }[] = [];
    for (const a of cls.allAnnotations()) {
      if (/^(typing\.)?ClassVar/.test(a.source)) continue;
      let dflt: PyValue | undefined;
      let factory: PyValue | undefined;
      let init = true;
      let inRepr = true;
      const owner = cls.mro.find((c) => c.annotations.includes(a)) ?? cls;
      const raw = owner.ns.get(a.name);
      if (raw instanceof DataclassField) {
        dflt = raw.dflt;
        factory = raw.factory;
        init = raw.init;
        inRepr = raw.inRepr;
        if (dflt !== undefined) owner.ns.set(a.name, dflt);
        else owner.ns.delete(a.name);
      } else if (raw !== undefined) dflt = raw;
      const prev = fields.findIndex((x) => x.name === a.name);
      const entry = { name: a.name, dflt, factory, init, repr: inRepr };
      if (prev >= 0) fields[prev] = entry;
      else fields.push(entry);
    }
    const fieldsDict = PyDict.fromEntries(fields.map((f) => [f.name, f.name]));
    cls.ns.set('__dataclass_fields__', fieldsDict);
    if (frozen) cls.ns.set('__dataclass_frozen__', true);
    // the positional sub-patterns of `case Cls(a, b)`: the __init__ fields, in order
    if (truthy(interp, kwOf(opts, 'match_args') ?? true) && !cls.ns.has('__match_args__')) cls.ns.set('__match_args__', new PyTuple(fields.filter((f) => f.init).map((f) => f.name)));
    if (!cls.ns.has('__init__'))
      cls.ns.set(
        '__init__',
        fn(`${cls.name}.__init__`, (a, k) => {
          const self = a[0] as PyInstance;
          const initFields = fields.filter((f) => f.init);
          const args = a.slice(1);
          if (args.length > initFields.length) throw pyErr('TypeError', `${cls.name}.__init__() takes ${initFields.length + 1} positional arguments but ${args.length + 1} were given`);
          const vals: [string, PyValue | Promise<PyValue>][] = [];
          const missing: string[] = [];
          initFields.forEach((f, i) => {
            let v: PyValue | Promise<PyValue> | undefined = i < args.length ? args[i] : kwOf(k, f.name);
            if (v === undefined) {
              if (f.factory !== undefined) v = call(interp, f.factory, [], null, undefined);
              else if (f.dflt !== undefined) v = f.dflt;
              else missing.push(f.name);
            }
            if (v !== undefined) vals.push([f.name, v]);
          });
          if (k) for (const key of k.keys()) if (!initFields.some((f) => f.name === key)) throw pyErr('TypeError', `${cls.name}.__init__() got an unexpected keyword argument '${key}'`);
          if (missing.length) throw pyErr('TypeError', `${cls.name}.__init__() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(' and ')}`);
          for (const f of fields.filter((x) => !x.init)) if (f.factory !== undefined) vals.push([f.name, call(interp, f.factory, [], null, undefined)]);
          else if (f.dflt !== undefined) vals.push([f.name, f.dflt]);
          for (const [n, v] of vals) self.dict.set(n, v as PyValue);
          const post = cls.lookup('__post_init__');
          if (post !== undefined) return then(call(interp, post, [self], null, undefined), () => null);
          return null;
        }),
      );
    if (!cls.ns.has('__repr__'))
      cls.ns.set(
        '__repr__',
        fn('__repr__', (a) => {
          const self = a[0] as PyInstance;
          return `${cls.qualname}(${fields
            .filter((f) => f.repr)
            .map((f) => `${f.name}=${repr(interp, self.dict.get(f.name) ?? null)}`)
            .join(', ')})`;
        }),
      );
    if (!cls.ns.has('__eq__'))
      cls.ns.set(
        '__eq__',
        fn('__eq__', (a) => {
          const [x, y] = a as [PyInstance, PyValue];
          if (!(y instanceof PyInstance) || y.cls !== x.cls) return false;
          return fields.every((f) => eq(interp, x.dict.get(f.name) ?? null, y.dict.get(f.name) ?? null));
        }),
      );
    return cls;
  };
  return fn('dataclass', (a, k) => {
    if (a.length === 1 && a[0] instanceof PyClass) return apply(a[0], k);
    return fn('dataclass', (b) => apply(b[0], k));
  });
}

export function asDict(interp: Interp, v: PyValue): PyValue {
  if (v instanceof PyInstance && v.cls.lookup('__dataclass_fields__') instanceof PyDict) {
    const fields = (v.cls.lookup('__dataclass_fields__') as PyDict).keys();
    return PyDict.fromEntries(fields.map((f) => [f, asDict(interp, v.dict.get(String(f)) ?? null)]));
  }
  if (v instanceof PyList) return new PyList(v.items.map((x) => asDict(interp, x)));
  if (v instanceof PyTuple) return new PyTuple(v.items.map((x) => asDict(interp, x)));
  if (v instanceof PyDict) return PyDict.fromEntries(v.entries().map(([k, x]) => [asDict(interp, k), asDict(interp, x)]));
  return v;
}
