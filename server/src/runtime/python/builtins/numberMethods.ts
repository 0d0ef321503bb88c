/** int, float and bytes methods. */
import { PyBytes, PyFloat, PyValue } from '../values';
import { methodTables, unsupported } from '../runtime';
import { toBig } from '../numeric';
import { roundValue } from '../builtins';

const I = methodTables.int;
I.bit_length = (_i, v: PyValue) => {
  const b = toBig(typeof v === 'boolean' ? (v ? 1 : 0) : (v as number | bigint));
  return (b < 0n ? -b : b).toString(2).replace(/^0$/, '').length;
};
I.conjugate = (_i, v: PyValue) => v;
I.is_integer = () => true;
I.__index__ = (_i, v: PyValue) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
const F = methodTables.float;
F.is_integer = (_i, v: PyFloat) => Number.isInteger(v.v);
F.conjugate = (_i, v: PyFloat) => v;
F.hex = (_i, v: PyFloat) => {
  throw unsupported('float.hex()', undefined, String(v.v));
};
F.__round__ = (interp, v: PyFloat, a) => roundValue(interp, v, a[0]);
const B = methodTables.bytes;
B.decode = (_i, b: PyBytes, a) => {
  const enc = String(a[0] ?? 'utf-8').toLowerCase();
  return Buffer.from(b.data).toString(enc === 'ascii' || enc === 'latin-1' || enc === 'latin1' ? 'latin1' : 'utf8');
};
B.hex = (_i, b: PyBytes) => Buffer.from(b.data).toString('hex');
