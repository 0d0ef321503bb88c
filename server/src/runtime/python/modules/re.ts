/**
 * re: Python regular expressions on JavaScript's RegExp engine (both backtracking, leftmost-first,
 * with the same alternation and quantifier priorities). A Python pattern is translated to an
 * equivalent JS pattern (`u` flag): named groups, (?P=name), \A \Z, Python's Unicode \w \d \s \b,
 * `.` / `^` / `$` with Python's meanings, VERBOSE, global inline flags. Syntax with no faithful
 * translation (scoped inline flags, conditionals, atomic groups, possessive quantifiers, \N{...},
 * negated classes inside a set) is unsupported (exit 2), never approximated. Positions are code
 * points, as in Python; empty matches in finditer/sub/split follow Python 3.7+.
 */
import { ArrayIterator, ExceptionClass, Kwargs, PyClass, PyDict, PyList, PyObject, PyTuple, PyValue, pyErr } from '../values';
import { call } from '../protocols/calls';
import { unsupported, typeName } from '../runtime';
import { pyStrRepr } from '../protocols/text';
import { HostObject, type HostContext } from '../host';
import { StdlibContext, argOf, fn, partialModule } from './kit';

export const FLAGS = { TEMPLATE: 1, IGNORECASE: 2, LOCALE: 4, MULTILINE: 8, DOTALL: 16, UNICODE: 32, VERBOSE: 64, DEBUG: 128, ASCII: 256 } as const;
const LETTER_FLAGS: Record<string, number> = { a: FLAGS.ASCII, i: FLAGS.IGNORECASE, L: FLAGS.LOCALE, m: FLAGS.MULTILINE, s: FLAGS.DOTALL, u: FLAGS.UNICODE, x: FLAGS.VERBOSE };

/** re.error, raised for a pattern Python itself rejects. */
export const ReError = new PyClass('error', [ExceptionClass], new Map(), undefined, 'error', 're');

export interface Translated {
  source: string;
  flags: number;
  groups: number;
  groupIndex: Map<string, number>;
}

const WORD_U = '\\p{L}\\p{N}_';
const SPACE_U = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_A = ' \\t\\n\\r\\f\\v';
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

function reError(msg: string, pos?: number): never {
  throw pyErr(ReError, pos === undefined ? msg : `${msg} at position ${pos}`);
}

