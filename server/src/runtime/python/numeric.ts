/**
 * Python number semantics: int (number, bigint beyond 2^53) and float (PyFloat) arithmetic,
 * float repr, exact decimal rounding (round-half-even on the binary value, as CPython does) and
 * the numeric part of the format mini-language.
 */
import { PyFloat, PyValue, normInt, pyErr } from './values';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function isSafe(n: number): boolean {
  return n <= MAX_SAFE && n >= -MAX_SAFE;
}

export function toBig(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** Python repr() of a float. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expS] = x.toExponential().split('e');
  const exp = parseInt(expS, 10);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits[0] + (digits.length > 1 ? '.' + digits.slice(1) : '');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1) || '0';
    return `${sign}${intPart}.${frac}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

// Exact decimal rounding ------------------------------------------------------------------------

/** x = m * 2^e exactly (m a bigint, x finite). */
function decompose(x: number): { m: bigint; e: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const expBits = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = expBits - 1075;
  }
  return { m: sign * m, e };
}

/** round(|x| * 10^s) to an integer, half to even, computed exactly. */
function scaledRound(x: number, s: number): bigint {
  const { m, e } = decompose(Math.abs(x));
  let num = m;
  let den = 1n;
  if (e > 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (s > 0) num *= 10n ** BigInt(s);
  else if (s < 0) den *= 10n ** BigInt(-s);
  const q = num / den;
  const r = num % den;
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** Fixed-point digits of |x| with `prec` decimals (no sign). */
export function toFixedExact(x: number, prec: number): string {
  const q = scaledRound(x, prec).toString();
  if (prec === 0) return q;
  const padded = q.padStart(prec + 1, '0');
  return padded.slice(0, padded.length - prec) + '.' + padded.slice(padded.length - prec);
}

/** Scientific digits of |x| with `prec` digits after the point: [mantissa digits, exponent]. */
function sciDigits(x: number, prec: number): [string, number] {
  if (x === 0) return ['0'.repeat(prec + 1), 0];
  let exp = Math.floor(Math.log10(Math.abs(x)));
  let q = scaledRound(x, prec - exp);
  const limit = 10n ** BigInt(prec + 1);
  if (q >= limit) {
    exp += 1;
    q = scaledRound(x, prec - exp);
  } else if (q < limit / 10n) {
    exp -= 1;
    q = scaledRound(x, prec - exp);
  }
  return [q.toString(), exp];
}

function expSuffix(exp: number, upper: boolean): string {
  return `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Python's round(x, ndigits) for floats. */
export function roundFloat(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 308) return x;
  const q = scaledRound(x, ndigits);
  const s = ndigits >= 0 ? q.toString() + 'e-' + ndigits : q.toString() + 'e' + -ndigits;
  const r = parseFloat(s);
  return x < 0 ? -r : r;
}

