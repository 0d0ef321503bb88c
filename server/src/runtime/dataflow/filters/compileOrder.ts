import { quoteDotted } from '../../db/quoteIdent';
import { isDfRecord, type DfValue } from '../values/dfValues';

/**
 * ListNode ordering (§4.4): `order_by` entries are "field" (ASC), "-field" (DESC) or
 * {field: 1|-1} (anything but -1 is ASC). `sort` ([{field, order}]) is used only when order_by is
 * empty. With neither, `"id" DESC`. A string order_by split into characters gives `"" DESC, "p" ASC`.
 */
export function compileOrder(orderBy: DfValue[], sort: DfValue[]): string[] {
  let spec: DfValue[] = orderBy;
  if (spec.length === 0 && sort.length > 0) {
    spec = [];
    for (const s of sort) {
      if (!isDfRecord(s)) continue;
      const field = s.field;
      const order = typeof s.order === 'string' ? s.order.toLowerCase() : 'asc';
      if (field !== null && field !== undefined && field !== '') spec.push({ [String(field)]: order === 'asc' ? 1 : -1 });
    }
  }
  if (spec.length === 0) return [`${quoteDotted('id')} DESC`];
  const out: string[] = [];
  for (const item of spec) {
    if (isDfRecord(item)) {
      for (const [field, dir] of Object.entries(item)) out.push(`${quoteDotted(field)} ${dir === -1 ? 'DESC' : 'ASC'}`);
    } else if (typeof item === 'string' && item.startsWith('-')) {
      out.push(`${quoteDotted(item.slice(1))} DESC`);
    } else {
      out.push(`${quoteDotted(String(item))} ASC`);
    }
  }
  return out;
}
