/** super(). */
import { PyBoundMethod, PyBuiltin, PyClass, PyClassMethod, PyFunction, PyInstance, PyStaticMethod, PyValue } from '../values';
import { HostObject } from '../host';

export class PySuper extends HostObject {
  constructor(
    private readonly cls: PyClass,
    private readonly self: PyValue,
  ) {
    super();
  }
  override get typeName(): string {
    return 'super';
  }
  override getAttr(name: string): PyValue | undefined {
    const objCls = this.self instanceof PyClass ? this.self : this.self instanceof PyInstance ? this.self.cls : undefined;
    if (!objCls) return undefined;
    const mro = objCls.mro;
    const start = mro.indexOf(this.cls);
    for (let i = start + 1; i < mro.length; i++) {
      const v = mro[i].ns.get(name);
      if (v === undefined) continue;
      if (v instanceof PyFunction || v instanceof PyBuiltin) return this.self instanceof PyClass ? v : new PyBoundMethod(this.self, v);
      if (v instanceof PyClassMethod) return new PyBoundMethod(objCls, v.func);
      if (v instanceof PyStaticMethod) return v.func;
      return v;
    }
    if (name === '__init__') return new PyBuiltin('object.__init__', () => null);
    if (name === '__init_subclass__') return new PyBuiltin('object.__init_subclass__', () => null);
    return undefined;
  }
}
