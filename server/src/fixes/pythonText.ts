// Text helpers for writing Python edits: slices, indentation, comments to keep, fresh names.
import type { SourceFile } from '../model/sourceFile';
import type { LoopInfo } from '../model/facts';
import type { SExpr, Span } from '../model/staticExpr';

export function textOf(file: SourceFile, span: Span): string { return file.text.slice(span.start, span.end); }

export function lineIndent(file: SourceFile, offset: number): string { return file.doc.lines.indentAt(offset); }

/** Comments inside `span` but outside `keep` (those stay with the moved code), as text. */
export function commentsOutside(file: SourceFile, span: Span, keep: Span[]): string[] {
  // No `#` in the span: no comment, and no tree to read (a file dataflow-lint has freed the tree
  // of would be parsed again for it).
  const hash = file.text.indexOf('#', span.start);
  if (hash === -1 || hash >= span.end) return [];
  const tree = file.doc.tree;
  if (!tree) return [];
  // Search only the smallest node holding the span: a search from the root walks the whole tree.
  let holder = tree.rootNode.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
  while (holder && (holder.startIndex > span.start || holder.endIndex < span.end) && holder.parent) holder = holder.parent;
  if (!holder) return [];
  const out: string[] = [];
  for (const c of holder.descendantsOfType('comment')) {
    if (!c || c.startIndex < span.start || c.endIndex > span.end) continue;
    if (keep.some((k) => c.startIndex >= k.start && c.endIndex <= k.end)) continue;
    out.push(c.text);
  }
  return out;
}

/**
 * Per file version, the scans every fix of the file would otherwise repeat over the whole text
 * (a 5 MB file with thousands of findings must not be scanned once per finding).
 */
interface FileScan { identifiers: Set<string>; strings: Set<string>; resultReads?: ResultRead[] }
interface ResultRead { receiver: string; fString: boolean; quote: string; at: number; head: string }
const scans = new WeakMap<object, FileScan>();
function scanOf(file: SourceFile): FileScan {
  let scan = scans.get(file.facts);
  if (!scan) {
    const identifiers = new Set<string>(file.text.match(/[A-Za-z_]\w*/g) ?? []);
    const strings = new Set<string>(file.stringHeads().map((h) => h.head));
    scan = { identifiers, strings };
    scans.set(file.facts, scan);
  }
  return scan;
}

export function freshName(file: SourceFile, base: string): string {
  const used = scanOf(file).identifiers;
  for (let i = 1; i < 1000; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    if (!used.has(name)) return name;
  }
  return `${base}_${Date.now()}`;
}

/** A node id not used by any static node id or string literal in the file. */
export function freshNodeId(file: SourceFile, base: string): string {
  const strings = scanOf(file).strings;
  for (let i = 1; i < 1000; i++) {
    const id = i === 1 ? base : `${base}_${i}`;
    if (!strings.has(id)) return id;
  }
  return base;
}

/** The static text a per-iteration id starts with: `create_` for f"create_{i}" or "create_" + str(i). */
export function idPrefix(id: SExpr | undefined): string | undefined {
  if (!id) return undefined;
  if (id.k === 'fstr') return typeof id.parts[0] === 'string' ? id.parts[0] : '';
  if (id.k === 'binop' && id.op === '+') {
    if (id.l.k === 'str') return id.l.v;
    return idPrefix(id.l);
  }
  return undefined;
}

/** Does the id expression change per iteration of `loop`? */
export function varies(id: SExpr | undefined, names: Set<string>, loop: LoopInfo): boolean {
  if (!id) return false;
  for (const n of loop.targetNames) if (names.has(n)) return true;
  return false;
}

/** Names bound to a workflow execution's results (`results, run_id = runtime.execute(...)`). */
function resultNames(file: SourceFile): Set<string> {
  const out = new Set<string>();
  for (const e of file.facts.executes) {
    const m = /^\s*\(?\s*([A-Za-z_]\w*)\s*(?:,[^=]*)?\)?\s*=[^=]/.exec(file.text.slice(e.statementSpan.start, e.span.start));
    if (m) out.add(m[1]);
  }
  return out;
}

/**
 * Where code outside `loop` names a per-item node id starting with `prefix`: an `add_connection`
 * / `connect` endpoint, or a read of an execution's results (`results["create_3"]`,
 * `results.get(f"create_{i}")`). A field name such as "customer_email" read from a record is not
 * one; with `numeric` (the ids end in a number: `range` or `enumerate` index), neither is a
 * literal like "create_post".
 */
export function nodeIdsReferenced(file: SourceFile, prefix: string, loop: Span, numeric = false): { text: string; at: number; toString(): string } | undefined {
  const outside = (at: number) => at < loop.start || at >= loop.end;
  const collides = (e: SExpr | undefined): boolean => {
    if (!e) return false;
    if (e.k === 'str') return e.v.startsWith(prefix) && (!numeric || /^\d/.test(e.v.slice(prefix.length)));
    const p = idPrefix(e);
    return p !== undefined && (p.startsWith(prefix) || prefix.startsWith(p));
  };
  const found = (at: number, text: string) => ({ text, at, toString: () => text });
  for (const c of file.facts.connections) {
    if (!outside(c.span.start)) continue;
    for (const end of [c.from, c.to]) if (collides(end)) return found(end!.span.start, file.text.slice(end!.span.start, end!.span.end));
  }
  for (const r of resultReadsOf(file)) {
    if (!outside(r.at) || !r.head.startsWith(prefix)) continue;
    if (!r.fString && numeric && !/^\d/.test(r.head.slice(prefix.length))) continue;
    return found(r.at, `${r.fString ? 'f' : ''}${r.quote}${r.head}${r.quote}`);
  }
  return undefined;
}

