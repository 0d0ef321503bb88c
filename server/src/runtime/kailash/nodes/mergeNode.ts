// MergeNode (kailash/nodes/logic/operations.py, kailash 2.63): merges data1..data5 into
// merged_data by concat, zip or merge_dict, with its None handling and errors.
import { isDfRecord, type DfRecord, type DfValue } from '../../dataflow/values/dfValues';
import type { NodeExecutionEnv } from '../../workflow/types';
import { DeclaredParameterNode, type CoreParam } from './declaredNode';
import { pyEq } from './pyOps';

const PARAMS: CoreParam[] = [
  { name: 'data1', type: 'any' },
  { name: 'data2', type: 'any' },
  { name: 'data3', type: 'any' },
  { name: 'data4', type: 'any' },
  { name: 'data5', type: 'any' },
  { name: 'merge_type', type: 'str', default: 'concat' },
  { name: 'key', type: 'str' },
  { name: 'skip_none', type: 'bool', default: true },
];

function valueError(message: string): Error {
  return Object.assign(new Error(message), { pythonType: 'ValueError' });
}

export class MergeNodeInstance extends DeclaredParameterNode {
  readonly type = 'MergeNode';

  constructor(id: string, config: DfRecord) {
    super(id, config, PARAMS, []);
  }

  /** MergeNode.execute: merge_type "unknown_type" among the runtime inputs raises before Node.execute. */
  override async execute(env: NodeExecutionEnv, runtimeInputs: DfRecord): Promise<unknown> {
    if (runtimeInputs.merge_type === 'unknown_type') throw valueError(`Unknown merge type: unknown_type`);
    return super.execute(env, runtimeInputs);
  }

  protected run(kw: DfRecord): DfRecord {
    const slots = [1, 2, 3, 4, 5].map((i) => `data${i}`);
    if (slots.every((k) => kw[k] === null || kw[k] === undefined) && (kw.skip_none ?? true)) return { merged_data: null };
    if (!('data1' in kw)) throw valueError("Required parameter 'data1' not provided at execution time");
    const inputs: DfValue[] = slots.filter((k) => k in kw && kw[k] !== null && kw[k] !== undefined).map((k) => kw[k]);
    if (!inputs.length) return { merged_data: null };
    if (inputs.length === 1) return { merged_data: inputs[0] };
    const mergeType = kw.merge_type ?? 'concat';
    const key = kw.key as string | undefined;
    let result: DfValue;
    if (mergeType === 'concat') {
      result = inputs.every(Array.isArray) ? (inputs as DfValue[][]).flat(1) : inputs;
    } else if (mergeType === 'zip') {
      const lists = inputs.map((d) => (Array.isArray(d) ? d : [d]));
      const n = Math.min(...lists.map((l) => l.length));
      result = Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
    } else if (mergeType === 'merge_dict') {
      if (inputs.every(isDfRecord)) {
        result = Object.assign({}, ...(inputs as DfRecord[]));
      } else if (inputs.every(Array.isArray) && key) {
        const out = [...(inputs[0] as DfValue[])];
        for (const data of inputs.slice(1) as DfValue[][]) {
          const indexed = new Map<string, { k: DfValue; item: DfRecord }>();
          const idx = (v: DfValue) => JSON.stringify([typeof v, v]);
          for (const item of data) if (isDfRecord(item)) indexed.set(idx(item[key] ?? null), { k: item[key] ?? null, item });
          out.forEach((item, i) => {
            if (isDfRecord(item) && key in item) {
              const hit = indexed.get(idx(item[key]));
              if (hit && pyEq(hit.k, item[key])) out[i] = { ...item, ...hit.item };
            }
          });
          const keys = out.filter((item): item is DfRecord => isDfRecord(item) && key in item).map((item) => item[key]);
          for (const item of data) if (isDfRecord(item) && key in item && !keys.some((k) => pyEq(k, item[key]))) out.push(item);
        }
        result = out;
      } else throw valueError('merge_dict requires dict inputs or lists of dicts with a key');
    } else throw valueError(`Unknown merge type: ${mergeType}`);
    return { merged_data: result };
  }
}
