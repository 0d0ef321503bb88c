/**
 * The standard-library subset: typing, datetime, os, json, uuid, random, time, decimal, enum,
 * dataclasses, asyncio, logging, collections, math, sys, functools, itertools, copy; modules/ holds
 * one file per further module (dotenv, pathlib, tempfile, traceback, secrets, gc, argparse, socket),
 * each registered below with one line. Files go through `StdlibOptions.files` (reads in the project
 * root, writes in the run's scratch folder).
 * Everything that would touch the machine (clock, randomness, environment) goes through
 * `StdlibOptions`, so evaluations are reproducible.
 */
import { pytestAsyncioModule, pytestModule } from './pytestModule';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import {
  ArrayIterator,
  Kwargs,
  NativeFn,
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
  PySet,
  PyStaticMethod,
  PyTuple,
  PyTypeAlias,
  PyValue,
  STOP,
  IterResult,
  SourceLocation,
  UnsupportedPythonError,
  builtinExceptionClasses,
  makeException,
  normInt,
  pyErr,
  isExceptionClass,
} from './values';
import { Interp, methodTables, awaitValue, builtinTypes, call, callSync, eq, getAttr, getItem, iter, repr, str, toArray, truthy, typeName, unsupported, format, contains } from './runtime';
import { HostContext, HostObject } from './host';
import { ClassSpec } from './compiler';
import { floatRepr, numCompare, numOf, parseFloatText } from './numeric';
import { pyStrRepr } from './runtime';
import { DictView, sortValues, toFloat, toInt } from './builtins';
import type { FileAccess } from './fileAccess';
import type { StdlibContext } from './modules/kit';
import { dotenvModule } from './modules/dotenv';
import { pathlibModule } from './modules/pathlib';
import { tempfileModule } from './modules/tempfile';
import { tracebackModule } from './modules/traceback';
import { secretsModule } from './modules/secrets';
import { gcModule } from './modules/gc';
import { inspectModule } from './modules/inspect';
import { functoolsWrapMembers } from './modules/functoolsWraps';
import { argparseModule } from './modules/argparse';
import { socketModule } from './modules/socket';
import { contextlibModule } from './modules/contextlib';
import { statisticsModule } from './modules/statistics';
import { reModule } from './modules/re';
import { yamlModule } from './modules/yaml';
import { difflibModule } from './modules/difflib';
import { sqlite3Module, type Sqlite3Api } from './modules/sqlite3';
import { aiosqliteModules } from './modules/aiosqlite';
import { hashlibModule } from './modules/hashlib';
import { fn, num, argOf, kwOf, mod, then } from './modules/kit';

export interface StdlibOptions {
  /** Environment variables visible to os.getenv / os.environ (never the real process environment). */
  env: Record<string, string>;
  /** Clock: a fixed start time (epoch ms, Date or ISO string) — the clock then only advances via time.sleep/asyncio.sleep — or 'system'. */
  clock: number | Date | string | 'system';
  /** Seed for random, uuid4. */
  seed: number;
  /** sys.argv[0] */
  fileName: string;
  /** sys.argv[1:]: the command line the file is given (never the real process's). */
  argv?: string[];
  /** Disk access (reads in the project root, writes in the run's scratch folder); without it every file access is unsupported. */
  files?: FileAccess;
}

// ---------------------------------------------------------------------------------------------
// Clock and PRNG

export class Clock {
  private fixed: number | undefined;
  private offset = 0;
  private readonly perfStart = Date.now();
  constructor(opt: StdlibOptions['clock']) {
    if (opt === 'system') this.fixed = undefined;
    else this.fixed = typeof opt === 'number' ? opt : opt instanceof Date ? opt.getTime() : Date.parse(opt);
  }
  /** Epoch milliseconds (fractional). */
  now(): number {
    if (this.fixed === undefined) return Date.now() + this.offset;
    return this.fixed + this.offset;
  }
  sleep(seconds: number): void {
    if (this.fixed !== undefined) this.offset += seconds * 1000;
  }
  perf(): number {
    if (this.fixed === undefined) return (performance.now() + this.offset) / 1000;
    return this.offset / 1000;
  }
  void(): number {
    return this.perfStart;
  }
}

/** xoshiro128** PRNG: deterministic for a seed (not CPython's Mersenne Twister sequence). */
export class Rng {
  private s = new Uint32Array(4);
  constructor(seed: number | string) {
    this.seed(seed);
  }
  seed(seed: number | string): void {
    let h = 1779033703 ^ String(seed).length;
    const text = String(seed);
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507);
      h = Math.imul(h ^ (h >>> 13), 3266489909);
      return (h ^= h >>> 16) >>> 0;
    };
    for (let i = 0; i < 4; i++) this.s[i] = next();
  }
  u32(): number {
    const s = this.s;
    const result = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  }
  random(): number {
    return (this.u32() * 2 ** 21 + (this.u32() >>> 11)) / 2 ** 53;
  }
  below(n: number): number {
    return Math.floor(this.random() * n);
  }
}

// ---------------------------------------------------------------------------------------------
// datetime

const DAY_US = 86_400_000_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export class PyTimeDelta extends HostObject {
  /** Total microseconds. */
  constructor(readonly us: number) {
    super();
  }
  override get typeName(): string {
    return 'timedelta';
  }
  get days(): number {
    return Math.floor(this.us / DAY_US);
  }
  get seconds(): number {
    return Math.floor((this.us - this.days * DAY_US) / 1_000_000);
  }
  get micro(): number {
    return this.us - this.days * DAY_US - this.seconds * 1_000_000;
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'days':
        return this.days;
      case 'seconds':
        return this.seconds;
      case 'microseconds':
        return this.micro;
      case 'total_seconds':
        return fn('total_seconds', () => new PyFloat(this.us / 1e6));
    }
    return undefined;
  }
  override str(): string {
    const d = this.days;
    const s = this.seconds;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    let out = `${h}:${pad(m)}:${pad(sec)}`;
    if (this.micro) out += '.' + pad(this.micro, 6);
    if (d) out = `${d} day${Math.abs(d) === 1 ? '' : 's'}, ` + out;
    return out;
  }
  override repr(): string {
    const parts: string[] = [];
    if (this.days) parts.push(`days=${this.days}`);
    if (this.seconds) parts.push(`seconds=${this.seconds}`);
    if (this.micro) parts.push(`microseconds=${this.micro}`);
    return `datetime.timedelta(${parts.length ? parts.join(', ') : '0'})`;
  }
  override equals(o: PyValue): boolean {
    return o instanceof PyTimeDelta && o.us === this.us;
  }
  override hashKey(): unknown {
    return Symbol.for('td:' + this.us);
  }
  override compare(o: PyValue): number | undefined {
    return o instanceof PyTimeDelta ? Math.sign(this.us - o.us) : undefined;
  }
  override truthy(): boolean {
    return this.us !== 0;
  }
  override binaryOp(op: string, o: PyValue, reflected: boolean): PyValue | undefined {
    if (op === 'unary-') return new PyTimeDelta(-this.us);
    if (op === 'unary+') return this;
    if (op === 'abs') return new PyTimeDelta(Math.abs(this.us));
    if (o instanceof PyTimeDelta) {
      const [a, b] = reflected ? [o.us, this.us] : [this.us, o.us];
      switch (op) {
        case '+':
          return new PyTimeDelta(a + b);
        case '-':
          return new PyTimeDelta(a - b);
        case '/':
          if (b === 0) throw pyErr('ZeroDivisionError', 'division by zero');
          return new PyFloat(a / b);
        case '//':
          if (b === 0) throw pyErr('ZeroDivisionError', 'integer division or modulo by zero');
          return Math.floor(a / b);
        case '%':
          return new PyTimeDelta(((a % b) + b) % b);
      }
      return undefined;
    }
    const n = numOf(o);
    if (n !== undefined) {
      const x = n instanceof PyFloat ? n.v : Number(n);
      if (op === '*') return new PyTimeDelta(Math.round(this.us * x));
      if (op === '/' && !reflected) {
        if (x === 0) throw pyErr('ZeroDivisionError', 'division by zero');
        return new PyTimeDelta(Math.round(this.us / x));
      }
      if (op === '//' && !reflected) return new PyTimeDelta(Math.floor(this.us / x));
    }
    return undefined;
  }
  override toPlain(): unknown {
    return this.us / 1e6;
  }
}

function tdFromArgs(a: PyValue[], k: Kwargs | null): PyTimeDelta {
  const names = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'];
  const mult = [DAY_US, 1e6, 1, 1e3, 6e7, 3.6e9, 7 * DAY_US];
  let us = 0;
  names.forEach((n, i) => {
    us += num(argOf(a, k, i, n)) * mult[i];
  });
  return new PyTimeDelta(Math.round(us));
}

export class PyTimezone extends HostObject {
  constructor(
    readonly offsetMin: number,
    readonly name?: string,
  ) {
    super();
  }
  override get typeName(): string {
    return 'timezone';
  }
  override repr(): string {
    return this.offsetMin === 0 && !this.name ? 'datetime.timezone.utc' : `datetime.timezone(${new PyTimeDelta(this.offsetMin * 6e7).repr()})`;
  }
  override str(): string {
    if (this.offsetMin === 0) return 'UTC';
    return 'UTC' + offsetText(this.offsetMin, ':');
  }
  override equals(o: PyValue): boolean {
    return o instanceof PyTimezone && o.offsetMin === this.offsetMin;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'utcoffset') return fn('utcoffset', () => new PyTimeDelta(this.offsetMin * 6e7));
    if (name === 'tzname') return fn('tzname', () => this.str());
    return undefined;
  }
}
const UTC = new PyTimezone(0);

