// Turning a loop's iteration into a comprehension or a list, as a person would write it: the
// loop's own clause without an unused `enumerate` index, and the iterable itself when the items
// are its elements and it already is a list.
import type { LoopInfo } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import { dottedName, namesIn, type SExpr } from '../model/staticExpr';
import { textOf } from './pythonText';

interface Clause { target: string; iter: string; iterExpr?: SExpr; element?: string }

/** The loop's `for` clause, dropping `enumerate`'s index when `used` does not read it. */
function clauseOf(file: SourceFile, loop: LoopInfo, used: Set<string>): Clause {
  const target = loop.target, iter = loop.iter;
  if (target?.k === 'tuple' && target.items.length === 2 && target.items[0].k === 'name' && target.items[1].k === 'name'
    && iter?.k === 'call' && dottedName(iter.fn) === 'enumerate' && iter.args.length === 1 && !iter.kwargs.length && !used.has(target.items[0].id)) {
    return { target: target.items[1].id, iter: textOf(file, iter.args[0].span), iterExpr: iter.args[0], element: target.items[1].id };
  }
  return {
    target: target ? textOf(file, target.span) : '_',
    iter: iter ? textOf(file, iter.span) : '()',
    iterExpr: iter,
    element: target?.k === 'name' ? target.id : undefined,
  };
}

/** `for <target> in <iter>` for a comprehension whose element reads `item`. */
export function comprehensionClause(file: SourceFile, loop: LoopInfo, item: SExpr | undefined): string {
  const c = clauseOf(file, loop, namesIn(item));
  return `for ${c.target} in ${c.iter}`;
}

/**
 * Is `e` (after following names) known NOT to be a list or tuple — a range, set, dict, generator,
 * map/filter/zip or dict view, which `{"$in": ...}` would not take? Names of unknown value (a
 * function parameter `order_ids`) are taken as the lists they nearly always are.
 */
function notAList(file: SourceFile, e: SExpr | undefined, offset: number, fn: string | undefined): boolean {
  const v = file.resolver.value(e, offset, fn);
  if (!v) return false;
  if (v.k === 'set' || v.k === 'dict' || v.k === 'str') return true;
  if (v.k === 'comp') return file.text[v.span.start] !== '[';
  if (v.k === 'call') {
    const name = dottedName(v.fn) ?? '';
    if (['range', 'set', 'frozenset', 'dict', 'map', 'filter', 'zip', 'reversed', 'iter'].includes(name)) return true;
    if (v.fn.k === 'attr' && ['keys', 'values', 'items'].includes(v.fn.attr)) return true;
  }
  return false;
}

/**
 * A list of `item` for every iteration: the iterable itself (`order_ids`) when the items are its
 * elements, `list(...)` of it when it is known to be another kind of iterable, and
 * `[item for ...]` otherwise.
 */
export function listOver(file: SourceFile, loop: LoopInfo, item: SExpr, fn: string | undefined): string {
  const c = clauseOf(file, loop, namesIn(item));
  if (item.k === 'name' && c.element === item.id && c.iterExpr) {
    const it = c.iterExpr;
    if (it.k === 'list' || it.k === 'tuple') return c.iter;
    if ((it.k === 'name' || it.k === 'attr') && !notAList(file, it, loop.span.start, fn)) return c.iter;
    return `list(${c.iter})`;
  }
  return `[${textOf(file, item.span)} for ${c.target} in ${c.iter}]`;
}