/** Every `results[<string>]` / `results.get(<string>)` of the file, found once per version. */
function resultReadsOf(file: SourceFile): ResultRead[] {
  const scan = scanOf(file);
  if (scan.resultReads) return scan.resultReads;
  const out: ResultRead[] = [];
  const receivers = [...resultNames(file)];
  if (receivers.length) {
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`\\b(${receivers.map(esc).join('|')})\\s*(?:\\[\\s*|\\.get\\(\\s*)(f?)(["'])([^"'\\n]{0,120})`, 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(file.text))) {
      out.push({ receiver: m[1], fString: m[2] === 'f', quote: m[3], at: m.index + m[0].length - m[4].length - 1 - m[2].length, head: m[4] });
    }
  }
  scan.resultReads = out;
  return out;
}

/** Do the ids of f"prefix{x}" end in a number: is `x` a `range` variable or an `enumerate` index? */
export function numericIds(id: SExpr | undefined, loop: LoopInfo): boolean {
  if (!id || id.k !== 'fstr') return false;
  const first = id.parts.find((p) => typeof p !== 'string');
  if (!first || typeof first === 'string' || first.k !== 'name') return false;
  const iter = loop.iter;
  if (iter?.k === 'call' && iter.fn.k === 'name' && iter.fn.id === 'range') return loop.targetNames.includes(first.id);
  if (iter?.k === 'call' && iter.fn.k === 'name' && iter.fn.id === 'enumerate' && loop.target?.k === 'tuple') {
    const index = loop.target.items[0];
    return index?.k === 'name' && index.id === first.id;
  }
  return false;
}

/** A Python string literal in the file's own quote style (the more common of ' and "). */
export function pyString(s: string, file?: SourceFile): string {
  const q = file ? quoteOf(file) : '"';
  if (q === "'" && !s.includes("'")) return `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"')}'`;
  return JSON.stringify(s);
}

const quoteMemo = new WeakMap<object, string>();
/** The quote character most string literals of the file open with. */
export function quoteOf(file: SourceFile): string {
  const facts = file.facts;
  let q = quoteMemo.get(facts);
  if (q) return q;
  let single = 0, double = 0;
  for (const h of file.stringHeads()) { if (file.text[h.start] === "'") single++; else double++; }
  q = single > double ? "'" : '"';
  quoteMemo.set(facts, q);
  return q;
}

/** One level of indentation as the file writes it (the loop body's indent minus the loop's). */
export function indentUnit(file: SourceFile, loop: LoopInfo): string {
  const outer = lineIndent(file, loop.span.start);
  const body = loop.bodyStatements[0] ? lineIndent(file, loop.bodyStatements[0].start) : '';
  if (body.length > outer.length && body.startsWith(outer)) return body.slice(outer.length);
  return /^\t/.test(outer) ? '\t' : '    ';
}

/**
 * Moves a multi-line expression's text to a new line indentation: its second and later lines
 * are shifted by the difference between the indentation of the line it started on and `to`.
 */
export function reindent(file: SourceFile, span: Span, to: string): string {
  const text = textOf(file, span);
  if (!text.includes('\n')) return text;
  const from = lineIndent(file, span.start);
  return text.split('\n').map((line, i) => {
    if (i === 0 || line.trim() === '') return line;
    if (line.startsWith(from)) return to + line.slice(from.length);
    return line;
  }).join('\n');
}

/**
 * Why a call's loop is not one this module's fixes rewrite (nested, `while`, a comprehension,
 * `async for`), or undefined when it is a single plain `for` loop. Shared so that every fix words
 * these cases the same way.
 */
export function loopShapeBlocker(loops: LoopInfo[]): string | undefined {
  if (loops.length !== 1) return loops.length > 1 ? 'the call is inside nested loops; only a call in a single for loop is rewritten' : 'not in a loop';
  const loop = loops[0];
  if (loop.kind === 'while') return 'a while loop has no iterable to collect the items from; only a for loop is rewritten';
  if (loop.kind !== 'for') return 'the call is inside a comprehension; only a for loop statement is rewritten';
  if (loop.isAsync) return 'the fix does not rewrite async for loops';
  return undefined;
}

/** Why a loop cannot be replaced by one statement, or undefined when it can. */
export function loopRewriteBlocker(loops: LoopInfo[], callIsStatement: boolean, statement: Span): string | undefined {
  const shape = loopShapeBlocker(loops);
  if (shape) return shape;
  const loop = loops[0];
  if (loop.hasElse) return 'the loop has an else clause, which the rewrite could not keep';
  if (!callIsStatement) return 'the call\'s result is used, and one bulk call would give a single result for all items';
  if (loop.bodyStatements.length !== 1 || loop.bodyStatements[0].start !== statement.start) return 'the loop body does more than this call; only a loop that does nothing else is rewritten';
  return undefined;
}

/**
 * A tag for generated Python: the template's own text (not the interpolated user code) is
 * written in the file's quote style: py`"data": [${item}]` gives 'data' in a single-quoted file.
 */
export function pyTag(file: SourceFile): (strings: TemplateStringsArray, ...values: unknown[]) => string {
  // Decided when the tag is first used (a fix being computed), not when a rule prepares one:
  // quoteOf reads every string literal of the file.
  let single: boolean | undefined;
  return (strings, ...values) => {
    single ??= quoteOf(file) === "'";
    let out = '';
    strings.forEach((part, i) => {
      out += single ? part.replace(/"/g, "'") : part;
      if (i < values.length) out += String(values[i]);
    });
    return out;
  };
}
