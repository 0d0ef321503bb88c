/**
 * type(name, bases, dict): a class made at run time, as CPython makes it — the dict becomes the class
 * namespace, `__module__` is the calling module's `__name__` unless the dict gives one, and a
 * `__annotations__` dict in it declares the class's annotations (what DataFlow's @db.model reads).
 */
import { ClassAnnotation, PyClass, PyDict, PyTuple, PyValue, SourceLocation, pyErr } from './values';
import { importHooks } from './compiler/types';
import { repr } from './protocols/text';
import { typeName, type Interp } from './runtime';

function annotationSource(interp: Interp, v: PyValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyClass) return v.name;
  return repr(interp, v);
}

export function makeDynamicClass(interp: Interp, args: PyValue[], loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const [name, bases, dict] = args;
  if (typeof name !== 'string') throw pyErr('TypeError', `type.__new__() argument 1 must be str, not ${typeName(name ?? null)}`);
  if (!(bases instanceof PyTuple)) throw pyErr('TypeError', `type.__new__() argument 2 must be tuple, not ${typeName(bases ?? null)}`);
  if (!(dict instanceof PyDict)) throw pyErr('TypeError', `type.__new__() argument 3 must be dict, not ${typeName(dict ?? null)}`);
  const ns = new Map<string, PyValue>();
  for (const [k, v] of dict.entries()) {
    if (typeof k !== 'string') throw pyErr('TypeError', 'type.__new__(): namespace keys must be str');
    ns.set(k, v);
  }
  const frame = interp.frames[interp.frames.length - 1] as { globals?: Map<string, PyValue> } | undefined;
  const module = typeof ns.get('__module__') === 'string' ? (ns.get('__module__') as string) : String(frame?.globals?.get('__name__') ?? '__main__');
  ns.set('__module__', module);
  ns.set('__qualname__', name);
  const annotations: ClassAnnotation[] = [];
  const declared = ns.get('__annotations__');
  if (declared instanceof PyDict) {
    for (const [k, v] of declared.entries()) {
      if (typeof k !== 'string') continue;
      annotations.push({ name: k, source: annotationSource(interp, v), value: v, hasDefault: ns.has(k), loc });
    }
  }
  const at = loc ?? { file: interp.fileName, line: 0, column: 0 };
  return importHooks.createClass(interp, { name, qualname: name, module, bases: bases.items, kwargs: new Map(), ns, annotations, decorators: [], loc: at as SourceLocation });
}
