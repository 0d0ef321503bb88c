import { floatRepr } from '../../python/numeric';
import { FloatNumber } from '../../python/floatNumber';
import { isDfRecord, pyJsonDumps, type DfValue } from '../values/dfValues';
import { PyDate, PyDateTime, PyDecimal, HostUUID } from '../../shared/hostValues';

/**
 * Renders a model default as a DDL literal. DDL cannot take bound parameters, so constants are
 * rendered here — safely: strings are single-quoted with quotes doubled and rendered as
 * standard-conforming literals (backslashes are literal), NUL is refused, numbers must be finite.
 * DataFlow pastes strings unescaped; a default containing a quote breaks its DDL but not ours.
 * Returns undefined when no SQL DEFAULT should be emitted.
 */
export function renderDefaultLiteral(value: DfValue): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' || value instanceof FloatNumber) {
    const n = Number(value);
    if (!Number.isFinite(n)) return undefined;
    // DataFlow's f-string: str(0.0) is '0.0', str(1e-05) '1e-05' (PostgreSQL reads both)
    return typeof value === 'number' && Number.isInteger(value) ? String(value) : floatRepr(n);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return quoteLiteral(value);
  if (value instanceof PyDateTime || value instanceof PyDate || value instanceof PyDecimal || value instanceof HostUUID) return quoteLiteral(value.toString());
  if (Array.isArray(value) || isDfRecord(value)) return quoteLiteral(pyJsonDumps(value)) + '::jsonb';
  return undefined;
}

export function quoteLiteral(s: string): string {
  if (s.includes('\u0000')) throw new Error('a DDL literal cannot contain NUL');
  return "'" + s.replace(/'/g, "''") + "'";
}
