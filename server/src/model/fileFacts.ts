// The facts of one file as a list of per-top-level-statement facts. After an edit only the
// statements the edit touched are extracted again; the others are reused (shifted when the
// edit changed the length of the text before them).
//
// Slim facts (files not open in the editor, issue 13 §1): a 4 KB DataFlow file's full facts are
// ~800 small objects (85 KB of heap), 2.7 GB for 20,000 files. A slim FileFacts keeps only what
// other files read of it (SHARED_KINDS: its models, register_model calls, DataFlow instances and
// imports) and re-extracts the rest from a re-parse when something asks for it (analysing that
// file, find-references). The re-extracted facts reuse the kept objects, so identity comparisons
// (`isModel(cls)`) hold; at most FULL_BUDGET files hold their re-extracted facts at a time.
import { LRUCache } from 'lru-cache';
import type { Node } from '../syntax/parser';
import type { AppliedEdit, PythonDocument } from '../syntax/pythonDocument';
import type { FactKind, StatementFacts } from './facts';
import { collectSpans } from './staticExpr';
import { extractSharedFacts, extractStatement, reextractStatement } from './extractStatement';
import { keptAcrossEdit } from './editReuse';

type Aggregated = { [K in FactKind]: StatementFacts[K] };

/** The facts of SHARED_KINDS of a file. */
export type SharedFacts = { [K in (typeof SHARED_KINDS)[number]]: StatementFacts[K] };

/** What other files read of a file's facts (workspace models, instances, import resolution). */
export const SHARED_KINDS = ['classes', 'registrations', 'instances', 'imports'] as const satisfies readonly FactKind[];
const isShared = (k: FactKind) => (SHARED_KINDS as readonly FactKind[]).includes(k);

/** How many slim files keep their re-extracted full facts at most. */
export const FULL_BUDGET = 64;
const rederived = new LRUCache<FileFacts, true>({ max: FULL_BUDGET, dispose: (_v, f) => f.dropRederived() });

export class FileFacts implements Aggregated {
  private agg: Partial<Aggregated> = {};
  /** How many statements the last update extracted again (for tests and benchmarks). */
  reextracted = 0;
  /** Undefined while a slim FileFacts holds only its shared kinds. */
  private statements_: StatementFacts[] | undefined;
  /** Slim facts: extracts the file's statements again (from a re-parse of the same text). */
  private rederive: (() => StatementFacts[]) | undefined;

  private constructor(readonly uri: string, statements: StatementFacts[]) { this.statements_ = statements; }

  /** Every top-level statement's facts (re-extracted for slim facts). */
  get statements(): StatementFacts[] {
    if (this.statements_) {
      if (this.rederive) rederived.get(this); // most recently used
      return this.statements_;
    }
    const fresh = this.rederive!();
    // The same text gives the same facts in the same order: put the kept objects in their place.
    for (const k of SHARED_KINDS) {
      const kept = this.agg[k] as unknown[];
      let i = 0;
      for (const s of fresh) for (let j = 0; j < s[k].length; j++) (s[k] as unknown[])[j] = kept[i++] ?? s[k][j];
    }
    this.statements_ = fresh;
    rederived.set(this, true);
    return fresh;
  }

  /** True for slim facts (files not open). */
  get slim(): boolean { return !!this.rederive; }

  /**
   * These facts reduced to SHARED_KINDS; `rederive` gives the file's statement facts again when
   * anything else is asked for.
   */
  toSlim(rederive: () => StatementFacts[]): FileFacts {
    const f = FileFacts.slimFrom(this.uri, this.shared(), rederive);
    f.reextracted = this.reextracted;
    return f;
  }

  /** What other files read of these facts (SHARED_KINDS), as plain data (dataflow-lint's threads exchange it). */
  shared(): SharedFacts {
    return { classes: this.all('classes'), registrations: this.all('registrations'), instances: this.all('instances'), imports: this.all('imports') };
  }

  /** Slim facts made of `shared` (extracted from the same text, possibly on another thread). */
  static slimFrom(uri: string, shared: SharedFacts, rederive: () => StatementFacts[]): FileFacts {
    const f = new FileFacts(uri, []);
    for (const k of SHARED_KINDS) (f.agg as Record<string, unknown>)[k] = shared[k];
    f.statements_ = undefined;
    f.rederive = rederive;
    return f;
  }

  private memo: Map<string, unknown> | undefined;
  /**
   * A value derived from these facts (the file's Resolver, its string heads), kept as long as they
   * are: for slim facts, until the re-extracted statements are dropped, so what was derived from
   * them is not kept for every file ever analysed.
   */
  memoized<T>(key: string, make: () => T): T {
    this.memo ??= new Map();
    if (this.memo.has(key)) {
      if (this.rederive && this.statements_) rederived.get(this); // most recently used
      return this.memo.get(key) as T;
    }
    const v = make();
    if (this.rederive && !this.statements_) return v; // nothing re-extracted to keep it with
    this.memo.set(key, v);
    return v;
  }

