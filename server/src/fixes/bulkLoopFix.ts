// Quick-fix for DF001: replace a loop of single-record nodes by one bulk node over the same items.
// Deletes become a BulkDeleteNode filtered on the ids (BulkDelete ignores `data`, and `data` with
// `confirmed` would delete the whole table: reference §3.3). Offered only when the rewrite keeps
// the program working: the loop does nothing else, and nothing else names the per-item node ids.
import type { Fix } from '../analysis/finding';
import type { ExpressFact, LoopInfo } from '../model/facts';
import { dictGet, namesIn, type DictEntry, type SExpr } from '../model/staticExpr';
import type { ResolvedNode } from '../rules/nodeContext';
import { targetIdExpr } from '../rules/nodeContext';
import type { RuleContext } from '../rules/ruleContext';
import {
  commentsOutside, freshName, freshNodeId, idPrefix, lineIndent, loopRewriteBlocker, prefixUsedElsewhere,
  pyString, snake, textOf, varies,
} from './pythonText';

/** A fix, or why there is none. The fix may still find a late blocker and return its reason. */
export interface FixOffer { fix?: () => Fix | string | undefined; reason?: string }

const NOT_FIELDS = new Set(['id', 'record_id', 'filter', 'conditions', 'fields', 'updates', 'database_url']);

/** The comprehension clause `for <target> in <iter>` as written. */
export function forClause(ctx: RuleContext, loop: LoopInfo): string {
  const f = ctx.file;
  return `for ${loop.target ? textOf(f, loop.target.span) : '_'} in ${loop.iter ? textOf(f, loop.iter.span) : '()'}`;
}

function dictText(ctx: RuleContext, e: SExpr): string {
  if (e.k === 'dict' && e.entries.some((x) => x.key && x.span.start === x.key.span.start && ctx.file.text[x.key.span.end] === '=')) {
    // A dict synthesised from keyword arguments: rewrite `k=v` as `"k": v`.
    return `{${e.entries.map((x) => `${pyString((x.key as { v: string }).v)}: ${textOf(ctx.file, x.value.span)}`).join(', ')}}`;
  }
  return textOf(ctx.file, e.span);
}

function entryText(ctx: RuleContext, e: DictEntry): string { return textOf(ctx.file, e.span); }

/** Replaces the loop statement with `lines` (first line at the loop's column, the rest indented like it). */
function replaceLoop(ctx: RuleContext, loop: LoopInfo, keep: { start: number; end: number }, lines: string[], title: string): Fix {
  const f = ctx.file;
  const indent = lineIndent(f, loop.span.start);
  const comments = commentsOutside(f, loop.span, [keep]);
  const all = [...comments, ...lines];
  const text = all.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
  return { title, isPreferred: true, edits: [{ uri: f.uri, edits: [{ span: { start: loop.span.start, end: loop.span.end }, newText: text }] }] };
}

