// Which output keys a generated node can produce (catalogue §3.3), for DF015 and DF016.
import { FAILURE_OUTPUT_KEYS, OPERATIONS, parseNodeType, type NodeOperation } from '../catalogue';
import type { NodeUseFact } from '../model/facts';
import { strValue } from '../model/staticExpr';
import type { RuleContext } from './ruleContext';
import { acceptedKeys, fieldsComplete, modelAt, modelColumns, resolveValue, stringKeyed } from './nameCheck';
import { customNodeClasses } from './unknownParameter';

export interface OutputShape {
  op: NodeOperation;
  nodeType: string;
  /** Every key the output can hold. */
  keys: Set<string>;
  /** The keys worth naming in a message (the node's own outputs, without echoed inputs). */
  named: string[];
}

/** The output keys of a generated node, or undefined when they cannot be listed (unknown model, custom node). */
export function outputShape(ctx: RuleContext, node: NodeUseFact, extraInputs: string[] = []): OutputShape | undefined {
  const type = node.nodeType;
  if (!type || node.nodeTypeExpr?.k !== 'str') return undefined;
  const parsed = parseNodeType(type);
  if (!parsed || customNodeClasses(ctx).has(type)) return undefined;
  const spec = OPERATIONS[parsed.op];
  const keys = new Set<string>([...spec.outputs, ...FAILURE_OUTPUT_KEYS]);
  const named = [...spec.outputs.filter((k) => k !== 'error' && k !== 'rows_affected')];
  const info = modelAt(ctx, parsed.model, node.span.start, node.functionName);
  if (spec.outputIncludesRow || spec.outputIncludesInputs) {
    if (!info || !fieldsComplete(ctx, info)) return undefined;
    const cols = modelColumns(ctx, info);
    for (const c of cols) keys.add(c);
    named.unshift(...[...cols].filter((c) => spec.outputIncludesInputs ? !['created_at', 'updated_at', 'deleted_at'].includes(c) : true));
  }
  if (spec.outputIncludesInputs) {
    const cfg = resolveValue(ctx, node.config, node.span.start, node.functionName);
    if (!cfg || cfg.k !== 'dict' || cfg.entries.some((e) => !e.key || strValue(e.key) === undefined)) return undefined;
    for (const k of acceptedKeys(parsed.op)) keys.add(k);
    for (const { key } of stringKeyed(cfg)) keys.add(key);
    for (const k of extraInputs) keys.add(k);
  }
  if (parsed.op === 'List' || parsed.op === 'Count') { /* closed */ }
  return { op: parsed.op, nodeType: type, keys, named: [...new Set(named)] };
}

/** The inputs connections deliver to node `id` of a workflow (they are echoed by Create/Update). */
export function connectedInputs(ctx: RuleContext, workflow: string | undefined, id: string): string[] {
  const out: string[] = [];
  for (const c of ctx.file.facts.connections) {
    if (c.workflow !== workflow || strValue(c.to) !== id) continue;
    const ti = strValue(c.toInput);
    if (ti) out.push(ti.split('.')[0]);
    if (c.mapping?.k === 'dict') for (const e of c.mapping.entries) { const v = strValue(e.value); if (v) out.push(v.split('.')[0]); }
    if (!ti && !c.mapping) out.push('data');
  }
  return out;
}

export function describeOutputs(s: OutputShape): string {
  const list = s.named.slice(0, 8).map((k) => `"${k}"`).join(', ');
  return `${s.nodeType} outputs ${list}${s.named.length > 8 ? ', ...' : ''}`;
}

/** The output key a wrong key most likely meant: List "rows"/"data" → "records", bulk "created_count" → "inserted". */
export function likelyKey(key: string, s: OutputShape, nearestKey: (k: string, c: string[]) => string | undefined): string | undefined {
  const k = key.toLowerCase();
  if (s.op === 'List' && /^(rows|data|items|results?|output|list|documents)$/.test(k)) return 'records';
  if (s.op === 'Count' && /^(total|total_count|result|output|data)$/.test(k)) return 'count';
  if (s.op.startsWith('Bulk')) {
    const own = s.op === 'BulkCreate' ? 'inserted' : s.op === 'BulkUpdate' ? 'updated' : s.op === 'BulkDelete' ? 'deleted' : 'upserted';
    if (/creat|insert|updat|delet|upsert|affected|count/.test(k)) return own;
  }
  if (s.op === 'Upsert' && /^(result|output|data)$/.test(k)) return 'record';
  return nearestKey(key, s.named);
}
