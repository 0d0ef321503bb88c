/** Object protocols: repr(), str(), format() and printf-style % formatting. */
import { PyGenerator } from '../generatorObject';
import {
  PyBoundMethod,
  PyBuiltin,
  PyBytes,
  PyClass,
  PyClassMethod,
  PyCoroutine,
  PyDict,
  PyException,
  PyFloat,
  PyFunction,
  PyInstance,
  PyIterator,
  PyDeque,
  PyList,
  PyModule,
  PyOpaque,
  PyProperty,
  PyRange,
  PySet,
  PySlice,
  PyStaticMethod,
  PyTuple,
  PyTypeAlias,
  PyValue,
  SourceLocation,
  builtinExceptionClasses,
  exceptionMessage,
  exceptionStrHook,
  objectAddress,
  isExceptionClass,
  makeException,
  pyErr,
  reprHook,
  strHook,
  PyEllipsis,
} from '../values';
import { HostObject, PyHostFunction } from '../host';
import { HostMethodFunction } from '../hostClassMembers';
import { floatRepr, formatFloat, formatInt, intToDecimal, numOf, parseFormatSpec, align } from '../numeric';
import { Interp, typeName } from '../runtime';
import { callSync, enumMixin, activeInterp } from './equality';
import { toIndex } from './subscripts';

export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad) out += '\\x' + c.toString(16).padStart(2, '0');
    else if ((c >= 0xd800 && c <= 0xdfff) || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + q;
}

const reprGuard = new Set<object>();

export function repr(interp: Interp, v: PyValue): string {
  switch (typeof v) {
    case 'string':
      return pyStrRepr(v);
    case 'number':
      return String(v);
    case 'bigint':
      return intToDecimal(v);
    case 'boolean':
      return v ? 'True' : 'False';
  }
  if (v === null) return 'None';
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet) {
    if (reprGuard.has(v)) return v instanceof PyList ? '[...]' : v instanceof PyDict ? '{...}' : '(...)';
    reprGuard.add(v);
    try {
      if (v instanceof PyDeque) return `deque([${v.items.map((x) => repr(interp, x)).join(', ')}]${v.maxlen === null ? '' : `, maxlen=${v.maxlen}`})`;
      if (v instanceof PyList) return '[' + v.items.map((x) => repr(interp, x)).join(', ') + ']';
      if (v instanceof PyTuple) return v.items.length === 1 ? '(' + repr(interp, v.items[0]) + ',)' : '(' + v.items.map((x) => repr(interp, x)).join(', ') + ')';
      if (v instanceof PyDict) return '{' + v.entries().map(([k, x]) => repr(interp, k) + ': ' + repr(interp, x)).join(', ') + '}';
      const body = v.values().map((x) => repr(interp, x)).join(', ');
      if (v.frozen) return v.size ? `frozenset({${body}})` : 'frozenset()';
      return v.size ? '{' + body + '}' : 'set()';
    } finally {
      reprGuard.delete(v);
    }
  }
  if (v instanceof PyRange) return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__repr__');
    if (m !== undefined) return strOf(callSync(interp, m, [v], undefined));
    if (v.cls.enumMembers) return `<${v.cls.name}.${strOf(v.dict.get('_name_') ?? '')}: ${repr(interp, v.dict.get('_value_') ?? null)}>`;
    if (isExceptionClass(v.cls)) {
      const args = v.dict.get('args');
      const items = args instanceof PyTuple ? args.items : [];
      return `${v.cls.name}(${items.map((x) => repr(interp, x)).join(', ')})`;
    }
    return `<${v.cls.module === '__main__' || v.cls.module === 'builtins' ? v.cls.module + '.' : v.cls.module + '.'}${v.cls.qualname} object at ${objectAddress(v)}>`;
  }
  if (v instanceof HostObject) return v.repr();
  if (v instanceof PyClass) {
    if (v.module === 'builtins') return `<class '${v.name}'>`;
    return `<class '${v.module}.${v.qualname}'>`;
  }
  if (v instanceof PyFunction) return `<function ${v.code.qualname} at ${objectAddress(v)}>`;
  if (v instanceof HostMethodFunction) return `<function ${v.owner.qualname}.${v.name}>`;
  if (v instanceof PyBuiltin || v instanceof PyHostFunction) return `<built-in function ${v.name}>`;
  if (v instanceof PyBoundMethod) {
    const fnName = v.func instanceof PyFunction ? v.func.code.qualname : v.func instanceof PyBuiltin ? v.func.name : '?';
    return `<bound method ${fnName} of ${repr(interp, v.self)}>`;
  }
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof PyBytes) {
    let s = "b'";
    for (const b of v.data) {
      if (b === 0x5c) s += '\\\\';
      else if (b === 0x27) s += "\\'";
      else if (b === 10) s += '\\n';
      else if (b === 13) s += '\\r';
      else if (b === 9) s += '\\t';
      else if (b < 0x20 || b >= 0x7f) s += '\\x' + b.toString(16).padStart(2, '0');
      else s += String.fromCharCode(b);
    }
    return s + "'";
  }
  if (v instanceof PyTypeAlias) {
    if (v.name === '|') return v.args.map((a) => typeRepr(interp, a)).join(' | ');
    const base = v.name.startsWith('typing.') || !v.origin ? v.name : v.name;
    return v.args.length ? `${base}[${v.args.map((a) => typeRepr(interp, a)).join(', ')}]` : base;
  }
  if (v instanceof PyOpaque) return `<unsupported ${v.description}>`;
  if (v instanceof PyCoroutine) return `<coroutine object ${v.name}>`;
  if (v instanceof PyGenerator) return v.repr();
  if (v instanceof PyEllipsis) return 'Ellipsis';
  if (v instanceof PySlice) return `slice(${repr(interp, v.start)}, ${repr(interp, v.stop)}, ${repr(interp, v.step)})`;
  if (v instanceof PyStaticMethod) return `<staticmethod(${repr(interp, v.func)})>`;
  if (v instanceof PyClassMethod) return `<classmethod(${repr(interp, v.func)})>`;
  if (v instanceof PyProperty) return `<property object>`;
  if (v instanceof PyIterator) return `<${v.typeName} object>`;
  return `<${v.typeName} object>`;
}