/** round(x) for a float: banker's rounding to an int. */
export function roundHalfEven(x: number): number | bigint {
  if (!Number.isFinite(x)) throw pyErr(Number.isNaN(x) ? 'ValueError' : 'OverflowError', Number.isNaN(x) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
  const q = scaledRound(x, 0);
  return normInt(x < 0 ? -q : q);
}

// Arithmetic ----------------------------------------------------------------------------------

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
function modBig(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

/** int ∘ int (a, b are Python ints: safe-integer numbers or bigints). */
export function intOp(op: string, a: number | bigint, b: number | bigint): PyValue {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+': {
        const r = a + b;
        if (isSafe(r)) return r;
        break;
      }
      case '-': {
        const r = a - b;
        if (isSafe(r)) return r;
        break;
      }
      case '*': {
        const r = a * b;
        if (isSafe(r)) return r === 0 ? 0 : r;
        break;
      }
      case '//': {
        if (b === 0) throw pyErr('ZeroDivisionError', 'integer division or modulo by zero');
        const r = a % b;
        let q = (a - r) / b;
        if (r !== 0 && (r < 0) !== (b < 0)) q -= 1;
        return q === 0 ? 0 : q;
      }
      case '%': {
        if (b === 0) throw pyErr('ZeroDivisionError', 'integer modulo by zero');
        let r = a % b;
        if (r !== 0 && (r < 0) !== (b < 0)) r += b;
        return r === 0 ? 0 : r;
      }
      case '/':
        if (b === 0) throw pyErr('ZeroDivisionError', 'division by zero');
        return new PyFloat(a / b);
      case '**': {
        if (b < 0) {
          if (a === 0) throw pyErr('ZeroDivisionError', '0.0 cannot be raised to a negative power');
          return new PyFloat(Math.pow(a, b));
        }
        const r = Math.pow(a, b);
        if (isSafe(r)) return r;
        break;
      }
      case '&':
      case '|':
      case '^':
        if (a >= -0x80000000 && a <= 0x7fffffff && b >= -0x80000000 && b <= 0x7fffffff) return op === '&' ? a & b : op === '|' ? a | b : a ^ b;
        break;
    }
  }
  const x = toBig(a);
  const y = toBig(b);
  switch (op) {
    case '+':
      return normInt(x + y);
    case '-':
      return normInt(x - y);
    case '*':
      return normInt(x * y);
    case '//':
      if (y === 0n) throw pyErr('ZeroDivisionError', 'integer division or modulo by zero');
      return normInt(floorDivBig(x, y));
    case '%':
      if (y === 0n) throw pyErr('ZeroDivisionError', 'integer modulo by zero');
      return normInt(modBig(x, y));
    case '/':
      if (y === 0n) throw pyErr('ZeroDivisionError', 'division by zero');
      return new PyFloat(Number(x) / Number(y));
    case '**':
      if (y < 0n) {
        if (x === 0n) throw pyErr('ZeroDivisionError', '0.0 cannot be raised to a negative power');
        return new PyFloat(Math.pow(Number(x), Number(y)));
      }
      if (y > 100000n && x !== 0n && x !== 1n && x !== -1n) throw pyErr('OverflowError', 'exponent too large for the evaluator');
      return normInt(x ** y);
    case '<<':
      if (y < 0n) throw pyErr('ValueError', 'negative shift count');
      if (y > 100000n) throw pyErr('OverflowError', 'shift count too large for the evaluator');
      return normInt(x << y);
    case '>>':
      if (y < 0n) throw pyErr('ValueError', 'negative shift count');
      return normInt(x >> y);
    case '&':
      return normInt(x & y);
    case '|':
      return normInt(x | y);
    case '^':
      return normInt(x ^ y);
  }
  throw pyErr('TypeError', `unsupported operand type(s) for ${op}: 'int' and 'int'`);
}

export function floatOp(op: string, x: number, y: number): PyValue {
  switch (op) {
    case '+':
      return new PyFloat(x + y);
    case '-':
      return new PyFloat(x - y);
    case '*':
      return new PyFloat(x * y);
    case '/':
      if (y === 0) throw pyErr('ZeroDivisionError', 'float division by zero');
      return new PyFloat(x / y);
    case '//':
      if (y === 0) throw pyErr('ZeroDivisionError', 'float floor division by zero');
      return new PyFloat(Math.floor(x / y));
    case '%': {
      if (y === 0) throw pyErr('ZeroDivisionError', 'float modulo');
      let r = x % y;
      if (r !== 0 && (r < 0) !== (y < 0)) r += y;
      return new PyFloat(r === 0 ? (y < 0 ? -0 : 0) : r);
    }
    case '**': {
      if (x === 0 && y < 0) throw pyErr('ZeroDivisionError', '0.0 cannot be raised to a negative power');
      if (x < 0 && !Number.isInteger(y)) throw pyErr('ValueError', 'complex results are not supported by the evaluator');
      const r = Math.pow(x, y);
      if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw pyErr('OverflowError', '(34, \'Numerical result out of range\')');
      return new PyFloat(r);
    }
  }
  throw pyErr('TypeError', `unsupported operand type(s) for ${op}: 'float' and 'float'`);
}