export function bulkLoopFix(ctx: RuleContext, node: ResolvedNode): FixOffer {
  const { fact, op, model } = node;
  const f = ctx.file;
  const blocked = loopRewriteBlocker(fact.loops, fact.callIsStatement, fact.statementSpan);
  if (blocked) return { reason: blocked };
  const loop = fact.loops[0];
  if (!fact.workflow) return { reason: 'the workflow expression is not a name' };
  const idNames = namesIn(fact.nodeId);
  if (!varies(fact.nodeId, idNames, loop)) return { reason: 'the node id does not change per iteration (DataFlow rejects duplicate ids)' };
  const prefix = idPrefix(fact.nodeId);
  if (prefix === undefined) return { reason: 'the node id is not an f-string or concatenation' };
  if (f.facts.connections.some((c) => c.span.start >= loop.span.start && c.span.end <= loop.span.end)) {
    return { reason: 'the loop also connects the per-item nodes' };
  }
  // Checked when the fix is asked for (it reads every string literal of the file).
  const idsUsed = () => (prefixUsedElsewhere(f, prefix, fact.span) ? `other code refers to the per-item node ids ("${prefix}…"): connections or results would break` : undefined);
  const config = fact.config;
  if (!config) return { reason: 'the node has no config' };
  const base = prefix.replace(/[^A-Za-z0-9]+$/, '') || snake(model);
  const clause = forClause(ctx, loop);
  const callHead = (bulkOp: string, id: string) => fact.viaInstance
    ? `${fact.viaInstance}.add_node(${fact.workflow}, ${pyString(model)}, ${pyString(bulkOp)}, ${pyString(id)}, {`
    : `${fact.workflow}.add_node(${pyString(`${model}${bulkOp}Node`)}, ${pyString(id)}, {`;
  /** The fix: the loop replaced by `lines(newNodeId)`, unless other code names the per-item ids. */
  const rewrite = (bulkOp: string, lines: (id: string) => string[], note = ''): FixOffer => ({
    fix: () => {
      const blocked = idsUsed();
      if (blocked) return blocked;
      return replaceLoop(ctx, loop, config.span, lines(freshNodeId(f, `${base}_bulk`)), `Replace the loop with one ${model}${bulkOp}Node${note}`);
    },
  });
  const cfg = node.config;

  if (op === 'Create') {
    return rewrite('BulkCreate', (id) => [
      callHead('BulkCreate', id),
      `    "data": [${dictText(ctx, config)} ${clause}],`,
      `    "batch_size": 1000,`,
      `})`,
    ]);
  }

  if (cfg?.k !== 'dict' || config.k !== 'dict') return { reason: 'the node config is not a dict literal' };
  const idE = op === 'Delete' || op === 'Update' ? targetIdExpr(cfg, op) : undefined;
  if (op === 'Delete' || op === 'Update') {
    if (!idE) return { reason: 'the node does not target a record id' };
  }
  const idsVar = () => freshName(f, `${snake(model)}_ids`);

  if (op === 'Delete') {
    return rewrite('BulkDelete', (id) => {
      const ids = idsVar();
      return [
        `${ids} = [${textOf(f, idE!.span)} ${clause}]`,
        `${callHead('BulkDelete', id)}"filter": {"id": {"$in": ${ids}}}})`,
      ];
    });
  }

  if (op === 'Update') {
    const fieldsE = dictGet(cfg, 'fields')?.value ?? dictGet(cfg, 'updates')?.value;
    let fieldEntries: DictEntry[] | undefined;
    let fieldsText: string;
    if (fieldsE) {
      if (fieldsE.k === 'dict') fieldEntries = fieldsE.entries;
      fieldsText = textOf(f, fieldsE.span);
    } else {
      fieldEntries = cfg.entries.filter((e) => !(e.key?.k === 'str' && NOT_FIELDS.has(e.key.v)));
      if (!fieldEntries.length) return { reason: 'the update sets no fields' };
      fieldsText = `{${fieldEntries.map((e) => entryText(ctx, e)).join(', ')}}`;
    }
    const dependsOnItem = [...namesIn(fieldsE ?? { k: 'dict', entries: fieldEntries ?? [], span: cfg.span })].some((n) => loop.targetNames.includes(n));
    if (!dependsOnItem) {
      return rewrite('BulkUpdate', (id) => {
        const ids = idsVar();
        return [
          `${ids} = [${textOf(f, idE!.span)} ${clause}]`,
          callHead('BulkUpdate', id),
          `    "filter": {"id": {"$in": ${ids}}},`,
          `    "fields": ${fieldsText},`,
          `})`,
        ];
      });
    }
    const item = fieldEntries
      ? `{"id": ${textOf(f, idE!.span)}, ${fieldEntries.map((e) => entryText(ctx, e)).join(', ')}}`
      : `{"id": ${textOf(f, idE!.span)}, **${fieldsText}}`;
    return rewrite('BulkUpdate', (id) => [
      callHead('BulkUpdate', id),
      `    "data": [${item} ${clause}],`,
      `    "batch_size": 1000,`,
      `})`,
    ], ' (data mode: one node, still one UPDATE per record)');
  }

  // Upsert: one BulkUpsertNode keyed on the `where` fields.
  const where = dictGet(cfg, 'where')?.value;
  const create = dictGet(cfg, 'create')?.value;
  const update = dictGet(cfg, 'update')?.value;
  if (where?.k !== 'dict' || (create && create.k !== 'dict') || (update && update.k !== 'dict')) return { reason: 'where/create/update are not dict literals' };
  const merged = new Map<string, string>();
  const keyOf = (e: DictEntry) => (e.key?.k === 'str' ? e.key.v : undefined);
  for (const group of [where.entries, create?.k === 'dict' ? create.entries : [], update?.k === 'dict' ? update.entries : []]) {
    for (const e of group) {
      const k = keyOf(e);
      if (!k) return { reason: 'a key is not a string literal' };
      const v = textOf(f, e.value.span);
      if (merged.has(k) && merged.get(k) !== v) return { reason: `"${k}" has different values in create and update` };
      merged.set(k, v);
    }
  }
  const updating = update?.k === 'dict' && update.entries.length > 0;
  if (updating && create?.k === 'dict') {
    const updKeys = new Set(update.entries.map(keyOf));
    const whereKeys = new Set(where.entries.map(keyOf));
    if (create.entries.some((e) => !updKeys.has(keyOf(e)) && !whereKeys.has(keyOf(e)))) {
      return { reason: 'create sets fields that update leaves alone; a bulk upsert would overwrite them on conflict' };
    }
  }
  const conflictOn = dictGet(cfg, 'conflict_on')?.value;
  const conflictText = conflictOn ? textOf(f, conflictOn.span) : `[${where.entries.map((e) => pyString(keyOf(e)!)).join(', ')}]`;
  return rewrite('BulkUpsert', (id) => [
    callHead('BulkUpsert', id),
    `    "data": [{${[...merged].map(([k, v]) => `${pyString(k)}: ${v}`).join(', ')}} ${clause}],`,
    `    "conflict_on": ${conflictText},`,
    `    "conflict_resolution": ${pyString(updating ? 'update' : 'skip')},`,
    `    "batch_size": 1000,`,
    `})`,
  ]);
}

