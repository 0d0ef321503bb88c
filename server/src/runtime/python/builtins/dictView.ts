/** dict.keys() / values() / items(): live views of the dict. */
import { PyDict, PySet, PyTuple, PyValue } from '../values';
import { Interp } from '../runtime';
import { eq } from '../protocols/equality';
import { repr } from '../protocols/text';
import { binop } from '../protocols/operators';
import { HostObject } from '../host';

export class DictView extends HostObject {
  constructor(
    readonly dict: PyDict,
    readonly kind: 'keys' | 'values' | 'items',
  ) {
    super();
  }
  override get typeName(): string {
    return `dict_${this.kind}`;
  }
  items(): PyValue[] {
    if (this.kind === 'keys') return this.dict.keys();
    if (this.kind === 'values') return this.dict.values();
    return this.dict.entries().map(([k, v]) => new PyTuple([k, v]));
  }
  override iter(): Iterable<PyValue> {
    return this.items();
  }
  override len(): number {
    return this.dict.size;
  }
  override contains(v: PyValue): boolean | undefined {
    if (this.kind === 'keys') return this.dict.has(v);
    return undefined;
  }
  override repr(): string {
    const i = activeInterpRef.interp;
    return `${this.typeName}([${this.items()
      .map((x) => (i ? repr(i, x) : String(x)))
      .join(', ')}])`;
  }
  override equals(other: PyValue): boolean {
    const i = activeInterpRef.interp;
    if (!i) return false;
    if (other instanceof DictView && other.kind === this.kind) return eq(i, PySet.of(this.items()), PySet.of(other.items()));
    if (other instanceof PySet && this.kind !== 'values') return eq(i, PySet.of(this.items()), other);
    return false;
  }
  override binaryOp(op: string, other: PyValue): PyValue | undefined {
    const i = activeInterpRef.interp;
    if (!i || this.kind === 'values') return undefined;
    const o = other instanceof DictView ? PySet.of(other.items()) : other;
    if (o instanceof PySet) return binop(i, op, PySet.of(this.items()), o, undefined) as PyValue;
    return undefined;
  }
  override toPlain(): unknown {
    return this.items();
  }
}

export const activeInterpRef: { interp: Interp | undefined } = { interp: undefined };
