import type { SqlParam } from '../../db/types';
import type { RuntimeField } from '../schema';

const BASE_TIME = Date.UTC(2024, 0, 1, 0, 0, 0);

/** A type-correct synthetic value for row `i` (unique per i for every type but bool). */
export function syntheticValue(f: RuntimeField, i: number): SqlParam {
  switch (f.type) {
    case 'str':
      return `${f.name}_${i}`;
    case 'int':
      return i;
    case 'float':
      return i + 0.5;
    case 'bool':
      return i % 2 === 0;
    case 'datetime':
      return new Date(BASE_TIME + i * 1000).toISOString().replace('Z', '');
    case 'date':
      return new Date(BASE_TIME + i * 86_400_000).toISOString().slice(0, 10);
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