/** Numeric value for mixed arithmetic: bool → int; returns undefined for non-numbers. */
export function numOf(v: PyValue): number | bigint | PyFloat | undefined {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    case 'object':
      return v instanceof PyFloat ? v : undefined;
  }
  return undefined;
}

/** Arithmetic on two Python numbers; undefined when either is not a number. */
export function numBinop(op: string, a: PyValue, b: PyValue): PyValue | undefined {
  const x = numOf(a);
  if (x === undefined) return undefined;
  const y = numOf(b);
  if (y === undefined) return undefined;
  if (x instanceof PyFloat || y instanceof PyFloat) {
    if (op === '<<' || op === '>>' || op === '&' || op === '|' || op === '^') return undefined;
    return floatOp(op, x instanceof PyFloat ? x.v : Number(x), y instanceof PyFloat ? y.v : Number(y));
  }
  if (typeof a === 'boolean' && typeof b === 'boolean' && (op === '&' || op === '|' || op === '^')) {
    return op === '&' ? a && b : op === '|' ? a || b : a !== b;
  }
  return intOp(op, x, y);
}

/** Compares two numbers: negative, 0, positive, or NaN when unordered. */
export function numCompare(a: number | bigint | PyFloat, b: number | bigint | PyFloat): number {
  const x = a instanceof PyFloat ? a.v : a;
  const y = b instanceof PyFloat ? b.v : b;
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  // mixed bigint / number
  const nx = Number(x);
  const ny = Number(y);
  if (Number.isNaN(nx) || Number.isNaN(ny)) return NaN;
  if (nx !== ny) return nx < ny ? -1 : 1;
  if (typeof x === 'number' && !Number.isInteger(x)) return x < Number(y) ? -1 : 1;
  if (typeof y === 'number' && !Number.isInteger(y)) return Number(x) < y ? -1 : 1;
  if (!Number.isFinite(nx)) return 0;
  const bx = toBig(Number.isFinite(nx) && typeof x === 'number' ? BigInt(x) : (x as bigint));
  const by = toBig(typeof y === 'number' ? BigInt(y) : y);
  return bx < by ? -1 : bx > by ? 1 : 0;
}

// Format mini-language (numeric part) -----------------------------------------------------------

export interface FormatSpec {
  fill: string;
  align: '' | '<' | '>' | '=' | '^';
  sign: '' | '+' | '-' | ' ';
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: '' | ',' | '_';
  precision: number | undefined;
  type: string;
}

