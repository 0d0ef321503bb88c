/**
 * Result-value normalisation shared by both backends, chosen to match what asyncpg hands
 * DataFlow in Python:
 * - float4 (REAL) goes through Math.fround, like asyncpg's binary float4 → Python float
 *   (3.3 → 3.299999952316284);
 * - timestamp / timestamptz / date / time stay as PostgreSQL text; the DataFlow layer turns them
 *   into Python isoformat() strings (no JS Date, which would lose microseconds and apply the local zone);
 * - int8 (COUNT(*)) becomes a number;
 * - numeric stays a string (Python Decimal has no JS equivalent);
 * - json / jsonb stay JSON text, as asyncpg returns them without a codec: DataFlow hands List/Dict
 *   fields back as strings (recorded: test/conformance/cases/field_types).
 */
import { FloatNumber } from '../python/floatNumber';

export const OID = {
  BOOL: 16,
  BYTEA: 17,
  INT8: 20,
  INT2: 21,
  INT4: 23,
  TEXT: 25,
  JSON: 114,
  FLOAT4: 700,
  FLOAT8: 701,
  DATE: 1082,
  TIME: 1083,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  NUMERIC: 1700,
  JSONB: 3802,
} as const;

export type TextParser = (value: string) => unknown;

const identity: TextParser = (v) => v;

export const textParsers: Record<number, TextParser> = {
  [OID.FLOAT4]: (v) => Math.fround(Number(v)),
  [OID.FLOAT8]: (v) => Number(v),
  [OID.INT8]: (v) => {
    const big = BigInt(v);
    return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
  },
  [OID.INT2]: (v) => Number(v),
  [OID.INT4]: (v) => Number(v),
  [OID.NUMERIC]: identity,
  [OID.DATE]: identity,
  [OID.TIME]: identity,
  [OID.TIMESTAMP]: identity,
  [OID.TIMESTAMPTZ]: identity,
  [OID.JSON]: identity,
  [OID.JSONB]: identity,
  [OID.BOOL]: (v) => v === 't' || v === 'true',
};

/** Prepare a parameter for either driver: bigint → string; Buffer/Uint8Array kept. */
export function prepareParam(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof FloatNumber) return value.value;
  return value;
}
