/** int, float and bytes methods. */
import { PyBytes, PyFloat, PyValue, pyErr } from '../values';
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
  if (enc === 'ascii' || enc === 'latin-1' || enc === 'latin1') return Buffer.from(b.data).toString('latin1');
  const bad = invalidUtf8(b.data);
  if (bad) {
    const what = bad.end - bad.at > 1 ? `bytes in position ${bad.at}-${bad.end - 1}` : `byte 0x${b.data[bad.at].toString(16).padStart(2, '0')} in position ${bad.at}`;
    throw pyErr('UnicodeDecodeError', `'utf-8' codec can't decode ${what}: ${bad.reason}`);
  }
  return Buffer.from(b.data).toString('utf8');
};

/** The first byte strict UTF-8 decoding stops at, with CPython's reason (decode() raises UnicodeDecodeError there instead of inserting U+FFFD). */
function invalidUtf8(d: Uint8Array): { at: number; end: number; reason: string } | undefined {
  for (let i = 0; i < d.length; ) {
    const c = d[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return { at: i, end: i + 1, reason: 'invalid start byte' };
    for (let k = 1; k <= n; k++) {
      if (i + k >= d.length) return { at: i, end: d.length, reason: 'unexpected end of data' };
      const x = d[i + k];
      const lo = k === 1 && c === 0xe0 ? 0xa0 : k === 1 && c === 0xf0 ? 0x90 : 0x80;
      const hi = k === 1 && c === 0xed ? 0x9f : k === 1 && c === 0xf4 ? 0x8f : 0xbf;
      if (x < lo || x > hi) return { at: i, end: i + 1, reason: 'invalid continuation byte' };
    }
    i += n + 1;
  }
  return undefined;
}
B.hex = (_i, b: PyBytes) => Buffer.from(b.data).toString('hex');
