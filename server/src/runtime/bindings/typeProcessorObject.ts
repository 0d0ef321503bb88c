// `db.get_type_processor(model)`: DataFlow 2.20's TypeAwareFieldProcessor (dataflow/core/type_processor.py)
// over the model's annotations (DataFlow's `_model_fields[model]`; a model it does not know has no
// fields, so every value passes). validate_field / process_record / process_records follow the real
// code: None passes, an unannotated field passes, a multi-type Union passes, bool is refused for int,
// a value already of the resolved type passes, strict mode refuses any other value, and the
// non-strict mode turns a whole float into an int and passes every other mismatch through. Its
// string-to-UUID / datetime / date / Decimal conversions, and annotations the runtime cannot resolve
// to a class it knows (typing.Any, user classes, unevaluated annotations), are not modelled (exit 2).
import { NOT_HANDLED, argOf, type HostContext } from '../python/host';
import { PyClass, PyDict, PyList, PyTypeAlias, UnsupportedPythonError, type Kwargs, type PyValue } from '../python/values';
import { pyError } from './errors';
import { RealClassObject } from './realClassObject';

/** A field's resolved annotation (TypeAwareFieldProcessor._resolve_type), as far as it is modelled. */
type Resolved =
  | { kind: 'union' }
  | { kind: 'class'; cls: PyClass; name: string }
  | { kind: 'unknown'; text: string };

/** The builtin / stdlib classes an isinstance check is modelled for, by their qualified name. */
const KNOWN = new Set(['builtins.str', 'builtins.int', 'builtins.float', 'builtins.bool', 'builtins.bytes', 'builtins.dict', 'builtins.list',
  'builtins.set', 'builtins.tuple', 'builtins.frozenset', 'datetime.datetime', 'datetime.date', 'decimal.Decimal', 'uuid.UUID']);

function qualified(cls: PyClass): string {
  return `${cls.module ?? 'builtins'}.${cls.name}`;
}

/** TypeAwareFieldProcessor._resolve_type on the evaluated annotation. */
export function resolveAnnotation(value: PyValue | undefined, source: string): Resolved {
  if (value === undefined) return { kind: 'unknown', text: source };
  if (value === null) return { kind: 'unknown', text: source };
  if (value instanceof PyTypeAlias) {
    if (value.name === 'typing.Annotated' && value.args.length) return resolveAnnotation(value.args[0], source);
    if (value.name === 'typing.Optional' || value.name === 'typing.Union' || value.name === '|') {
      const nonNone = value.args.filter((a) => a !== null);
      if (nonNone.length === 1) return resolveAnnotation(nonNone[0], source);
      return { kind: 'union' };
    }
    if (value.origin instanceof PyClass) return resolveAnnotation(value.origin, source);
    return { kind: 'unknown', text: source };
  }
  if (value instanceof PyClass && KNOWN.has(qualified(value))) return { kind: 'class', cls: value, name: value.name };
  return { kind: 'unknown', text: source };
}

/** isinstance(value, cls) for the KNOWN classes, from the value's Python type name (bool is an int, datetime a date). */
function isInstanceOf(typeName: string, cls: PyClass): boolean {
  const q = qualified(cls);
  if (q === 'builtins.int') return typeName === 'int' || typeName === 'bool';
  if (q === 'datetime.date') return typeName === 'date' || typeName === 'datetime';
  return typeName === cls.name;
}

const METHODS: ReadonlySet<string> = new Set(['validate_field', 'process_record', 'process_records']);

export class TypeProcessorObject extends RealClassObject {
  protected readonly realClass = 'TypeAwareFieldProcessor';
  protected readonly methodNames = METHODS;

  /** fields: the model's annotated fields in order (name → evaluated annotation and its source). */
  constructor(private readonly modelNameValue: PyValue, private readonly fields: Map<string, { value?: PyValue; source: string }>) { super(); }

  override get typeName(): string { return 'TypeAwareFieldProcessor'; }

  protected override modelledAttr(name: string): PyValue | undefined {
    if (name === 'model_name') return this.modelNameValue;
    return undefined;
  }

