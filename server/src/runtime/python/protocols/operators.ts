/** Object protocols: binary, in-place, unary and comparison operators, membership and len(). */
import {
  PyBytes,
  PyClass,
  PyDict,
  PyFloat,
  PyInstance,
  PyList,
  PyObject,
  PyOpaque,
  PyRange,
  PySet,
  PyTuple,
  PyTypeAlias,
  PyValue,
  STOP,
  SourceLocation,
  normInt,
  pyErr,
} from '../values';
import { HostObject } from '../host';
import { numBinop, numCompare, numOf } from '../numeric';
import { Interp, typeName, opaqueUse, unsupported } from '../runtime';
import { percentFormat } from './text';
import { call } from './calls';
import { toArray, iter } from './iteration';
import { eq, truthy, callSync, enumMixin } from './equality';

const DUNDER: Record<string, [string, string]> = {
  '+': ['__add__', '__radd__'],
  '-': ['__sub__', '__rsub__'],
  '*': ['__mul__', '__rmul__'],
  '/': ['__truediv__', '__rtruediv__'],
  '//': ['__floordiv__', '__rfloordiv__'],
  '%': ['__mod__', '__rmod__'],
  '**': ['__pow__', '__rpow__'],
  '@': ['__matmul__', '__rmatmul__'],
  '&': ['__and__', '__rand__'],
  '|': ['__or__', '__ror__'],
  '^': ['__xor__', '__rxor__'],
  '<<': ['__lshift__', '__rlshift__'],
  '>>': ['__rshift__', '__rrshift__'],
};

function repeatCount(n: PyValue): number | undefined {
  if (typeof n === 'number') return n;
  if (typeof n === 'boolean') return n ? 1 : 0;
  if (typeof n === 'bigint') return Number(n);
  return undefined;
}

function isTypeLike(v: PyValue): boolean {
  return v === null || v instanceof PyClass || v instanceof PyTypeAlias;
}