function offsetText(min: number, sep: string): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60))}${sep}${pad(a % 60)}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** datetime / date. `us` = microseconds since 1970-01-01 of the wall-clock time (naive or local to tz). */
export class PyDateTimeObj extends HostObject {
  constructor(
    readonly us: number,
    readonly tz: PyTimezone | null,
    readonly dateOnly: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return this.dateOnly ? 'date' : 'datetime';
  }
  fields() {
    const ms = Math.floor(this.us / 1000);
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      micro: this.us - Math.floor(this.us / 1e6) * 1e6,
      weekday: (d.getUTCDay() + 6) % 7,
      yday: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1,
    };
  }
  isoformat(sep = 'T', timespec = 'auto'): string {
    const f = this.fields();
    const date = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
    if (this.dateOnly) return date;
    let time = `${pad(f.hour)}:${pad(f.minute)}`;
    if (timespec !== 'minutes') time += `:${pad(f.second)}`;
    if ((timespec === 'auto' && f.micro) || timespec === 'microseconds') time += '.' + pad(f.micro, 6);
    else if (timespec === 'milliseconds') time += '.' + pad(Math.floor(f.micro / 1000), 3);
    return date + sep + time + (this.tz ? offsetText(this.tz.offsetMin, ':') : '');
  }
  strftime(fmt: string): string {
    const f = this.fields();
    return fmt.replace(/%([a-zA-Z%])/g, (_m, c: string) => {
      switch (c) {
        case 'Y':
          return pad(f.year, 4);
        case 'y':
          return pad(f.year % 100);
        case 'm':
          return pad(f.month);
        case 'd':
          return pad(f.day);
        case 'H':
          return pad(f.hour);
        case 'I':
          return pad(f.hour % 12 || 12);
        case 'M':
          return pad(f.minute);
        case 'S':
          return pad(f.second);
        case 'f':
          return pad(f.micro, 6);
        case 'p':
          return f.hour < 12 ? 'AM' : 'PM';
        case 'j':
          return pad(f.yday, 3);
        case 'a':
          return DAYS[f.weekday].slice(0, 3);
        case 'A':
          return DAYS[f.weekday];
        case 'b':
          return MONTHS[f.month - 1].slice(0, 3);
        case 'B':
          return MONTHS[f.month - 1];
        case 'w':
          return String((f.weekday + 1) % 7);
        case 'z':
          return this.tz ? offsetText(this.tz.offsetMin, '') : '';
        case 'Z':
          return this.tz ? this.tz.str() : '';
        case 'F':
          return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
        case 'T':
          return `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
        case '%':
          return '%';
      }
      throw new UnsupportedPythonError(`strftime directive %${c}`, undefined);
    });
  }
  override str(): string {
    return this.isoformat(' ');
  }
  override repr(): string {
    const f = this.fields();
    if (this.dateOnly) return `datetime.date(${f.year}, ${f.month}, ${f.day})`;
    const parts = [f.year, f.month, f.day, f.hour, f.minute];
    if (f.second || f.micro) parts.push(f.second);
    if (f.micro) parts.push(f.micro);
    return `datetime.datetime(${parts.join(', ')}${this.tz ? ', tzinfo=' + this.tz.repr() : ''})`;
  }
  override format(spec: string): string | undefined {
    return spec === '' ? this.str() : this.strftime(spec);
  }
  /** UTC microseconds (for comparison of aware datetimes). */
  utc(): number {
    return this.tz ? this.us - this.tz.offsetMin * 6e7 : this.us;
  }
  override equals(o: PyValue): boolean {
    return o instanceof PyDateTimeObj && o.dateOnly === this.dateOnly && !!o.tz === !!this.tz && o.utc() === this.utc();
  }
  override hashKey(): unknown {
    return Symbol.for(`dt:${this.dateOnly}:${this.utc()}`);
  }
  override compare(o: PyValue): number | undefined {
    if (!(o instanceof PyDateTimeObj) || o.dateOnly !== this.dateOnly) return undefined;
    if (!!o.tz !== !!this.tz) throw pyErr('TypeError', "can't compare offset-naive and offset-aware datetimes");
    return Math.sign(this.utc() - o.utc());
  }
  override binaryOp(op: string, o: PyValue, reflected: boolean): PyValue | undefined {
    if (o instanceof PyTimeDelta) {
      const delta = this.dateOnly ? Math.trunc(o.us / DAY_US) * DAY_US : o.us;
      if (op === '+') return new PyDateTimeObj(this.us + delta, this.tz, this.dateOnly);
      if (op === '-' && !reflected) return new PyDateTimeObj(this.us - delta, this.tz, this.dateOnly);
    }
    if (op === '-' && o instanceof PyDateTimeObj && o.dateOnly === this.dateOnly) {
      if (!!o.tz !== !!this.tz) throw pyErr('TypeError', "can't subtract offset-naive and offset-aware datetimes");
      return new PyTimeDelta(reflected ? o.utc() - this.utc() : this.utc() - o.utc());
    }
    return undefined;
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    const f = this.fields();
    switch (name) {
      case 'year':
        return f.year;
      case 'month':
        return f.month;
      case 'day':
        return f.day;
    }
    if (!this.dateOnly) {
      switch (name) {
        case 'hour':
          return f.hour;
        case 'minute':
          return f.minute;
        case 'second':
          return f.second;
        case 'microsecond':
          return f.micro;
        case 'tzinfo':
          return this.tz;
        case 'timestamp':
          return fn('timestamp', () => new PyFloat(this.utc() / 1e6));
        case 'date':
          return fn('date', () => new PyDateTimeObj(Math.floor(this.us / DAY_US) * DAY_US, null, true));
        case 'utcoffset':
          return fn('utcoffset', () => (this.tz ? new PyTimeDelta(this.tz.offsetMin * 6e7) : null));
        case 'astimezone':
          return fn('astimezone', (a) => {
            const tz = (a[0] as PyTimezone | undefined) ?? UTC;
            return new PyDateTimeObj(this.utc() + tz.offsetMin * 6e7, tz, false);
          });
      }
    }
    switch (name) {
      case 'isoformat':
        return fn('isoformat', (a, k) => this.isoformat(String(argOf(a, k, 0, 'sep') ?? 'T'), String(argOf(a, k, 1, 'timespec') ?? 'auto')));
      case 'strftime':
        return fn('strftime', (a) => this.strftime(String(a[0])));
      case 'weekday':
        return fn('weekday', () => f.weekday);
      case 'isoweekday':
        return fn('isoweekday', () => f.weekday + 1);
      case 'toordinal':
        return fn('toordinal', () => Math.floor(this.us / DAY_US) + 719163);
      case 'replace':
        return fn('replace', (_a, k) => {
          const g = (n: string, d: number) => {
            const v = kwOf(k, n);
            return v === undefined ? d : num(v);
          };
          const tzv = kwOf(k, 'tzinfo');
          return makeDateTime(g('year', f.year), g('month', f.month), g('day', f.day), g('hour', f.hour), g('minute', f.minute), g('second', f.second), g('microsecond', f.micro), tzv === undefined ? this.tz : (tzv as PyTimezone | null), this.dateOnly);
        });
    }
    void ctx;
    return undefined;
  }
  override toPlain(): unknown {
    return this.dateOnly ? { __date__: this.isoformat() } : { __datetime__: this.isoformat() };
  }
}

function makeDateTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0, tz: PyTimezone | null = null, dateOnly = false): PyDateTimeObj {
  if (mo < 1 || mo > 12) throw pyErr('ValueError', 'month must be in 1..12');
  if (d < 1 || d > daysInMonth(y, mo)) throw pyErr('ValueError', 'day is out of range for month');
  if (h < 0 || h > 23) throw pyErr('ValueError', 'hour must be in 0..23');
  if (mi < 0 || mi > 59) throw pyErr('ValueError', 'minute must be in 0..59');
  if (s < 0 || s > 59) throw pyErr('ValueError', 'second must be in 0..59');
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const dt = new Date(ms);
  if (y < 100) dt.setUTCFullYear(y);
  return new PyDateTimeObj(dt.getTime() * 1000 + us, tz, dateOnly);
}

export function parseIsoDateTime(s: string, dateOnly: boolean): PyDateTimeObj {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) throw pyErr('ValueError', `Invalid isoformat string: ${pyStrRepr(s)}`);
  let tz: PyTimezone | null = null;
  if (m[8]) {
    if (m[8] === 'Z') tz = UTC;
    else {
      const sign = m[8][0] === '-' ? -1 : 1;
      const digits = m[8].slice(1).replace(':', '');
      tz = new PyTimezone(sign * (parseInt(digits.slice(0, 2), 10) * 60 + parseInt(digits.slice(2), 10)));
      if (tz.offsetMin === 0) tz = UTC;
    }
  }
  const us = m[7] ? parseInt(m[7].padEnd(6, '0'), 10) : 0;
  return makeDateTime(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), us, dateOnly ? null : tz, dateOnly);
}

const MONTHS_LC = MONTHS.map((m) => m.toLowerCase());
const WEEKDAYS_LC = DAYS.map((d) => d.toLowerCase());
/** The regular expressions of CPython's _strptime.TimeRE for the directives modelled (C locale). */
const STRPTIME_RE: Record<string, string> = {
  Y: '(\\d\\d\\d\\d)',
  y: '(\\d\\d)',
  m: '(1[0-2]|0[1-9]|[1-9])',
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  f: '(\\d{1,6})',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  p: '(am|pm)',
  b: `(${MONTHS_LC.map((m) => m.slice(0, 3)).join('|')})`,
  B: `(${MONTHS_LC.join('|')})`,
  a: `(${WEEKDAYS_LC.map((m) => m.slice(0, 3)).join('|')})`,
  A: `(${WEEKDAYS_LC.join('|')})`,
  z: '(z|[+-]\\d\\d:?[0-5]\\d)',
  Z: '(utc|gmt)',
};

/**
 * datetime.strptime for the C locale's numeric and English-name directives (CPython's _strptime):
 * a space in the format matches any whitespace, matching ignores case, a mismatch is
 * "time data ... does not match format ...", trailing text "unconverted data remains: ...".
 */
function strptime(text: string, format: string, loc: SourceLocation | undefined): PyDateTimeObj {
  const order: string[] = [];
  let re = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%') {
      const d = format[++i];
      if (d === '%') re += '%';
      else if (d !== undefined && STRPTIME_RE[d]) {
        re += STRPTIME_RE[d];
        order.push(d);
      } else if (d === undefined) throw pyErr('ValueError', `stray % in format '${format}'`);
      else throw unsupported(`datetime.strptime() directive %${d}`, loc);
    } else if (/\s/.test(c)) {
      re += '\\s+';
      while (i + 1 < format.length && /\s/.test(format[i + 1])) i++;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp('^' + re, 'i').exec(text);
  if (!m) throw pyErr('ValueError', `time data ${pyStrRepr(text)} does not match format ${pyStrRepr(format)}`);
  if (m[0].length !== text.length) throw pyErr('ValueError', `unconverted data remains: ${text.slice(m[0].length)}`);
  let year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, us = 0, pm: boolean | undefined, hour12: number | undefined, yday: number | undefined;
  let tz: PyTimezone | null = null;
  order.forEach((d, i) => {
    const v = m[i + 1];
    switch (d) {
      case 'Y': year = +v; break;
      case 'y': year = +v < 69 ? 2000 + +v : 1900 + +v; break;
      case 'm': month = +v; break;
      case 'd': day = +v; break;
      case 'H': hour = +v; break;
      case 'I': hour12 = +v; break;
      case 'M': minute = +v; break;
      case 'S': second = Math.min(+v, 59); break;
      case 'f': us = parseInt(v.padEnd(6, '0'), 10); break;
      case 'j': yday = +v; break;
      case 'p': pm = v.toLowerCase() === 'pm'; break;
      case 'b': month = MONTHS_LC.findIndex((n) => n.startsWith(v.toLowerCase())) + 1; break;
      case 'B': month = MONTHS_LC.indexOf(v.toLowerCase()) + 1; break;
      case 'z': {
        if (v.toLowerCase() === 'z') tz = UTC;
        else {
          const digits = v.slice(1).replace(':', '');
          const off = (v[0] === '-' ? -1 : 1) * (parseInt(digits.slice(0, 2), 10) * 60 + parseInt(digits.slice(2), 10));
          tz = off === 0 ? UTC : new PyTimezone(off);
        }
        break;
      }
      default: break; // %a %A %Z: matched, not used (CPython ignores the weekday; %Z UTC/GMT gives no tzinfo)
    }
  });
  if (hour12 !== undefined) hour = pm === undefined ? hour12 : (hour12 % 12) + (pm ? 12 : 0);
  if (yday !== undefined && !order.includes('m') && !order.includes('d') && !order.includes('b') && !order.includes('B')) {
    const t = new Date(Date.UTC(year, 0, yday));
    month = t.getUTCMonth() + 1;
    day = t.getUTCDate();
  }
  return makeDateTime(year, month, day, hour, minute, second, us, tz);
}

function datetimeModule(clock: Clock): PyModule {
  const nowObj = (tz: PyValue | undefined): PyDateTimeObj => {
    const ms = clock.now();
    const us = Math.floor(ms * 1000);
    if (tz instanceof PyTimezone) return new PyDateTimeObj(us + tz.offsetMin * 6e7, tz, false);
    return new PyDateTimeObj(us, null, false);
  };
  const dtClass = new PyClass(
    'datetime',
    [],
    new Map<string, PyValue>(),
    {
      construct: (a, k) => {
        const g = (i: number, n: string, d?: number) => {
          const v = argOf(a, k, i, n);
          if (v === undefined) {
            if (d === undefined) throw pyErr('TypeError', `function missing required argument '${n}' (pos ${i + 1})`);
            return d;
          }
          return num(v);
        };
        const tz = argOf(a, k, 7, 'tzinfo');
        return makeDateTime(g(0, 'year'), g(1, 'month'), g(2, 'day'), g(3, 'hour', 0), g(4, 'minute', 0), g(5, 'second', 0), g(6, 'microsecond', 0), (tz as PyTimezone | null) ?? null);
      },
      isInstance: (v) => v instanceof PyDateTimeObj && !v.dateOnly,
    },
    'datetime',
    'datetime',
  );
  const dateClass = new PyClass(
    'date',
    [],
    new Map<string, PyValue>(),
    {
      construct: (a, k) => makeDateTime(num(argOf(a, k, 0, 'year')), num(argOf(a, k, 1, 'month')), num(argOf(a, k, 2, 'day')), 0, 0, 0, 0, null, true),
      isInstance: (v) => v instanceof PyDateTimeObj,
    },
    'date',
    'datetime',
  );
  const st = (name: string, f: NativeFn) => new PyStaticMethod(fn(name, f));
  dtClass.ns.set('now', st('now', (a, k) => nowObj(argOf(a, k, 0, 'tz'))));
  dtClass.ns.set('utcnow', st('utcnow', () => nowObj(undefined)));
  dtClass.ns.set('today', st('today', () => nowObj(undefined)));
  dtClass.ns.set('fromisoformat', st('fromisoformat', (a) => parseIsoDateTime(String(a[0]), false)));
  dtClass.ns.set(
    'fromtimestamp',
    st('fromtimestamp', (a, k) => {
      const tz = argOf(a, k, 1, 'tz');
      const us = Math.round(num(a[0]) * 1e6);
      return tz instanceof PyTimezone ? new PyDateTimeObj(us + tz.offsetMin * 6e7, tz, false) : new PyDateTimeObj(us, null, false);
    }),
  );
  dtClass.ns.set('utcfromtimestamp', st('utcfromtimestamp', (a) => new PyDateTimeObj(Math.round(num(a[0]) * 1e6), null, false)));
  dtClass.ns.set('combine', st('combine', (a) => a[0]));
  dtClass.ns.set(
    'strptime',
    st('strptime', (a, k, ctx) => {
      const text = argOf(a, k, 0, 'date_string');
      const format = argOf(a, k, 1, 'format');
      if (typeof text !== 'string') throw pyErr('TypeError', `strptime() argument 1 must be str, not ${text === undefined ? 'nothing' : typeName(text)}`);
      if (typeof format !== 'string') throw pyErr('TypeError', `strptime() argument 2 must be str, not ${format === undefined ? 'nothing' : typeName(format)}`);
      return strptime(text, format, ctx.loc);
    }),
  );
  dateClass.ns.set('today', st('today', () => new PyDateTimeObj(Math.floor((clock.now() * 1000) / DAY_US) * DAY_US, null, true)));
  dateClass.ns.set('fromisoformat', st('fromisoformat', (a) => parseIsoDateTime(String(a[0]), true)));
  const tdClass = new PyClass('timedelta', [], new Map(), { construct: (a, k) => tdFromArgs(a, k), isInstance: (v) => v instanceof PyTimeDelta }, 'timedelta', 'datetime');
  const tzClass = new PyClass(
    'timezone',
    [],
    new Map<string, PyValue>([['utc', UTC]]),
    {
      construct: (a) => {
        const td = a[0];
        if (!(td instanceof PyTimeDelta)) throw pyErr('TypeError', 'timezone() argument 1 must be datetime.timedelta');
        return new PyTimezone(Math.round(td.us / 6e7));
      },
      isInstance: (v) => v instanceof PyTimezone,
    },
    'timezone',
    'datetime',
  );
  return mod('datetime', { datetime: dtClass, date: dateClass, timedelta: tdClass, timezone: tzClass, MINYEAR: 1, MAXYEAR: 9999, UTC });
}

// ---------------------------------------------------------------------------------------------
// json

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

/** collections.deque(iterable=(), maxlen=None). */
const dequeClass = new PyClass(
  'deque',
  [],
  new Map(),
  {
    construct: (a, k, ctx) => {
      const interp = activeInterpForDeque.interp!;
      const m = a[1] ?? k?.get('maxlen') ?? null;
      const maxlen = m === null ? null : Number(toIndexValue(m));
      if (maxlen !== null && maxlen < 0) throw pyErr('ValueError', 'maxlen must be non-negative');
      const it = a[0] ?? k?.get('iterable');
      return then(it === undefined || it === null ? [] : toArray(interp, it, ctx.loc), (xs) => new PyDeque([...xs], maxlen));
    },
    isInstance: (v) => v instanceof PyDeque,
  },
  'deque',
  'collections',
);
PyDeque.cls = dequeClass;
/** The interpreter deque() builds for (set when the collections module is made). */
const activeInterpForDeque: { interp?: Interp } = {};
function toIndexValue(v: PyValue): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw pyErr('TypeError', 'an integer is required');
}

const JSONDecodeError = new PyClass('JSONDecodeError', [builtinExceptionClasses.get('ValueError')!], new Map(), undefined, 'JSONDecodeError', 'json');

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
// uuid, decimal

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

function uuidFromBytes(bytes: Uint8Array, version: number): PyUUID {
  bytes[6] = (bytes[6] & 0x0f) | (version << 4);
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return new PyUUID(Buffer.from(bytes).toString('hex'));
}

export class PyDecimalObj extends HostObject {
  constructor(readonly text: string) {
    super();
  }
  override get typeName(): string {
    return 'Decimal';
  }
  override str(): string {
    return this.text;
  }
  override repr(): string {
    return `Decimal('${this.text}')`;
  }
  override equals(o: PyValue): boolean {
    if (o instanceof PyDecimalObj) return Number(o.text) === Number(this.text);
    const n = numOf(o);
    return n !== undefined && !(n instanceof PyFloat) && Number(n) === Number(this.text);
  }
  override hashKey(): unknown {
    return Number(this.text);
  }
  override compare(o: PyValue): number | undefined {
    const x = Number(this.text);
    const y = o instanceof PyDecimalObj ? Number(o.text) : numOf(o) !== undefined ? Number((numOf(o) as PyFloat).v ?? numOf(o)) : undefined;
    if (y === undefined) return undefined;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  override binaryOp(op: string): PyValue | undefined {
    if (op === 'float') return new PyFloat(Number(this.text));
    if (op === 'int') return Math.trunc(Number(this.text));
    return undefined;
  }
  override format(spec: string): string | undefined {
    const i = activeInterp.interp;
    if (!i) return undefined;
    return format(i, new PyFloat(Number(this.text)), spec);
  }
  override toPlain(): unknown {
    return { __decimal__: this.text };
  }
}

const activeInterp: { interp: Interp | undefined } = { interp: undefined };

// ---------------------------------------------------------------------------------------------
// os.environ

class Environ extends HostObject {
  constructor(readonly env: Record<string, string>) {
    super();
  }
  override get typeName(): string {
    return '_Environ';
  }
  get(k: PyValue): string | undefined {
    return typeof k === 'string' && Object.prototype.hasOwnProperty.call(this.env, k) ? this.env[k] : undefined;
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'get':
        return fn('get', (a) => this.get(a[0]) ?? a[1] ?? null);
      case 'keys':
        return fn('keys', () => new PyList(Object.keys(this.env)));
      case 'items':
        return fn('items', () => new PyList(Object.entries(this.env).map(([k, v]) => new PyTuple([k, v]))));
      case 'values':
        return fn('values', () => new PyList(Object.values(this.env)));
      case 'setdefault':
        return fn('setdefault', (a) => {
          const k = String(a[0]);
          if (this.get(k) === undefined) this.env[k] = String(a[1] ?? '');
          return this.env[k];
        });
      case 'pop':
        return fn('pop', (a) => {
          const v = this.get(a[0]);
          if (v === undefined) {
            if (a.length > 1) return a[1];
            throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [a[0]]));
          }
          delete this.env[String(a[0])];
          return v;
        });
      case 'copy':
        return fn('copy', () => PyDict.fromEntries(Object.entries(this.env)));
    }
    return undefined;
  }
  override getItem(k: PyValue): PyValue {
    const v = this.get(k);
    if (v === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [k]));
    return v;
  }
  override setItem(k: PyValue, v: PyValue): void {
    if (typeof k !== 'string' || typeof v !== 'string') throw pyErr('TypeError', 'str expected');
    this.env[k] = v;
  }
  override delItem(k: PyValue): void {
    if (this.get(k) === undefined) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [k]));
    delete this.env[String(k)];
  }
  override contains(k: PyValue): boolean {
    return this.get(k) !== undefined;
  }
  override iter(): Iterable<PyValue> {
    return Object.keys(this.env);
  }
  override len(): number {
    return Object.keys(this.env).length;
  }
  override repr(): string {
    return `environ(${JSON.stringify(this.env)})`;
  }
}

// ---------------------------------------------------------------------------------------------
// logging

class Logger extends HostObject {
  constructor(
    readonly name: string,
    private readonly interp: Interp,
  ) {
    super();
  }
  override get typeName(): string {
    return 'Logger';
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    const levels: Record<string, string> = { debug: 'DEBUG', info: 'INFO', warning: 'WARNING', warn: 'WARNING', error: 'ERROR', exception: 'ERROR', critical: 'CRITICAL', fatal: 'CRITICAL' };
    if (name in levels)
      return fn(name, (a) => {
        this.emit(levels[name], a, ctx.loc, name === 'exception');
        return null;
      });
    if (name === 'log')
      return fn('log', (a) => {
        this.emit(String(a[0]), a.slice(1), ctx.loc);
        return null;
      });
    if (name === 'name') return this.name;
    if (name === 'level') return 0;
    if (name === 'handlers') return new PyList([]);
    if (['setLevel', 'addHandler', 'removeHandler', 'addFilter', 'propagate', 'disabled'].includes(name)) return fn(name, () => null);
    if (name === 'isEnabledFor') return fn(name, () => true);
    if (name === 'getChild') return fn(name, (a) => new Logger(`${this.name}.${String(a[0])}`, this.interp));
    return undefined;
  }
  override setAttr(): boolean {
    return true;
  }
  emit(level: string, a: PyValue[], loc: SourceLocation | undefined, withTraceback = false): void {
    let msg = a.length ? str(this.interp, a[0]) : '';
    if (a.length > 1 && typeof a[0] === 'string') {
      try {
        const args = a.length === 2 && a[1] instanceof PyDict ? a[1] : new PyTuple(a.slice(1));
        msg = binopPercent(this.interp, a[0], args);
      } catch {
        /* keep the raw message */
      }
    }
    // logger.exception() appends the traceback of the exception being handled, as Python does.
    const handled = withTraceback ? this.interp.handling[this.interp.handling.length - 1] : undefined;
    if (handled) msg += '\n' + handled.formatTraceback();
    this.interp.hooks.log(level, msg, loc);
  }
}

/** A logging handler or formatter: every record goes to the run log, so handlers only need to accept their configuration. */
class LogHandler extends HostObject {
  private level: PyValue = 0;
  private formatter: PyValue = null;
  constructor(private readonly type: string) {
    super();
  }
  override get typeName(): string {
    return this.type;
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'level':
        return this.level;
      case 'formatter':
        return this.formatter;
      case 'setLevel':
        return fn(name, (a) => ((this.level = a[0] ?? 0), null));
      case 'setFormatter':
        return fn(name, (a) => ((this.formatter = a[0] ?? null), null));
      case 'addFilter':
      case 'removeFilter':
      case 'flush':
      case 'close':
      case 'acquire':
      case 'release':
        return fn(name, () => null);
    }
    return undefined;
  }
  override setAttr(name: string, value: PyValue): boolean {
    if (name === 'level') this.level = value;
    else if (name === 'formatter') this.formatter = value;
    else return false;
    return true;
  }
}

let binopPercent: (interp: Interp, fmt: string, args: PyValue) => string = () => '';
export function setPercentFormatter(f: (interp: Interp, fmt: string, args: PyValue) => string): void {
  binopPercent = f;
}

// ---------------------------------------------------------------------------------------------
// asyncio

class AsyncPrimitive extends HostObject {
  constructor(private readonly type: string) {
    super();
  }
  override get typeName(): string {
    return this.type;
  }
  override getAttr(name: string): PyValue | undefined {
    if (['acquire', 'release', 'set', 'clear', 'wait', 'locked', 'is_set'].includes(name)) return fn(name, () => (name === 'locked' || name === 'is_set' ? false : name === 'acquire' ? true : null));
    if (name === '__aenter__') return fn(name, () => this);
    return undefined;
  }
}

class Task extends HostObject {
  constructor(readonly result: PyValue | Promise<PyValue>) {
    super();
  }
  override get typeName(): string {
    return 'Task';
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === '__await__') return fn('__await__', () => this.result);
    if (name === 'done') return fn('done', () => true);
    if (name === 'result') return fn('result', () => this.result);
    if (name === 'cancel') return fn('cancel', () => false);
    return undefined;
  }
}

function asyncioModule(interp: Interp, clock: Clock): PyModule {
  const run = fn('run', (a, _k, ctx) => awaitValue(interp, a[0], ctx.loc));
  const loopObj = new (class extends HostObject {
    override get typeName(): string {
      return 'EventLoop';
    }
    override getAttr(name: string): PyValue | undefined {
      if (name === 'run_until_complete') return run;
      if (name === 'close') return fn('close', () => null);
      if (name === 'is_running') return fn('is_running', () => false);
      return undefined;
    }
  })();
  const gather = fn('gather', async (a, k, ctx) => {
    const out: PyValue[] = [];
    const ret = truthy(interp, kwOf(k, 'return_exceptions') ?? false);
    for (const x of a) {
      try {
        out.push(await awaitValue(interp, x, ctx.loc));
      } catch (e) {
        if (ret && e instanceof PyException) out.push(e.exc);
        else throw e;
      }
    }
    return new PyList(out);
  });
  const sleep = fn('sleep', (a) => {
    const secs = num(a[0]);
    const result = a[1] ?? null;
    return new PyCoroutine('sleep', () => {
      clock.sleep(secs);
      return result;
    });
  });
  return mod('asyncio', {
    run,
    gather,
    sleep,
    create_task: fn('create_task', (a, _k, ctx) => {
      const r = awaitValue(interp, a[0], ctx.loc);
      if (r instanceof Promise) r.catch(() => undefined);
      return new Task(r);
    }),
    ensure_future: fn('ensure_future', (a, _k, ctx) => new Task(awaitValue(interp, a[0], ctx.loc))),
    wait_for: fn('wait_for', (a, _k, ctx) => new PyCoroutine('wait_for', () => awaitValue(interp, a[0], ctx.loc))),
    get_event_loop: fn('get_event_loop', () => loopObj),
    new_event_loop: fn('new_event_loop', () => loopObj),
    get_running_loop: fn('get_running_loop', () => loopObj),
    set_event_loop: fn('set_event_loop', () => null),
    iscoroutine: fn('iscoroutine', (a) => a[0] instanceof PyCoroutine),
    iscoroutinefunction: fn('iscoroutinefunction', (a) => a[0] instanceof PyFunction && a[0].code.isAsync),
    Semaphore: new PyClass('Semaphore', [], new Map(), { construct: () => new AsyncPrimitive('Semaphore') }, 'Semaphore', 'asyncio'),
    Lock: new PyClass('Lock', [], new Map(), { construct: () => new AsyncPrimitive('Lock') }, 'Lock', 'asyncio'),
    Event: new PyClass('Event', [], new Map(), { construct: () => new AsyncPrimitive('Event') }, 'Event', 'asyncio'),
    TimeoutError: builtinExceptionClasses.get('TimeoutError')!,
    CancelledError: new PyClass('CancelledError', [builtinExceptionClasses.get('BaseException')!], new Map(), undefined, 'CancelledError', 'asyncio'),
  });
}

// ---------------------------------------------------------------------------------------------
// typing

function typingModule(): PyModule {
  const alias = (name: string, origin?: string) => new PyTypeAlias(`typing.${name}`, [], origin ? builtinTypes.get(origin) : undefined);
  const special = (name: string, sub: (args: PyValue[]) => PyValue) => {
    const a = new PyTypeAlias(`typing.${name}`) as PyTypeAlias & { subscript?: (args: PyValue[]) => PyValue };
    a.subscript = sub;
    return a;
  };
  const m: Record<string, PyValue> = {
    Any: alias('Any'),
    List: alias('List', 'list'),
    Dict: alias('Dict', 'dict'),
    Set: alias('Set', 'set'),
    FrozenSet: alias('FrozenSet', 'frozenset'),
    Tuple: alias('Tuple', 'tuple'),
    Type: alias('Type', 'type'),
    Callable: alias('Callable'),
    Iterable: alias('Iterable'),
    Iterator: alias('Iterator'),
    Generator: alias('Generator'),
    AsyncIterator: alias('AsyncIterator'),
    AsyncGenerator: alias('AsyncGenerator'),
    Awaitable: alias('Awaitable'),
    Coroutine: alias('Coroutine'),
    Sequence: alias('Sequence'),
    MutableSequence: alias('MutableSequence'),
    Mapping: alias('Mapping'),
    MutableMapping: alias('MutableMapping'),
    Literal: alias('Literal'),
    ClassVar: alias('ClassVar'),
    Final: alias('Final'),
    Annotated: alias('Annotated'),
    NoReturn: alias('NoReturn'),
    Never: alias('Never'),
    Self: alias('Self'),
    Hashable: alias('Hashable'),
    Generic: alias('Generic'),
    Protocol: alias('Protocol'),
    Optional: special('Optional', (args) => new PyTypeAlias('typing.Optional', [args[0]])),
    Union: special('Union', (args) => (args.length === 2 && (args[0] === null || args[1] === null) ? new PyTypeAlias('typing.Optional', [args[0] === null ? args[1] : args[0]]) : new PyTypeAlias('typing.Union', args))),
    TYPE_CHECKING: false,
    cast: fn('cast', (a) => a[1]),
    TypeVar: fn('TypeVar', (a) => new PyTypeAlias(`~${String(a[0])}`)),
    NewType: fn('NewType', (a) => a[1]),
    overload: fn('overload', (a) => a[0]),
    final: fn('final', (a) => a[0]),
    runtime_checkable: fn('runtime_checkable', (a) => a[0]),
    no_type_check: fn('no_type_check', (a) => a[0]),
    get_type_hints: fn('get_type_hints', (a) => {
      const c = a[0];
      if (!(c instanceof PyClass)) return new PyDict();
      return PyDict.fromEntries(c.allAnnotations().map((x) => [x.name, x.value !== undefined ? x.value : x.source]));
    }),
  };
  const typedDict = new PyClass('TypedDict', [], new Map([['__typeddict__', true]]), undefined, 'TypedDict', 'typing');
  m.TypedDict = typedDict;
  m.NamedTuple = new PyClass('NamedTuple', [], new Map([['__namedtuple__', true]]), undefined, 'NamedTuple', 'typing');
  return mod('typing', m);
}

// ---------------------------------------------------------------------------------------------
// enum & dataclasses & class creation

const EnumBase = new PyClass('Enum', [], new Map<string, PyValue>([['__enum_base__', true]]), undefined, 'Enum', 'enum');
const IntEnumBase = new PyClass('IntEnum', [], new Map<string, PyValue>([['__enum_base__', true]]), undefined, 'IntEnum', 'enum');
const StrEnumBase = new PyClass('StrEnum', [], new Map<string, PyValue>([['__enum_base__', true]]), undefined, 'StrEnum', 'enum');
const FlagBase = new PyClass('Flag', [EnumBase], new Map(), undefined, 'Flag', 'enum');

class EnumAuto extends HostObject {
  override get typeName(): string {
    return 'auto';
  }
}

class DataclassField extends HostObject {
  constructor(
    readonly dflt: PyValue | undefined,
    readonly factory: PyValue | undefined,
    readonly init: boolean,
    readonly inRepr: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return 'Field';
  }
}

function fixEnumBases(): void {
  // IntEnum/StrEnum derive from int/str and Enum (resolved after builtin types exist)
  if (IntEnumBase.bases.length) return;
  (IntEnumBase as { bases: PyClass[] }).bases.push(builtinTypes.get('int')!, EnumBase);
  IntEnumBase.mro = [IntEnumBase, builtinTypes.get('int')!, EnumBase];
  (StrEnumBase as { bases: PyClass[] }).bases.push(builtinTypes.get('str')!, EnumBase);
  StrEnumBase.mro = [StrEnumBase, builtinTypes.get('str')!, EnumBase];
}

function isDescriptorLike(v: PyValue): boolean {
  return v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyStaticMethod || v instanceof PyClassMethod || v instanceof PyProperty || v instanceof PyClass;
}

export function createClass(interp: Interp, spec: ClassSpec): PyValue {
  fixEnumBases();
  const bases: PyClass[] = [];
  let typedDict = false;
  for (const b of spec.bases) {
    if (b instanceof PyOpaque) throw unsupported(`class ${spec.name} with base class '${b.description}'`, spec.loc, 'the base class comes from a module the evaluator does not implement');
    if (b instanceof PyTypeAlias) continue; // Generic[T], Protocol
    if (!(b instanceof PyClass)) throw pyErr('TypeError', `bases must be types, not ${typeName(b)}`);
    if (b === builtinTypes.get('object')) continue;
    if (b.ns.get('__typeddict__') === true) {
      typedDict = true;
      continue;
    }
    if (b.ns.get('__namedtuple__') === true) throw unsupported('typing.NamedTuple classes', spec.loc);
    bases.push(b);
  }
  const enumLike = bases.some((b) => b.mro.some((c) => c.ns.get('__enum_base__') === true));
  for (const b of bases) {
    if (b.module === 'builtins' && b.native && !isExceptionClass(b) && !enumLike) throw unsupported(`subclassing the builtin type '${b.name}'`, spec.loc);
    if (b.native?.host) throw unsupported(`subclassing the host class '${b.name}'`, spec.loc);
  }
  const cls = new PyClass(spec.name, bases, spec.ns, typedDict ? builtinTypes.get('dict')!.native : undefined, spec.qualname, spec.module);
  cls.annotations = spec.annotations;
  cls.decorators = spec.decorators;
  cls.loc = spec.loc;
  if (spec.kwargs.size) cls.classKwargs = spec.kwargs;
  for (const v of spec.ns.values()) {
    const f = v instanceof PyFunction ? v : v instanceof PyStaticMethod || v instanceof PyClassMethod ? v.func : v instanceof PyProperty ? v.fget : undefined;
    if (f instanceof PyFunction && !f.ownerClass) f.ownerClass = cls;
    if (v instanceof PyProperty && v.fset instanceof PyFunction && !v.fset.ownerClass) v.fset.ownerClass = cls;
  }
  if (enumLike && !cls.ns.has('__enum_base__')) makeEnum(interp, cls);
  return cls;
}

function makeEnum(interp: Interp, cls: PyClass): void {
  const members: PyInstance[] = [];
  let lastInt = 0;
  const isStr = cls.mro.includes(StrEnumBase);
  for (const [name, v] of [...cls.ns.entries()]) {
    if (name.startsWith('_') || isDescriptorLike(v)) continue;
    let value = v;
    if (v instanceof EnumAuto) value = isStr ? name.toLowerCase() : lastInt + 1;
    if (typeof value === 'number') lastInt = value;
    const alias = members.find((m) => eq(interp, m.dict.get('_value_') ?? null, value));
    if (alias) {
      cls.ns.set(name, alias);
      continue;
    }
    const m = new PyInstance(cls);
    m.dict.set('_name_', name);
    m.dict.set('_value_', value);
    members.push(m);
    cls.ns.set(name, m);
  }
  cls.enumMembers = members;
}

function dataclassDecorator(interp: Interp): PyBuiltin {
  const apply = (cls: PyValue, opts: Kwargs | null): PyValue => {
    if (!(cls instanceof PyClass)) throw pyErr('TypeError', 'dataclass() should be called on a class');
    const frozen = truthy(interp, kwOf(opts, 'frozen') ?? false);
    const fields: { name: string; dflt?: PyValue; factory?: PyValue; init: boolean; repr: boolean }[] = [];
    for (const a of cls.allAnnotations()) {
      if (/^(typing\.)?ClassVar/.test(a.source)) continue;
      let dflt: PyValue | undefined;
      let factory: PyValue | undefined;
      let init = true;
      let inRepr = true;
      const owner = cls.mro.find((c) => c.annotations.includes(a)) ?? cls;
      const raw = owner.ns.get(a.name);
      if (raw instanceof DataclassField) {
        dflt = raw.dflt;
        factory = raw.factory;
        init = raw.init;
        inRepr = raw.inRepr;
        if (dflt !== undefined) owner.ns.set(a.name, dflt);
        else owner.ns.delete(a.name);
      } else if (raw !== undefined) dflt = raw;
      const prev = fields.findIndex((x) => x.name === a.name);
      const entry = { name: a.name, dflt, factory, init, repr: inRepr };
      if (prev >= 0) fields[prev] = entry;
      else fields.push(entry);
    }
    const fieldsDict = PyDict.fromEntries(fields.map((f) => [f.name, f.name]));
    cls.ns.set('__dataclass_fields__', fieldsDict);
    if (frozen) cls.ns.set('__dataclass_frozen__', true);
    // the positional sub-patterns of `case Cls(a, b)`: the __init__ fields, in order
    if (truthy(interp, kwOf(opts, 'match_args') ?? true) && !cls.ns.has('__match_args__')) cls.ns.set('__match_args__', new PyTuple(fields.filter((f) => f.init).map((f) => f.name)));
    if (!cls.ns.has('__init__'))
      cls.ns.set(
        '__init__',
        fn(`${cls.name}.__init__`, (a, k) => {
          const self = a[0] as PyInstance;
          const initFields = fields.filter((f) => f.init);
          const args = a.slice(1);
          if (args.length > initFields.length) throw pyErr('TypeError', `${cls.name}.__init__() takes ${initFields.length + 1} positional arguments but ${args.length + 1} were given`);
          const vals: [string, PyValue | Promise<PyValue>][] = [];
          const missing: string[] = [];
          initFields.forEach((f, i) => {
            let v: PyValue | Promise<PyValue> | undefined = i < args.length ? args[i] : kwOf(k, f.name);
            if (v === undefined) {
              if (f.factory !== undefined) v = call(interp, f.factory, [], null, undefined);
              else if (f.dflt !== undefined) v = f.dflt;
              else missing.push(f.name);
            }
            if (v !== undefined) vals.push([f.name, v]);
          });
          if (k) for (const key of k.keys()) if (!initFields.some((f) => f.name === key)) throw pyErr('TypeError', `${cls.name}.__init__() got an unexpected keyword argument '${key}'`);
          if (missing.length) throw pyErr('TypeError', `${cls.name}.__init__() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(' and ')}`);
          for (const f of fields.filter((x) => !x.init)) if (f.factory !== undefined) vals.push([f.name, call(interp, f.factory, [], null, undefined)]);
          else if (f.dflt !== undefined) vals.push([f.name, f.dflt]);
          for (const [n, v] of vals) self.dict.set(n, v as PyValue);
          const post = cls.lookup('__post_init__');
          if (post !== undefined) return then(call(interp, post, [self], null, undefined), () => null);
          return null;
        }),
      );
    if (!cls.ns.has('__repr__'))
      cls.ns.set(
        '__repr__',
        fn('__repr__', (a) => {
          const self = a[0] as PyInstance;
          return `${cls.qualname}(${fields
            .filter((f) => f.repr)
            .map((f) => `${f.name}=${repr(interp, self.dict.get(f.name) ?? null)}`)
            .join(', ')})`;
        }),
      );
    if (!cls.ns.has('__eq__'))
      cls.ns.set(
        '__eq__',
        fn('__eq__', (a) => {
          const [x, y] = a as [PyInstance, PyValue];
          if (!(y instanceof PyInstance) || y.cls !== x.cls) return false;
          return fields.every((f) => eq(interp, x.dict.get(f.name) ?? null, y.dict.get(f.name) ?? null));
        }),
      );
    return cls;
  };
  return fn('dataclass', (a, k) => {
    if (a.length === 1 && a[0] instanceof PyClass) return apply(a[0], k);
    return fn('dataclass', (b) => apply(b[0], k));
  });
}

function asDict(interp: Interp, v: PyValue): PyValue {
  if (v instanceof PyInstance && v.cls.lookup('__dataclass_fields__') instanceof PyDict) {
    const fields = (v.cls.lookup('__dataclass_fields__') as PyDict).keys();
    return PyDict.fromEntries(fields.map((f) => [f, asDict(interp, v.dict.get(String(f)) ?? null)]));
  }
  if (v instanceof PyList) return new PyList(v.items.map((x) => asDict(interp, x)));
  if (v instanceof PyTuple) return new PyTuple(v.items.map((x) => asDict(interp, x)));
  if (v instanceof PyDict) return PyDict.fromEntries(v.entries().map(([k, x]) => [asDict(interp, k), asDict(interp, x)]));
  return v;
}

// ---------------------------------------------------------------------------------------------
// collections

class DefaultDict extends PyDict {
  constructor(
    readonly factory: PyValue,
    private readonly interp: Interp,
  ) {
    super();
  }
  override get typeName(): string {
    return 'defaultdict';
  }
  missing(k: PyValue): PyValue | Promise<PyValue> {
    if (this.factory === null) throw new PyException(makeException(builtinExceptionClasses.get('KeyError')!, [k]));
    return then(call(this.interp, this.factory, [], null, undefined), (v) => {
      this.set(k, v);
      return v;
    });
  }
}

class CounterDict extends PyDict {
  override get typeName(): string {
    return 'Counter';
  }
  missing(): PyValue {
    return 0;
  }
}

function collectionsModule(interp: Interp): PyModule {
  activeInterpForDeque.interp = interp;
  const counterClass: PyClass = new PyClass(
    'Counter',
    [],
    new Map<string, PyValue>(),
    {
      construct: (a, _k, ctx) => {
        const c = new CounterDict();
        const src = a[0];
        if (src === undefined) return c;
        if (src instanceof PyDict) {
          for (const [k, v] of src.entries()) c.set(k, v);
          return c;
        }
        return then(toArray(interp, src, ctx.loc), (xs) => {
          for (const x of xs) c.set(x, ((c.get(x) as number | undefined) ?? 0) + 1);
          return c;
        });
      },
      isInstance: (v) => v instanceof CounterDict,
    },
    'Counter',
    'collections',
  );
  methodTables.dict.most_common = (_i, d: PyDict, a) => {
    if (!(d instanceof CounterDict)) throw pyErr('AttributeError', `'${d.typeName}' object has no attribute 'most_common'`);
    const entries = d.entries().sort((x, y) => Number(y[1]) - Number(x[1]));
    const n = a[0] === undefined || a[0] === null ? entries.length : Number(a[0]);
    return new PyList(entries.slice(0, n).map(([k, v]) => new PyTuple([k, v])));
  };
  counterClass.ns.set(
    'most_common',
    fn('most_common', (a) => {
      const c = a[0] as CounterDict;
      const entries = c.entries().sort((x, y) => Number(y[1]) - Number(x[1]));
      const n = a[1] === undefined || a[1] === null ? entries.length : Number(a[1]);
      return new PyList(entries.slice(0, n).map(([k, v]) => new PyTuple([k, v])));
    }),
  );
  return mod('collections', {
    defaultdict: new PyClass(
      'defaultdict',
      [],
      new Map(),
      {
        construct: (a) => {
          const d = new DefaultDict(a[0] ?? null, interp);
          if (a[1] instanceof PyDict) for (const [k, v] of a[1].entries()) d.set(k, v);
          return d;
        },
        isInstance: (v) => v instanceof DefaultDict,
      },
      'defaultdict',
      'collections',
    ),
    OrderedDict: builtinTypes.get('dict')!,
    Counter: counterClass,
    namedtuple: fn('namedtuple', (_a, _k, ctx) => {
      throw unsupported('collections.namedtuple', ctx.loc);
    }),
    deque: dequeClass,
  });
}

// ---------------------------------------------------------------------------------------------
// itertools, functools, copy, math, sys

class ChainIterator extends PyIterator {
  private cur: PyIterator | undefined;
  constructor(
    private readonly interp: Interp,
    private readonly sources: PyIterator,
    private readonly loc: SourceLocation | undefined,
  ) {
    super();
  }
  next(): IterResult | Promise<IterResult> {
    for (;;) {
      if (!this.cur) {
        const s = this.sources.next();
        if (s instanceof Promise) return s.then((x) => (x === STOP ? STOP : ((this.cur = iter(this.interp, x, this.loc)), this.next())));
        if (s === STOP) return STOP;
        this.cur = iter(this.interp, s, this.loc);
      }
      const x = this.cur.next();
      if (x instanceof Promise) return x.then((v) => (v === STOP ? ((this.cur = undefined), this.next()) : v));
      if (x !== STOP) return x;
      this.cur = undefined;
    }
  }
}

class CountIterator extends PyIterator {
  constructor(
    private n: number,
    private readonly step: number,
  ) {
    super();
  }
  next(): IterResult {
    const v = this.n;
    this.n += this.step;
    return v;
  }
}

function itertoolsModule(interp: Interp): PyModule {
  const chain = fn('chain', (a, _k, ctx) => new ChainIterator(interp, new ArrayIterator(a), ctx.loc));
  const chainCls = new PyClass('chain', [], new Map<string, PyValue>([['from_iterable', new PyStaticMethod(fn('from_iterable', (a, _k, ctx) => new ChainIterator(interp, iter(interp, a[0], ctx.loc), ctx.loc)))]]), { construct: chain.fn }, 'chain', 'itertools');
  const product = (a: PyValue[], k: Kwargs | null, loc: SourceLocation | undefined) =>
    then(Promise.all(a.map((x) => toArray(interp, x, loc))), (pools) => {
      const rep = Number(kwOf(k, 'repeat') ?? 1);
      const all: PyValue[][] = [];
      for (let r = 0; r < rep; r++) all.push(...pools);
      let res: PyValue[][] = [[]];
      for (const pool of all) {
        const next: PyValue[][] = [];
        for (const prefix of res) for (const x of pool) next.push([...prefix, x]);
        res = next;
        interp.checkSize(res.length, loc);
      }
      return new ArrayIterator(res.map((t) => new PyTuple(t)));
    });
  return mod('itertools', {
    chain: chainCls,
    product: fn('product', (a, k, ctx) => product(a, k, ctx.loc)),
    count: fn('count', (a) => new CountIterator(Number(a[0] ?? 0), Number(a[1] ?? 1))),
    islice: fn('islice', (a, _k, ctx) => {
      const it = iter(interp, a[0], ctx.loc);
      const [start, stop, step] = a.length === 2 ? [0, a[1], 1] : [a[1] ?? 0, a[2] ?? null, a[3] ?? 1];
      const out: PyValue[] = [];
      let i = 0;
      for (;;) {
        if (stop !== null && i >= Number(stop)) break;
        const x = it.next();
        if (x instanceof Promise) throw unsupported('islice over an asynchronous iterator', ctx.loc);
        if (x === STOP) break;
        if (i >= Number(start) && (i - Number(start)) % Number(step) === 0) out.push(x);
        i++;
      }
      return new ArrayIterator(out);
    }),
    repeat: fn('repeat', (a, _k, ctx) => {
      if (a[1] === undefined) throw unsupported('itertools.repeat without a count', ctx.loc);
      return new ArrayIterator(new Array(Number(a[1])).fill(a[0]));
    }),
    zip_longest: fn('zip_longest', (a, k, ctx) =>
      then(Promise.all(a.map((x) => toArray(interp, x, ctx.loc))), (arrs) => {
        const n = Math.max(0, ...arrs.map((x) => x.length));
        const fill = kwOf(k, 'fillvalue') ?? null;
        return new ArrayIterator(Array.from({ length: n }, (_, i) => new PyTuple(arrs.map((x) => (i < x.length ? x[i] : fill)))));
      }),
    ),
    combinations: fn('combinations', (a, _k, ctx) =>
      then(toArray(interp, a[0], ctx.loc), (pool) => {
        const r = Number(a[1]);
        const out: PyValue[] = [];
        const rec = (start: number, acc: PyValue[]) => {
          if (acc.length === r) {
            out.push(new PyTuple(acc.slice()));
            return;
          }
          for (let i = start; i < pool.length; i++) rec(i + 1, [...acc, pool[i]]);
        };
        rec(0, []);
        return new ArrayIterator(out);
      }),
    ),
    accumulate: fn('accumulate', (a, _k, ctx) =>
      then(toArray(interp, a[0], ctx.loc), (xs) => {
        const out: PyValue[] = [];
        let acc: PyValue | undefined;
        for (const x of xs) {
          acc = acc === undefined ? x : a[1] ? callSync(interp, a[1], [acc, x], ctx.loc) : binop2(interp, acc, x);
          out.push(acc);
        }
        return new ArrayIterator(out);
      }),
    ),
  });
}

let binop2: (interp: Interp, a: PyValue, b: PyValue) => PyValue = () => null;
export function setAdder(f: (interp: Interp, a: PyValue, b: PyValue) => PyValue): void {
  binop2 = f;
}

function functoolsModule(interp: Interp): PyModule {
  const identityDeco = (name: string) =>
    fn(name, (a) => {
      if (a.length === 1 && (a[0] instanceof PyFunction || a[0] instanceof PyBuiltin)) return a[0];
      return fn(name, (b) => b[0]);
    });
  return mod('functools', {
    ...functoolsWrapMembers(interp),
    lru_cache: identityDeco('lru_cache'),
    cache: identityDeco('cache'),
    cached_property: fn('cached_property', (a) => new PyProperty(a[0])),
    total_ordering: fn('total_ordering', (a) => a[0]),
    partial: fn('partial', (a, k) => {
      const [f, ...bound] = a;
      return fn('partial', (b, k2) => {
        const merged = new Map([...(k ?? new Map()), ...(k2 ?? new Map())]);
        return call(interp, f, [...bound, ...b], merged.size ? merged : null, undefined);
      });
    }),
    reduce: fn('reduce', (a, _k, ctx) =>
      then(toArray(interp, a[1], ctx.loc), (xs) => {
        let acc: PyValue;
        let i = 0;
        if (a.length > 2) acc = a[2];
        else {
          if (xs.length === 0) throw pyErr('TypeError', 'reduce() of empty iterable with no initial value');
          acc = xs[0];
          i = 1;
        }
        const step = (j: number, cur: PyValue): PyValue | Promise<PyValue> => {
          for (; j < xs.length; j++) {
            const r = call(interp, a[0], [cur, xs[j]], null, ctx.loc);
            if (r instanceof Promise) {
              const idx = j;
              return r.then((v) => step(idx + 1, v));
            }
            cur = r;
          }
          return cur;
        };
        return step(i, acc);
      }),
    ),
  });
}

function deepCopy(v: PyValue, memo: Map<object, PyValue>): PyValue {
  if (typeof v !== 'object' || v === null) return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  if (v instanceof PyList) {
    const out = new PyList([]);
    memo.set(v, out);
    out.items = v.items.map((x) => deepCopy(x, memo));
    return out;
  }
  if (v instanceof PyTuple) return new PyTuple(v.items.map((x) => deepCopy(x, memo)));
  if (v instanceof PyDict) {
    const out = new PyDict();
    memo.set(v, out);
    for (const [k, x] of v.entries()) out.set(deepCopy(k, memo), deepCopy(x, memo));
    return out;
  }
  if (v instanceof PySet) return PySet.of(v.values().map((x) => deepCopy(x, memo)), v.frozen);
  if (v instanceof PyInstance && !v.cls.enumMembers) {
    const out = new PyInstance(v.cls);
    memo.set(v, out);
    for (const [k, x] of v.dict) out.dict.set(k, deepCopy(x, memo));
    return out;
  }
  return v;
}

function mathModule(interp: Interp): PyModule {
  const f1 = (name: string, op: (x: number) => number, toInt = false) =>
    fn(name, (a) => {
      const r = op(num(a[0]));
      if (toInt) {
        if (!Number.isFinite(r)) throw pyErr('OverflowError', 'cannot convert float infinity to integer');
        return Number.isSafeInteger(r) ? r : normInt(BigInt(r));
      }
      return new PyFloat(r);
    });
  return mod('math', {
    pi: new PyFloat(Math.PI),
    e: new PyFloat(Math.E),
    tau: new PyFloat(2 * Math.PI),
    inf: new PyFloat(Infinity),
    nan: new PyFloat(NaN),
    floor: fn('floor', (a) => (typeof a[0] === 'number' ? a[0] : f1('floor', Math.floor, true).fn(a, null, { loc: undefined }))),
    ceil: fn('ceil', (a) => (typeof a[0] === 'number' ? a[0] : f1('ceil', Math.ceil, true).fn(a, null, { loc: undefined }))),
    trunc: f1('trunc', Math.trunc, true),
    sqrt: fn('sqrt', (a) => {
      const x = num(a[0]);
      if (x < 0) throw pyErr('ValueError', 'math domain error');
      return new PyFloat(Math.sqrt(x));
    }),
    exp: f1('exp', Math.exp),
    log: fn('log', (a) => {
      const x = num(a[0]);
      if (x <= 0) throw pyErr('ValueError', 'math domain error');
      return new PyFloat(a.length > 1 ? Math.log(x) / Math.log(num(a[1])) : Math.log(x));
    }),
    log10: f1('log10', Math.log10),
    log2: f1('log2', Math.log2),
    pow: fn('pow', (a) => new PyFloat(Math.pow(num(a[0]), num(a[1])))),
    fabs: f1('fabs', Math.abs),
    sin: f1('sin', Math.sin),
    cos: f1('cos', Math.cos),
    tan: f1('tan', Math.tan),
    atan: f1('atan', Math.atan),
    atan2: fn('atan2', (a) => new PyFloat(Math.atan2(num(a[0]), num(a[1])))),
    isnan: fn('isnan', (a) => Number.isNaN(num(a[0]))),
    isinf: fn('isinf', (a) => !Number.isFinite(num(a[0])) && !Number.isNaN(num(a[0]))),
    isfinite: fn('isfinite', (a) => Number.isFinite(num(a[0]))),
    isclose: fn('isclose', (a, k) => {
      const x = num(a[0]);
      const y = num(a[1]);
      const rt = num(kwOf(k, 'rel_tol'), 1e-9);
      const at = num(kwOf(k, 'abs_tol'), 0);
      return Math.abs(x - y) <= Math.max(rt * Math.max(Math.abs(x), Math.abs(y)), at);
    }),
    gcd: fn('gcd', (a) => {
      let [x, y] = a.map((v) => Math.abs(Number(v)));
      while (y) [x, y] = [y, x % y];
      return x ?? 0;
    }),
    prod: fn('prod', (a, _k, ctx) => then(toArray(interp, a[0], ctx.loc), (xs) => xs.reduce((acc: PyValue, x) => binop2mul(interp, acc, x), 1 as PyValue))),
    fsum: fn('fsum', (a, _k, ctx) => then(toArray(interp, a[0], ctx.loc), (xs) => new PyFloat(xs.reduce((s: number, x) => s + num(x), 0)))),
    factorial: fn('factorial', (a) => {
      let r = 1n;
      for (let i = 2n; i <= BigInt(Number(a[0])); i++) r *= i;
      return normInt(r);
    }),
  });
}

let binop2mul: (interp: Interp, a: PyValue, b: PyValue) => PyValue = () => null;
export function setMultiplier(f: (interp: Interp, a: PyValue, b: PyValue) => PyValue): void {
  binop2mul = f;
}

class StdStream extends HostObject {
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

// ---------------------------------------------------------------------------------------------

export function makeStdlib(interp: Interp, opts: StdlibOptions): Map<string, () => PyModule> {
  activeInterp.interp = interp;
  const clock = new Clock(opts.clock);
  const rng = new Rng(opts.seed);
  const uuidRng = new Rng(`uuid:${opts.seed}`);
  const env = { ...opts.env };
  const modules = new Map<string, () => PyModule>();
  const reg = (name: string, make: () => PyModule) => modules.set(name, make);
  /** A module modelled in part: members it lacks are "not modelled" (exit 2), not AttributeErrors. */
  const regPartial = (name: string, make: () => PyModule) =>
    modules.set(name, () => {
      const m = make();
      m.partial = true;
      return m;
    });
  const ctx: StdlibContext = { interp, env, seed: opts.seed, fileName: opts.fileName, files: opts.files, makeRng: (stream) => new Rng(stream) };

  reg('typing', typingModule);
  reg('typing_extensions', typingModule);
  reg('__future__', () => mod('__future__', { annotations: true }));
  reg('datetime', () => datetimeModule(clock));
  reg('json', () =>
    mod('json', {
      dumps: fn('dumps', (a, k, ctx) => jsonDumps(interp, a[0], k, ctx.loc)),
      loads: fn('loads', (a) => {
        const s = a[0];
        if (s instanceof PyBytes) return jsonLoads(Buffer.from(s.data).toString('utf8'));
        if (typeof s !== 'string') throw pyErr('TypeError', `the JSON object must be str, bytes or bytearray, not ${typeName(s)}`);
        return jsonLoads(s);
      }),
      // json.dump / json.load through the file object's own write() / read() (open() files, the run's overlay).
      dump: fn('dump', async (a, k, ctx) => {
        const fp = a[1] ?? k?.get('fp');
        if (fp === undefined) throw pyErr('TypeError', "dump() missing 1 required positional argument: 'fp'");
        const rest = new Map(k ?? []);
        rest.delete('fp');
        const text = jsonDumps(interp, a[0] ?? rest.get('obj') ?? null, rest, ctx.loc);
        await call(interp, await getAttr(interp, fp, 'write', ctx.loc), [text], null, ctx.loc);
        return null;
      }),
      load: fn('load', async (a, k, ctx) => {
        const fp = a[0] ?? k?.get('fp');
        if (fp === undefined) throw pyErr('TypeError', "load() missing 1 required positional argument: 'fp'");
        const s = await call(interp, await getAttr(interp, fp, 'read', ctx.loc), [], null, ctx.loc);
        if (s instanceof PyBytes) return jsonLoads(Buffer.from(s.data).toString('utf8'));
        if (typeof s !== 'string') throw pyErr('TypeError', `the JSON object must be str, bytes or bytearray, not ${typeName(s)}`);
        return jsonLoads(s);
      }),
      JSONDecodeError,
    }),
  );
  regPartial('os', () => {
    const environ = new Environ(env);
    const path = osPath(ctx);
    return mod('os', {
      environ,
      getenv: fn('getenv', (a, k) => environ.get(a[0]) ?? argOf(a, k, 1, 'default') ?? null),
      path,
      sep: '/',
      linesep: '\n',
      name: 'posix',
      cpu_count: fn('cpu_count', () => 2),
      getpid: fn('getpid', () => 1),
      getcwd: fn('getcwd', () => (ctx.files ? ctx.files.root : '/')),
      ...osFiles(ctx),
    });
  });
  regPartial('os.path', () => osPath(ctx));
  reg('pytest', () => pytestModule(interp));
  reg('pytest_asyncio', () => pytestAsyncioModule(interp));
  reg('uuid', () => {
    const UUID = new PyClass(
      'UUID',
      [],
      new Map(),
      {
        construct: (a, k) => {
          const h = String(argOf(a, k, 0, 'hex') ?? '')
            .replace(/[{}-]/g, '')
            .replace(/^urn:uuid:/, '')
            .toLowerCase();
          if (!/^[0-9a-f]{32}$/.test(h)) throw pyErr('ValueError', 'badly formed hexadecimal UUID string');
          return new PyUUID(h);
        },
        isInstance: (v) => v instanceof PyUUID,
      },
      'UUID',
      'uuid',
    );
    const rand16 = () => {
      const b = new Uint8Array(16);
      for (let i = 0; i < 16; i += 4) {
        const x = uuidRng.u32();
        b[i] = x & 0xff;
        b[i + 1] = (x >>> 8) & 0xff;
        b[i + 2] = (x >>> 16) & 0xff;
        b[i + 3] = (x >>> 24) & 0xff;
      }
      return b;
    };
    const hashed = (algo: string, version: number) =>
      fn(`uuid${version}`, (a) => {
        const ns = a[0];
        if (!(ns instanceof PyUUID)) throw pyErr('TypeError', 'namespace must be a UUID');
        const h = createHash(algo).update(Buffer.from(ns.hex, 'hex')).update(String(a[1])).digest();
        return uuidFromBytes(Uint8Array.from(h.subarray(0, 16)), version);
      });
    return mod('uuid', {
      UUID,
      uuid4: fn('uuid4', () => uuidFromBytes(rand16(), 4)),
      uuid1: fn('uuid1', () => uuidFromBytes(rand16(), 1)),
      uuid5: hashed('sha1', 5),
      uuid3: hashed('md5', 3),
      NAMESPACE_DNS: new PyUUID('6ba7b8109dad11d180b400c04fd430c8'),
      NAMESPACE_URL: new PyUUID('6ba7b8119dad11d180b400c04fd430c8'),
      NAMESPACE_OID: new PyUUID('6ba7b8129dad11d180b400c04fd430c8'),
    });
  });
  reg('random', () => {
    const randint = (lo: number, hi: number) => lo + rng.below(hi - lo + 1);
    return mod('random', {
      seed: fn('seed', (a) => {
        rng.seed(a[0] === undefined || a[0] === null ? opts.seed : str(interp, a[0]));
        return null;
      }),
      random: fn('random', () => new PyFloat(rng.random())),
      randint: fn('randint', (a) => randint(Number(a[0]), Number(a[1]))),
      randrange: fn('randrange', (a) => {
        const [start, stop, step] = a.length === 1 ? [0, Number(a[0]), 1] : [Number(a[0]), Number(a[1]), Number(a[2] ?? 1)];
        const n = Math.ceil((stop - start) / step);
        if (n <= 0) throw pyErr('ValueError', 'empty range for randrange()');
        return start + step * rng.below(n);
      }),
      uniform: fn('uniform', (a) => {
        const lo = num(a[0]);
        const hi = num(a[1]);
        return new PyFloat(lo + (hi - lo) * rng.random());
      }),
      gauss: fn('gauss', (a) => {
        const mu = num(a[0], 0);
        const sigma = num(a[1], 1);
        const u = 1 - rng.random();
        const v = rng.random();
        return new PyFloat(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
      }),
      choice: fn('choice', (a, _k, ctx) =>
        then(toArray(interp, a[0], ctx.loc), (xs) => {
          if (!xs.length) throw pyErr('IndexError', 'Cannot choose from an empty sequence');
          return xs[rng.below(xs.length)];
        }),
      ),
      choices: fn('choices', (a, k, ctx) =>
        then(toArray(interp, a[0], ctx.loc), (xs) => {
          const n = Number(kwOf(k, 'k') ?? 1);
          const weights = kwOf(k, 'weights') ?? a[1];
          const ws = weights instanceof PyList || weights instanceof PyTuple ? weights.items.map((w) => num(w)) : undefined;
          const total = ws ? ws.reduce((s, w) => s + w, 0) : 0;
          const out: PyValue[] = [];
          for (let i = 0; i < n; i++) {
            if (!ws) out.push(xs[rng.below(xs.length)]);
            else {
              let r = rng.random() * total;
              let j = 0;
              while (j < ws.length - 1 && r >= ws[j]) r -= ws[j++];
              out.push(xs[j]);
            }
          }
          return new PyList(out);
        }),
      ),
      shuffle: fn('shuffle', (a) => {
        const l = a[0];
        if (!(l instanceof PyList)) throw pyErr('TypeError', 'shuffle expects a list');
        for (let i = l.items.length - 1; i > 0; i--) {
          const j = rng.below(i + 1);
          [l.items[i], l.items[j]] = [l.items[j], l.items[i]];
        }
        return null;
      }),
      sample: fn('sample', (a, k, ctx) =>
        then(toArray(interp, a[0], ctx.loc), (xs) => {
          const n = Number(argOf(a, k, 1, 'k'));
          if (n > xs.length || n < 0) throw pyErr('ValueError', 'Sample larger than population or is negative');
          const pool = xs.slice();
          const out: PyValue[] = [];
          for (let i = 0; i < n; i++) out.push(pool.splice(rng.below(pool.length), 1)[0]);
          return new PyList(out);
        }),
      ),
    });
  });
  regPartial('time', () =>
    mod('time', {
      time: fn('time', () => new PyFloat(clock.now() / 1000)),
      time_ns: fn('time_ns', () => normInt(BigInt(Math.round(clock.now() * 1e6)))),
      perf_counter: fn('perf_counter', () => new PyFloat(clock.perf())),
      perf_counter_ns: fn('perf_counter_ns', () => Math.round(clock.perf() * 1e9)),
      monotonic: fn('monotonic', () => new PyFloat(clock.perf())),
      monotonic_ns: fn('monotonic_ns', () => Math.round(clock.perf() * 1e9)),
      process_time_ns: fn('process_time_ns', () => Math.round(clock.perf() * 1e9)),
      process_time: fn('process_time', () => new PyFloat(clock.perf())),
      sleep: fn('sleep', (a) => {
        clock.sleep(num(a[0]));
        return null;
      }),
      strftime: fn('strftime', (a) => new PyDateTimeObj(Math.floor(clock.now() * 1000), null, false).strftime(String(a[0]))),
    }),
  );
  reg('decimal', () =>
    mod('decimal', {
      Decimal: new PyClass(
        'Decimal',
        [],
        new Map(),
        {
          construct: (a) => {
            const v = a[0] ?? '0';
            if (typeof v === 'string') {
              const t = v.trim();
              if (parseFloatText(t) === undefined) throw new PyException(makeException(new PyClass('InvalidOperation', [builtinExceptionClasses.get('ArithmeticError')!], new Map(), undefined, 'InvalidOperation', 'decimal'), [`[<class 'decimal.ConversionSyntax'>]`]));
              return new PyDecimalObj(t);
            }
            if (typeof v === 'number' || typeof v === 'bigint') return new PyDecimalObj(String(v));
            if (v instanceof PyDecimalObj) return v;
            if (v instanceof PyFloat) throw unsupported('Decimal(float) (exact binary expansion)', undefined);
            throw pyErr('TypeError', `conversion from ${typeName(v)} to Decimal is not supported`);
          },
          isInstance: (v) => v instanceof PyDecimalObj,
        },
        'Decimal',
        'decimal',
      ),
    }),
  );
  reg('enum', () => {
    fixEnumBases();
    return mod('enum', {
      Enum: EnumBase,
      IntEnum: IntEnumBase,
      StrEnum: StrEnumBase,
      Flag: FlagBase,
      IntFlag: IntEnumBase,
      auto: new PyClass('auto', [], new Map(), { construct: () => new EnumAuto() }, 'auto', 'enum'),
      unique: fn('unique', (a) => a[0]),
    });
  });
  reg('dataclasses', () =>
    mod('dataclasses', {
      dataclass: dataclassDecorator(interp),
      field: fn('field', (_a, k) => new DataclassField(kwOf(k, 'default'), kwOf(k, 'default_factory'), truthy(interp, kwOf(k, 'init') ?? true), truthy(interp, kwOf(k, 'repr') ?? true))),
      asdict: fn('asdict', (a) => asDict(interp, a[0])),
      astuple: fn('astuple', (a) => {
        const d = asDict(interp, a[0]);
        return d instanceof PyDict ? new PyTuple(d.values()) : d;
      }),
      is_dataclass: fn('is_dataclass', (a) => {
        const c = a[0] instanceof PyInstance ? a[0].cls : a[0];
        return c instanceof PyClass && c.lookup('__dataclass_fields__') !== undefined;
      }),
      fields: fn('fields', (a) => {
        const c = a[0] instanceof PyInstance ? a[0].cls : a[0];
        const fs = c instanceof PyClass ? c.lookup('__dataclass_fields__') : undefined;
        return new PyTuple(fs instanceof PyDict ? fs.keys().map((n) => new DataclassFieldInfo(String(n))) : []);
      }),
      replace: fn('replace', (a, k) => {
        const obj = a[0] as PyInstance;
        const out = new PyInstance(obj.cls);
        for (const [n, v] of obj.dict) out.dict.set(n, v);
        if (k) for (const [n, v] of k) out.dict.set(n, v);
        return out;
      }),
      FrozenInstanceError: builtinExceptionClasses.get('AttributeError')!,
    }),
  );
  reg('asyncio', () => asyncioModule(interp, clock));
  regPartial('logging', () => {
    const loggers = new Map<string, Logger>();
    const getLogger = fn('getLogger', (a) => {
      const name = a[0] === undefined || a[0] === null ? 'root' : String(a[0]);
      let l = loggers.get(name);
      if (!l) loggers.set(name, (l = new Logger(name, interp)));
      return l;
    });
    const root = new Logger('root', interp);
    const m: Record<string, PyValue> = {
      getLogger,
      basicConfig: fn('basicConfig', () => null),
      DEBUG: 10,
      INFO: 20,
      WARNING: 30,
      WARN: 30,
      ERROR: 40,
      CRITICAL: 50,
      NOTSET: 0,
      // Records go to the run log whatever the handler (a FileHandler writes no file).
      StreamHandler: fn('StreamHandler', () => new LogHandler('StreamHandler')),
      FileHandler: fn('FileHandler', () => new LogHandler('FileHandler')),
      NullHandler: fn('NullHandler', () => new LogHandler('NullHandler')),
      Formatter: fn('Formatter', () => new LogHandler('Formatter')),
      getLevelName: fn('getLevelName', (a) => {
        const names: Record<number, string> = { 0: 'NOTSET', 10: 'DEBUG', 20: 'INFO', 30: 'WARNING', 40: 'ERROR', 50: 'CRITICAL' };
        const v = a[0];
        if (typeof v === 'number') return names[v] ?? `Level ${v}`;
        const back = Object.entries(names).find(([, n]) => n === v);
        return back ? Number(back[0]) : `Level ${str(interp, v ?? null)}`;
      }),
      captureWarnings: fn('captureWarnings', () => null),
      shutdown: fn('shutdown', () => null),
      root,
      disable: fn('disable', () => null),
    };
    for (const lvl of ['debug', 'info', 'warning', 'error', 'exception', 'critical']) m[lvl] = fn(lvl, (a, _k, ctx) => call(interp, root.getAttr(lvl, interp.hostContext(ctx.loc))!, a, null, ctx.loc));
    return mod('logging', m);
  });
  reg('collections', () => collectionsModule(interp));
  reg('itertools', () => itertoolsModule(interp));
  reg('functools', () => functoolsModule(interp));
  reg('copy', () =>
    mod('copy', {
      copy: fn('copy', (a) => {
        const v = a[0];
        if (v instanceof PyList) return new PyList(v.items.slice());
        if (v instanceof PyDict) return v.copy();
        if (v instanceof PySet) return PySet.of(v.values(), v.frozen);
        if (v instanceof PyInstance) {
          const out = new PyInstance(v.cls);
          for (const [k, x] of v.dict) out.dict.set(k, x);
          return out;
        }
        return v;
      }),
      deepcopy: fn('deepcopy', (a) => deepCopy(a[0], new Map())),
    }),
  );
  reg('math', () => mathModule(interp));
  regPartial('sys', () =>
    mod('sys', {
      argv: new PyList([opts.fileName, ...(opts.argv ?? [])]),
      version: '3.12.0 (dataflow evaluator)',
      version_info: new PyTuple([3, 12, 0, 'final', 0]),
      platform: 'linux',
      path: new PyList([]),
      maxsize: Number.MAX_SAFE_INTEGER,
      modules: new PyDict(),
      stdout: new StdStream(interp, 'stdout'),
      stderr: new StdStream(interp, 'stderr'),
      exit: fn('exit', (a) => {
        throw pyErr('SystemExit', ...((a.length ? [a[0]] : []) as [PyValue]));
      }),
      getrecursionlimit: fn('getrecursionlimit', () => interp.limits.maxDepth),
      setrecursionlimit: fn('setrecursionlimit', () => null),
    }),
  );
  reg('warnings', () =>
    mod('warnings', {
      warn: fn('warn', (a, _k, ctx) => {
        interp.hooks.log('WARNING', str(interp, a[0] ?? ''), ctx.loc);
        return null;
      }),
      filterwarnings: fn('filterwarnings', () => null),
      simplefilter: fn('simplefilter', () => null),
    }),
  );
  reg('dotenv', () => dotenvModule(ctx));
  reg('pathlib', () => pathlibModule(ctx));
  reg('tempfile', () => tempfileModule(ctx));
  reg('traceback', () => tracebackModule(ctx));
  reg('secrets', () => secretsModule(ctx));
  reg('gc', () => gcModule(ctx));
  reg('inspect', () => inspectModule(ctx));
  reg('argparse', () => argparseModule(ctx));
  reg('socket', () => socketModule(ctx));
  reg('contextlib', () => contextlibModule(ctx));
  reg('statistics', () => statisticsModule(ctx));
  reg('re', () => reModule(ctx));
  reg('yaml', () => yamlModule(ctx));
  reg('difflib', () => difflibModule(ctx));
  reg('hashlib', () => hashlibModule(ctx));
  // One sqlite3 per evaluation: aiosqlite runs on its connections and shares its Row and exceptions.
  let sqlite3: Sqlite3Api | undefined;
  const sqlite3Api = () => (sqlite3 ??= sqlite3Module(ctx));
  reg('sqlite3', () => sqlite3Api().module);
  let aiosqlite: ReturnType<typeof aiosqliteModules> | undefined;
  const aiosqliteApi = () => (aiosqlite ??= aiosqliteModules(ctx, sqlite3Api()));
  reg('aiosqlite', () => aiosqliteApi().top);
  reg('aiosqlite.core', () => aiosqliteApi().core);
  reg('abc', () =>
    mod('abc', {
      ABC: new PyClass('ABC', [], new Map(), undefined, 'ABC', 'abc'),
      abstractmethod: fn('abstractmethod', (a) => a[0]),
    }),
  );
  return modules;
}

class DataclassFieldInfo extends HostObject {
  constructor(readonly name: string) {
    super();
  }
  override get typeName(): string {
    return 'Field';
  }
  override getAttr(name: string): PyValue | undefined {
    return name === 'name' ? this.name : undefined;
  }
}

/**
 * os's file operations on what the run sees: reads (listdir) inside the project root; writes
 * (remove, makedirs, ...) in the run's scratch folder, project paths through its overlay (fileAccess.ts).
 */
function osFiles(ctx: StdlibContext): Record<string, PyValue> {
  const { interp } = ctx;
  const target = (name: string, p: PyValue, loc: SourceLocation | undefined): { files: FileAccess; abs: string } => {
    const files = ctx.files;
    if (!files) throw unsupported(`os.${name}() (file system access)`, loc, 'this evaluation has no project folder');
    const abs = files.resolve(str(interp, p));
    if (!files.canRead(abs)) throw unsupported(`os.${name}() outside the project root and the run's scratch folder`, loc, abs);
    return { files, abs };
  };
  const missing = (p: PyValue) => pyErr('FileNotFoundError', `[Errno 2] No such file or directory: '${str(interp, p)}'`);
  const fsCall = <T>(p: PyValue, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw pyErr('FileNotFoundError', `[Errno 2] No such file or directory: '${str(interp, p)}'`);
      if (code === 'EEXIST') throw pyErr('FileExistsError', `[Errno 17] File exists: '${str(interp, p)}'`);
      throw pyErr('OSError', (e as Error).message);
    }
  };
  const remove = (name: string, dir: boolean) =>
    fn(name, (a, _k, c) => {
      const { files, abs } = target(name, a[0], c.loc);
      return fsCall(a[0], () => (files.remove(abs, dir), null));
    });
  const makeDir = (name: string, parents: boolean) =>
    fn(name, (a, k, c) => {
      const { files, abs } = target(name, a[0], c.loc);
      if (files.exists(abs)) {
        if (parents && truthy(interp, argOf(a, k, 2, 'exist_ok') ?? false) && fs.statSync(files.diskForRead(abs)!).isDirectory()) return null;
        throw pyErr('FileExistsError', `[Errno 17] File exists: '${str(interp, a[0])}'`);
      }
      if (!parents && !files.exists(nodePath.dirname(abs))) throw missing(a[0]);
      const disk = files.diskForWrite(abs);
      if (disk === undefined) throw unsupported(`os.${name}() of the run's scratch folder itself`, c.loc, abs);
      return fsCall(a[0], () => (fs.mkdirSync(disk, { recursive: true }), null));
    });
  return {
    remove: remove('remove', false),
    unlink: remove('unlink', false),
    rmdir: remove('rmdir', true),
    makedirs: makeDir('makedirs', true),
    mkdir: makeDir('mkdir', false),
    listdir: fn('listdir', (a, _k, c) => {
      const { files, abs } = target('listdir', a[0] ?? '.', c.loc);
      const names = files.list(abs);
      if (names === undefined) throw missing(a[0] ?? '.');
      return new PyList(names);
    }),
    fspath: fn('fspath', (a) => (typeof a[0] === 'string' || a[0] instanceof PyBytes ? a[0] : str(interp, a[0]))),
    // Descriptors come only from tempfile.mkstemp (a token): closing one is all the evaluator models.
    close: fn('close', () => null),
  };
}

