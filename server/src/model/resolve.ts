// Light data flow over the facts of one file: what a name holds at a point (module constants,
// function locals, os.getenv defaults), and how many times a loop runs when that is static.
import type { AssignmentFact, LoopInfo } from './facts';
import type { FileFacts } from './fileFacts';
import { dottedName, numValue, strValue, type SExpr } from './staticExpr';

const MAX_HOPS = 8;

export class Resolver {
  private byName = new Map<string, AssignmentFact[]>();
  /** The file text, when known: lets countOf see a list grown after its assignment. */
  constructor(facts: FileFacts, private readonly text?: string) {
    for (const a of facts.assignments) {
      let list = this.byName.get(a.name);
      if (!list) this.byName.set(a.name, (list = []));
      list.push(a);
    }
  }

  /** The assignment that gives `name` its value at `offset` inside `functionName` (or at module level). */
  assignmentFor(name: string, offset: number, functionName: string | undefined): AssignmentFact | undefined {
    let best: AssignmentFact | undefined;
    const candidates = this.byName.get(name);
    if (!candidates) return undefined;
    if (functionName !== undefined) {
      for (const a of candidates) {
        if (a.name === name && a.functionName === functionName && a.statementSpan.start < offset) {
          if (!best || a.statementSpan.start > best.statementSpan.start) best = a;
        }
      }
      if (best) return best;
    }
    for (const a of candidates) {
      if (a.name === name && a.functionName === undefined && (functionName !== undefined || a.statementSpan.start < offset)) {
        if (!best || a.statementSpan.start > best.statementSpan.start) best = a;
      }
    }
    return best;
  }

  /** Follows names (and `os.getenv("X", default)`) to the expression they hold, when static. */
  value(e: SExpr | undefined, offset: number, functionName: string | undefined, hops = 0): SExpr | undefined {
    if (!e || hops > MAX_HOPS) return e;
    if (e.k === 'name') {
      const a = this.assignmentFor(e.id, offset, functionName);
      if (!a || a.loops.length) return e;
      return this.value(a.value, a.statementSpan.start, a.functionName, hops + 1);
    }
    if (e.k === 'call') {
      const fn = dottedName(e.fn);
      if (fn === 'os.getenv' || fn === 'os.environ.get' || fn === 'getenv') {
        const def = e.args[1] ?? e.kwargs.find((k) => k.name === 'default')?.value;
        return def ? this.value(def, offset, functionName, hops + 1) : undefined;
      }
      if ((fn === 'int' || fn === 'float') && e.args.length === 1) {
        const inner = this.value(e.args[0], offset, functionName, hops + 1);
        const s = strValue(inner);
        if (s !== undefined && s.trim() !== '' && Number.isFinite(Number(s))) return { k: 'num', v: fn === 'int' ? Math.trunc(Number(s)) : Number(s), span: e.span };
        if (inner?.k === 'num') return { k: 'num', v: fn === 'int' ? Math.trunc(inner.v) : inner.v, span: e.span };
      }
    }
    return e;
  }

  number(e: SExpr | undefined, offset: number, fn: string | undefined): number | undefined {
    return numValue(this.value(e, offset, fn));
  }

  /**
   * True when `name` may be grown or changed in place between its assignment and `offset`
   * (`.append/.extend/.insert/.add/.update(...)`, `+=`, `|=`, item assignment): a list written
   * `[]` and then filled by an earlier loop is not empty. Textual and conservative (any such
   * use of the name in between counts, whatever its scope).
   */
  private mutatedBetween(name: string, from: number, to: number): boolean {
    if (this.text === undefined) return true;
    if (to <= from) return false;
    const between = this.text.slice(from, to);
    if (between.indexOf(name) < 0) return false;
    const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\w.])${n}\\s*(?:\\.\\s*(?:append|extend|insert|add|update|setdefault)\\s*\\(|[+|]=|\\[[^\\]\\n]*\\]\\s*=(?!=))`).test(between);
  }

  /** Static number of items an iterable yields, when known. */
  countOf(e: SExpr | undefined, offset: number, fn: string | undefined, hops = 0): number | undefined {
    if (!e || hops > MAX_HOPS) return undefined;
    if (e.k === 'name') {
      const a = this.assignmentFor(e.id, offset, fn);
      if (a && this.mutatedBetween(e.id, a.statementSpan.end, offset)) return undefined;
    }
    const v = this.value(e, offset, fn, hops);
    if (!v) return undefined;
    switch (v.k) {
      case 'list': case 'tuple': case 'set':
        if (v.items.some((i) => i.k === 'spread')) return undefined;
        return v.truncated ?? v.items.length;
      case 'dict': return v.entries.some((x) => !x.key) ? undefined : v.truncated ?? v.entries.length;
      case 'str': return v.v.length;
      case 'comp': {
        if (v.clauses.some((c) => c.kind === 'if')) return undefined;
        let total = 1;
        for (const c of v.clauses) {
          const n = this.countOf(c.iter, offset, fn, hops + 1);
          if (n === undefined) return undefined;
          total *= n;
        }
        return total;
      }
      case 'call': {
        const name = dottedName(v.fn);
        if (name === 'range') {
          const nums = v.args.map((a) => this.number(a, offset, fn));
          if (nums.some((x) => x === undefined) || nums.length === 0 || nums.length > 3) return undefined;
          const [a, b, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
          if (step === 0) return undefined;
          return Math.max(0, Math.ceil((b - a) / step));
        }
        if ((name === 'enumerate' || name === 'list' || name === 'tuple' || name === 'sorted' || name === 'reversed' || name === 'set') && v.args.length >= 1) {
          return this.countOf(v.args[0], offset, fn, hops + 1);
        }
        if (name === 'zip' && v.args.length) {
          const counts = v.args.map((a) => this.countOf(a, offset, fn, hops + 1));
          return counts.some((c) => c === undefined) ? undefined : Math.min(...(counts as number[]));
        }
        if (v.fn.k === 'attr' && ['items', 'keys', 'values'].includes(v.fn.attr) && v.args.length === 0) {
          return this.countOf(v.fn.obj, offset, fn, hops + 1);
        }
        return undefined;
      }
      default: return undefined;
    }
  }

  /** Static iteration count of a loop (product over nested comprehension clauses), when known. */
  loopCount(loop: LoopInfo, fn: string | undefined): number | undefined {
    if (loop.kind === 'while') return undefined;
    return this.countOf(loop.iter, loop.span.start, fn);
  }

  /** Iterations of the innermost loops multiplied out (nested loops multiply). */
  totalIterations(loops: LoopInfo[], fn: string | undefined): number | undefined {
    let total = 1;
    for (const l of loops) {
      const n = this.loopCount(l, fn);
      if (n === undefined) return undefined;
      total *= n;
    }
    return total;
  }
}