const SPEC_RE = /^(?:([\s\S])?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

export function parseFormatSpec(spec: string): FormatSpec {
  const m = SPEC_RE.exec(spec);
  if (!m) throw pyErr('ValueError', `Invalid format specifier '${spec}'`);
  return {
    fill: m[1] ?? '',
    align: (m[2] ?? '') as FormatSpec['align'],
    sign: (m[3] ?? '') as FormatSpec['sign'],
    alt: !!m[5],
    zero: !!m[6],
    width: m[7] ? parseInt(m[7], 10) : 0,
    grouping: (m[8] ?? '') as FormatSpec['grouping'],
    precision: m[9] !== undefined ? parseInt(m[9], 10) : undefined,
    type: m[10] ?? '',
  };
}

function group(intDigits: string, sep: string, every = 3): string {
  if (!sep) return intDigits;
  let out = '';
  let n = 0;
  for (let i = intDigits.length - 1; i >= 0; i--) {
    out = intDigits[i] + out;
    if (++n % every === 0 && i > 0) out = sep + out;
  }
  return out;
}

/** Pads `body` (with `sign` prefix) per fill/align/width. */
export function align(body: string, spec: FormatSpec, numeric: boolean, sign = ''): string {
  let fill = spec.fill || ' ';
  let al = spec.align;
  if (!al) {
    if (spec.zero && numeric) {
      fill = spec.fill || '0';
      al = '=';
    } else al = numeric ? '>' : '<';
  }
  const len = [...sign].length + [...body].length;
  const pad = Math.max(0, spec.width - len);
  if (pad === 0) return sign + body;
  switch (al) {
    case '<':
      return sign + body + fill.repeat(pad);
    case '>':
      return fill.repeat(pad) + sign + body;
    case '^': {
      const left = Math.floor(pad / 2);
      return fill.repeat(left) + sign + body + fill.repeat(pad - left);
    }
    case '=':
      return sign + fill.repeat(pad) + body;
  }
  return sign + body;
}

function signOf(neg: boolean, spec: FormatSpec): string {
  if (neg) return '-';
  return spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
}

/** format(int, spec) */
export function formatInt(v: number | bigint, spec: FormatSpec): string {
  const t = spec.type;
  if ('eEfFgG%'.includes(t) && t !== '') return formatFloat(Number(v), spec);
  if (spec.precision !== undefined) throw pyErr('ValueError', 'Precision not allowed in integer format specifier');
  const neg = v < 0;
  const abs = neg ? -toBig(v) : toBig(v);
  let body: string;
  let prefix = '';
  switch (t) {
    case '':
    case 'd':
    case 'n':
      body = group(intToDecimal(abs), spec.grouping);
      break;
    case 'x':
    case 'X':
      body = group(abs.toString(16), spec.grouping === '_' ? '_' : '', 4);
      if (t === 'X') body = body.toUpperCase();
      if (spec.alt) prefix = t === 'X' ? '0X' : '0x';
      break;
    case 'o':
      body = group(abs.toString(8), spec.grouping === '_' ? '_' : '', 4);
      if (spec.alt) prefix = '0o';
      break;
    case 'b':
      body = group(abs.toString(2), spec.grouping === '_' ? '_' : '', 4);
      if (spec.alt) prefix = '0b';
      break;
    case 'c':
      body = String.fromCodePoint(Number(abs));
      break;
    default:
      throw pyErr('ValueError', `Unknown format code '${t}' for object of type 'int'`);
  }
  return align(prefix + body, spec, true, signOf(neg, spec));
}

/** format(float, spec) */
export function formatFloat(x: number, spec: FormatSpec): string {
  let t = spec.type;
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  let body: string;
  if (t === 'n') t = 'g';
  if (!Number.isFinite(x)) {
    body = Number.isNaN(x) ? 'nan' : 'inf';
    if (t === 'F' || t === 'E' || t === 'G') body = body.toUpperCase();
    return align(body, spec, true, signOf(neg && !Number.isNaN(x), spec));
  }
  const groupInt = (s: string): string => {
    if (!spec.grouping) return s;
    const dot = s.indexOf('.');
    const ip = dot < 0 ? s : s.slice(0, dot);
    return group(ip, spec.grouping) + (dot < 0 ? '' : s.slice(dot));
  };
  switch (t) {
    case 'f':
    case 'F': {
      const p = spec.precision ?? 6;
      body = toFixedExact(ax, p);
      if (spec.alt && p === 0) body += '.';
      body = groupInt(body);
      break;
    }
    case '%': {
      const p = spec.precision ?? 6;
      body = groupInt(toFixedExact(ax * 100, p)) + '%';
      break;
    }
    case 'e':
    case 'E': {
      const p = spec.precision ?? 6;
      const [d, e] = sciDigits(ax, p);
      body = d[0] + (p > 0 ? '.' + d.slice(1) : spec.alt ? '.' : '') + expSuffix(e, t === 'E');
      break;
    }
    case 'g':
    case 'G': {
      let p = spec.precision ?? 6;
      if (p === 0) p = 1;
      body = formatG(ax, p, spec.alt, t === 'G');
      body = groupInt(body);
      break;
    }
    case '': {
      if (spec.precision === undefined) {
        body = groupInt(floatRepr(ax));
      } else {
        const p = spec.precision === 0 ? 1 : spec.precision;
        body = formatG(ax, p, spec.alt, false);
        if (!/[.e]/.test(body) && !/inf|nan/.test(body)) body += '.0';
        body = groupInt(body);
      }
      break;
    }
    default:
      throw pyErr('ValueError', `Unknown format code '${t}' for object of type 'float'`);
  }
  return align(body, spec, true, signOf(neg, spec));
}

function formatG(ax: number, p: number, alt: boolean, upper: boolean): string {
  if (ax === 0) return alt ? '0.' + '0'.repeat(p - 1) : '0';
  const [d, e] = sciDigits(ax, p - 1);
  let body: string;
  if (e >= -4 && e < p) {
    const decimals = Math.max(0, p - 1 - e);
    body = toFixedExact(ax, decimals);
    if (!alt && body.includes('.')) body = body.replace(/0+$/, '').replace(/\.$/, '');
  } else {
    let mant = d[0] + (p > 1 ? '.' + d.slice(1) : '');
    if (!alt && mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    body = mant + expSuffix(e, upper);
  }
  return body;
}

/**
 * CPython 3.11's limit on int <-> decimal string conversion (sys.get_int_max_str_digits(), CVE-2020-10735):
 * converting more digits costs quadratic time, so a 5,000,000-digit int() used to hang the run.
 */
export const INT_MAX_STR_DIGITS = 4300;
const DECIMAL_LIMIT = 10n ** BigInt(INT_MAX_STR_DIGITS);

/** str()/repr()/format of an int: ValueError past INT_MAX_STR_DIGITS digits, as CPython 3.11. */
export function intToDecimal(v: number | bigint): string {
  if (typeof v === 'bigint' && (v >= DECIMAL_LIMIT || v <= -DECIMAL_LIMIT)) {
    throw pyErr('ValueError', `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`);
  }
  return String(v);
}

/** Parses a Python int literal or int() text (base 10 unless given); undefined if invalid. */
export function parseIntText(text: string, base = 10): number | bigint | undefined {
  let s = text.trim().replace(/_/g, '');
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let b = base;
  const pref = s.slice(0, 2).toLowerCase();
  if ((b === 16 || b === 0) && pref === '0x') {
    b = 16;
    s = s.slice(2);
  } else if ((b === 8 || b === 0) && pref === '0o') {
    b = 8;
    s = s.slice(2);
  } else if ((b === 2 || b === 0) && pref === '0b') {
    b = 2;
    s = s.slice(2);
  } else if (b === 0) b = 10;
  if (!s) return undefined;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  if ((b & (b - 1)) !== 0 && s.length > INT_MAX_STR_DIGITS) {
    // CPython counts the digits up to the first character that is not one, and refuses more than
    // the limit before looking further (bases that are powers of two are exempt).
    const lower = s.toLowerCase();
    let n = 0;
    while (n < lower.length && digits.includes(lower[n])) n++;
    if (n > INT_MAX_STR_DIGITS) throw pyErr('ValueError', `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${n} digits; use sys.set_int_max_str_digits() to increase the limit`);
    if (n < lower.length) return undefined;
  }
  if ((b === 2 || b === 8 || b === 16) && s.length > 15) {
    // Power-of-two bases have no limit: convert in one step (the digit loop below is quadratic).
    if (![...s.toLowerCase()].every((ch) => digits.includes(ch))) return undefined;
    const big = BigInt(`0${b === 2 ? 'b' : b === 8 ? 'o' : 'x'}${s}`);
    return normInt(neg ? -big : big);
  }
  let acc = 0n;
  const bb = BigInt(b);
  for (const ch of s.toLowerCase()) {
    const d = digits.indexOf(ch);
    if (d < 0) return undefined;
    acc = acc * bb + BigInt(d);
  }
  return normInt(neg ? -acc : acc);
}

/** Parses float() text; undefined if invalid. */
export function parseFloatText(text: string): number | undefined {
  const s = text.trim().replace(/_/g, '').toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(s)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) return undefined;
  return parseFloat(s);
}
