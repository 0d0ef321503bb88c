/** str methods and str.format. */
import { Kwargs, PyBytes, PyDict, PyException, PyList, PyTuple, PyValue, SourceLocation, builtinExceptionClasses, makeException, pyErr } from '../values';
import { Interp, MethodImpl, methodTables, typeName, unsupported } from '../runtime';
import { format, repr, str } from '../protocols/text';
import { getAttr } from '../protocols/attributes';
import { toArray } from '../protocols/iteration';
import { toIndex } from '../protocols/subscripts';
import { needStr, then, arg } from './callArgs';

const WS = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function stripChars(s: string, chars: PyValue | undefined, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : needStr(chars, 'strip arg');
  let i = 0;
  let j = s.length;
  if (left) while (i < j && set.includes(s[i])) i++;
  if (right) while (j > i && set.includes(s[j - 1])) j--;
  return s.slice(i, j);
}

function splitWs(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && WS.includes(s[i])) i++;
    if (i >= n) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      let rest = s.slice(i);
      rest = stripChars(rest, undefined, false, true);
      out.push(rest);
      return out;
    }
    let j = i;
    while (j < n && !WS.includes(s[j])) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

function pyIndexArgs(s: string, a: PyValue[]): [number, number] {
  const n = s.length;
  const norm = (v: PyValue | undefined, d: number) => {
    if (v === undefined || v === null) return d;
    let i = toIndex(v);
    if (i < 0) i = Math.max(0, i + n);
    return Math.min(i, n);
  };
  return [norm(a[1], 0), norm(a[2], n)];
}

function affix(s: string, a: PyValue[], prefix: boolean): boolean {
  const [start, end] = pyIndexArgs(s, a);
  const sub = s.slice(start, end);
  const test = (p: PyValue) => (prefix ? sub.startsWith(needStr(p, prefix ? 'startswith arg' : 'endswith arg')) : sub.endsWith(needStr(p, 'endswith arg')));
  const x = a[0];
  if (x instanceof PyTuple) return x.items.some(test);
  if (typeof x !== 'string') throw pyErr('TypeError', `${prefix ? 'startswith' : 'endswith'} first arg must be str or a tuple of str, not ${typeName(x)}`);
  return test(x);
}

function titleCase(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const isLetter = ch.toLowerCase() !== ch.toUpperCase();
    out += isLetter ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = isLetter;
  }
  return out;
}