function typeRepr(interp: Interp, v: PyValue): string {
  if (v instanceof PyClass) return v.module === 'builtins' ? v.name : `${v.module}.${v.qualname}`;
  if (v === null) return 'None';
  if (v instanceof PyList) return '[' + v.items.map((x) => typeRepr(interp, x)).join(', ') + ']';
  return repr(interp, v);
}

function strOf(v: PyValue): string {
  return typeof v === 'string' ? v : String(v);
}

export function str(interp: Interp, v: PyValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__str__');
    if (m !== undefined) return strOf(callSync(interp, m, [v], undefined));
    if (isExceptionClass(v.cls)) return exceptionMessage(v);
    if (v.cls.enumMembers) {
      const mix = enumMixin(v.cls);
      const val = v.dict.get('_value_') ?? null;
      if (mix === 'int' && v.cls.mro.some((c) => c.name === 'IntEnum' || c.name === 'IntFlag')) return str(interp, val);
      if (mix === 'str' && v.cls.mro.some((c) => c.name === 'StrEnum')) return str(interp, val);
      return `${v.cls.name}.${strOf(v.dict.get('_name_') ?? '')}`;
    }
    return repr(interp, v);
  }
  if (v instanceof HostObject) return v.str();
  return repr(interp, v);
}

exceptionStrHook.fn = (exc) => {
  const m = exc.cls.lookup('__str__');
  if (m !== undefined && activeInterp) return strOf(callSync(activeInterp, m, [exc], undefined));
  return undefined;
};
strHook.fn = (v) => (activeInterp ? str(activeInterp, v) : String(v));
reprHook.fn = (v) => (activeInterp ? repr(activeInterp, v) : String(v));

export function format(interp: Interp, v: PyValue, spec: string, loc?: SourceLocation): string {
  if (typeof v === 'string') {
    if (spec === '') return v;
    const s = parseFormatSpec(spec);
    if (s.type && s.type !== 's') throw pyErr('ValueError', `Unknown format code '${s.type}' for object of type 'str'`);
    const body = s.precision !== undefined ? [...v].slice(0, s.precision).join('') : v;
    return align(body, s, false);
  }
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (spec === '') return intToDecimal(v);
    return formatInt(v, parseFormatSpec(spec));
  }
  if (typeof v === 'boolean') {
    if (spec === '') return v ? 'True' : 'False';
    const s = parseFormatSpec(spec);
    if (!s.type || s.type === 's') return align(v ? 'True' : 'False', s, false);
    return formatInt(v ? 1 : 0, s);
  }
  if (v instanceof PyFloat) {
    if (spec === '') return floatRepr(v.v);
    return formatFloat(v.v, parseFormatSpec(spec));
  }
  if (v instanceof HostObject) {
    const r = v.format(spec);
    if (r !== undefined) return r;
  }
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__format__');
    if (m !== undefined) return strOf(callSync(interp, m, [v, spec], loc));
    if (v.cls.enumMembers && spec !== '') {
      return format(interp, v.dict.get('_value_') ?? null, spec, loc);
    }
  }
  if (spec === '') return str(interp, v);
  const s = parseFormatSpec(spec);
  if (!s.type || s.type === 's') return align(str(interp, v), s, false);
  throw pyErr('TypeError', `unsupported format string passed to ${typeName(v)}.__format__`);
}

