// A Python file the analysis knows: its parsed document and its extracted facts.
import { PythonDocument, type TextChange } from '../syntax/pythonDocument';
import { FileFacts, type SharedFacts } from './fileFacts';
import type { StatementFacts } from './facts';
import { Resolver } from './resolve';

/** Cheap pre-check: files that never mention DataFlow things are indexed with empty facts. */
export function mentionsDataFlow(text: string): boolean {
  // `@db.model` / `register_model`: model files whose `db` is imported from elsewhere.
  return /dataflow|DataFlow|add_node|WorkflowBuilder|\.express|Node["']|@[\w.]+\.model\b|register_model/.test(text);
}

/** Extracts a document's statement facts again, from a new parse (slim facts ask for it). */
const rederive = (doc: PythonDocument) => (): StatementFacts[] => FileFacts.build(doc).statements;

export class SourceFile {
  private facts_: FileFacts;
  private constructor(readonly doc: PythonDocument, public relevant: boolean, fromDisk: boolean, shared?: SharedFacts | 'extract') {
    if (shared && relevant) {
      // Slim from the start: only what other files read (see withSharedFacts, createSlim).
      const extract = shared === 'extract';
      this.facts_ = FileFacts.slimFrom(doc.uri, extract ? FileFacts.buildShared(doc) : shared, rederive(doc));
      if (extract) doc.releaseTree();
      return;
    }
    this.facts_ = relevant ? FileFacts.build(doc) : FileFacts.empty(doc.uri);
    // Not open: keep what other files read, free the tree now, re-derive the rest on demand.
    if (fromDisk && relevant) this.slimDown();
  }

  /**
   * Files that never mention DataFlow are not parsed until something reads their tree.
   * `fromDisk`: a workspace file read from disk, not open in the editor: its tree is freed once
   * its facts are extracted and its facts are slim (see FileFacts.toSlim); both are made again on
   * demand (re-parsed trees count against PythonDocument's TREE_BUDGET).
   */
  static create(uri: string, text: string, version = 0, fromDisk = false): SourceFile {
    const relevant = mentionsDataFlow(text);
    return new SourceFile(PythonDocument.create(uri, text, version, relevant, fromDisk), relevant, fromDisk);
  }

  /**
   * A file read from disk whose facts were extracted from the same text elsewhere (another
   * dataflow-lint thread: `shared` is that file's `facts.shared()`, undefined when the file does
   * not mention DataFlow): the same as `create(text, 0, true)` with `text = readText()` without
   * parsing now; the text is read, the tree parsed and the other facts extracted when something
   * reads them.
   */
  static withSharedFacts(uri: string, readText: () => string, shared: SharedFacts | undefined): SourceFile {
    return new SourceFile(PythonDocument.deferred(uri, readText), shared !== undefined, true, shared);
  }

  /**
   * A file read from disk for a workspace scan (dataflow-lint) that does not analyse it, or not
   * before the others: the same as `create(uri, text, 0, true)`, but only what other files read
   * (SharedFacts) is extracted now; the rest is extracted, from a new parse, if something asks.
   */
  static createSlim(uri: string, text: string): SourceFile {
    const relevant = mentionsDataFlow(text);
    return new SourceFile(PythonDocument.create(uri, text, 0, relevant, true), relevant, true, 'extract');
  }

  /**
   * A file read from disk that a workspace scan analyses later (dataflow-lint): the same as
   * `create(uri, text, 0, true)`, but its full facts are kept until `slimDown()` (the scan reads
   * what other files need from them, so the file is queried once and its analysis does not parse
   * it again). The tree is freed now: the analysis reads the facts, and the few fixes that read a
   * tree (a `#` in a loop they rewrite) parse the file again.
   */
  static createFull(uri: string, text: string): SourceFile {
    const relevant = mentionsDataFlow(text);
    const file = new SourceFile(PythonDocument.create(uri, text, 0, relevant, true), relevant, false);
    file.doc.releaseTree();
    return file;
  }

  /**
   * Reduces full facts to what other files read (as a file read from disk keeps), and frees the
   * tree: the rest is extracted again, from a new parse, if something asks for it.
   */
  slimDown(): void {
    this.doc.releaseTree();
    if (!this.relevant || this.facts_.slim) return;
    this.facts_ = this.facts_.toSlim(rederive(this.doc));
  }

  get uri(): string { return this.doc.uri; }
  get text(): string { return this.doc.text; }
  get version(): number { return this.doc.version; }
  get facts(): FileFacts { return this.facts_; }
  /**
   * Heads (first 120 characters) of every string literal in the file with their offsets, sorted
   * by content, computed once per version: lets fixes ask "is a string starting with X written
   * anywhere?" in O(log n).
   */
  stringHeads(): ReadonlyArray<{ head: string; start: number }> {
    return this.facts_.memoized('stringHeads', () => this.computeStringHeads());
  }

  private computeStringHeads(): Array<{ head: string; start: number }> {
    const out: Array<{ head: string; start: number }> = [];
    const re = /(["'])/g;
    const text = this.doc.text;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const q = m[1];
      const triple = text.startsWith(q.repeat(3), m.index);
      const open = m.index + (triple ? 3 : 1);
      let end = open;
      while (end < text.length && end - open < 120) {
        const c = text[end];
        if (c === '\\') { end += 2; continue; }
        if (c === q && (!triple || text.startsWith(q.repeat(3), end))) break;
        if (c === '\n' && !triple) break;
        end++;
      }
      out.push({ head: text.slice(open, end), start: m.index });
      // Skip to the end of this literal so its closing quote does not open another.
      let close = end;
      while (close < text.length) {
        const c = text[close];
        if (c === '\\') { close += 2; continue; }
        if (c === q && (!triple || text.startsWith(q.repeat(3), close))) break;
        if (c === '\n' && !triple) break;
        close++;
      }
      re.lastIndex = close + (triple ? 3 : 1);
    }
    out.sort((a, b) => (a.head < b.head ? -1 : a.head > b.head ? 1 : a.start - b.start));
    return out;
  }

  /** Kept with the facts (see FileFacts.memoized): a new one after every change. */
  get resolver(): Resolver {
    return this.facts_.memoized('resolver', () => new Resolver(this.facts_, this.doc.text));
  }

  /**
   * Whether the last change touched what other files see of this one: its model classes and
   * `register_model` calls (reused statements keep their fact objects, so identity tells).
   */
  modelsChanged = true;

  /** Applies editor changes: incremental parse, then re-extraction of the touched statements only. */
  applyChanges(changes: readonly TextChange[], version: number): void {
    const before = this.facts_;
    const edits = this.doc.applyChanges(changes, version);
    const nowRelevant = mentionsDataFlow(this.doc.text);
    if (nowRelevant && this.relevant && !before.slim) this.facts_ = this.facts_.update(this.doc, edits);
    else if (nowRelevant) this.facts_ = FileFacts.build(this.doc);
    else this.facts_ = FileFacts.empty(this.doc.uri);
    if (before.slim) before.dispose();
    this.relevant = nowRelevant;
    const same = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    this.modelsChanged = !same(before.classes, this.facts_.classes) || !same(before.registrations, this.facts_.registrations);
  }

  dispose(): void {
    this.facts_.dispose();
    this.doc.dispose();
  }
}
