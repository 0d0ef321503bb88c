import type { ExecutionContext } from '../context';
import { DataFlowNodeError, dataflowError } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';
import { sanitizeInputs } from '../values/sanitizeInput';
import { isDfRecord, pyTypeName, type DfRecord } from '../values/dfValues';
import { OPERATIONS, VALIDATOR_ALLOW_LIST, type NodeOperation } from '../../../catalogue';

/**
 * DataFlow's `validate_inputs` override (dataflow/core/nodes.py:865): AUTO-STRIP of timestamps on Update, the string
 * sanitiser, the str-field container check and the List/Count operator allow-list. Runs on the
 * workflow path and for bulk nodes on every path; express single-record calls skip it.
 */
export function validateInputs(ctx: ExecutionContext, model: RuntimeModel, op: NodeOperation, inputs: DfRecord): DfRecord {
  let working: DfRecord = { ...inputs };
  if (op === 'Update') {
    const target = 'fields' in working ? working.fields : working.updates;
    if (isDfRecord(target)) {
      const stripped = ['created_at', 'updated_at'].filter((k) => k in target);
      if (stripped.length) {
        const copy = { ...target };
        for (const k of stripped) delete copy[k];
        working['fields' in working ? 'fields' : 'updates'] = copy;
        ctx.quirk('update-auto-stripped-timestamps', `AUTO-STRIPPED: Fields [${stripped.map((s) => `'${s}'`).join(', ')}] removed from update.`, { model: model.name });
      }
    }
  }
  const { inputs: sanitized, changed } = sanitizeInputs(working);
  working = sanitized;
  if (changed.length) {
    ctx.quirk('input-sanitiser-rewrote-values', `DataFlow's SQL-injection sanitiser rewrote string values in: ${changed.join(', ')}`, { model: model.name });
  }
  if (op === 'Create' || op === 'Update') {
    for (const [k, v] of Object.entries(working)) {
      const f = fieldOf(model, k);
      if (f?.type === 'str' && (Array.isArray(v) || isDfRecord(v))) {
        throw new DataFlowNodeError(`Field '${k}' of ${model.name} expects str, got ${pyTypeName(v)} (parameter type mismatch)`, { errorType: 'ValueError' });
      }
    }
  }
  if (op === 'List' || op === 'Count') {
    const filter = working.filter;
    if (isDfRecord(filter)) {
      for (const [field, value] of Object.entries(filter)) {
        if (!isDfRecord(value)) continue;
        for (const opName of Object.keys(value)) {
          if (opName.startsWith('$') && !(VALIDATOR_ALLOW_LIST as readonly string[]).includes(opName)) {
            // ErrorEnhancer.enhance_unsafe_filter_operator (core/nodes.py:1135, DF-701).
            throw dataflowError({
              code: 'DF-701',
              errorCode: 'NODE_NOT_FOUND',
              message: `Unsafe filter operator '${opName}' on ${model.name}.${field} in ${OPERATIONS[op].operation} operation`,
              context: [['model_name', model.name], ['field_name', field], ['operator', opName], ['operation', OPERATIONS[op].operation]],
              original: { type: 'ValueError', message: `Unsafe filter operator '${opName}' in field '${field}'` },
            });
          }
        }
      }
    }
  }
  return working;
}