export function binop(interp: Interp, op: string, a: PyValue, b: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const n = numBinop(op, a, b);
  if (n !== undefined) return n;
  switch (op) {
    case '+':
      if (typeof a === 'string') {
        if (typeof b === 'string') {
          const s = a + b;
          if (s.length > 1_000_000) interp.checkSize(s.length, loc);
          return s;
        }
        if (!(b instanceof PyInstance || b instanceof HostObject)) throw pyErr('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
      }
      if (a instanceof PyList) {
        if (b instanceof PyList) {
          interp.checkSize(a.items.length + b.items.length, loc);
          return new PyList(a.items.concat(b.items));
        }
        if (!(b instanceof PyInstance || b instanceof HostObject)) throw pyErr('TypeError', `can only concatenate list (not "${typeName(b)}") to list`);
      }
      if (a instanceof PyTuple && b instanceof PyTuple) {
        interp.checkSize(a.items.length + b.items.length, loc);
        return new PyTuple(a.items.concat(b.items));
      }
      if (a instanceof PyBytes && b instanceof PyBytes) return new PyBytes(Buffer.concat([a.data, b.data]));
      break;
    case '*': {
      let seq = a;
      let cnt = repeatCount(b);
      if (cnt === undefined || !(typeof seq === 'string' || seq instanceof PyList || seq instanceof PyTuple)) {
        seq = b;
        cnt = repeatCount(a);
      }
      if (cnt !== undefined && (typeof seq === 'string' || seq instanceof PyList || seq instanceof PyTuple)) {
        const k = Math.max(0, cnt);
        if (typeof seq === 'string') {
          interp.checkSize(seq.length * k, loc);
          return seq.repeat(k);
        }
        interp.checkSize(seq.items.length * k, loc);
        const out: PyValue[] = [];
        for (let i = 0; i < k; i++) for (const x of seq.items) out.push(x);
        return seq instanceof PyList ? new PyList(out) : new PyTuple(out);
      }
      break;
    }
    case '%':
      if (typeof a === 'string') return percentFormat(interp, a, b);
      break;
    case '|':
      if (a instanceof PyDict && b instanceof PyDict) {
        const d = a.copy();
        for (const [k, v] of b.entries()) d.set(k, v);
        return d;
      }
      if (a instanceof PySet && b instanceof PySet) {
        const s = PySet.of(a.values(), a.frozen);
        for (const v of b.values()) s.add(v);
        return s;
      }
      if (isTypeLike(a) && isTypeLike(b) && (a !== null || b !== null)) {
        const parts = [...(a instanceof PyTypeAlias && a.name === '|' ? a.args : [a]), ...(b instanceof PyTypeAlias && b.name === '|' ? b.args : [b])];
        return new PyTypeAlias('|', parts);
      }
      break;
    case '&':
      if (a instanceof PySet && b instanceof PySet) return PySet.of(a.values().filter((v) => b.has(v)), a.frozen);
      break;
    case '-':
      if (a instanceof PySet && b instanceof PySet) return PySet.of(a.values().filter((v) => !b.has(v)), a.frozen);
      break;
    case '^':
      if (a instanceof PySet && b instanceof PySet) return PySet.of([...a.values().filter((v) => !b.has(v)), ...b.values().filter((v) => !a.has(v))], a.frozen);
      break;
  }
  // user classes and host objects
  const names = DUNDER[op];
  if (a instanceof PyInstance && names) {
    const m = a.cls.lookup(names[0]);
    if (m !== undefined) {
      const r = call(interp, m, [a, b], null, loc);
      if (!(r instanceof PyObject && r.typeName === 'NotImplementedType')) return r;
    }
  }
  if (a instanceof HostObject) {
    const r = a.binaryOp(op, b, false);
    if (r !== undefined) return r;
  }
  if (b instanceof PyInstance && names) {
    const m = b.cls.lookup(names[1]);
    if (m !== undefined) {
      const r = call(interp, m, [b, a], null, loc);
      if (!(r instanceof PyObject && r.typeName === 'NotImplementedType')) return r;
    }
  }
  if (b instanceof HostObject) {
    const r = b.binaryOp(op, a, true);
    if (r !== undefined) return r;
  }
  if (a instanceof PyOpaque) throw opaqueUse(a, `operator ${op}`, loc);
  if (b instanceof PyOpaque) throw opaqueUse(b, `operator ${op}`, loc);
  if (op === '@') throw unsupported('matrix multiplication operator @', loc);
  throw pyErr('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** In-place operators: lists extend in place, others fall back to binop. */
export function inplaceOp(interp: Interp, op: string, a: PyValue, b: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  if (op === '+' && a instanceof PyList) {
    if (b instanceof PyList) {
      interp.checkSize(a.items.length + b.items.length, loc);
      for (const x of b.items) a.items.push(x);
      return a;
    }
    const arr = toArray(interp, b, loc);
    if (arr instanceof Promise) return arr.then((xs) => (a.items.push(...xs), a));
    interp.checkSize(a.items.length + arr.length, loc);
    for (const x of arr) a.items.push(x);
    return a;
  }
  if (op === '|' && a instanceof PyDict && b instanceof PyDict) {
    for (const [k, v] of b.entries()) a.set(k, v);
    return a;
  }
  if (a instanceof PySet && b instanceof PySet && !a.frozen) {
    if (op === '|') {
      for (const v of b.values()) a.add(v);
      return a;
    }
    if (op === '-') {
      for (const v of b.values()) a.delete(v);
      return a;
    }
    if (op === '&') {
      for (const v of a.values()) if (!b.has(v)) a.delete(v);
      return a;
    }
  }
  if (a instanceof PyInstance) {
    const names = DUNDER[op];
    if (names) {
      const m = a.cls.lookup('__i' + names[0].slice(2));
      if (m !== undefined) return call(interp, m, [a, b], null, loc);
    }
  }
  return binop(interp, op, a, b, loc);
}

export function unary(interp: Interp, op: string, v: PyValue, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  switch (op) {
    case '-':
      if (typeof v === 'number') return v === 0 ? 0 : -v;
      if (typeof v === 'bigint') return normInt(-v);
      if (typeof v === 'boolean') return v ? -1 : 0;
      if (v instanceof PyFloat) return new PyFloat(-v.v);
      break;
    case '+':
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v instanceof PyFloat) return v;
      break;
    case '~':
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
        const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
        return typeof x === 'number' && x >= -0x80000000 && x <= 0x7fffffff ? ~x : normInt(~BigInt(x));
      }
      break;
  }
  const name = op === '-' ? '__neg__' : op === '+' ? '__pos__' : '__invert__';
  if (v instanceof PyInstance) {
    const m = v.cls.lookup(name);
    if (m !== undefined) return call(interp, m, [v], null, loc);
  }
  if (v instanceof HostObject) {
    const r = v.binaryOp('unary' + op, null, false);
    if (r !== undefined) return r;
  }
  if (v instanceof PyOpaque) throw opaqueUse(v, `unary ${op}`, loc);
  throw pyErr('TypeError', `bad operand type for unary ${op}: '${typeName(v)}'`);
}

/** Three-way comparison for ordering; throws TypeError when unordered. Returns NaN for NaN floats. */
export function cmp(interp: Interp, a: PyValue, b: PyValue, op: string): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const na = numOf(a);
  if (na !== undefined) {
    const nb = numOf(b);
    if (nb !== undefined) return numCompare(na, nb);
  }
  if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    const x = a.items;
    const y = (b as PyList | PyTuple).items;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (!eq(interp, x[i], y[i])) return cmp(interp, x[i], y[i], op);
    }
    return x.length - y.length;
  }
  if (a instanceof HostObject) {
    const r = a.compare(b);
    if (r !== undefined) return r;
  }
  if (b instanceof HostObject) {
    const r = b.compare(a);
    if (r !== undefined) return -r;
  }
  if (a instanceof PyOpaque) throw opaqueUse(a, `comparison ${op}`, undefined);
  if (b instanceof PyOpaque) throw opaqueUse(b, `comparison ${op}`, undefined);
  throw pyErr('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

const RICH: Record<string, [string, string]> = {
  '<': ['__lt__', '__gt__'],
  '<=': ['__le__', '__ge__'],
  '>': ['__gt__', '__lt__'],
  '>=': ['__ge__', '__le__'],
};

/** a op b for < <= > >= == != in, not in, is, is not. */
export function compare(interp: Interp, op: string, a: PyValue, b: PyValue, loc: SourceLocation | undefined): boolean {
  switch (op) {
    case '==':
      return eq(interp, a, b);
    case '!=':
      if (a instanceof PyInstance) {
        const m = a.cls.lookup('__ne__');
        if (m !== undefined) return truthy(interp, callSync(interp, m, [a, b], loc));
      }
      return !eq(interp, a, b);
    case 'is':
      return isSame(a, b);
    case 'is not':
      return !isSame(a, b);
    case 'in':
      return contains(interp, b, a, loc);
    case 'not in':
      return !contains(interp, b, a, loc);
  }
  if (a instanceof PyInstance || b instanceof PyInstance) {
    const names = RICH[op];
    if (a instanceof PyInstance) {
      const m = a.cls.lookup(names[0]);
      if (m !== undefined) {
        const r = callSync(interp, m, [a, b], loc);
        if (!(r instanceof PyObject && r.typeName === 'NotImplementedType')) return truthy(interp, r);
      }
    }
    if (b instanceof PyInstance) {
      const m = b.cls.lookup(names[1]);
      if (m !== undefined) {
        const r = callSync(interp, m, [b, a], loc);
        if (!(r instanceof PyObject && r.typeName === 'NotImplementedType')) return truthy(interp, r);
      }
    }
    if (a instanceof PyInstance && a.cls.enumMembers && enumMixin(a.cls)) return compare(interp, op, a.dict.get('_value_') ?? null, b instanceof PyInstance && b.cls.enumMembers ? (b.dict.get('_value_') ?? null) : b, loc);
  }
  if (a instanceof PySet && b instanceof PySet) {
    const sub = (x: PySet, y: PySet) => x.values().every((v) => y.has(v));
    switch (op) {
      case '<=':
        return sub(a, b);
      case '<':
        return a.size < b.size && sub(a, b);
      case '>=':
        return sub(b, a);
      case '>':
        return b.size < a.size && sub(b, a);
    }
  }
  const c = cmp(interp, a, b, op);
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
  throw unsupported(`comparison operator ${op}`, loc);
}

function isSame(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  // small ints/strings are interned in CPython; numbers behave as values here.
  if (a instanceof PyFloat && b instanceof PyFloat) return false;
  return false;
}

export function contains(interp: Interp, container: PyValue, item: PyValue, loc: SourceLocation | undefined): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw pyErr('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyDict) return container.has(item);
  if (container instanceof PySet) return container.has(item);
  if (container instanceof PyList || container instanceof PyTuple) {
    const xs = container.items;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x === item || eq(interp, x, item)) return true;
    }
    return false;
  }
  if (container instanceof PyRange) {
    const n = numOf(item);
    if (n === undefined) return false;
    const v = n instanceof PyFloat ? n.v : Number(n);
    if (!Number.isInteger(v)) return false;
    const { start, stop, step } = container;
    if (step > 0 ? v < start || v >= stop : v > start || v <= stop) return false;
    return (v - start) % step === 0;
  }
  if (container instanceof PyInstance) {
    const m = container.cls.lookup('__contains__');
    if (m !== undefined) return truthy(interp, callSync(interp, m, [container, item], loc));
  }
  if (container instanceof HostObject) {
    const r = container.contains(item, interp.hostContext(loc));
    if (r !== undefined) return r;
  }
  if (container instanceof PyOpaque) throw opaqueUse(container, "'in' test", loc);
  const it = iter(interp, container, loc);
  for (;;) {
    const x = it.next();
    if (x instanceof Promise) throw unsupported("'in' over an asynchronous iterator", loc);
    if (x === STOP) return false;
    if (eq(interp, x, item)) return true;
  }
}

export function len(interp: Interp, v: PyValue, loc: SourceLocation | undefined): number {
  if (typeof v === 'string') return v.length > 0 && /[\ud800-\udfff]/.test(v) ? Array.from(v).length : v.length;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return v.map.size;
  if (v instanceof PySet) return v.map.size;
  if (v instanceof PyRange) return v.length;
  if (v instanceof PyBytes) return v.data.length;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__len__');
    if (m !== undefined) {
      const r = callSync(interp, m, [v], loc);
      if (typeof r !== 'number') throw pyErr('TypeError', `'${typeName(r)}' object cannot be interpreted as an integer`);
      return r;
    }
  }
  if (v instanceof HostObject) {
    const n = v.len();
    if (n !== undefined) return n;
  }
  if (v instanceof PyClass && v.enumMembers) return v.enumMembers.length;
  if (v instanceof PyOpaque) throw opaqueUse(v, 'len()', loc);
  throw pyErr('TypeError', `object of type '${typeName(v)}' has no len()`);
}