function literal(ch: string): string {
  if (JS_SYNTAX.has(ch)) return '\\' + ch;
  const c = ch.codePointAt(0)!;
  if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`;
  return ch;
}

/** Translates a Python pattern to a JS `u` pattern (throws re.error / unsupported). */
export function translatePattern(pattern: string, flags0: number, loc?: import('../values').SourceLocation): Translated {
  let flags = flags0;
  let i = 0;
  const cps = Array.from(pattern);
  // Global inline flags: (?aiLmsux) at the start (Python 3.11 rejects them elsewhere).
  for (;;) {
    const m = /^\(\?([aiLmsux]+)\)/.exec(cps.slice(i).join(''));
    if (!m) break;
    for (const c of m[1]) flags |= LETTER_FLAGS[c];
    i += m[0].length;
  }
  if (flags & FLAGS.LOCALE) throw unsupported('re.LOCALE', loc, 'only str patterns with Unicode matching are modelled');
  const ascii = (flags & FLAGS.ASCII) !== 0;
  const verbose = (flags & FLAGS.VERBOSE) !== 0;
  const word = ascii ? 'a-zA-Z0-9_' : WORD_U;
  const digit = ascii ? '0-9' : '\\p{Nd}';
  const space = ascii ? SPACE_A : SPACE_U;
  const wordClass = `[${word}]`;
  const bound = `(?:(?<=${wordClass})(?!${wordClass})|(?<!${wordClass})(?=${wordClass}))`;
  const notBound = `(?:(?<=${wordClass})(?=${wordClass})|(?<!${wordClass})(?!${wordClass}))`;
  let groups = 0;
  const groupIndex = new Map<string, number>();
  let out = '';
  /** Whether the previous emitted item can take a quantifier (and a quantifier was the last thing). */
  let lastWasQuantifier = false;
  const at = () => cps[i];
  const hex = (n: number, what: string): number => {
    const h = cps.slice(i, i + n).join('');
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) reError(`incomplete escape \\${what}${h}`, i - 2);
    i += n;
    return parseInt(h, 16);
  };
  const cpEscape = (c: number) => (c > 0xffff ? `\\u{${c.toString(16)}}` : `\\u${c.toString(16).padStart(4, '0')}`);
  /** An escape after the backslash (i at the letter); inClass changes \b and the class shorthands. */
  const escape = (inClass: boolean): string => {
    const start = i - 1;
    const c = at();
    if (c === undefined) reError('bad escape (end of pattern)', start);
    i++;
    switch (c) {
      case 'd': return inClass ? digit : `[${digit}]`;
      case 'w': return inClass ? word : wordClass;
      case 's': return inClass ? space : `[${space}]`;
      case 'D': case 'W': case 'S':
        if (inClass) throw unsupported(`\\${c} inside a character set in re`, loc, 'a negated shorthand inside [...] has no faithful translation');
        return `[^${c === 'D' ? digit : c === 'W' ? word : space}]`;
      case 'b': return inClass ? '\\x08' : bound;
      case 'B':
        if (inClass) reError('bad escape \\B', start);
        return notBound;
      case 'A':
        if (inClass) reError('bad escape \\A', start);
        return '(?<![\\s\\S])';
      case 'Z':
        if (inClass) reError('bad escape \\Z', start);
        return '(?![\\s\\S])';
      case 'n': return '\\n';
      case 't': return '\\t';
      case 'r': return '\\r';
      case 'f': return '\\f';
      case 'v': return '\\v';
      case 'a': return '\\x07';
      case 'x': return cpEscape(hex(2, 'x'));
      case 'u': return cpEscape(hex(4, 'u'));
      case 'U': {
        const v = hex(8, 'U');
        if (v > 0x10ffff) reError(`bad escape \\U${v.toString(16).padStart(8, '0')}`, start);
        return cpEscape(v);
      }
      case 'N': throw unsupported('\\N{...} in a re pattern', loc);
    }
    if (/[0-9]/.test(c)) {
      // Octal: \0, \0nn, or three octal digits; otherwise a group reference (outside a set).
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(at() ?? '') && (digits[0] === '0' || /^[0-7]+$/.test(digits + at()))) {
        if (digits[0] !== '0' && digits.length === 2 && !/[0-7]/.test(digits[1])) break;
        digits += at();
        i++;
      }
      if (digits[0] === '0' || (digits.length === 3 && /^[0-7]{3}$/.test(digits))) {
        const v = parseInt(digits, 8);
        if (v > 0o377) reError(`octal escape value \\${digits} outside of range 0-0o377`, start);
        return cpEscape(v);
      }
      // A group reference: one or two decimal digits.
      i = start + 2;
      let n = c;
      if (/[0-9]/.test(at() ?? '')) { n += at(); i++; }
      if (inClass) reError(`bad escape \\${n}`, start);
      const g = Number(n);
      if (g > groups) reError(g > 99 ? 'invalid group reference' : `invalid group reference ${g}`, start + 1);
      return `(?:\\${g})`;
    }
    if (/[a-zA-Z]/.test(c)) reError(`bad escape \\${c}`, start);
    if (c === '-') return inClass ? '\\-' : '-';
    return literal(c);
  };
  const skipVerbose = () => {
    if (!verbose) return;
    for (;;) {
      const c = at();
      if (c !== undefined && /\s/.test(c) && ' \t\n\r\f\v'.includes(c)) { i++; continue; }
      if (c === '#') { while (i < cps.length && at() !== '\n') i++; continue; }
      break;
    }
  };
  const quantifier = (): string | undefined => {
    const c = at();
    let q: string | undefined;
    if (c === '*' || c === '+' || c === '?') { q = c; i++; }
    else if (c === '{') {
      const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(cps.slice(i, i + 40).join(''));
      if (!m || (m[1] === '' && m[2] === undefined)) return undefined;
      const lo = m[1] === '' ? '0' : m[1];
      if (m[2] !== undefined && m[3] !== '' && Number(m[3]) < Number(lo)) reError('min repeat greater than max repeat', i + 1);
      q = m[2] === undefined ? `{${lo}}` : `{${lo},${m[3]}}`;
      i += m[0].length;
    }
    if (q === undefined) return undefined;
    if (lastWasQuantifier) reError('multiple repeat', i - 1);
    skipVerbose();
    if (at() === '?') { q += '?'; i++; }
    else if (at() === '+') throw unsupported('a possessive quantifier in a re pattern', loc, 'JavaScript regular expressions have no possessive quantifiers');
    return q;
  };
  const depthStack: number[] = [];
  while (i < cps.length) {
    skipVerbose();
    if (i >= cps.length) break;
    const start = i;
    const c = cps[i++];
    if (c === '\\') { out += escape(false); lastWasQuantifier = false; }
    else if (c === '[') {
      let cls = '[';
      if (at() === '^') { cls += '^'; i++; }
      let first = true;
      for (;;) {
        const d = at();
        if (d === undefined) reError('unterminated character set', start);
        i++;
        if (d === ']' && !first) break;
        first = false;
        if (d === '\\') cls += escape(true);
        else if (d === '[' || d === ']' || d === '{' || d === '}' || d === '(' || d === ')' || d === '|' || d === '/') cls += '\\' + d;
        else if (d === '-') cls += '-';
        else cls += literal(d) === '\\' + d ? d : literal(d);
      }
      out += cls + ']';
      lastWasQuantifier = false;
    } else if (c === '(') {
      if (at() === '?') {
        i++;
        const rest = cps.slice(i, i + 200).join('');
        let m: RegExpExecArray | null;
        if ((m = /^P<([^>]*)>/.exec(rest))) {
          const name = m[1];
          if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) reError(`bad character in group name '${name}'`, i + 2);
          if (groupIndex.has(name)) reError(`redefinition of group name '${name}' as group ${groups + 1}; was group ${groupIndex.get(name)}`, i + 2);
          groups++;
          groupIndex.set(name, groups);
          out += `(?<${name}>`;
          i += m[0].length;
          depthStack.push(groups);
        } else if ((m = /^P=([^)]*)\)/.exec(rest))) {
          if (!groupIndex.has(m[1])) reError(`unknown group name '${m[1]}'`, i + 2);
          out += `\\k<${m[1]}>`;
          i += m[0].length;
          lastWasQuantifier = false;
          continue;
        } else if (rest.startsWith('#')) {
          while (i < cps.length && at() !== ')') i++;
          if (i >= cps.length) reError('missing ), unterminated comment', start);
          i++;
          continue;
        } else if (/^(:|=|!|<=|<!)/.test(rest)) {
          const t = /^(:|=|!|<=|<!)/.exec(rest)![1];
          out += '(?' + t;
          i += t.length;
          depthStack.push(0);
        } else if (/^[aiLmsux-]+[:)]/.test(rest)) {
          if (/^[aiLmsux]+\)/.test(rest)) reError('global flags not at the start of the expression', start);
          throw unsupported('a scoped inline flag group (?flags:...) in a re pattern', loc, 'JavaScript has no faithful equivalent on this Node version');
        } else if (rest.startsWith('>')) throw unsupported('an atomic group (?>...) in a re pattern', loc);
        else if (rest.startsWith('(')) throw unsupported('a conditional group (?(id)yes|no) in a re pattern', loc);
        else reError(`unknown extension ?${rest[0] ?? ''}`, start + 1);
      } else {
        groups++;
        out += '(';
        depthStack.push(groups);
      }
      lastWasQuantifier = false;
      continue;
    } else if (c === ')') {
      if (!depthStack.length) reError('unbalanced parenthesis', start);
      depthStack.pop();
      out += ')';
      lastWasQuantifier = false;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && quantifierAhead(cps, start))) {
      i = start;
      if (!out || out.endsWith('(') || out.endsWith('|') || /\(\?(?::|=|!|<=|<!|<[^>]+>)$/.test(out)) reError('nothing to repeat', start);
      out += quantifier()!;
      lastWasQuantifier = true;
      continue;
    } else if (c === '.') { out += flags & FLAGS.DOTALL ? '[\\s\\S]' : '[^\\n]'; lastWasQuantifier = false; }
    else if (c === '^') { out += flags & FLAGS.MULTILINE ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])'; lastWasQuantifier = false; }
    else if (c === '$') { out += flags & FLAGS.MULTILINE ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))'; lastWasQuantifier = false; }
    else if (c === '|') { out += '|'; lastWasQuantifier = false; }
    else { out += literal(c); lastWasQuantifier = false; }
    // Anchors and lookarounds emitted above are groups in JS: a quantifier after them stays valid.
  }
  if (depthStack.length) reError('missing ), unterminated subpattern', 0);
  return { source: out, flags, groups, groupIndex };
}

function quantifierAhead(cps: string[], i: number): boolean {
  const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(cps.slice(i, i + 40).join(''));
  return !!m && !(m[1] === '' && m[2] === undefined);
}

/** UTF-16 index → code point index (Python positions). */
function cpIndex(s: string, u: number): number {
  if (!/[\ud800-\udbff]/.test(s)) return u;
  let n = 0;
  for (let k = 0; k < u; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < u) k++;
    n++;
  }
  return n;
}
/** Code point index → UTF-16 index. */
function u16Index(s: string, cp: number): number {
  if (!/[\ud800-\udbff]/.test(s)) return Math.min(cp, s.length);
  let k = 0;
  for (let n = 0; n < cp && k < s.length; n++) k += s.codePointAt(k)! > 0xffff ? 2 : 1;
  return k;
}

export class PatternObject extends HostObject {
  readonly groups: number;
  readonly groupIndex: Map<string, number>;
  readonly flags: number;
  private readonly search_: RegExp;
  private readonly sticky: RegExp;
  private readonly full: RegExp;
  private readonly jsSource: string;
  private readonly jsFlags: string;
  constructor(readonly ctx: StdlibContext, readonly pattern: string, flags: number, loc: import('../values').SourceLocation | undefined) {
    super();
    const t = translatePattern(pattern, flags, loc);
    this.groups = t.groups;
    this.groupIndex = t.groupIndex;
    this.flags = t.flags | (t.flags & FLAGS.ASCII ? 0 : FLAGS.UNICODE);
    this.jsSource = t.source;
    this.jsFlags = 'du' + (t.flags & FLAGS.IGNORECASE ? 'i' : '');
    try {
      this.search_ = new RegExp(t.source, this.jsFlags + 'g');
      this.sticky = new RegExp(t.source, this.jsFlags + 'y');
      this.full = new RegExp(`(?:${t.source})(?![\\s\\S])`, this.jsFlags + 'y');
    } catch (e) {
      throw unsupported(`the re pattern ${pyStrRepr(pattern)}`, loc, `its translation is not a valid JavaScript pattern (${(e as Error).message})`);
    }
  }
  override get typeName(): string {
    return 're.Pattern';
  }
  override repr(): string {
    const names = Object.entries(FLAGS).filter(([k, v]) => k !== 'UNICODE' && k !== 'TEMPLATE' && k !== 'DEBUG' && k !== 'LOCALE' && this.flags & v).map(([k]) => `re.${k}`);
    return `re.compile(${pyStrRepr(this.pattern)}${names.length ? `, ${names.join('|')}` : ''})`;
  }
  /** One match of the pattern in s (UTF-16 window [pos, endpos)): search, match (anchored) or fullmatch; notEmptyAt forbids an empty match at pos. */
  exec(s: string, pos: number, endpos: number, mode: 'search' | 'match' | 'fullmatch', notEmptyAt = false): RegExpExecArray | null {
    const subject = endpos < s.length ? s.slice(0, endpos) : s;
    if (notEmptyAt) {
      // Python's must_advance: the match may not be empty at pos; try pos with that guard, then later positions.
      const k = cpIndex(subject, pos) + 1;
      const guarded = new RegExp(`(?:${this.jsSource})(?<=[\\s\\S]{${k}})`, this.jsFlags + 'y');
      guarded.lastIndex = pos;
      const g = guarded.exec(subject);
      if (g || mode !== 'search') return g;
      if (pos >= subject.length) return null;
      return this.exec(s, pos + (subject.codePointAt(pos)! > 0xffff ? 2 : 1), endpos, mode);
    }
    const re = mode === 'search' ? this.search_ : mode === 'match' ? this.sticky : this.full;
    re.lastIndex = pos;
    return re.exec(subject);
  }
  window(s: string, a: PyValue[], k: Kwargs | null, from: number): [number, number] {
    const pos = argOf(a, k, from, 'pos');
    const endpos = argOf(a, k, from + 1, 'endpos');
    const n = Array.from(s).length;
    const clamp = (v: number) => Math.max(0, Math.min(n, v < 0 ? 0 : v));
    const p = pos === undefined || pos === null ? 0 : clamp(Number(pos));
    const e = endpos === undefined || endpos === null ? n : clamp(Number(endpos));
    return [u16Index(s, p), u16Index(s, Math.max(p, e))];
  }
  /** Every match left to right, Python 3.7+ style (an empty match may follow a non-empty one at the same place). */
  *all(s: string, pos: number, endpos: number): Generator<RegExpExecArray> {
    let p = pos;
    let mustAdvance = false;
    while (p <= endpos) {
      const m = this.exec(s, p, endpos, 'search', mustAdvance);
      if (!m) return;
      yield m;
      const end = m.index + m[0].length;
      mustAdvance = end === m.index;
      p = end;
    }
  }
  matchObject(s: string, m: RegExpExecArray | null, pos: number, endpos: number): PyValue {
    return m ? new MatchObject(this, s, m, pos, endpos) : null;
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    const strArg = (v: PyValue | undefined): string => {
      if (typeof v !== 'string') throw pyErr('TypeError', `expected string or bytes-like object, got '${v === undefined ? 'NoneType' : typeName(v)}'`);
      return v;
    };
    switch (name) {
      case 'pattern': return this.pattern;
      case 'flags': return this.flags;
      case 'groups': return this.groups;
      case 'groupindex': return PyDict.fromEntries([...this.groupIndex].map(([k, v]) => [k, v] as [PyValue, PyValue]));
      case 'match': case 'search': case 'fullmatch':
        return fn(name, (a, k) => {
          const s = strArg(argOf(a, k, 0, 'string'));
          const [p, e] = this.window(s, a, k, 1);
          return this.matchObject(s, this.exec(s, p, e, name), p, e);
        });
      case 'finditer':
        return fn(name, (a, k) => {
          const s = strArg(argOf(a, k, 0, 'string'));
          const [p, e] = this.window(s, a, k, 1);
          return new ArrayIterator([...this.all(s, p, e)].map((m) => this.matchObject(s, m, p, e)), 'callable_iterator');
        });
      case 'findall':
        return fn(name, (a, k) => {
          const s = strArg(argOf(a, k, 0, 'string'));
          const [p, e] = this.window(s, a, k, 1);
          return new PyList([...this.all(s, p, e)].map((m) => {
            if (this.groups === 0) return m[0];
            if (this.groups === 1) return m[1] ?? '';
            return new PyTuple(m.slice(1, this.groups + 1).map((g) => g ?? ''));
          }));
        });
      case 'sub': case 'subn':
        return fn(name, (a, k) => {
          const repl = argOf(a, k, 0, 'repl');
          const s = strArg(argOf(a, k, 1, 'string'));
          const count = Number(argOf(a, k, 2, 'count') ?? 0);
          return this.sub(s, repl ?? null, count, name === 'subn', ctx);
        });
      case 'split':
        return fn(name, (a, k) => {
          const s = strArg(argOf(a, k, 0, 'string'));
          const max = Number(argOf(a, k, 1, 'maxsplit') ?? 0);
          const out: PyValue[] = [];
          let last = 0;
          let n = 0;
          for (const m of this.all(s, 0, s.length)) {
            if (max > 0 && n >= max) break;
            out.push(s.slice(last, m.index));
            for (let g = 1; g <= this.groups; g++) out.push(m[g] ?? null);
            last = m.index + m[0].length;
            n++;
          }
          out.push(s.slice(last));
          return new PyList(out);
        });
    }
    return undefined;
  }
  sub(s: string, repl: PyValue, count: number, withCount: boolean, ctx: HostContext): PyValue | Promise<PyValue> {
    const interp = this.ctx.interp;
    const matches: RegExpExecArray[] = [];
    for (const m of this.all(s, 0, s.length)) {
      if (count > 0 && matches.length >= count) break;
      matches.push(m);
    }
    const template = typeof repl === 'string' ? parseTemplate(repl, this) : undefined;
    const parts: Array<string | Promise<string>> = [];
    let last = 0;
    for (const m of matches) {
      parts.push(s.slice(last, m.index));
      if (template) parts.push(template.map((t) => (typeof t === 'string' ? t : (m[t] ?? ''))).join(''));
      else {
        const r = call(interp, repl, [this.matchObject(s, m, 0, s.length)], null, ctx.loc);
        const asStr = (v: PyValue): string => {
          if (typeof v !== 'string') throw pyErr('TypeError', `expected str instance, ${typeName(v)} found`);
          return v;
        };
        parts.push(r instanceof Promise ? r.then(asStr) : asStr(r));
      }
      last = m.index + m[0].length;
    }
    parts.push(s.slice(last));
    const done = (xs: string[]) => (withCount ? new PyTuple([xs.join(''), matches.length]) : xs.join(''));
    return parts.some((p) => p instanceof Promise) ? Promise.all(parts).then(done) : done(parts as string[]);
  }
}

/** A replacement template: literal text and group numbers (\1, \g<name>, \g<1>, escapes). */
function parseTemplate(repl: string, p: PatternObject): Array<string | number> {
  const out: Array<string | number> = [];
  let lit = '';
  const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== '\\') { lit += c; continue; }
    const d = repl[++i];
    if (d === undefined) throw pyErr(ReError, `bad escape (end of pattern) at position ${i - 1}`);
    let g: number | undefined;
    if (d === 'g') {
      const m = /^<([^>]*)>/.exec(repl.slice(i + 1));
      if (!m) throw pyErr(ReError, `missing < at position ${i + 1}`);
      const name = m[1];
      if (/^\d+$/.test(name)) g = Number(name);
      else if (p.groupIndex.has(name)) g = p.groupIndex.get(name)!;
      else throw pyErr('IndexError', `unknown group name '${name}'`);
      i += m[0].length;
    } else if (/[0-9]/.test(d)) {
      let n = d;
      if (/[0-9]/.test(repl[i + 1] ?? '')) n += repl[++i];
      if (n[0] === '0' || (/^[0-7]{2}$/.test(n) && /[0-7]/.test(repl[i + 1] ?? ''))) {
        while (n.length < 3 && /[0-7]/.test(repl[i + 1] ?? '')) n += repl[++i];
        lit += String.fromCodePoint(parseInt(n, 8));
        continue;
      }
      g = Number(n);
    } else if (d in esc) { lit += esc[d]; continue; }
    else if (/[a-zA-Z]/.test(d)) throw pyErr(ReError, `bad escape \\${d} at position ${i - 1}`);
    else { lit += '\\' + d; continue; }
    if (g !== undefined) {
      if (g > p.groups) throw pyErr(ReError, `invalid group reference ${g} at position ${i}`);
      if (lit) out.push(lit);
      lit = '';
      out.push(g);
    }
  }
  if (lit) out.push(lit);
  return out;
}

export class MatchObject extends HostObject {
  constructor(readonly re: PatternObject, readonly string: string, readonly m: RegExpExecArray, readonly pos: number, readonly endpos: number) {
    super();
  }
  override get typeName(): string {
    return 're.Match';
  }
  private index(g: PyValue): number {
    if (typeof g === 'number' && Number.isInteger(g) && g >= 0 && g <= this.re.groups) return g;
    if (typeof g === 'boolean') return this.index(g ? 1 : 0);
    if (typeof g === 'string' && this.re.groupIndex.has(g)) return this.re.groupIndex.get(g)!;
    throw pyErr('IndexError', 'no such group');
  }
  group(g: PyValue, dflt: PyValue = null): PyValue {
    const v = this.m[this.index(g)];
    return v === undefined ? dflt : v;
  }
  span(g: PyValue): [number, number] {
    const ix = this.m.indices?.[this.index(g)];
    if (!ix) return [-1, -1];
    return [cpIndex(this.string, ix[0]), cpIndex(this.string, ix[1])];
  }
  override repr(): string {
    const [a, b] = this.span(0);
    return `<re.Match object; span=(${a}, ${b}), match=${pyStrRepr(this.m[0])}>`;
  }
  override truthy(): boolean {
    return true;
  }
  override getItem(key: PyValue): PyValue {
    return this.group(key);
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'string': return this.string;
      case 're': return this.re;
      case 'pos': return cpIndex(this.string, this.pos);
      case 'endpos': return cpIndex(this.string, this.endpos);
      case 'lastindex': {
        // The last group that closed (the outermost one ending last): the highest-numbered participating group whose end is the furthest.
        let best: number | null = null;
        let bestEnd = -1;
        for (let g = 1; g <= this.re.groups; g++) {
          const ix = this.m.indices?.[g];
          if (ix && ix[1] >= bestEnd) {
            if (best !== null && ix[1] === bestEnd && (this.m.indices![best]![0] <= ix[0])) continue;
            best = g;
            bestEnd = ix[1];
          }
        }
        return best;
      }
      case 'lastgroup': {
        const li = this.getAttr('lastindex');
        if (li === null || li === undefined) return null;
        for (const [k, v] of this.re.groupIndex) if (v === li) return k;
        return null;
      }
      case 'group':
        return fn('group', (a) => {
          if (a.length <= 1) return this.group(a.length ? a[0] : 0);
          return new PyTuple(a.map((g) => this.group(g)));
        });
      case 'groups':
        return fn('groups', (a, k) => {
          const d = argOf(a, k, 0, 'default') ?? null;
          const out: PyValue[] = [];
          for (let g = 1; g <= this.re.groups; g++) out.push(this.group(g, d));
          return new PyTuple(out);
        });
      case 'groupdict':
        return fn('groupdict', (a, k) => {
          const d = argOf(a, k, 0, 'default') ?? null;
          return PyDict.fromEntries([...this.re.groupIndex].map(([n, g]) => [n, this.group(g, d)] as [PyValue, PyValue]));
        });
      case 'start': return fn('start', (a) => this.span(a.length ? a[0] : 0)[0]);
      case 'end': return fn('end', (a) => this.span(a.length ? a[0] : 0)[1]);
      case 'span': return fn('span', (a) => new PyTuple(this.span(a.length ? a[0] : 0)));
      case 'expand':
        return fn('expand', (a) => {
          const t = parseTemplate(String(a[0]), this.re);
          return t.map((x) => (typeof x === 'string' ? x : (this.m[x] ?? ''))).join('');
        });
    }
    return undefined;
  }
}

/** re.escape: Python 3.7+ escapes only the regex-special characters. */
export function pyEscape(s: string): string {
  const special = new Set('()[]{}?*+-|^$\\.&~# \t\n\r\v\f');
  return Array.from(s).map((c) => (special.has(c) ? '\\' + c : c)).join('');
}

export function reModule(ctx: StdlibContext) {
  const { interp } = ctx;
  const cache = new Map<string, PatternObject>();
  const compile = (p: PyValue | undefined, f: PyValue | undefined, loc: import('../values').SourceLocation | undefined): PatternObject => {
    if (p instanceof PatternObject) {
      if (f !== undefined && f !== null && f !== 0) throw pyErr('ValueError', 'cannot process flags argument with a compiled pattern');
      return p;
    }
    if (typeof p !== 'string') {
      if (p instanceof PyObject && typeName(p) === 'bytes') throw unsupported('a bytes pattern in re', loc);
      throw pyErr('TypeError', 'first argument must be string or compiled pattern');
    }
    const flags = f === undefined || f === null ? 0 : Number(f);
    const key = `${flags}\u0000${p}`;
    let c = cache.get(key);
    if (!c) {
      c = new PatternObject(ctx, p, flags, loc);
      cache.set(key, c);
    }
    return c;
  };
  /** re.NAME(pattern, ..., flags): the compiled pattern's method; `flagsAt` is the position of `flags`. */
  const delegate = (name: string, flagsAt: number) =>
    fn(name, (a, k, c) => {
      const p = compile(argOf(a, k, 0, 'pattern'), argOf(a, k, flagsAt, 'flags'), c.loc);
      const rest = a.slice(1, flagsAt);
      const kw = new Map(k ?? []);
      kw.delete('pattern');
      kw.delete('flags');
      const method = p.getAttr(name, c as HostContext)!;
      return call(interp, method, rest, kw.size ? kw : null, c.loc);
    });
  const members: Record<string, PyValue> = {
    compile: fn('compile', (a, k, c) => compile(argOf(a, k, 0, 'pattern'), argOf(a, k, 1, 'flags'), c.loc)),
    match: delegate('match', 2),
    search: delegate('search', 2),
    fullmatch: delegate('fullmatch', 2),
    findall: delegate('findall', 2),
    finditer: delegate('finditer', 2),
    sub: delegate('sub', 4),
    subn: delegate('subn', 4),
    split: delegate('split', 3),
    escape: fn('escape', (a, k) => {
      const s = argOf(a, k, 0, 'pattern');
      if (typeof s !== 'string') throw unsupported('re.escape() of bytes', undefined);
      return pyEscape(s);
    }),
    purge: fn('purge', () => {
      cache.clear();
      return null;
    }),
    error: ReError,
    Pattern: new PyClass('Pattern', [], new Map(), undefined, 'Pattern', 're'),
    Match: new PyClass('Match', [], new Map(), undefined, 'Match', 're'),
  };
  for (const [k, v] of Object.entries(FLAGS)) if (k !== 'TEMPLATE' && k !== 'DEBUG') members[k] = v;
  for (const [letter, k] of [['I', 'IGNORECASE'], ['L', 'LOCALE'], ['M', 'MULTILINE'], ['S', 'DOTALL'], ['U', 'UNICODE'], ['X', 'VERBOSE'], ['A', 'ASCII']] as const) members[letter] = FLAGS[k];
  return partialModule('re', members);
}