function osPath(ctx: StdlibContext): PyModule {
  const { interp } = ctx;
  const text = (v: PyValue) => str(interp, v);
  const join = fn('join', (a) => {
    let out = '';
    for (const p of a.map(text)) {
      if (p.startsWith('/')) out = p;
      else out = out === '' || out.endsWith('/') ? out + p : out + '/' + p;
    }
    return out;
  });
  /** A path the run may read (inside the project root or its scratch folder); elsewhere the check is not modelled. */
  const readable = (name: string, p: PyValue, loc: SourceLocation | undefined): string => {
    const files = ctx.files;
    if (!files) throw unsupported(`os.path.${name}() (file system access)`, loc, 'this evaluation has no project folder');
    const abs = files.resolve(text(p));
    const disk = files.canRead(abs) ? files.diskForRead(abs) : undefined;
    if (disk === undefined) throw unsupported(`os.path.${name}() outside the project root`, loc, `${abs} is outside ${files.root}`);
    return disk;
  };
  const stat = (name: string, p: PyValue, loc: SourceLocation | undefined) => {
    try {
      return fs.statSync(readable(name, p, loc));
    } catch (e) {
      if (e instanceof UnsupportedPythonError) throw e;
      return undefined;
    }
  };
  return mod('os.path', {
    join,
    basename: fn('basename', (a) => text(a[0]).split('/').pop() ?? ''),
    dirname: fn('dirname', (a) => {
      const s = text(a[0]);
      const i = s.lastIndexOf('/');
      return i < 0 ? '' : i === 0 ? '/' : s.slice(0, i);
    }),
    splitext: fn('splitext', (a) => {
      const s = text(a[0]);
      const i = s.lastIndexOf('.');
      const slash = s.lastIndexOf('/');
      return i > slash + 1 ? new PyTuple([s.slice(0, i), s.slice(i)]) : new PyTuple([s, '']);
    }),
    abspath: fn('abspath', (a) => (ctx.files ? ctx.files.resolve(text(a[0])) : text(a[0]))),
    isabs: fn('isabs', (a) => text(a[0]).startsWith('/')),
    relpath: fn('relpath', (a) => nodePath.posix.relative(ctx.files ? ctx.files.resolve(text(a[1] ?? '.')) : text(a[1] ?? '.'), ctx.files ? ctx.files.resolve(text(a[0])) : text(a[0])) || '.'),
    expanduser: fn('expanduser', (a, _k, c) => {
      if (text(a[0]).startsWith('~')) throw unsupported('os.path.expanduser() (the home folder)', c.loc);
      return text(a[0]);
    }),
    normpath: fn('normpath', (a) => nodePath.posix.normalize(text(a[0])).replace(/(.)\/$/, '$1')),
    exists: fn('exists', (a, _k, c) => stat('exists', a[0], c.loc) !== undefined),
    isfile: fn('isfile', (a, _k, c) => stat('isfile', a[0], c.loc)?.isFile() ?? false),
    isdir: fn('isdir', (a, _k, c) => stat('isdir', a[0], c.loc)?.isDirectory() ?? false),
    getsize: fn('getsize', (a, _k, c) => {
      const st = stat('getsize', a[0], c.loc);
      if (!st) throw pyErr('FileNotFoundError', `[Errno 2] No such file or directory: '${text(a[0])}'`);
      return st.size;
    }),
    sep: '/',
  });
}

export { contains, sortValues, toFloat, toInt, DictView, getItem, numCompare };
