/** sys.stdout / sys.stderr: writes go to the run's output. */
import { PyValue } from '../values';
import { Interp } from '../runtime';
import { str } from '../protocols/text';
import { HostObject } from '../host';
import { fn } from './kit';

export class StdStream extends HostObject {
  constructor(
    private readonly interp: Interp,
    private readonly name: string,
  ) {
    super();
  }
  override get typeName(): string {
    return 'TextIOWrapper';
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'write')
      return fn('write', (a) => {
        const s = str(this.interp, a[0]);
        this.interp.write(s, this.interp.currentLoc());
        return s.length;
      });
    if (name === 'flush') return fn('flush', () => null);
    if (name === 'name') return `<${this.name}>`;
    return undefined;
  }
}
