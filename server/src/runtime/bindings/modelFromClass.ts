// A `@db.model` class, as the evaluator sees it, turned into the DataFlow layer's model definition:
// fields from the annotations of the class and its bases (names starting with `_` skipped), their
// defaults (callables called at INSERT time), `__tablename__`, `__dataflow__` and `__indexes__`.
import { describeClass, toPlain } from '../python/convert';
import type { EvaluatorApi } from '../python/host';
import { PyClass, PyFunction, type PyValue } from '../python/values';
import { CallableDefault, type DfRecord, type DfValue as DfValue } from '../dataflow/values/dfValues';
import type { ModelDefinition } from '../dataflow/schema';
import { normaliseAnnotation } from '../../model/pythonTypes';

function isCallableDefault(v: PyValue): boolean {
  if (v instanceof PyFunction) return true;
  const t = (v as { typeName?: string } | null)?.typeName;
  return t === 'builtin_function_or_method' || t === 'function' || t === 'method' || t === 'builtin';
}

export function modelFromClass(cls: PyClass, api: EvaluatorApi, appendOnly = false): ModelDefinition {
  const info = describeClass(cls);
  const attrs = new Map<string, PyValue>();
  // Base classes first so the class's own attributes win.
  for (let i = cls.mro.length - 1; i >= 0; i--) for (const [k, v] of cls.mro[i].ns) attrs.set(k, v);
  const fields: ModelDefinition['fields'] = [];
  for (const a of cls.allAnnotations()) {
    if (a.name.startsWith('_')) continue;
    const norm = normaliseAnnotation(a.source);
    const field: ModelDefinition['fields'][number] = { name: a.name, type: norm.type, optional: norm.optional, annotation: a.source };
    if (attrs.has(a.name)) {
      const d = attrs.get(a.name)!;
      if (isCallableDefault(d)) {
        field.default = new CallableDefault(api.repr(d), () => {
          const r = api.call(d);
          if (r instanceof Promise) throw new Error(`the default of ${info.name}.${a.name} is async`);
          return toPlain(r, { floats: 'whole' }) as DfValue;
        }) as unknown as DfValue;
      } else {
        field.default = toPlain(d, { floats: 'whole' }) as DfValue;
      }
    }
    fields.push(field);
  }
  const tablename = attrs.get('__tablename__');
  const dataflow = attrs.get('__dataflow__');
  const legacy = attrs.get('__indexes__');
  return {
    name: info.name,
    fields,
    tablename: typeof tablename === 'string' ? tablename : undefined,
    dataflow: dataflow !== undefined ? (toPlain(dataflow, { floats: 'number' }) as DfRecord) : undefined,
    indexesAttr: legacy !== undefined ? (toPlain(legacy, { floats: 'number' }) as DfValue[]) : undefined,
    appendOnly,
  };
}
