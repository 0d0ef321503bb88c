// One Python file: its text, its tree-sitter tree, kept current by incremental re-parsing
// (tree.edit + parser.parse(text, oldTree)) on every change.
//
// Memory: trees live in tree-sitter's WebAssembly heap, which never shrinks and aborts the process
// when it cannot grow (kailash-py's 6,193 files held 2 GB of trees). Documents the editor has open
// keep theirs (incremental parsing); the others ("budgeted": files read from disk for the
// workspace) are parsed when something reads `tree` and only the most recently used
// TREE_BUDGET of their trees are kept: their facts are plain offsets, so a released tree is
// parsed again only if it is needed again. Every document shares one parser.
import { Edit, Tree } from 'web-tree-sitter';
import { LRUCache } from 'lru-cache';
import { sharedPythonParser } from './parser';
import { LineIndex, Range } from './lineIndex';

export interface TextChange {
  /** Absent: the whole document is replaced. */
  range?: Range;
  text: string;
}

/** Offsets of one applied change: [start, oldEnd) was replaced by [start, newEnd). */
export interface AppliedEdit { start: number; oldEnd: number; newEnd: number }

/** Files larger than this are not parsed: analysis of them is skipped with a reason. */
export const MAX_ANALYZED_CHARS = 8 * 1024 * 1024;

export function looksBinary(text: string): boolean {
  return text.indexOf('\u0000') !== -1;
}

/** How many trees of budgeted documents are kept at most. */
export const TREE_BUDGET = 128;

/** The budgeted documents holding a tree, least recently used first out: evicted ones release theirs. */
const budgetedTrees = new LRUCache<PythonDocument, true>({ max: TREE_BUDGET, dispose: (_v, doc) => doc.releaseTree() });

export class PythonDocument {
  private tree_: Tree | null = null;
  /** False until the tree is first needed (documents created with `parse: false`). */
  private parsed = false;
  private lines_: LineIndex | undefined;
  /** Why this document is not analysed (binary, too large), or undefined. */
  skipReason: string | undefined;
  /**
   * Offset ranges (in the new text) whose syntax changed in the last incremental parse, as
   * tree-sitter reports them: a statement outside the edit can still be re-parsed differently.
   */
  changedRanges: Array<{ start: number; end: number }> = [];

  private constructor(readonly uri: string, private text_: string, public version: number, parse: boolean, private readonly budgeted: boolean) {
    if (parse) this.reparse(undefined);
    else this.skipReason = skipReasonOf(text_);
  }

  /**
   * `parse: false` defers parsing until `tree` is first read (files that never mention DataFlow
   * are read for their imports only and never need a tree). `budgeted`: the tree counts against
   * TREE_BUDGET and may be released (files not open in the editor).
   */
  static create(uri: string, text: string, version = 0, parse = true, budgeted = false): PythonDocument {
    return new PythonDocument(uri, text, version, parse, budgeted);
  }

  get text(): string { return this.text_; }
  get tree(): Tree | null {
    if (!this.parsed) this.reparse(undefined);
    else if (this.budgeted && this.tree_) budgetedTrees.get(this); // most recently used
    return this.tree_;
  }

  /** Frees the tree (parsed again when `tree` is next read). */
  releaseTree(): void {
    this.tree_?.delete();
    this.tree_ = null;
    this.parsed = false;
    this.changedRanges = [];
  }
  get lines(): LineIndex {
    if (!this.lines_) this.lines_ = new LineIndex(this.text_);
    return this.lines_;
  }

  /** Applies LSP-style changes in order and re-parses incrementally. Returns the edits as offsets. */
  applyChanges(changes: readonly TextChange[], version: number): AppliedEdit[] | undefined {
    this.version = version;
    const edits: AppliedEdit[] = [];
    let full = false;
    for (const change of changes) {
      if (!change.range) {
        this.text_ = change.text;
        this.lines_ = undefined;
        full = true;
        continue;
      }
      const lines = this.lines;
      const start = lines.offsetAt(change.range.start);
      const oldEnd = lines.offsetAt(change.range.end);
      // The parsed text reads a lone "\r" as "\n" (parseText): text typed right after a "\r" can
      // turn it into half of a "\r\n", so such an edit starts one character earlier for the tree.
      const treeStart = start > 0 && this.text_.charCodeAt(start - 1) === 13 ? start - 1 : start;
      const startPoint = lines.pointAt(treeStart);
      const oldEndPoint = lines.pointAt(oldEnd);
      this.text_ = this.text_.slice(0, start) + change.text + this.text_.slice(oldEnd);
      this.lines_ = undefined;
      const newEnd = start + change.text.length;
      const newEndPoint = this.lines.pointAt(newEnd);
      edits.push({ start, oldEnd, newEnd });
      if (this.parsed && this.tree_ && !full) {
        this.tree_.edit(new Edit({
          startIndex: treeStart,
          oldEndIndex: oldEnd,
          newEndIndex: newEnd,
          startPosition: startPoint,
          oldEndPosition: oldEndPoint,
          newEndPosition: newEndPoint,
        }));
      }
    }
    if (this.parsed) this.reparse(full ? undefined : this.tree_ ?? undefined);
    else this.skipReason = skipReasonOf(this.text_);
    return full ? undefined : edits;
  }

  private reparse(old: Tree | undefined): void {
    this.parsed = true;
    this.skipReason = skipReasonOf(this.text_);
    if (this.skipReason) {
      this.tree_?.delete();
      this.tree_ = null;
      return;
    }
    const next = sharedPythonParser().parse(parseText(this.text_), old ?? null);
    this.changedRanges = old && next ? old.getChangedRanges(next).map((r) => ({ start: r.startIndex, end: r.endIndex })) : [];
    if (old && old !== next) old.delete();
    else if (this.tree_ && this.tree_ !== next) this.tree_.delete();
    this.tree_ = next;
    if (this.budgeted && next) budgetedTrees.set(this, true);
  }

  dispose(): void {
    if (this.budgeted) budgetedTrees.delete(this);
    this.releaseTree();
  }
}

/**
 * The text tree-sitter parses: a lone "\r" becomes "\n" (same length, so offsets agree). CPython's
 * tokenizer and the LSP both end a line at a lone "\r"; tree-sitter-python reads it as blank space,
 * which joins the lines around it into one statement (and its rows would not be the LSP's lines).
 */
export function parseText(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r(?!\n)/g, '\n');
}

function skipReasonOf(text: string): string | undefined {
  if (looksBinary(text)) return 'the file contains NUL bytes (binary?)';
  if (text.length > MAX_ANALYZED_CHARS) return `the file is larger than ${MAX_ANALYZED_CHARS / 1024 / 1024} MB`;
  return undefined;
}
