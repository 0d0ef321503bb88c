// Quick-fix for DF002: replace a loop of ReadNodes by one ListNode filtered on the ids, with a
// limit as large as the id list (ListNode's default limit is 10: reference §3.3).
import type { Fix } from '../analysis/finding';
import type { ExpressFact } from '../model/facts';
import { namesIn } from '../model/staticExpr';
import { targetIdExpr, type ResolvedNode, type RuleContext } from '../analysis/context';
import { ID_NOT_PREFIXED, MODEL_NOT_LITERAL, NO_ID_ARGUMENT, NO_NODE_ID, SAME_NODE_ID, SPREAD_ARGUMENTS, WORKFLOW_NOT_NAME, type FixOffer } from './bulkLoopFix';
import {
  commentsOutside, freshName, freshNodeId, idPrefix, indentUnit, lineIndent, loopRewriteBlocker, loopShapeBlocker, nodeIdsReferenced, numericIds,
  pyString, pyTag, textOf, varies,
} from './pythonText';
import { listOver } from './comprehension';
import { camelToSnake } from '../catalogue';

export function readInLoopFix(ctx: RuleContext, node: ResolvedNode): FixOffer {
  const { fact, model } = node;
  const f = ctx.file;
  const py = pyTag(f);
  const pyStr = (s: string) => pyString(s, f);
  const blocked = loopRewriteBlocker(fact.loops, fact.callIsStatement, fact.statementSpan);
  if (blocked) return { reason: blocked };
  const loop = fact.loops[0];
  if (!fact.workflow) return { reason: WORKFLOW_NOT_NAME };
  if (!fact.nodeId) return { reason: NO_NODE_ID };
  if (!varies(fact.nodeId, namesIn(fact.nodeId), loop)) return { reason: SAME_NODE_ID };
  const prefix = idPrefix(fact.nodeId);
  if (prefix === undefined) return { reason: ID_NOT_PREFIXED };
  const idE = targetIdExpr(node.config, 'Read');
  if (!idE) return { reason: 'the node config names no record id (ReadNode takes id, record_id or conditions.id)' };
  const base = prefix.replace(/[^A-Za-z0-9]+$/, '') || camelToSnake(model);
  return {
    fix: (): Fix | string => {
      const ref = nodeIdsReferenced(f, prefix, loop.span, numericIds(fact.nodeId, loop));
      if (ref) return `other code reads the per-item results (${ref} at line ${f.doc.lines.positionAt(ref.at).line + 1}); they would be one "records" list after the fix`;
      const list = listOver(f, loop, idE, fact.functionName);
      const reuse = /^[A-Za-z_][\w.]*$/.test(list);
      const ids = reuse ? list : freshName(f, `${camelToSnake(model)}_ids`);
      const id = freshNodeId(f, `${base}_all`);
      const indent = lineIndent(f, loop.span.start);
      const head = fact.viaInstance
        ? `${fact.viaInstance}.add_node(${fact.workflow}, ${pyStr(model)}, "List", ${pyStr(id)}, {`
        : `${fact.workflow}.add_node(${pyStr(`${model}ListNode`)}, ${pyStr(id)}, {`;
      // An empty list would make the ListNode fail (`IN ()`), where the loop added no node at all.
      const lines = [
        ...commentsOutside(f, loop.span, [fact.config?.span ?? fact.span]),
        ...(reuse ? [] : [`${ids} = ${list}`]),
        `if ${ids}:`,
        py`${indentUnit(f, loop)}${head}"filter": {"id": {"$in": ${ids}}}, "limit": len(${ids})})`,
      ];
      return {
        title: `Replace the loop with one ${model}ListNode over the ids`,
        isPreferred: true,
        edits: [{ uri: f.uri, edits: [{ span: { start: loop.span.start, end: loop.span.end }, newText: lines.map((l, i) => (i ? indent + l : l)).join('\n') }] }],
      };
    },
  };
}

/**
 * `x = await db.express.read("M", key)` inside `for item in items:` → fetch every record once
 * before the loop and look each up in a dict inside it. The rest of the loop body is kept.
 */
export function expressReadFix(ctx: RuleContext, ex: ExpressFact): FixOffer {
  const f = ctx.file;
  const py = pyTag(f);
  const shape = loopShapeBlocker(ex.loops);
  if (shape) return { reason: shape };
  const loop = ex.loops[0];
  if (!ex.model) return { reason: MODEL_NOT_LITERAL };
  if (ex.args.some((a) => a.k === 'spread')) return { reason: SPREAD_ARGUMENTS };
  const idArg = ex.args[1] ?? ex.kwargs.find((k) => k.name === 'id')?.value;
  if (!idArg) return { reason: NO_ID_ARGUMENT };
  if (ex.args.length > 2 || ex.kwargs.some((k) => k.name !== 'id')) return { reason: 'the read passes options (cache_ttl, include_deleted, ...) that the fix would not carry over to the list call' };
  const iter = loop.iter;
  if (!iter || !(iter.k === 'name' || iter.k === 'attr' || iter.k === 'list' || iter.k === 'tuple' || (iter.k === 'call' && iter.fn.k === 'name' && iter.fn.id === 'range'))) {
    return { reason: 'the loop iterates over an expression that may be a one-shot iterator, and the fix would read it twice (assign it to a list first)' };
  }
  // The id must depend only on the loop variable (it is computed before the loop).
  const assignedInLoop = new Set(f.facts.assignments.filter((a) => a.statementSpan.start > loop.span.start && a.statementSpan.end <= loop.span.end).map((a) => a.name));
  if ([...namesIn(idArg)].some((n) => assignedInLoop.has(n))) return { reason: 'the id is computed inside the loop body, so the ids cannot be collected before the loop' };
  return {
    fix: (): Fix => {
      const snakeModel = camelToSnake(ex.model!);
      const list = listOver(f, loop, idArg, ex.functionName);
      const reuse = /^[A-Za-z_][\w.]*$/.test(list);
      const ids = reuse ? list : freshName(f, `${snakeModel}_ids`);
      const byId = freshName(f, `${snakeModel}_by_id`);
      const rec = freshName(f, 'record');
      const indent = lineIndent(f, loop.span.start);
      const call = `${ex.awaited ? 'await ' : ''}${ex.instance}.${ex.sync ? 'express_sync' : 'express'}`;
      const prefetch = [
        ...(reuse ? [] : [`${ids} = ${list}`]),
        py`${byId} = {${rec}["id"]: ${rec} for ${rec} in ${call}.list(${textOf(f, ex.args[0].span)}, {"id": {"$in": ${ids}}}, limit=len(${ids}))} if ${ids} else {}`,
      ].map((l) => l + '\n' + indent).join('');
      return {
        title: `Read all ${ex.model} records once before the loop`,
        isPreferred: true,
        edits: [{ uri: f.uri, edits: [
          { span: { start: loop.span.start, end: loop.span.start }, newText: prefetch },
          { span: { start: ex.awaited ? findAwaitStart(f.text, ex.span.start) : ex.span.start, end: ex.span.end }, newText: `${byId}.get(${textOf(f, idArg.span)})` },
        ] }],
      };
    },
  };
}

function findAwaitStart(text: string, callStart: number): number {
  const before = text.slice(Math.max(0, callStart - 20), callStart);
  const m = /await\s+$/.exec(before);
  return m ? callStart - (before.length - m.index) : callStart;
}
