// Quick-fix for DF001: replace a loop of single-record nodes by one bulk node over the same items.
// Deletes become a BulkDeleteNode filtered on the ids (BulkDelete ignores `data`, and `data` with
// `confirmed` would delete the whole table: reference §3.3). Offered only when the rewrite keeps
// the program working: the loop does nothing else, and nothing else names the per-item node ids.
import type { Fix } from '../analysis/finding';
import type { ExpressFact, LoopInfo } from '../model/facts';
import { dictGet, namesIn, type DictEntry, type SExpr } from '../model/staticExpr';
import { targetIdExpr, type ResolvedNode, type RuleContext } from '../analysis/context';
import {
  commentsOutside, freshName, freshNodeId, idPrefix, indentUnit, lineIndent, loopRewriteBlocker, nodeIdsReferenced, numericIds,
  pyString, pyTag, reindent, textOf, varies,
} from './pythonText';
import { comprehensionClause, listOver } from './comprehension';
import { camelToSnake } from '../catalogue';

/** A fix, or why there is none. The fix may still find a late blocker and return its reason. */
export interface FixOffer { fix?: () => Fix | string | undefined; reason?: string }

/** Reasons worded once for the fixes that share them. */
export const SAME_NODE_ID = 'the node id is the same in every iteration, and WorkflowBuilder rejects duplicate ids ("Node ID ... already exists in workflow"); give each node its own id, such as f"..._{i}"';
export const NO_NODE_ID = 'the node id is left to WorkflowBuilder (node_<hex>); this fix rewrites only loops whose nodes get an f-string id';
export const ID_NOT_PREFIXED = 'the node id is not an f-string or a "prefix" + ... concatenation, so the fix cannot tell where other code uses the per-item ids';
export const WORKFLOW_NOT_NAME = 'the workflow argument is not a plain variable (such as workflow or self.workflow)';
export const MODEL_NOT_LITERAL = 'the model name is not a string literal';
export const SPREAD_ARGUMENTS = 'the call passes *args or **kwargs, which the fix cannot collect into a list';
export const NO_ID_ARGUMENT = 'the call has no id argument (second argument or id=)';

const NOT_FIELDS = new Set(['id', 'record_id', 'filter', 'conditions', 'fields', 'updates', 'database_url']);

/** A dict's text at a new line indentation; keyword configs (`k=v`) become `"k": v`. */
function dictText(ctx: RuleContext, e: SExpr, indent: string): string {
  if (e.k === 'dict' && e.entries.some((x) => x.key && x.span.start === x.key.span.start && ctx.file.text[x.key.span.end] === '=')) {
    return `{${e.entries.map((x) => `${pyString((x.key as { v: string }).v, ctx.file)}: ${textOf(ctx.file, x.value.span)}`).join(', ')}}`;
  }
  return reindent(ctx.file, e.span, indent);
}

function entryText(ctx: RuleContext, e: DictEntry): string { return textOf(ctx.file, e.span); }

/**
 * Replaces the loop statement with `lines` (first line at the loop's column, the rest indented
 * like it). A line's leading `\t` marks stand for one indentation unit of the file.
 */
function replaceLoop(ctx: RuleContext, loop: LoopInfo, keep: { start: number; end: number }, lines: string[], title: string): Fix {
  const f = ctx.file;
  const indent = lineIndent(f, loop.span.start);
  const unit = indentUnit(f, loop);
  const comments = commentsOutside(f, loop.span, [keep]);
  const all = [...comments, ...lines.map((l) => l.replace(/^\t+/, (tabs) => unit.repeat(tabs.length)))];
  const text = all.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
  return { title, isPreferred: true, edits: [{ uri: f.uri, edits: [{ span: { start: loop.span.start, end: loop.span.end }, newText: text }] }] };
}