  /** @internal Slim facts: forgets the re-extracted statements (the budget's eviction calls it). */
  dropRederived(): void {
    if (!this.rederive) return;
    this.statements_ = undefined;
    this.memo = undefined;
    for (const k of Object.keys(this.agg) as FactKind[]) if (!isShared(k)) delete this.agg[k];
  }

  /** Slim facts: leave the re-extraction budget (the file left the workspace). */
  dispose(): void {
    if (this.rederive && this.statements_) rederived.delete(this);
  }

  static empty(uri: string): FileFacts { return new FileFacts(uri, []); }

  static build(doc: PythonDocument): FileFacts {
    const tree = doc.tree;
    if (!tree) return FileFacts.empty(doc.uri);
    const out: StatementFacts[] = [];
    for (const top of topLevel(tree.rootNode)) out.push(extractStatement(top));
    const f = new FileFacts(doc.uri, out);
    f.reextracted = out.length;
    return f;
  }

  /** The facts of SHARED_KINDS of a document, as `build(doc).shared()` gives them, extracting nothing else. */
  static buildShared(doc: PythonDocument): SharedFacts {
    const out: SharedFacts = { classes: [], registrations: [], instances: [], imports: [] };
    const tree = doc.tree;
    if (!tree) return out;
    for (const top of topLevel(tree.rootNode)) {
      const s = extractSharedFacts(top);
      for (const k of SHARED_KINDS) for (const x of s[k]) (out[k] as unknown[]).push(x);
    }
    return out;
  }

  /** Facts for the document after `edits` (one LSP change), reusing untouched statements of `this`. */
  update(doc: PythonDocument, edits: AppliedEdit[] | undefined): FileFacts {
    const tree = doc.tree;
    if (!tree) return FileFacts.empty(doc.uri);
    if (!edits || edits.length !== 1) return FileFacts.build(doc);
    const { start, newEnd } = edits[0];
    const byStart = new Map<number, StatementFacts>();
    for (const s of this.statements) byStart.set(s.span.start, s);
    const out: StatementFacts[] = [];
    let reextracted = 0;
    const changed = doc.changedRanges;
    for (const top of topLevel(tree.rootNode)) {
      const s = top.startIndex, e = top.endIndex;
      // The edit is inside this statement: a large class keeps the facts of the methods neither
      // the edit nor tree-sitter's changed ranges touched (reextractStatement).
      const touched = s <= start && newEnd <= e ? byStart.get(s) : undefined;
      const reuse = touched ? undefined : keptAcrossEdit(s, e, edits[0], changed, (at) => byStart.get(at), (old) => old.span.end);
      if (reuse) {
        if (reuse.shift !== 0) shiftStatement(reuse.kept, reuse.shift);
        out.push(reuse.kept);
      } else {
        out.push(touched ? reextractStatement(top, touched, edits[0], changed) : extractStatement(top));
        reextracted++;
      }
    }
    const f = new FileFacts(doc.uri, out);
    f.reextracted = reextracted;
    return f;
  }

  private all<K extends FactKind>(k: K): StatementFacts[K] {
    let v = this.agg[k] as StatementFacts[K] | undefined;
    if (!v) {
      const list: unknown[] = [];
      for (const s of this.statements) for (const x of s[k]) list.push(x);
      v = list as StatementFacts[K];
      (this.agg as Record<string, unknown>)[k] = v;
    }
    return v;
  }

  get instances() { return this.all('instances'); }
  get classes() { return this.all('classes'); }
  get registrations() { return this.all('registrations'); }
  get nodes() { return this.all('nodes'); }
  get connections() { return this.all('connections'); }
  get executes() { return this.all('executes'); }
  get builds() { return this.all('builds'); }
  get workflows() { return this.all('workflows'); }
  get express() { return this.all('express'); }
  get assignments() { return this.all('assignments'); }
  get imports() { return this.all('imports'); }
  get runtimes() { return this.all('runtimes'); }
  get calls() { return this.all('calls'); }
  get resultReads() { return this.all('resultReads'); }
}

function topLevel(root: Node): Node[] {
  // One call into WASM for all children (namedChild(i) per child costs more than the re-parse).
  return root.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

function shiftStatement(s: StatementFacts, delta: number): void {
  if (!s.spans) {
    const { text: _text, spans: _spans, ...rest } = s;
    s.spans = collectSpans(rest);
  }
  for (const sp of s.spans) { sp.start += delta; sp.end += delta; }
}