  private validateField(field: string, value: PyValue, strict: boolean, ctx: HostContext): PyValue {
    if (value === null) return null;
    const f = this.fields.get(field);
    if (!f) return value;
    const t = resolveAnnotation(f.value, f.source);
    if (t.kind === 'union') return value;
    if (t.kind === 'unknown') {
      throw new UnsupportedPythonError(`TypeAwareFieldProcessor.validate_field('${field}', ...) on the annotation \`${t.text}\``, ctx.loc, 'the runtime models the isinstance checks of builtin, datetime, Decimal and UUID annotations only');
    }
    const typeName = ctx.evaluator.typeName(value);
    const prefix = `Model ${ctx.evaluator.str(this.modelNameValue)}, field '${field}': `;
    if (qualified(t.cls) === 'builtins.int' && typeName === 'bool') {
      throw pyError('TypeError', `${prefix}expected int, got bool. Booleans are not integers in DataFlow.`);
    }
    if (isInstanceOf(typeName, t.cls)) return value;
    if (strict) throw pyError('TypeError', `${prefix}expected ${t.name}, got ${typeName}. Value: ${ctx.evaluator.repr(value)}`);
    const q = qualified(t.cls);
    if (q === 'builtins.int' && typeName === 'float') {
      const n = (value as { v?: number }).v ?? (value as unknown as number);
      if (typeof n === 'number' && Number.isInteger(n)) return n;
      throw pyError('TypeError', `${prefix}expected int, got float with decimal part: ${ctx.evaluator.repr(value)}`);
    }
    const converts = (q === 'uuid.UUID' || q === 'datetime.datetime' || q === 'datetime.date') ? typeName === 'str'
      : q === 'decimal.Decimal' ? ['str', 'int', 'float'].includes(typeName) : false;
    if (converts) {
      throw new UnsupportedPythonError(`TypeAwareFieldProcessor.validate_field('${field}', ...) converting a ${typeName} to ${t.name}`, ctx.loc, 'its safe conversions are not modelled');
    }
    // Any other mismatch passes through in non-strict mode (DataFlow logs it at debug level).
    return value;
  }

  private processRecord(record: PyValue, operation: string, strict: boolean, skip: Set<PyValue>, ctx: HostContext): PyDict {
    if (!(record instanceof PyDict)) throw new UnsupportedPythonError('TypeAwareFieldProcessor.process_record() on a record that is not a dict', ctx.loc);
    const out = new PyDict();
    for (const [k, v] of record.entries()) {
      if (skip.has(k)) continue;
      try {
        out.set(k, this.validateField(String(k), v, strict, ctx));
      } catch (e) {
        const te = e as { pyType?: string; message?: string };
        if (te.pyType === 'TypeError') throw pyError('TypeError', `Type error in ${operation} operation on ${ctx.evaluator.str(this.modelNameValue)}: ${pyMessageOf(e)}`);
        throw e;
      }
    }
    return out;
  }

  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    const strict = ctx.evaluator.truthy(argOf(args, kwargs, 2, 'strict', false) ?? false);
    switch (name) {
      case 'validate_field':
        return this.validateField(String(argOf(args, kwargs, 0, 'field_name')), argOf(args, kwargs, 1, 'value') ?? null, strict, ctx);
      case 'process_record': case 'process_records': {
        const skipArg = argOf(args, kwargs, 3, 'skip_fields', null) ?? null;
        const skip = new Set<PyValue>(skipArg === null ? ['created_at', 'updated_at'] : skipOf(skipArg, ctx));
        const operation = String(argOf(args, kwargs, 1, 'operation', name === 'process_record' ? 'create' : 'bulk_create'));
        if (name === 'process_record') return this.processRecord(argOf(args, kwargs, 0, 'record') ?? null, operation, strict, skip, ctx);
        const records = argOf(args, kwargs, 0, 'records') ?? null;
        if (!(records instanceof PyList)) throw new UnsupportedPythonError('TypeAwareFieldProcessor.process_records() on records that are not a list', ctx.loc);
        return new PyList(records.items.map((r, i) => {
          try {
            return this.processRecord(r, operation, strict, skip, ctx);
          } catch (e) {
            if ((e as { pyType?: string }).pyType === 'TypeError') throw pyError('TypeError', `Type error in record ${i} of ${operation}: ${pyMessageOf(e)}`);
            throw e;
          }
        }));
      }
      default:
        return NOT_HANDLED;
    }
  }

  override repr(): string { return '<dataflow.core.type_processor.TypeAwareFieldProcessor>'; }
}

function skipOf(v: PyValue, ctx: HostContext): PyValue[] {
  const arr = ctx.evaluator.toArray(v);
  if (arr instanceof Promise) throw new UnsupportedPythonError('skip_fields given as an asynchronous iterable', ctx.loc);
  return arr;
}

function pyMessageOf(e: unknown): string {
  const m = (e as { pyMessage?: string }).pyMessage;
  if (typeof m === 'string') return m;
  const msg = (e as Error).message ?? String(e);
  return msg.replace(/^TypeError: /, '');
}