/** `await db.express.create("M", {...})` alone in a loop → one `db.express.bulk_create("M", [...])`. */
export function expressBulkFix(ctx: RuleContext, ex: ExpressFact): FixOffer {
  const f = ctx.file;
  const blocked = loopRewriteBlocker(ex.loops, ex.callIsStatement, ex.statementSpan);
  if (blocked) return { reason: blocked };
  if (!ex.model) return { reason: 'the model name is not a string literal' };
  const loop = ex.loops[0];
  const clause = forClause(ctx, loop);
  const call = `${ex.awaited ? 'await ' : ''}${ex.instance}.${ex.sync ? 'express_sync' : 'express'}`;
  const modelText = textOf(f, ex.args[0].span);
  let line: string;
  if (ex.op === 'create') {
    const data = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'data')?.value;
    if (!data) return { reason: 'no data argument' };
    line = `${call}.bulk_create(${modelText}, [${textOf(f, data.span)} ${clause}])`;
  } else if (ex.op === 'delete') {
    const id = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'id')?.value;
    if (!id) return { reason: 'no id argument' };
    line = `${call}.bulk_delete(${modelText}, [${textOf(f, id.span)} ${clause}])`;
  } else if (ex.op === 'update') {
    const id = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'id')?.value;
    const fields = ex.args[2] ?? ex.kwargs.find((k) => k.name === 'fields')?.value;
    if (!id || !fields) return { reason: 'id or fields argument missing' };
    const item = fields.k === 'dict'
      ? `{"id": ${textOf(f, id.span)}, ${fields.entries.map((e) => textOf(f, e.span)).join(', ')}}`
      : `{"id": ${textOf(f, id.span)}, **${textOf(f, fields.span)}}`;
    line = `${call}.bulk_update(${modelText}, [${item} ${clause}])`;
  } else {
    return { reason: 'express upsert and bulk_upsert choose conflict columns differently' };
  }
  return {
    fix: () => replaceLoop(ctx, loop, ex.span, [line], `Replace the loop with one ${ex.instance}.express.bulk_${ex.op}(...)`),
  };
}
