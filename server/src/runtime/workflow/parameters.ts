import { isDfRecord, type DfRecord, type DfValue } from '../dataflow/values/dfValues';
import type { BuiltWorkflow } from './workflowBuilder';
import type { NodeParamInfo } from './types';

/** How a workflow-level parameter reached a node (for the report). */
export interface InjectionNote {
  param: string;
  node: string;
  target: string;
  how: 'name' | 'auto_map_from' | 'alias' | 'substring';
}

export interface ProcessedParameters {
  /** node id → runtime parameters for that node (node-specific win over workflow-level). */
  perNode: Map<string, DfRecord>;
  injections: InjectionNote[];
  /** Workflow-level parameters no node accepted (the SDK's "Unused workflow parameters"). */
  unused: string[];
}

const ALIASES: Record<string, string[]> = {
  input: ['data', 'content', 'text', 'input_data'],
  data: ['input', 'content', 'text', 'input_data'],
  content: ['data', 'input', 'text', 'body'],
  text: ['data', 'input', 'content', 'body'],
  url: ['endpoint', 'address', 'link', 'uri'],
  endpoint: ['url', 'address', 'link', 'uri'],
  config: ['configuration', 'settings', 'options'],
  params: ['parameters', 'args', 'arguments'],
  result: ['output', 'response', 'return'],
  output: ['result', 'response', 'return'],
};

/**
 * WorkflowParameterInjector._get_mapped_parameter_name: exact name, then auto_map_from, then the
 * SDK's fuzzy matching (alias table, then case-insensitive substring either way).
 */
function mappedParameter(param: string, decls: NodeParamInfo[]): { target: string; how: InjectionNote['how'] } | undefined {
  const names = decls.map((d) => d.name);
  if (names.includes(param)) return { target: param, how: 'name' };
  for (const d of decls) if (d.autoMapFrom?.includes(param)) return { target: d.name, how: 'auto_map_from' };
  for (const alias of ALIASES[param] ?? []) if (names.includes(alias)) return { target: alias, how: 'alias' };
  for (const n of names) if (ALIASES[n]?.includes(param)) return { target: n, how: 'alias' };
  const p = param.toLowerCase();
  for (const n of names) {
    const l = n.toLowerCase();
    if (l.includes(p) || p.includes(l)) return { target: n, how: 'substring' };
  }
  return undefined;
}

/**
 * LocalRuntime._process_workflow_parameters (kailash/runtime/local.py:4550; docs/dataflow-2.20.md §3): keys that are node ids with dict values are
 * node-specific; every other key is workflow-level and is injected into each node that accepts
 * it (node-specific values win). Returns null for no parameters, like the SDK.
 */
export function processParameters(wf: BuiltWorkflow, parameters: DfRecord | undefined | null): ProcessedParameters | null {
  if (!parameters || Object.keys(parameters).length === 0) return null;
  const params: DfRecord = { ...parameters };
  delete params.workflow_context;
  const perNode = new Map<string, DfRecord>();
  const workflowLevel: [string, DfValue][] = [];
  for (const [key, value] of Object.entries(params)) {
    if (wf.nodes.has(key) && isDfRecord(value)) perNode.set(key, { ...value });
    else workflowLevel.push([key, value]);
  }
  const injections: InjectionNote[] = [];
  const used = new Set<string>();
  if (workflowLevel.length) {
    for (const node of wf.nodes.values()) {
      const decls = node.instance.parameters();
      const injected: DfRecord = {};
      let any = false;
      for (const [param, value] of workflowLevel) {
        const m = mappedParameter(param, decls);
        if (!m) continue;
        injected[m.target] = value;
        any = true;
        used.add(param);
        injections.push({ param, node: node.id, target: m.target, how: m.how });
      }
      if (!any) continue;
      const target = perNode.get(node.id) ?? {};
      for (const [k, v] of Object.entries(injected)) if (!(k in target)) target[k] = v;
      perNode.set(node.id, target);
    }
  }
  return { perNode, injections, unused: workflowLevel.map(([k]) => k).filter((k) => !used.has(k)) };
}

/** resolve_templates(obj, inputs): "${name}" → the value (type kept); embedded templates → str(). */
export function resolveTemplates(obj: DfValue, inputs: DfRecord, str: (v: DfValue) => string): DfValue {
  if (Array.isArray(obj)) return obj.map((x) => resolveTemplates(x, inputs, str));
  if (isDfRecord(obj)) {
    const out: DfRecord = {};
    for (const [k, v] of Object.entries(obj)) out[k] = resolveTemplates(v, inputs, str);
    return out;
  }
  if (typeof obj !== 'string' || !obj.includes('${')) return obj;
  if (obj.startsWith('${') && obj.endsWith('}') && obj.split('${').length === 2) {
    const name = obj.slice(2, -1);
    return name in inputs ? inputs[name] : obj;
  }
  return obj.replace(/\$\{([^}]+)\}/g, (m, name: string) => (name in inputs ? str(inputs[name]) : m));
}

export function hasTemplates(obj: DfValue): boolean {
  if (typeof obj === 'string') return obj.includes('${');
  // Loops, not some()/Object.values(): a bulk node's config holds 100,000 records.
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) if (hasTemplates(obj[i])) return true;
    return false;
  }
  if (isDfRecord(obj)) {
    for (const k in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
      const v = (obj as DfRecord)[k];
      // a record's strings and numbers are checked here, without a call each
      if (typeof v === 'string' ? v.includes('${') : typeof v === 'object' && v !== null && hasTemplates(v)) return true;
    }
  }
  return false;
}
