// What `db._models[name]` and `db.get_node(name)` hand back in DataFlow 2.20, as far as the runtime
// models them: the model-info dict (keys class, config, fields, registered_at, table_name, append_only;
// an instance of dict; the modelled ones answer, the others stop the run as not modelled) and a node
// class held in `db._nodes` (a generated one, or one of the transaction / schema nodes DataFlow stores
// there): identity only, instantiating or executing it directly is not modelled.
import { HostObject, NOT_HANDLED, argOf, type HostContext } from '../python/host';
import { PyClass, PyDict, PyList, UnsupportedPythonError, pyErr, type Kwargs, type PyValue } from '../python/values';
import { builtinTypes } from '../python/runtime';

/** Every key of DataFlow 2.20's `_models[name]` dict, in its order. */
const MODEL_INFO_KEYS = ['class', 'fields', 'config', 'table_name', 'registered_at', 'append_only'];

export class ModelInfoObject extends HostObject {
  constructor(readonly model: string, private readonly cls: PyClass, private readonly tableName: string, private readonly appendOnly: boolean, private readonly multiTenant = false) { super(); }

  /**
   * DataFlow 2.20's `fields` (engine.py, model registration): the type hints of the class's MRO, base
   * classes first, names starting with '_' skipped, each {"type": hint, "required": True} or, when the
   * class has the attribute, {"type", "required": False, "default": value}; multi_tenant adds tenant_id.
   */
  private fields(ctx: HostContext): PyDict {
    const out = new PyDict();
    for (const a of this.cls.allAnnotations()) {
      if (a.name.startsWith('_')) continue;
      if (a.value === undefined) throw new UnsupportedPythonError(`\`_models['${this.model}']['fields']\` with the annotation '${a.source}' the evaluator could not evaluate`, ctx.loc);
      const meta = PyDict.fromEntries([['type', a.value], ['required', true]]);
      const dflt = this.cls.lookup(a.name);
      if (dflt !== undefined) {
        meta.set('default', dflt);
        meta.set('required', false);
      }
      out.set(a.name, meta);
    }
    if (this.multiTenant && !out.has('tenant_id')) out.set('tenant_id', PyDict.fromEntries([['type', builtinTypes.get('str')!], ['required', false]]));
    return out;
  }

  override get typeName(): string { return 'dict'; }

  private value(key: PyValue, ctx: HostContext): PyValue | undefined {
    switch (key) {
      case 'class': return this.cls;
      case 'table_name': return this.tableName;
      case 'append_only': return this.appendOnly;
      case 'fields': return this.fields(ctx);
    }
    if (typeof key === 'string' && MODEL_INFO_KEYS.includes(key)) {
      throw new UnsupportedPythonError(`\`_models['${this.model}']['${key}']\` (DataFlow's model info) is not modelled`, ctx.loc);
    }
    return undefined;
  }

  override getItem(key: PyValue, ctx: HostContext): PyValue {
    const v = this.value(key, ctx);
    if (v === undefined) throw pyErr('KeyError', key);
    return v;
  }

  override contains(v: PyValue): boolean { return typeof v === 'string' && MODEL_INFO_KEYS.includes(v); }
  override len(): number { return MODEL_INFO_KEYS.length; }
  override iter(): Iterable<PyValue> { return MODEL_INFO_KEYS; }

  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    if (name === 'get') {
      const v = this.value(argOf(args, kwargs, 0, 'key') ?? null, ctx);
      return v === undefined ? (argOf(args, kwargs, 1, 'default', null) ?? null) : v;
    }
    if (name === 'keys') return new PyList([...MODEL_INFO_KEYS]);
    if (name === 'values' || name === 'items' || name === 'copy') {
      throw new UnsupportedPythonError(`\`_models['${this.model}'].${name}()\` (DataFlow's model info) is not modelled`, ctx.loc);
    }
    return NOT_HANDLED;
  }

  override repr(): string { return `{'class': <class '${this.cls.name}'>, ...}`; }
}

/** A generated node class from `db.get_node(...)`: compared, printed, checked for None; not run. */
export class NodeClassObject extends HostObject {
  constructor(readonly nodeName: string, readonly module = 'dataflow.core.nodes') { super(); }
  override get typeName(): string { return 'type'; }
  override get isCallable(): boolean { return true; }
  override call(_args: PyValue[], _kwargs: Kwargs, ctx: HostContext): PyValue {
    throw new UnsupportedPythonError(`instantiating the node class \`${this.nodeName}\` directly is not modelled (add it to a WorkflowBuilder)`, ctx.loc);
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    if (name === '__name__' || name === '__qualname__') return this.nodeName;
    if (name === '__module__') return this.module;
    throw new UnsupportedPythonError(`\`${this.nodeName}.${name}\` (a generated node class used directly) is not modelled`, ctx.loc);
  }
  override repr(): string { return `<class '${this.module}.${this.nodeName}'>`; }
}
