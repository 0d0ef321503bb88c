import { PyDateTime } from '../../shared/hostValues';

/**
 * PostgreSQL text for timestamp/timestamptz → Python datetime.isoformat().
 * '2024-01-02 03:04:05'       → '2024-01-02T03:04:05'
 * '2024-01-02 03:04:05.12'    → '2024-01-02T03:04:05.120000'
 * '2024-01-02 03:04:05+00'    → '2024-01-02T03:04:05+00:00'
 */
export function pgTimestampToIso(text: string): string {
  const m = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?([+-]\d{2}(?::?\d{2})?(?::\d{2})?)?$/.exec(text);
  if (!m) return text;
  const [, date, time, frac, tz] = m;
  let out = `${date}T${time}`;
  if (frac && Number(frac) !== 0) out += '.' + frac.padEnd(6, '0');
  if (tz) {
    const sign = tz[0];
    const digits = tz.slice(1).replace(/:/g, '');
    const hh = digits.slice(0, 2);
    const mm = digits.slice(2, 4) || '00';
    const ss = digits.slice(4, 6);
    out += `${sign}${hh}:${mm}` + (ss ? `:${ss}` : '');
  }
  return out;
}

/**
 * Python's datetime.fromisoformat(value.replace("Z", "+00:00")) as DataFlow applies it to
 * strings bound for datetime fields. Returns undefined when Python would raise (DataFlow then
 * leaves the string as is and lets the database decide).
 */
export function parsePythonIsoDatetime(value: string): PyDateTime | undefined {
  const v = value.replace(/Z/g, '+00:00');
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?([+-]\d{2}:?\d{2}(?::?\d{2})?)?)?$/.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(y), month)) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59)) return undefined;
  let iso = `${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}`;
  if (frac && Number(frac) !== 0) iso += '.' + frac.padEnd(6, '0');
  if (tz) {
    const digits = tz.slice(1).replace(/:/g, '');
    iso += `${tz[0]}${digits.slice(0, 2)}:${digits.slice(2, 4)}` + (digits.length > 4 ? `:${digits.slice(4, 6)}` : '');
  }
  return new PyDateTime(iso);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
