// `dataflow.testing.tdd_support.is_tdd_mode()`: DataFlow's TDD switch, read from the run's environment
// as DataFlow reads it (DATAFLOW_TDD_MODE, lower-cased, one of true/yes/1/on/enabled). The module's
// other members (the TDD infrastructure on its own PostgreSQL) are not modelled.
import { hostFunction } from '../python/host';
import { PyModule, type PyValue } from '../python/values';

export function tddSupportModule(env: Record<string, string>): PyModule {
  const is_tdd_mode = hostFunction('is_tdd_mode', () => ['true', 'yes', '1', 'on', 'enabled'].includes((env.DATAFLOW_TDD_MODE ?? 'false').toLowerCase()));
  const m = new PyModule('dataflow.testing.tdd_support', new Map<string, PyValue>([['is_tdd_mode', is_tdd_mode]]));
  m.dict.set('__name__', m.name);
  m.partial = true;
  return m;
}
