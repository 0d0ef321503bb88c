// Host objects standing for instances of real DataFlow / kailash classes. Their attribute access is
// honest: a modelled attribute answers; an attribute the real class has but the runtime does not
// model stops the run (UnsupportedPythonError, exit 2) naming it; only an attribute the real class
// lacks is an AttributeError, as Python would raise. Assigning an attribute the real class does not
// use is kept on the object (plain Python objects accept it); assigning one it has is not modelled.
import { HostObject, NOT_HANDLED, hostFunction, type HostContext } from '../python/host';
import { UnsupportedPythonError, type Kwargs, type PyValue } from '../python/values';
import { pyError } from './errors';
import { realAttributeExists, type RealClass } from './realNames';

/** The source text naming the attribute at the site (`db.foo`), else `Class.foo`. */
export function attributeText(ctx: HostContext, cls: string, name: string): string {
  const node = ctx.site.node as { text?: string; type?: string } | undefined;
  const text = node?.text;
  if (text && text.length <= 80 && !text.includes('\n') && text.endsWith(`.${name}`) && node?.type === 'attribute') return text;
  return `${cls}.${name}`;
}

export function attributeNotModelled(ctx: HostContext, shown: string, name: string): UnsupportedPythonError {
  return new UnsupportedPythonError(`\`${attributeText(ctx, shown, name)}\` is a ${shown} attribute the runtime does not model`, ctx.loc);
}

export abstract class RealClassObject extends HostObject {
  /** The real class whose attribute catalogue applies. */
  protected abstract readonly realClass: RealClass;
  /** Names handled by callMethod, readable as bound methods too (`f = db.model`). */
  protected abstract readonly methodNames: ReadonlySet<string>;
  /** Which of methodNames the real class defines with `async def` (inspect.iscoroutinefunction); undefined when not recorded. */
  protected readonly coroutineMethods?: ReadonlySet<string>;
  private extras?: Map<string, PyValue>;

  /** Modelled non-method attributes; undefined when not modelled. */
  protected modelledAttr(_name: string, _ctx: HostContext): PyValue | Promise<PyValue> | undefined {
    return undefined;
  }

  override getAttr(name: string, ctx: HostContext): PyValue | Promise<PyValue> | undefined {
    const extra = this.extras?.get(name);
    if (extra !== undefined) return extra;
    const v = this.modelledAttr(name, ctx);
    if (v !== undefined) return v;
    if (this.methodNames.has(name)) {
      const f = hostFunction(name, (a: PyValue[], k: Kwargs, c: HostContext) => {
        const r = this.callMethod(name, a, k, c);
        if (r === NOT_HANDLED) throw pyError('AttributeError', `'${this.typeName}' object has no attribute '${name}'`);
        return r;
      });
      if (this.coroutineMethods) f.coroutine = this.coroutineMethods.has(name);
      return f;
    }
    if (realAttributeExists(this.realClass, name)) throw attributeNotModelled(ctx, this.typeName, name);
    return undefined;
  }

  override setAttr(name: string, value: PyValue, ctx: HostContext): boolean {
    if (realAttributeExists(this.realClass, name) || this.methodNames.has(name)) {
      throw new UnsupportedPythonError(`setting \`${attributeText(ctx, this.typeName, name)}\` (a ${this.typeName} attribute) is not modelled`, ctx.loc);
    }
    (this.extras ??= new Map()).set(name, value);
    return true;
  }
}
