// Quick-fix for DF004: set pool_size and pool_max_overflow to the recommended values, editing the
// keyword arguments in place (an `os.getenv("X", "5")` keeps its variable and gets a new default).
import type { Fix, TextEditAt } from '../analysis/finding';
import type { DataFlowInstanceFact } from '../model/facts';
import { dottedName, type KwArg, type SExpr } from '../model/staticExpr';
import type { RuleContext } from '../rules/ruleContext';
import type { FixOffer } from './bulkLoopFix';

function valueEdit(value: SExpr, n: number): TextEditAt | undefined {
  if (value.k === 'num' || value.k === 'name' || value.k === 'unary') return { span: value.span, newText: String(n) };
  if (value.k === 'call') {
    const fn = dottedName(value.fn);
    if ((fn === 'int') && value.args.length === 1) return valueEdit(value.args[0], n);
    if (fn === 'os.getenv' || fn === 'os.environ.get' || fn === 'getenv') {
      const def = value.args[1];
      if (def?.k === 'str') return { span: def.span, newText: JSON.stringify(String(n)) };
      if (def?.k === 'num') return { span: def.span, newText: String(n) };
      return undefined;
    }
  }
  if (value.k === 'str') return { span: value.span, newText: String(n) };
  return undefined;
}

export function poolFix(ctx: RuleContext, inst: DataFlowInstanceFact, size: number, overflow: number): FixOffer {
  const sizeKw = inst.kwargs.find((k) => k.name === 'pool_size') as KwArg;
  const overflowKw = inst.kwargs.find((k) => k.name === 'pool_max_overflow');
  const sizeEdit = valueEdit(sizeKw.value, size);
  if (!sizeEdit) return { reason: 'pool_size is computed by an expression this fix does not rewrite' };
  const edits: TextEditAt[] = [sizeEdit];
  if (overflowKw) {
    const e = valueEdit(overflowKw.value, overflow);
    if (!e) return { reason: 'pool_max_overflow is computed by an expression this fix does not rewrite' };
    edits.push(e);
  } else {
    edits.push({ span: { start: sizeKw.span.end, end: sizeKw.span.end }, newText: `, pool_max_overflow=${overflow}` });
  }
  return {
    fix: (): Fix => ({
      title: `Set pool_size=${size} and pool_max_overflow=${overflow}`,
      isPreferred: true,
      edits: [{ uri: ctx.file.uri, edits }],
    }),
  };
}