export function bulkLoopFix(ctx: RuleContext, node: ResolvedNode): FixOffer {
  const { fact, op, model } = node;
  const f = ctx.file;
  const py = pyTag(f);
  const pyStr = (s: string) => pyString(s, f);
  const blocked = loopRewriteBlocker(fact.loops, fact.callIsStatement, fact.statementSpan);
  if (blocked) return { reason: blocked };
  const loop = fact.loops[0];
  if (!fact.workflow) return { reason: WORKFLOW_NOT_NAME };
  const idNames = namesIn(fact.nodeId);
  if (!fact.nodeId) return { reason: NO_NODE_ID };
  if (!varies(fact.nodeId, idNames, loop)) return { reason: SAME_NODE_ID };
  const prefix = idPrefix(fact.nodeId);
  if (prefix === undefined) return { reason: ID_NOT_PREFIXED };
  // The loop lies in the node's own top-level statement: its connections are there too.
  if (ctx.facts.connections.some((c) => c.span.start >= loop.span.start && c.span.end <= loop.span.end)) {
    return { reason: 'the loop also connects the per-item nodes' };
  }
  // Checked when the fix is asked for: node ids named in connections or in reads of results.
  const idsUsedBlocker = () => {
    const ref = nodeIdsReferenced(f, prefix, loop.span, numericIds(fact.nodeId, loop));
    return ref ? `other code refers to the per-item node ids (${ref} at line ${f.doc.lines.positionAt(ref.at).line + 1}): connections or results would break` : undefined;
  };
  const config = fact.config;
  if (!config) return { reason: 'the node has no config in add_node, so there are no per-item values to collect' };
  const base = prefix.replace(/[^A-Za-z0-9]+$/, '') || camelToSnake(model);
  const unit = indentUnit(f, loop);
  const callHead = (bulkOp: string, id: string) => fact.viaInstance
    ? `${fact.viaInstance}.add_node(${fact.workflow}, ${pyStr(model)}, ${pyStr(bulkOp)}, ${pyStr(id)}, {`
    : `${fact.workflow}.add_node(${pyStr(`${model}${bulkOp}Node`)}, ${pyStr(id)}, {`;
  /** The fix: the loop replaced by `lines(newNodeId)`, unless other code names the per-item ids. */
  const rewrite = (bulkOp: string, lines: (id: string) => string[], note = ''): FixOffer => ({
    fix: () => {
      const blocked = idsUsedBlocker();
      if (blocked) return blocked;
      return replaceLoop(ctx, loop, config.span, lines(freshNodeId(f, `${base}_bulk`)), `Replace the loop with one ${model}${bulkOp}Node${note}`);
    },
  });
  const cfg = node.config;

  if (op === 'Create') {
    return rewrite('BulkCreate', (id) => [
      callHead('BulkCreate', id),
      py`\t"data": [${dictText(ctx, config, lineIndent(f, loop.span.start) + unit)} ${comprehensionClause(f, loop, config)}],`,
      py`\t"batch_size": 1000,`,
      `})`,
    ]);
  }

  if (cfg?.k !== 'dict' || config.k !== 'dict') return { reason: 'the node config is not a dict literal written in the call' };
  const idE = op === 'Delete' || op === 'Update' ? targetIdExpr(cfg, op) : undefined;
  if (op === 'Delete' || op === 'Update') {
    if (!idE) return { reason: 'the node config names no record id (id, record_id, filter.id or conditions.id)' };
  }
  /** `ids = [...]` before the node, unless the loop's iterable already is that list. */
  const idList = (): { lines: string[]; ids: string } => {
    const list = listOver(f, loop, idE!, fact.functionName);
    if (/^[A-Za-z_][\w.]*$/.test(list)) return { lines: [], ids: list };
    const ids = freshName(f, `${camelToSnake(model)}_ids`);
    return { lines: [`${ids} = ${list}`], ids };
  };

  if (op === 'Delete') {
    return rewrite('BulkDelete', (id) => {
      const { lines, ids } = idList();
      return [
        ...lines,
        py`${callHead('BulkDelete', id)}"filter": {"id": {"$in": ${ids}}}})`,
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
      if (!fieldEntries.length) return { reason: 'the update sets no fields besides the id' };
      fieldsText = `{${fieldEntries.map((e) => entryText(ctx, e)).join(', ')}}`;
    }
    const dependsOnItem = [...namesIn(fieldsE ?? { k: 'dict', entries: fieldEntries ?? [], span: cfg.span })].some((n) => loop.targetNames.includes(n));
    if (!dependsOnItem) {
      return rewrite('BulkUpdate', (id) => {
        const { lines, ids } = idList();
        return [
          ...lines,
          callHead('BulkUpdate', id),
          py`\t"filter": {"id": {"$in": ${ids}}},`,
          py`\t"fields": ${fieldsText},`,
          `})`,
        ];
      });
    }
    // Written when the fix is asked for (the text reads the file's quote style and names).
    const item = () => (fieldEntries
      ? py`{"id": ${textOf(f, idE!.span)}, ${fieldEntries.map((e) => entryText(ctx, e)).join(', ')}}`
      : py`{"id": ${textOf(f, idE!.span)}, **${fieldsText}}`);
    const clause = () => {
      const itemNames = namesIn(idE!);
      for (const e of fieldEntries ?? []) namesIn(e.value, itemNames);
      if (fieldsE) namesIn(fieldsE, itemNames);
      return comprehensionClause(f, loop, { k: 'list', items: [...itemNames].map((id) => ({ k: 'name', id, span: loop.span })), span: loop.span } as SExpr);
    };
    return rewrite('BulkUpdate', (id) => [
      callHead('BulkUpdate', id),
      py`\t"data": [${item()} ${clause()}],`,
      py`\t"batch_size": 1000,`,
      `})`,
    ], ' (data mode: one node, still one UPDATE per record)');
  }

  // Upsert: one BulkUpsertNode keyed on the `where` fields.
  const where = dictGet(cfg, 'where')?.value;
  const create = dictGet(cfg, 'create')?.value;
  const update = dictGet(cfg, 'update')?.value;
  if (where?.k !== 'dict' || (create && create.k !== 'dict') || (update && update.k !== 'dict')) return { reason: 'the upsert\'s where, create and update are not all dict literals' };
  const merged = new Map<string, string>();
  const keyOf = (e: DictEntry) => (e.key?.k === 'str' ? e.key.v : undefined);
  for (const group of [where.entries, create?.k === 'dict' ? create.entries : [], update?.k === 'dict' ? update.entries : []]) {
    for (const e of group) {
      const k = keyOf(e);
      if (!k) return { reason: 'a key in where, create or update is not a string literal' };
      const v = textOf(f, e.value.span);
      if (merged.has(k) && merged.get(k) !== v) return { reason: `create and update give "${k}" different values; a bulk upsert row has one value per field` };
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
  const conflictText = () => (conflictOn ? textOf(f, conflictOn.span) : `[${where.entries.map((e) => pyStr(keyOf(e)!)).join(', ')}]`);
  return rewrite('BulkUpsert', (id) => [
    callHead('BulkUpsert', id),
    py`\t"data": [{${[...merged].map(([k, v]) => `${pyStr(k)}: ${v}`).join(', ')}} ${comprehensionClause(f, loop, cfg)}],`,
    py`\t"conflict_on": ${conflictText()},`,
    py`\t"conflict_resolution": ${pyStr(updating ? 'update' : 'skip')},`,
    py`\t"batch_size": 1000,`,
    `})`,
  ]);
}

/** `await db.express.create("M", {...})` alone in a loop → one `db.express.bulk_create("M", [...])`. */
export function expressBulkFix(ctx: RuleContext, ex: ExpressFact): FixOffer {
  const f = ctx.file;
  const py = pyTag(f);
  const blocked = loopRewriteBlocker(ex.loops, ex.callIsStatement, ex.statementSpan);
  if (blocked) return { reason: blocked };
  if (!ex.model) return { reason: MODEL_NOT_LITERAL };
  if (ex.args.some((a) => a.k === 'spread')) return { reason: SPREAD_ARGUMENTS };
  const loop = ex.loops[0];
  const clause = comprehensionClause(f, loop, { k: 'list', items: [...ex.args.slice(1), ...ex.kwargs.map((k) => k.value)], span: ex.span });
  const call = `${ex.awaited ? 'await ' : ''}${ex.instance}.${ex.sync ? 'express_sync' : 'express'}`;
  const modelText = textOf(f, ex.args[0].span);
  let line: string;
  if (ex.op === 'create') {
    const data = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'data')?.value;
    if (!data) return { reason: 'the call has no data argument (second argument or data=)' };
    line = `${call}.bulk_create(${modelText}, [${textOf(f, data.span)} ${clause}])`;
  } else if (ex.op === 'delete') {
    const id = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'id')?.value;
    if (!id) return { reason: NO_ID_ARGUMENT };
    line = `${call}.bulk_delete(${modelText}, ${listOver(f, loop, id, ex.functionName)})`;
  } else if (ex.op === 'update') {
    const id = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'id')?.value;
    const fields = ex.args[2] ?? ex.kwargs.find((k) => k.name === 'fields')?.value;
    if (!id || !fields) return { reason: 'the call lacks its id or fields argument (positional, or id= and fields=)' };
    const item = fields.k === 'dict'
      ? py`{"id": ${textOf(f, id.span)}, ${fields.entries.map((e) => textOf(f, e.span)).join(', ')}}`
      : py`{"id": ${textOf(f, id.span)}, **${textOf(f, fields.span)}}`;
    line = `${call}.bulk_update(${modelText}, [${item} ${clause}])`;
  } else {
    return { reason: 'express upsert and bulk_upsert choose conflict columns differently' };
  }
  return {
    fix: () => replaceLoop(ctx, loop, ex.span, [line], `Replace the loop with one ${ex.instance}.express.bulk_${ex.op}(...)`),
  };
}