/** str.format */
export function strFormat(interp: Interp, fmt: string, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): string {
  let out = '';
  let auto = 0;
  let i = 0;
  const n = fmt.length;
  const resolveField = (fieldName: string): PyValue => {
    const m = /^([^.[]*)(.*)$/.exec(fieldName)!;
    const first = m[1];
    let rest = m[2];
    let v: PyValue;
    if (first === '') {
      v = args[auto];
      if (auto >= args.length) throw pyErr('IndexError', `Replacement index ${auto} out of range for positional args tuple`);
      auto++;
    } else if (/^\d+$/.test(first)) {
      const k = parseInt(first, 10);
      if (k >= args.length) throw pyErr('IndexError', `Replacement index ${k} out of range for positional args tuple`);
      v = args[k];
    } else {
      const got = kwargs?.get(first);
      if (got === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [first]));
      v = got;
    }
    while (rest) {
      const am = /^\.([A-Za-z_]\w*)/.exec(rest);
      if (am) {
        const r = getAttr(interp, v, am[1], loc);
        if (r instanceof Promise) throw unsupported('asynchronous attribute in str.format', loc);
        v = r;
        rest = rest.slice(am[0].length);
        continue;
      }
      const im = /^\[([^\]]*)\]/.exec(rest);
      if (im) {
        const key = /^\d+$/.test(im[1]) ? parseInt(im[1], 10) : im[1];
        const d = v;
        let r: PyValue | undefined;
        if (d instanceof PyDict) r = d.get(key);
        else if ((d instanceof PyList || d instanceof PyTuple) && typeof key === 'number') r = d.items[key];
        if (r === undefined) throw new PyException(makeException(builtinExceptionClasses.get(d instanceof PyDict ? 'KeyError' : 'IndexError')!, [key]));
        v = r;
        rest = rest.slice(im[0].length);
        continue;
      }
      throw pyErr('ValueError', `Invalid format field ${fieldName}`);
    }
    return v;
  };
  while (i < n) {
    const ch = fmt[i];
    if (ch === '{') {
      if (fmt[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      // find matching }
      let depth = 1;
      let j = i + 1;
      while (j < n && depth) {
        if (fmt[j] === '{') depth++;
        else if (fmt[j] === '}') depth--;
        if (depth) j++;
      }
      if (j >= n) throw pyErr('ValueError', "Single '{' encountered in format string");
      const body = fmt.slice(i + 1, j);
      const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(body);
      if (!m) throw pyErr('ValueError', `Invalid format field ${body}`);
      let v = resolveField(m[1]);
      if (m[2] === 'r') v = repr(interp, v);
      else if (m[2] === 's') v = str(interp, v);
      else if (m[2] === 'a') v = repr(interp, v);
      let spec = m[3] ?? '';
      if (spec.includes('{')) spec = strFormat(interp, spec, args.slice(auto), kwargs, loc);
      out += format(interp, v, spec, loc);
      i = j + 1;
      continue;
    }
    if (ch === '}') {
      if (fmt[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw pyErr('ValueError', "Single '}' encountered in format string");
    }
    out += ch;
    i++;
  }
  return out;
}

const S = methodTables.str;
S.format = (interp, s: string, a, k, loc) => strFormat(interp, s, a, k, loc);
S.format_map = (interp, s: string, a, _k, loc) => {
  const d = a[0];
  if (!(d instanceof PyDict)) throw unsupported('format_map with a non-dict mapping', loc);
  return strFormat(interp, s, [], new Map(d.entries().map(([k, v]) => [String(k), v])), loc);
};
S.join = (interp, s: string, a, _k, loc) =>
  then(toArray(interp, a[0], loc), (xs) => {
    for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== 'string') throw pyErr('TypeError', `sequence item ${i}: expected str instance, ${typeName(xs[i])} found`);
    const r = (xs as string[]).join(s);
    if (r.length > 1_000_000) interp.checkSize(r.length, loc);
    return r;
  });
S.split = (_i, s: string, a, k) => {
  const sep = arg(a, k, 0, 'sep') ?? null;
  const max = toIndex(arg(a, k, 1, 'maxsplit') ?? -1);
  if (sep === null) return new PyList(splitWs(s, max));
  const p = needStr(sep, 'separator');
  if (p === '') throw pyErr('ValueError', 'empty separator');
  const parts = s.split(p);
  if (max >= 0 && parts.length > max + 1) return new PyList([...parts.slice(0, max), parts.slice(max).join(p)]);
  return new PyList(parts);
};
S.rsplit = (_i, s: string, a, k) => {
  const sep = arg(a, k, 0, 'sep') ?? null;
  const max = toIndex(arg(a, k, 1, 'maxsplit') ?? -1);
  if (sep === null) {
    if (max < 0) return new PyList(splitWs(s, -1));
    const rev = splitWs([...s].reverse().join(''), max).map((x) => [...x].reverse().join(''));
    return new PyList(rev.reverse());
  }
  const p = needStr(sep, 'separator');
  if (p === '') throw pyErr('ValueError', 'empty separator');
  const parts = s.split(p);
  if (max >= 0 && parts.length > max + 1) return new PyList([parts.slice(0, parts.length - max).join(p), ...parts.slice(parts.length - max)]);
  return new PyList(parts);
};
S.splitlines = (_i, s: string, a) => {
  const keep = a[0] === true;
  const out: string[] = [];
  const re = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    out.push(s.slice(last, keep ? m.index + m[0].length : m.index));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return new PyList(out);
};
S.strip = (_i, s: string, a) => stripChars(s, a[0], true, true);
S.lstrip = (_i, s: string, a) => stripChars(s, a[0], true, false);
S.rstrip = (_i, s: string, a) => stripChars(s, a[0], false, true);
S.lower = (_i, s: string) => s.toLowerCase();
S.upper = (_i, s: string) => s.toUpperCase();
// CPython's casefold is full case folding: beyond lower(), the sharp s folds to 'ss' (the fold JavaScript's toLowerCase lacks that scripts meet).
S.casefold = (_i, s: string) => s.toLowerCase().replace(/\u00df/g, 'ss');
S.swapcase = (_i, s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
S.title = (_i, s: string) => titleCase(s);
S.capitalize = (_i, s: string) => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s);
S.replace = (interp, s: string, a, k, loc) => {
  const old = needStr(a[0], 'replace() argument 1');
  const nw = needStr(a[1], 'replace() argument 2');
  const count = toIndex(arg(a, k, 2, 'count') ?? -1);
  let r: string;
  if (count < 0) r = old === '' ? nw + [...s].join(nw) + (s ? nw : '') : s.split(old).join(nw);
  else {
    let out = '';
    let rest = s;
    let c = 0;
    while (c < count) {
      const idx = rest.indexOf(old);
      if (idx < 0) break;
      out += rest.slice(0, idx) + nw;
      rest = rest.slice(idx + old.length);
      c++;
      if (old === '') {
        if (!rest) break;
        out += rest[0];
        rest = rest.slice(1);
      }
    }
    r = out + rest;
  }
  if (r.length > 1_000_000) interp.checkSize(r.length, loc);
  return r;
};
S.startswith = (_i, s: string, a) => affix(s, a, true);
S.endswith = (_i, s: string, a) => affix(s, a, false);
S.find = (_i, s: string, a) => {
  const [st, en] = pyIndexArgs(s, a);
  const i = s.slice(0, en).indexOf(needStr(a[0], 'find arg'), st);
  return i;
};
S.rfind = (_i, s: string, a) => {
  const [st, en] = pyIndexArgs(s, a);
  const sub = needStr(a[0], 'rfind arg');
  const i = s.slice(0, en).lastIndexOf(sub);
  return i >= st ? i : -1;
};
S.index = (i, s: string, a, k, l) => {
  const r = S.find(i, s, a, k, l) as number;
  if (r < 0) throw pyErr('ValueError', 'substring not found');
  return r;
};
S.rindex = (i, s: string, a, k, l) => {
  const r = S.rfind(i, s, a, k, l) as number;
  if (r < 0) throw pyErr('ValueError', 'substring not found');
  return r;
};
S.count = (_i, s: string, a) => {
  const [st, en] = pyIndexArgs(s, a);
  const sub = needStr(a[0], 'count arg');
  const hay = s.slice(st, en);
  if (sub === '') return hay.length + 1;
  return hay.split(sub).length - 1;
};
S.zfill = (_i, s: string, a) => {
  const w = toIndex(a[0]);
  if (s.length >= w) return s;
  const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
  const body = sign ? s.slice(1) : s;
  return sign + '0'.repeat(w - s.length) + body;
};
const padFn = (where: 'center' | 'ljust' | 'rjust'): MethodImpl => (_i, s: string, a) => {
  const w = toIndex(a[0]);
  const fill = a[1] === undefined ? ' ' : needStr(a[1], 'fill character');
  const n = [...s].length;
  if (n >= w) return s;
  const pad = w - n;
  if (where === 'ljust') return s + fill.repeat(pad);
  if (where === 'rjust') return fill.repeat(pad) + s;
  const left = Math.floor(pad / 2) + (pad & w & 1);
  return fill.repeat(left) + s + fill.repeat(pad - left);
};
S.center = padFn('center');
S.ljust = padFn('ljust');
S.rjust = padFn('rjust');
S.isdigit = (_i, s: string) => s.length > 0 && /^[0-9\u0660-\u0669\u00b2\u00b3\u00b9]+$/.test(s);
S.isdecimal = (_i, s: string) => s.length > 0 && /^\p{Nd}+$/u.test(s);
S.isnumeric = (_i, s: string) => s.length > 0 && /^[\p{N}]+$/u.test(s);
S.isalpha = (_i, s: string) => s.length > 0 && /^\p{L}+$/u.test(s);
S.isalnum = (_i, s: string) => s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s);
S.isspace = (_i, s: string) => s.length > 0 && [...s].every((c) => WS.includes(c));
S.islower = (_i, s: string) => /\p{Ll}/u.test(s) && s === s.toLowerCase();
S.isupper = (_i, s: string) => /\p{Lu}/u.test(s) && s === s.toUpperCase();
S.istitle = (_i, s: string) => /\p{L}/u.test(s) && titleCase(s) === s;
S.isidentifier = (_i, s: string) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s);
S.isascii = (_i, s: string) => /^[\x00-\x7f]*$/.test(s);
S.isprintable = (_i, s: string) => !/[\x00-\x1f\x7f]/.test(s);
S.encode = (_i, s: string, a, k) => {
  const enc = String(arg(a, k, 0, 'encoding') ?? 'utf-8').toLowerCase();
  if (enc === 'ascii' || enc === 'latin-1' || enc === 'latin1') return new PyBytes(Uint8Array.from(Buffer.from(s, 'latin1')));
  return new PyBytes(Uint8Array.from(Buffer.from(s, 'utf8')));
};
S.partition = (_i, s: string, a) => {
  const sep = needStr(a[0], 'partition arg');
  if (sep === '') throw pyErr('ValueError', 'empty separator');
  const i = s.indexOf(sep);
  return i < 0 ? new PyTuple([s, '', '']) : new PyTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
};
S.rpartition = (_i, s: string, a) => {
  const sep = needStr(a[0], 'rpartition arg');
  if (sep === '') throw pyErr('ValueError', 'empty separator');
  const i = s.lastIndexOf(sep);
  return i < 0 ? new PyTuple(['', '', s]) : new PyTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
};
S.removeprefix = (_i, s: string, a) => {
  const p = needStr(a[0], 'removeprefix arg');
  return p && s.startsWith(p) ? s.slice(p.length) : s;
};
S.removesuffix = (_i, s: string, a) => {
  const p = needStr(a[0], 'removesuffix arg');
  return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
};
/** A tab moves to the next multiple of tabsize in its line (the column restarts after \n and \r), as CPython. */
S.expandtabs = (_i, s: string, a) => {
  const size = a[0] === undefined ? 8 : toIndex(a[0]);
  let out = '';
  let col = 0;
  for (const c of s) {
    if (c === '\t') {
      const n = size > 0 ? size - (col % size) : 0;
      out += ' '.repeat(n);
      col += n;
    } else {
      out += c;
      col = c === '\n' || c === '\r' ? 0 : col + 1;
    }
  }
  return out;
};
S.__len__ = (_i, s: string) => [...s].length;
S.__contains__ = (_i, s: string, a) => s.includes(needStr(a[0], "'in <string>' left operand"));
