// The value of an assignment, converted to an SExpr when something first reads it. A DataFlow file
// assigns far more names than any rule resolves (kailash-py's test modules: results, counts,
// payloads), and converting every right-hand side while the tree is at hand was an eighth of
// dataflow-lint's extraction (one crossing into WebAssembly per node read). The few values a
// rule reads (Resolver.value, the pool and database-URL rules) are converted from the statement's
// text instead: `_ = <value>` parsed on its own puts the value in the same grammar position (the
// right side of an assignment), so it converts to the same SExpr, its spans moved back to where
// the value is in the file.
import { discardSharedPythonParser, sharedPythonParser } from '../syntax/parser';
import { collectSpans, toSExpr, type SExpr } from './staticExpr';
import type { AssignmentFact, StatementFacts } from './facts';

const PREFIX = '_ = ';

/**
 * Gives `fact` a `value` read from `stmt` (the statement's facts: their text and current span, so
 * a statement shifted by an edit before the read converts at its new place) at `start`..`end`,
 * offsets into the statement's text. Once read, `value` is a plain property, and the statement's
 * collected spans are dropped so the next shift includes the value's. `movable`: the fact may be
 * moved to another statement's facts before its value is read (moveDeferredValue: a member of a
 * large class), so where its value is is kept; the others (most) are not registered.
 */
export function deferValue(fact: Omit<AssignmentFact, 'value'>, stmt: StatementFacts, start: number, end: number, movable = false): AssignmentFact {
  if (movable) pending.set(fact, { stmt, start, end });
  Object.defineProperty(fact, 'value', {
    configurable: true,
    enumerable: false,
    get(this: AssignmentFact): SExpr {
      if (movable) pending.delete(this);
      const value = convertAt(stmt, start, end);
      Object.defineProperty(this, 'value', { value, enumerable: true, writable: true, configurable: true });
      stmt.spans = undefined;
      return value;
    },
  });
  return fact as AssignmentFact;
}

/** Where each movable value not read yet is: its statement's facts and its offsets into their text. */
const pending = new WeakMap<object, { stmt: StatementFacts; start: number; end: number }>();

/**
 * Moves a fact whose value may not be read yet to `stmt`, the facts of the statement it now
 * belongs to (a method of a large class reused by the class's new facts, see
 * reextractStatement): its value is read from `stmt`'s text, `shift` characters from where it was
 * in its old statement's text. A value already read is a plain property (shifted with the others).
 */
export function moveDeferredValue(fact: AssignmentFact, stmt: StatementFacts, shift: number): void {
  const p = pending.get(fact);
  if (!p) return;
  const move = p.stmt.span.start + shift - stmt.span.start;
  deferValue(fact, stmt, p.start + move, p.end + move, true);
}

/** Whether movable `fact`'s value is still to be read (its spans are not in the fact yet). */
export function valuePending(fact: object): boolean {
  return pending.has(fact);
}

function convertAt(stmt: StatementFacts, start: number, end: number): SExpr {
  const at = stmt.span.start + start;
  const source = stmt.text.slice(start, end);
  try {
    const tree = sharedPythonParser().parse(PREFIX + source);
    try {
      const assignment = tree?.rootNode.firstNamedChild?.firstNamedChild;
      const right = assignment?.type === 'assignment' ? assignment.childForFieldName('right') : null;
      if (right && right.startIndex === PREFIX.length && right.endIndex === PREFIX.length + source.length) {
        const value = toSExpr(right);
        for (const sp of collectSpans(value)) { sp.start += at - PREFIX.length; sp.end += at - PREFIX.length; }
        return value;
      }
    } finally {
      tree?.delete();
    }
  } catch {
    // tree-sitter trapped (as PythonDocument does, the parser is replaced): the value stays unknown.
    discardSharedPythonParser();
  }
  return { k: 'other', type: 'unparsed', span: { start: at, end: at + source.length } };
}