export function percentFormat(interp: Interp, fmt: string, args: PyValue): string {
  const list = args instanceof PyTuple ? args.items : [args];
  const mapping = args instanceof PyDict ? args : undefined;
  let idx = 0;
  const next = (): PyValue => {
    if (idx >= list.length) throw pyErr('TypeError', 'not enough arguments for format string');
    return list[idx++];
  };
  // Any character after the spec is the conversion (PyUnicode_Format): an unknown one is a ValueError
  // once its argument is taken, a '%' at the end an "incomplete format".
  const re = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([\s\S]?)/g;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  let usedMapping = false;
  while ((m = re.exec(fmt))) {
    out += fmt.slice(last, m.index);
    last = re.lastIndex;
    const [, key, flags, widthS, precS, conv] = m;
    if (conv === '') throw pyErr('ValueError', 'incomplete format');
    if (conv === '%') {
      out += '%';
      continue;
    }
    let v: PyValue;
    if (key !== undefined) {
      if (!mapping) throw pyErr('TypeError', 'format requires a mapping');
      usedMapping = true;
      const got = mapping.get(key);
      if (got === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [key]));
      v = got;
    } else {
      if (widthS === '*') void next();
      v = mapping && list.length === 1 && list[0] === mapping ? (() => { usedMapping = true; return mapping; })() : next();
    }
    if (!'diouxXeEfFgGcrsa'.includes(conv)) {
      const code = conv.codePointAt(0)!;
      throw pyErr('ValueError', `unsupported format character '${conv}' (0x${code.toString(16)}) at index ${m.index + m[0].length - 1}`);
    }
    const width = widthS && widthS !== '*' ? parseInt(widthS, 10) : 0;
    const prec = precS !== undefined && precS !== '*' ? parseInt(precS, 10) : undefined;
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const plus = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    let spec = '';
    if (left) spec += '<';
    spec += plus;
    if (flags.includes('#')) spec += '#';
    if (zero) spec += '0';
    if (width) spec += String(width);
    let s: string;
    switch (conv) {
      case 's':
        s = str(interp, v);
        if (prec !== undefined) s = s.slice(0, prec);
        s = format(interp, s, (left ? '<' : '>') + (width || ''));
        break;
      case 'r':
      case 'a':
        s = format(interp, repr(interp, v), (left ? '<' : '>') + (width || ''));
        break;
      case 'c':
        s = typeof v === 'string' ? v : String.fromCodePoint(toIndex(v));
        s = format(interp, s, (left ? '<' : '>') + (width || ''));
        break;
      case 'd':
      case 'i':
      case 'u': {
        const n = numOf(v);
        if (n === undefined) throw pyErr('TypeError', `%${conv} format: a real number is required, not ${typeName(v)}`);
        const iv = n instanceof PyFloat ? Math.trunc(n.v) : n;
        s = formatInt(iv, parseFormatSpec(spec + 'd'));
        break;
      }
      case 'o':
      case 'x':
      case 'X': {
        const n = numOf(v);
        if (n === undefined || n instanceof PyFloat) throw pyErr('TypeError', `%${conv} format: an integer is required, not ${typeName(v)}`);
        s = formatInt(n, parseFormatSpec(spec + conv));
        break;
      }
      default: {
        const n = numOf(v);
        if (n === undefined) throw pyErr('TypeError', `must be real number, not ${typeName(v)}`);
        const fv = n instanceof PyFloat ? n.v : Number(n);
        s = formatFloat(fv, parseFormatSpec(spec + (prec !== undefined ? '.' + prec : '.6') + conv));
      }
    }
    out += s;
  }
  out += fmt.slice(last);
  if (!mapping && idx < list.length && !(args instanceof PyTuple && list.length === 0)) throw pyErr('TypeError', 'not all arguments converted during string formatting');
  void usedMapping;
  return out;
}
