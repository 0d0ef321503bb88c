/** uuid: uuid4 from the run's seeded stream, uuid5/uuid3 from hashes. */
import { PyValue, normInt } from '../values';
import { HostObject } from '../host';

export class PyUUID extends HostObject {
  constructor(readonly hex: string) {
    super();
  }
  override get typeName(): string {
    return 'UUID';
  }
  override str(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  override repr(): string {
    return `UUID('${this.str()}')`;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'hex') return this.hex;
    if (name === 'int') return normInt(BigInt('0x' + this.hex));
    if (name === 'version') return parseInt(this.hex[12], 16);
    return undefined;
  }
  override equals(o: PyValue): boolean {
    return o instanceof PyUUID && o.hex === this.hex;
  }
  override hashKey(): unknown {
    return Symbol.for('uuid:' + this.hex);
  }
  override compare(o: PyValue): number | undefined {
    return o instanceof PyUUID ? (this.hex < o.hex ? -1 : this.hex > o.hex ? 1 : 0) : undefined;
  }
  override toPlain(): unknown {
    return this.str();
  }
}

export function uuidFromBytes(bytes: Uint8Array, version: number): PyUUID {
  bytes[6] = (bytes[6] & 0x0f) | (version << 4);
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return new PyUUID(Buffer.from(bytes).toString('hex'));
}
