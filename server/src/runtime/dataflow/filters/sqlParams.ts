import type { SqlParam } from '../../db/types';

/** Collects bound parameters and hands out $n placeholders. */
export class ParamList {
  readonly values: SqlParam[] = [];
  constructor(private readonly start = 1) {}
  add(v: SqlParam): string {
    this.values.push(v);
    return `$${this.start + this.values.length - 1}`;
  }
  get next(): number {
    return this.start + this.values.length;
  }
}
