// Quick-fix for DF004: set pool_size and pool_max_overflow to the recommended values, editing the
// keyword arguments in place (an `os.getenv("X", "5")` keeps its variable and gets a new default).
// A keyword that names a constant (`pool_size=POOL` with `POOL = 4`) keeps the name: the fix edits
// the constant's value, or offers nothing and says why.
import type { Fix, TextEditAt } from '../analysis/finding';
import type { DataFlowInstanceFact } from '../model/facts';
import { dottedName, type KwArg, type SExpr } from '../model/staticExpr';
import type { RuleContext } from '../analysis/context';
import type { FixOffer } from './bulkLoopFix';

type Edit = { edit: TextEditAt; via?: string } | { blocker: string };

function valueEdit(ctx: RuleContext, inst: DataFlowInstanceFact, value: SExpr, n: number, offset: number, fn: string | undefined, hops = 0): Edit {
  if (value.k === 'num' || value.k === 'unary') return { edit: { span: value.span, newText: String(n) } };
  if (value.k === 'name') {
    if (hops > 4) return { blocker: `${value.id} is defined through too many names` };
    const r = ctx.file.resolver;
    const a = r.assignmentFor(value.id, offset, fn);
    if (!a) return { blocker: `${value.id} is not assigned in this file, so the fix cannot change its value` };
    if (a.loops.length) return { blocker: `${value.id} is assigned inside a loop` };
    const sameScope = ctx.file.facts.assignments.filter((x) => x.name === value.id && x.functionName === a.functionName);
    if (sameScope.length > 1) return { blocker: `${value.id} is assigned more than once` };
    const inner = valueEdit(ctx, inst, a.value, n, a.statementSpan.start, a.functionName, hops + 1);
    return 'edit' in inner ? { edit: inner.edit, via: inner.via ?? value.id } : inner;
  }
  if (value.k === 'call') {
    const name = dottedName(value.fn);
    if (name === 'int' && value.args.length === 1) return valueEdit(ctx, inst, value.args[0], n, offset, fn, hops);
    if (name === 'os.getenv' || name === 'os.environ.get' || name === 'getenv') {
      const def = value.args[1];
      if (def?.k === 'str') return { edit: { span: def.span, newText: JSON.stringify(String(n)) } };
      if (def?.k === 'num') return { edit: { span: def.span, newText: String(n) } };
      if (def?.k === 'name') return valueEdit(ctx, inst, def, n, offset, fn, hops);
      return { blocker: 'the value comes from an environment variable without a default' };
    }
  }
  if (value.k === 'str') return { edit: { span: value.span, newText: JSON.stringify(String(n)) } };
  return { blocker: 'the value is computed by an expression this fix does not rewrite' };
}

export function poolFix(ctx: RuleContext, inst: DataFlowInstanceFact, size: number, overflow: number): FixOffer {
  const sizeKw = inst.kwargs.find((k) => k.name === 'pool_size') as KwArg;
  const overflowKw = inst.kwargs.find((k) => k.name === 'pool_max_overflow');
  const at = inst.span.start, fn = inst.functionName;
  const sizeEdit = valueEdit(ctx, inst, sizeKw.value, size, at, fn);
  if ('blocker' in sizeEdit) return { reason: `pool_size: ${sizeEdit.blocker}` };
  const edits: TextEditAt[] = [sizeEdit.edit];
  const names: string[] = [];
  if (sizeEdit.via) names.push(sizeEdit.via);
  if (overflowKw) {
    const e = valueEdit(ctx, inst, overflowKw.value, overflow, at, fn);
    if ('blocker' in e) return { reason: `pool_max_overflow: ${e.blocker}` };
    if (e.edit.span.start === sizeEdit.edit.span.start) return { reason: 'pool_size and pool_max_overflow share one value' };
    edits.push(e.edit);
    if (e.via) names.push(e.via);
  } else {
    edits.push({ span: { start: sizeKw.span.end, end: sizeKw.span.end }, newText: `, pool_max_overflow=${overflow}` });
  }
  const where = names.length ? ` (edits ${names.join(' and ')}, used wherever ${names.length > 1 ? 'they are' : 'it is'} read)` : '';
  return {
    fix: (): Fix => ({
      title: `Set pool_size=${size} and pool_max_overflow=${overflow}${where}`,
      isPreferred: true,
      edits: [{ uri: ctx.file.uri, edits }],
    }),
  };
}
