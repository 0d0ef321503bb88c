// Text helpers for writing Python edits: slices, indentation, comments to keep, fresh names.
import type { SourceFile } from '../model/sourceFile';
import type { LoopInfo } from '../model/facts';
import type { SExpr, Span } from '../model/staticExpr';

export function textOf(file: SourceFile, span: Span): string { return file.text.slice(span.start, span.end); }

export function lineIndent(file: SourceFile, offset: number): string { return file.doc.lines.indentAt(offset); }

/** Comments inside `span` but outside `keep` (those stay with the moved code), as text. */
export function commentsOutside(file: SourceFile, span: Span, keep: Span[]): string[] {
  const tree = file.doc.tree;
  if (!tree) return [];
  const lines = file.doc.lines;
  const s = lines.positionAt(span.start), e = lines.positionAt(span.end);
  const out: string[] = [];
  for (const c of tree.rootNode.descendantsOfType('comment', { row: s.line, column: s.character }, { row: e.line, column: e.character })) {
    if (!c || c.startIndex < span.start || c.endIndex > span.end) continue;
    if (keep.some((k) => c.startIndex >= k.start && c.endIndex <= k.end)) continue;
    out.push(c.text);
  }
  return out;
}

/** An identifier not used anywhere in the file: base, base_2, base_3, ... */
export function freshName(file: SourceFile, base: string): string {
  for (let i = 1; i < 1000; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    if (!new RegExp(`\\b${name}\\b`).test(file.text)) return name;
  }
  return `${base}_${Date.now()}`;
}

/** A node id not used by any static node id in the file. */
export function freshNodeId(file: SourceFile, base: string): string {
  const used = new Set<string>();
  for (const n of file.facts.nodes) if (n.nodeId?.k === 'str') used.add(n.nodeId.v);
  for (let i = 1; i < 1000; i++) {
    const id = i === 1 ? base : `${base}_${i}`;
    if (!used.has(id) && !file.text.includes(`"${id}"`) && !file.text.includes(`'${id}'`)) return id;
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

/** Is a string starting with `prefix` written anywhere in the file outside `except`? (results["create_0"], connections) */
export function prefixUsedElsewhere(file: SourceFile, prefix: string, except: Span): boolean {
  if (!prefix) return true;
  const heads = file.stringHeads();
  let lo = 0, hi = heads.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (heads[mid].head < prefix) lo = mid + 1; else hi = mid;
  }
  for (let i = lo; i < heads.length && heads[i].head.startsWith(prefix); i++) {
    const at = heads[i].start;
    if (at < except.start || at >= except.end) return true;
  }
  return false;
}

export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export function pyString(s: string): string { return JSON.stringify(s); }

/** Why a loop cannot be replaced by one statement, or undefined when it can. */
export function loopRewriteBlocker(loops: LoopInfo[], callIsStatement: boolean, statement: Span): string | undefined {
  if (loops.length !== 1) return loops.length > 1 ? 'the node sits in nested loops' : 'not in a loop';
  const loop = loops[0];
  if (loop.kind !== 'for') return loop.kind === 'while' ? 'a while loop has no iterable to turn into a list' : 'the node is built inside a comprehension';
  if (loop.isAsync) return 'an async for loop cannot be turned into a list comprehension here';
  if (loop.hasElse) return 'the loop has an else clause';
  if (!callIsStatement) return 'the call\'s result is used';
  if (loop.bodyStatements.length !== 1 || loop.bodyStatements[0].start !== statement.start) return 'the loop body does more than add the node';
  return undefined;
}
