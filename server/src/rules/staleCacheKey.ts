// DF032 stale-cache-key: a ListNode with a custom `cache_key` in a file that also writes the same
// model. DataFlow 2.20 invalidates only its generated keys (`dataflow:query:<Model>:*`) on
// writes; a user-supplied key is never invalidated, so the List serves the old rows until the TTL
// (3600 s by default) (reference §5.1, probe). Without a write to the model in the file nothing is
// reported: the writes may happen elsewhere, and a read-only cache key is legitimate.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { parseNodeType } from '../catalogue';
import { dictGet, strValue } from '../model/staticExpr';
import type { SourceFile } from '../model/sourceFile';
import type { StatementFacts } from '../model/facts';
import { dataflowNodes } from './nodeContext';
import { finding, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF032',
  name: 'stale-cache-key',
  defaultSeverity: 'warning',
  summary: 'ListNode with a custom cache_key in a file that writes the same model: never invalidated',
  fix: 'none',
});

const WRITE_OPS = new Set(['Create', 'Update', 'Delete', 'Upsert', 'BulkCreate', 'BulkUpdate', 'BulkDelete', 'BulkUpsert']);
const EXPRESS_WRITES = new Set(['create', 'update', 'delete', 'upsert', 'upsert_advanced', 'bulk_create', 'bulk_update', 'bulk_delete', 'bulk_upsert', 'import_file']);

type WriteFact = { span: { start: number } };
type Writes = ReadonlyMap<string, { what: string; fact: WriteFact }>;
interface StatementWrites { nodes: Writes; express: Writes }
/** Per statement's facts (reused statements keep theirs; offsets are read from the facts, which move with them). */
const statementWrites = new WeakMap<StatementFacts, StatementWrites>();
/** A statement with no write of a kind shares this empty map, one that writes nothing this index (both were made for every statement of a file on every analysis). */
const NO_WRITES: Writes = new Map();
const NOTHING_WRITTEN: StatementWrites = { nodes: NO_WRITES, express: NO_WRITES };

function writesOf(st: StatementFacts): StatementWrites {
  let w = statementWrites.get(st);
  if (w) return w;
  let nodes: Map<string, { what: string; fact: WriteFact }> | undefined;
  let express: typeof nodes;
  for (const n of st.nodes) {
    const p = n.nodeType ? parseNodeType(n.nodeType) : undefined;
    if (p && WRITE_OPS.has(p.op) && !nodes?.has(p.model)) (nodes ??= new Map()).set(p.model, { what: n.nodeType!, fact: n });
  }
  for (const e of st.express) {
    if (e.model && EXPRESS_WRITES.has(e.op) && !express?.has(e.model)) (express ??= new Map()).set(e.model, { what: `express.${e.op}("${e.model}")`, fact: e });
  }
  w = nodes || express ? { nodes: nodes ?? NO_WRITES, express: express ?? NO_WRITES } : NOTHING_WRITTEN;
  statementWrites.set(st, w);
  return w;
}

/** The first write to each model in the file: `Product` → "ProductCreateNode (line 12)" (write nodes first, then express calls). */
export function modelWrites(file: SourceFile): Map<string, { what: string; offset: number }> {
  const out = new Map<string, { what: string; offset: number }>();
  const per = file.facts.statements.map(writesOf);
  for (const w of per) for (const [m, x] of w.nodes) if (!out.has(m)) out.set(m, { what: x.what, offset: x.fact.span.start });
  for (const w of per) for (const [m, x] of w.express) if (!out.has(m)) out.set(m, { what: x.what, offset: x.fact.span.start });
  return out;
}

export const staleCacheKeyRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    let writes: ReturnType<typeof modelWrites> | undefined;
    // DataFlow(cache_enabled=False) / enable_caching=False turns the List query cache off (§1.1).
    const r0 = ctx.file.resolver;
    const cacheOff = ctx.file.facts.instances.some((i) => i.kwargs.some((k) => {
      if (k.name !== 'cache_enabled' && k.name !== 'enable_caching') return false;
      const v = r0.value(k.value, i.span.start, i.functionName);
      return v?.k === 'bool' && !v.v;
    }));
    if (cacheOff) return [];
    for (const node of dataflowNodes(ctx)) {
      if (node.op !== 'List') continue;
      const cfg = node.config;
      const key = dictGet(cfg, 'cache_key');
      if (!key) continue;
      const r = ctx.file.resolver;
      const keyValue = r.value(key.value, node.fact.span.start, node.fact.functionName);
      if (keyValue?.k === 'none') continue;
      const enable = r.value(dictGet(cfg, 'enable_cache')?.value, node.fact.span.start, node.fact.functionName);
      if (enable?.k === 'bool' && !enable.v) continue;
      writes ??= modelWrites(ctx.file);
      const w = writes.get(node.model);
      if (!w) continue;
      const ttl = r.number(dictGet(cfg, 'cache_ttl')?.value, node.fact.span.start, node.fact.functionName);
      const shown = strValue(keyValue);
      out.push(finding(SPEC, severity, key.span, `cache_key${shown !== undefined ? `="${shown}"` : ''} replaces DataFlow's generated cache key, and DataFlow 2.20 invalidates only generated keys (dataflow:query:${node.model}:*) when ${node.model} is written: after the ${w.what} in this file, this ${node.model}ListNode keeps returning the cached rows until the TTL (${ttl !== undefined ? `${ttl} s` : '3600 s by default'}). Remove cache_key (the generated key is invalidated on writes), or set a short cache_ttl.`));
    }
    return out;
  },
};
