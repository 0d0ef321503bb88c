/** datetime: datetime, date, timedelta, timezone, strptime/strftime (C locale). */
import { Kwargs, NativeFn, PyClass, PyFloat, PyModule, PyStaticMethod, PyValue, SourceLocation, UnsupportedPythonError, pyErr } from '../values';
import { typeName, unsupported } from '../runtime';
import { HostContext, HostObject } from '../host';
import { numOf } from '../numeric';
import { pyStrRepr } from '../protocols/text';
import { fn, num, argOf, kwOf, mod } from './kit';
import { Clock } from './clockAndRng';

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
        case 'tzname':
          return fn('tzname', () => (this.tz ? this.tz.str() : null));
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

export function datetimeModule(clock: Clock): PyModule {
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
