/** json: dumps and loads as CPython's json module writes and reads text. */
import {
  Kwargs,
  PyClass,
  PyDict,
  PyException,
  PyFloat,
  PyInstance,
  PyList,
  PyTuple,
  PyValue,
  SourceLocation,
  builtinExceptionClasses,
  makeException,
  normInt,
  pyErr,
} from '../values';
import { Interp, typeName } from '../runtime';
import { callSync, truthy } from '../protocols/equality';
import { floatRepr } from '../numeric';
import { kwOf } from './kit';

function jsonStr(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (ensureAscii && c > 0x7e) {
      if (c > 0xffff) {
        const v = c - 0x10000;
        out += '\\u' + (0xd800 + (v >> 10)).toString(16) + '\\u' + (0xdc00 + (v & 0x3ff)).toString(16);
      } else out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

interface DumpOpts {
  indent: string | null;
  itemSep: string;
  keySep: string;
  sortKeys: boolean;
  ensureAscii: boolean;
  dflt: PyValue;
}

function jsonDump(interp: Interp, v: PyValue, o: DumpOpts, level: number, seen: Set<object>, loc: SourceLocation | undefined): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return jsonStr(v, o.ensureAscii);
  if (v instanceof PyFloat) {
    if (Number.isNaN(v.v)) return 'NaN';
    if (!Number.isFinite(v.v)) return v.v > 0 ? 'Infinity' : '-Infinity';
    return floatRepr(v.v);
  }
  const nl = (lvl: number) => (o.indent === null ? '' : '\n' + o.indent.repeat(lvl));
  if (v instanceof PyList || v instanceof PyTuple) {
    if (seen.has(v)) throw pyErr('ValueError', 'Circular reference detected');
    if (v.items.length === 0) return '[]';
    seen.add(v);
    const parts = v.items.map((x) => jsonDump(interp, x, o, level + 1, seen, loc));
    seen.delete(v);
    return '[' + nl(level + 1) + parts.join(o.itemSep + nl(level + 1)) + nl(level) + ']';
  }
  if (v instanceof PyDict) {
    if (seen.has(v)) throw pyErr('ValueError', 'Circular reference detected');
    if (v.size === 0) return '{}';
    seen.add(v);
    let entries = v.entries().map(([k, x]) => {
      let ks: string;
      if (typeof k === 'string') ks = k;
      else if (k === null) ks = 'null';
      else if (k === true) ks = 'true';
      else if (k === false) ks = 'false';
      else if (typeof k === 'number' || typeof k === 'bigint') ks = String(k);
      else if (k instanceof PyFloat) ks = floatRepr(k.v);
      else throw pyErr('TypeError', `keys must be str, int, float, bool or None, not ${typeName(k)}`);
      return [ks, x] as [string, PyValue];
    });
    if (o.sortKeys) entries = entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const parts = entries.map(([k, x]) => jsonStr(k, o.ensureAscii) + o.keySep + jsonDump(interp, x, o, level + 1, seen, loc));
    seen.delete(v);
    return '{' + nl(level + 1) + parts.join(o.itemSep + nl(level + 1)) + nl(level) + '}';
  }
  if (v instanceof PyInstance && v.cls.enumMembers) {
    const val = v.dict.get('_value_') ?? null;
    if (typeof val === 'string' || typeof val === 'number') return jsonDump(interp, val, o, level, seen, loc);
  }
  if (o.dflt !== null) {
    const r = callSync(interp, o.dflt, [v], loc);
    return jsonDump(interp, r, o, level, seen, loc);
  }
  throw pyErr('TypeError', `Object of type ${typeName(v)} is not JSON serializable`);
}

export function jsonDumps(interp: Interp, v: PyValue, k: Kwargs | null, loc: SourceLocation | undefined): string {
  const indentV = kwOf(k, 'indent') ?? null;
  const indent = indentV === null ? null : typeof indentV === 'string' ? indentV : ' '.repeat(Number(indentV));
  const seps = kwOf(k, 'separators');
  let itemSep = indent === null ? ', ' : ',';
  let keySep = ': ';
  if (seps instanceof PyTuple || seps instanceof PyList) [itemSep, keySep] = seps.items.map((x) => String(x));
  return jsonDump(
    interp,
    v,
    { indent, itemSep, keySep, sortKeys: truthy(interp, kwOf(k, 'sort_keys') ?? false), ensureAscii: truthy(interp, kwOf(k, 'ensure_ascii') ?? true), dflt: kwOf(k, 'default') ?? null },
    0,
    new Set(),
    loc,
  );
}

export const JSONDecodeError = new PyClass('JSONDecodeError', [builtinExceptionClasses.get('ValueError')!], new Map(), undefined, 'JSONDecodeError', 'json');

export function jsonLoads(s: string): PyValue {
  let i = 0;
  const fail = (msg: string): never => {
    const line = s.slice(0, i).split('\n').length;
    const col = i - s.lastIndexOf('\n', i - 1);
    throw new PyException(makeException(JSONDecodeError, [`${msg}: line ${line} column ${col} (char ${i})`]));
  };
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  const value = (): PyValue => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const d = new PyDict();
      ws();
      if (s[i] === '}') {
        i++;
        return d;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') fail('Expecting property name enclosed in double quotes');
        const k = string();
        ws();
        if (s[i] !== ':') fail("Expecting ':' delimiter");
        i++;
        d.set(k, value());
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return d;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '[') {
      i++;
      const out: PyValue[] = [];
      ws();
      if (s[i] === ']') {
        i++;
        return new PyList(out);
      }
      for (;;) {
        out.push(value());
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return new PyList(out);
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return string();
    if (s.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (s.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (s.startsWith('null', i)) {
      i += 4;
      return null;
    }
    if (s.startsWith('NaN', i)) {
      i += 3;
      return new PyFloat(NaN);
    }
    if (s.startsWith('Infinity', i)) {
      i += 8;
      return new PyFloat(Infinity);
    }
    if (s.startsWith('-Infinity', i)) {
      i += 9;
      return new PyFloat(-Infinity);
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i));
    if (!m || !m[0]) return fail('Expecting value');
    i += m[0].length;
    if (m[2] || m[3]) return new PyFloat(parseFloat(m[0]));
    const n = BigInt(m[0]);
    return normInt(n);
  };
  const string = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= s.length) fail('Unterminated string starting at');
      const c = s[i++];
      if (c === '"') return out;
      if (c === '\\') {
        const e = s[i++];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in map) out += map[e];
        else if (e === 'u') {
          out += String.fromCharCode(parseInt(s.slice(i, i + 4), 16));
          i += 4;
        } else fail('Invalid \\escape');
      } else out += c;
    }
  };
  const v = value();
  ws();
  if (i < s.length) fail('Extra data');
  return v;
}

// ---------------------------------------------------------------------------------------------
// os.environ

// ---------------------------------------------------------------------------------------------
// asyncio

// ---------------------------------------------------------------------------------------------
// enum & dataclasses & class creation
