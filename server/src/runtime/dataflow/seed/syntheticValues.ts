import type { SqlParam } from '../../db/types';
import type { RuntimeField } from '../schema';

const BASE_TIME = Date.UTC(2024, 0, 1, 0, 0, 0);
const YEAR_MS = 365 * 86_400_000;

/** Field names whose values repeat in real tables: a few values, skewed (the first is the most common). */
const CATEGORICAL = /(^|_)(status|state|category|categories|type|kind|tier|plan|country|region|role|level|priority|stage|source|channel|currency|segment|group)$/;
/** How many distinct values a categorical field takes, and the weights (Zipf-like) of the first few. */
const CATEGORIES = 12;

/**
 * A type-correct synthetic value for row `i` of `n` that looks like the data the field holds:
 * emails for email fields, a spread of timestamps over a year, a skewed handful of values for
 * categorical names (status, category, country …), parent ids in 1..n for `<parent>_id` ints.
 * `unique`: the field is covered by a unique index on it alone, so every row stays distinct.
 */
export function syntheticValue(f: RuntimeField, i: number, n = i, unique = false): SqlParam {
  const name = f.name.toLowerCase();
  switch (f.type) {
    case 'str':
      if (name.includes('email')) return `user${i}@example.com`;
      if (!unique && CATEGORICAL.test(name)) return `${f.name}_${skewed(i)}`;
      return `${f.name}_${i}`;
    case 'int':
      if (!unique && /_id$/.test(name)) return ((i * 7919) % Math.max(1, n)) + 1;
      if (!unique && CATEGORICAL.test(name)) return skewed(i);
      return i;
    case 'float':
      return i + 0.5;
    case 'bool':
      return i % 2 === 0;
    case 'datetime':
      // Spread over the year before 2025-01-01 whatever n is (unique: one second apart).
      return new Date(unique ? BASE_TIME + i * 1000 : BASE_TIME + Math.floor(((i * 7919) % 1_000_003) / 1_000_003 * YEAR_MS)).toISOString().replace('Z', '');
    case 'date':
      return new Date(BASE_TIME + (unique ? i : (i * 7919) % 365) * 86_400_000).toISOString().slice(0, 10);
    case 'Decimal':
      return `${i}.00`;
    case 'dict':
      return JSON.stringify({ n: i });
    case 'list':
      return JSON.stringify([i]);
    case 'bytes':
      return new Uint8Array([i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff]);
    default:
      return `${f.name}_${i}`;
  }
}

/** Value 1..CATEGORIES for row i, roughly Zipf: value k is taken by about 1/k of the rows of value 1. */
function skewed(i: number): number {
  // Harmonic weights 1, 1/2, …, 1/12 over a deterministic position in [0, 1).
  const x = ((i * 2654435761) % 4294967296) / 4294967296;
  let total = 0;
  for (let k = 1; k <= CATEGORIES; k++) total += 1 / k;
  let acc = 0;
  for (let k = 1; k <= CATEGORIES; k++) {
    acc += 1 / k / total;
    if (x < acc) return k;
  }
  return CATEGORIES;
}
