/** decimal.Decimal (kept as its text). */
import { PyFloat, PyValue } from '../values';
import { Interp } from '../runtime';
import { format } from '../protocols/text';
import { HostObject } from '../host';
import { numOf } from '../numeric';

export class PyDecimalObj extends HostObject {
  constructor(readonly text: string) {
    super();
  }
  override get typeName(): string {
    return 'Decimal';
  }
  override str(): string {
    return this.text;
  }
  override repr(): string {
    return `Decimal('${this.text}')`;
  }
  override equals(o: PyValue): boolean {
    if (o instanceof PyDecimalObj) return Number(o.text) === Number(this.text);
    const n = numOf(o);
    return n !== undefined && !(n instanceof PyFloat) && Number(n) === Number(this.text);
  }
  override hashKey(): unknown {
    return Number(this.text);
  }
  override compare(o: PyValue): number | undefined {
    const x = Number(this.text);
    const y = o instanceof PyDecimalObj ? Number(o.text) : numOf(o) !== undefined ? Number((numOf(o) as PyFloat).v ?? numOf(o)) : undefined;
    if (y === undefined) return undefined;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  override binaryOp(op: string): PyValue | undefined {
    if (op === 'float') return new PyFloat(Number(this.text));
    if (op === 'int') return Math.trunc(Number(this.text));
    return undefined;
  }
  override format(spec: string): string | undefined {
    const i = activeInterp.interp;
    if (!i) return undefined;
    return format(i, new PyFloat(Number(this.text)), spec);
  }
  override toPlain(): unknown {
    return { __decimal__: this.text };
  }
}

export const activeInterp: { interp: Interp | undefined } = { interp: undefined };
