// Node.validate_outputs (kailash/nodes/base.py): the outputs re-ordered by the output schema
// (schema keys with a non-None value first, then every other key in its original order) and
// checked for JSON-serializability.
import { isDfRecord, type DfRecord } from '../../dataflow/values/dfValues';
import { PyDate, PyDateTime, PyDecimal } from '../../shared/hostValues';
import { CoreNodeError } from './nodeErrors';
import { FloatNumber } from '../../python/floatNumber';

/** json.dumps(v) succeeds, for a DataFlow-layer value. */
export function isJsonSerializable(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return true;
    case 'object':
      if (v instanceof PyDateTime || v instanceof PyDate || v instanceof PyDecimal || v instanceof Uint8Array) return false;
      if (v instanceof FloatNumber) return true;
      if (Array.isArray(v)) return v.every(isJsonSerializable);
      if (isDfRecord(v)) return Object.values(v).every(isJsonSerializable);
      return false;
    default:
      return false;
  }
}

export function validateOutputs(outputs: DfRecord, schemaKeys: readonly string[]): DfRecord {
  const validated: DfRecord = {};
  for (const k of schemaKeys) if (k in outputs && outputs[k] !== null && outputs[k] !== undefined) validated[k] = outputs[k];
  for (const [k, v] of Object.entries(outputs)) if (!(k in validated)) validated[k] = v;
  const bad = Object.entries(validated).filter(([, v]) => !isJsonSerializable(v)).map(([k]) => `'${k}'`);
  if (bad.length) throw new CoreNodeError('NodeValidationError', `Node outputs must be JSON-serializable. Failed keys: [${bad.join(', ')}]`);
  return validated;
}
