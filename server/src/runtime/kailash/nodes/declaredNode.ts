// The parts of kailash.nodes.base.Node that core nodes with declared parameters share: the config
// a node gets at build time (the user's config, then every non-None parameter default), and
// Node.execute: config under the runtime inputs, ${templates}, a nested `config` dict,
// validate_inputs (name / workflow_alias / auto_map_from / auto_map_primary resolution, None
// dropped for optional parameters, type conversion), run(), validate_outputs.
import { FloatNumber } from '../../python/floatNumber';
import { isDfRecord, pyRepr, pyTypeName, truthy, type DfRecord, type DfValue } from '../../dataflow/values/dfValues';
import { resolveTemplates } from '../../workflow/parameters';
import { pyStr } from '../../workflow/localRuntime';
import type { NodeExecutionEnv, NodeParamInfo, WorkflowNodeInstance } from '../../workflow/types';
import { CoreNodeError, wrapRunError } from './nodeErrors';
import { validateOutputs } from './validateOutputs';

export interface CoreParam {
  name: string;
  type: 'any' | 'str' | 'bool' | 'list' | 'int' | 'dict';
  required?: boolean;
  default?: DfValue;
  workflowAlias?: string;
  autoMapFrom?: string[];
  autoMapPrimary?: boolean;
}

/** Python's str(v) for the values this layer holds. */
function str(v: DfValue): string {
  return typeof v === 'string' ? v : pyStr(v);
}

function convert(p: CoreParam, value: DfValue): DfValue {
  const fail = (detail: string) =>
    new CoreNodeError('NodeValidationError', `Input '${p.name}' must be of type ${p.type}, got ${pyTypeName(value)}. Conversion failed: ${detail}`);
  switch (p.type) {
    case 'any':
      return value;
    case 'str':
      return str(value);
    case 'bool':
      return typeof value === 'boolean' ? value : truthy(value);
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'number' || value instanceof FloatNumber) return Math.trunc(Number(value));
      if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
      throw fail(`invalid literal for int() with base 10: ${pyRepr(value)}`);
    case 'list':
      if (Array.isArray(value)) return value;
      if (typeof value === 'string') return [...value];
      if (isDfRecord(value)) return Object.keys(value);
      throw fail(`'${pyTypeName(value)}' object is not iterable`);
    case 'dict':
      if (isDfRecord(value)) return value;
      throw fail(`cannot convert ${pyTypeName(value)} to dict`);
  }
}

export abstract class DeclaredParameterNode implements WorkflowNodeInstance {
  readonly config: DfRecord;
  abstract readonly type: string;
  /** SwitchNode and MergeNode are plain Nodes. */
  readonly isAsyncNode: boolean = false;

  constructor(
    readonly id: string,
    config: DfRecord,
    readonly params: readonly CoreParam[],
    /** get_output_schema() keys, in order. */
    readonly outputSchema: readonly string[],
  ) {
    const cfg: DfRecord = { ...config };
    for (const p of params) if (!(p.name in cfg) && p.default !== undefined && p.default !== null) cfg[p.name] = p.default;
    this.config = cfg;
  }

  parameters(): NodeParamInfo[] {
    return this.params.map((p) => ({ name: p.name, required: p.required === true, autoMapFrom: p.autoMapFrom }));
  }

  missingRequiredInputs(availableKeys: Iterable<string>): string[] {
    const have = new Set([...Object.keys(this.config), ...availableKeys]);
    return this.params.filter((p) => p.required && !have.has(p.name)).map((p) => p.name);
  }

  /** Node.validate_inputs */
  validateInputs(kwargs: DfRecord): DfRecord {
    const resolved: DfRecord = {};
    const used = new Set<string>();
    for (const p of this.params) {
      if (p.name in kwargs) {
        resolved[p.name] = kwargs[p.name];
        used.add(p.name);
      } else if (p.workflowAlias && p.workflowAlias in kwargs) {
        resolved[p.name] = kwargs[p.workflowAlias];
        used.add(p.workflowAlias);
      } else if (p.autoMapFrom) {
        const alt = p.autoMapFrom.find((a) => a in kwargs && !used.has(a));
        if (alt !== undefined) {
          resolved[p.name] = kwargs[alt];
          used.add(alt);
        }
      }
    }
    const primary = this.params.filter((p) => p.autoMapPrimary && !(p.name in resolved));
    if (primary.length === 1) {
      const remaining = Object.entries(kwargs).filter(([k]) => !used.has(k) && !k.startsWith('_'));
      if (remaining.length) {
        let best = remaining[0];
        const len = (v: DfValue) => (v === null || v === undefined ? 0 : str(v).length);
        for (const r of remaining) if (len(r[1]) > len(best[1])) best = r;
        resolved[primary[0].name] = best[1];
        used.add(best[0]);
      }
    }
    const validated: DfRecord = {};
    for (const p of this.params) {
      if (p.name in resolved) {
        const value = resolved[p.name];
        if ((value === null || value === undefined) && !p.required) continue;
        validated[p.name] = convert(p, value);
      } else if (p.required) {
        if (p.default !== undefined && p.default !== null) validated[p.name] = p.default;
        else throw new CoreNodeError('NodeValidationError', `Required parameter '${p.name}' not provided. Available resolved inputs: ${pyRepr(Object.keys(resolved).length ? Object.keys(resolved) : ['none'])}.`);
      }
    }
    for (const special of ['context', 'config']) if (special in kwargs) validated[special] = kwargs[special];
    return validated;
  }

  /** The node's logic on validated inputs (Node.run). */
  protected abstract run(inputs: DfRecord, env: NodeExecutionEnv): Promise<DfRecord> | DfRecord;

  async execute(env: NodeExecutionEnv, runtimeInputs: DfRecord): Promise<unknown> {
    let merged = resolveTemplates({ ...this.config, ...runtimeInputs }, runtimeInputs, pyStr) as DfRecord;
    if (isDfRecord(merged.config)) {
      merged = { ...merged };
      for (const [k, v] of Object.entries(merged.config as DfRecord)) if (!(k in runtimeInputs)) merged[k] = v;
    }
    const validated = this.validateInputs(merged);
    let outputs: DfRecord;
    try {
      outputs = await this.run(validated, env);
    } catch (e) {
      throw wrapRunError(this.id, e);
    }
    return validateOutputs(outputs, this.outputSchema);
  }
}
