// One Python file: its text, its tree-sitter tree, kept current by incremental re-parsing
// (tree.edit + parser.parse(text, oldTree)) on every change.
//
// Memory: trees live in tree-sitter's WebAssembly heap, which never shrinks and aborts the process
// when it cannot grow past 2 GB (kailash-py's 6,193 files held 2 GB of trees). Documents the editor
// has open keep theirs (incremental parsing); the others ("budgeted": files read from disk for the
// workspace) free theirs as soon as their facts are extracted (SourceFile), are parsed again when
// something reads `tree`, and only the most recently used TREE_BUDGET of those re-parsed trees are
// kept. Every document shares one parser.
//
// Robustness: tree-sitter's WebAssembly traps on some inputs (about 550 nested blocks overflow its
// stack: "memory access out of bounds"). The trap is caught: the document has no tree and says why
// (`parseError`, also its skipReason), the shared parser is replaced, and every other file goes on.
import { Edit, Tree } from 'web-tree-sitter';
import { LRUCache } from 'lru-cache';
import { discardSharedPythonParser, sharedPythonParser } from './parser';
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

/** How many re-parsed trees of budgeted documents are kept at most. */
export const TREE_BUDGET = 32;

/** The budgeted documents holding a tree, least recently used first out: evicted ones free theirs. */
const budgetedTrees = new LRUCache<PythonDocument, true>({ max: TREE_BUDGET, dispose: (_v, doc) => doc.freeTree() });

/**
 * An edit replacing more than this share of the text is parsed from scratch: tree-sitter's
 * incremental parse of some large edits took 25 times a fresh parse (6.2 s against 0.24 s).
 */
const LARGE_EDIT_SHARE = 0.5;

export class PythonDocument {
  private tree_: Tree | null = null;
  /** False until the tree is first needed (documents created with `parse: false`). */
  private parsed = false;
  private lines_: LineIndex | undefined;
  private skipReason_: string | undefined;
  /** A deferred document's skipReason is computed from its text when first read. */
  private skipPending = false;
  /** Why this document is not analysed (binary, too large, tree-sitter failed on it), or undefined. */
  get skipReason(): string | undefined {
    if (this.skipPending) { this.skipPending = false; this.skipReason_ = skipReasonOf(this.text); }
    return this.skipReason_;
  }
  set skipReason(reason: string | undefined) { this.skipPending = false; this.skipReason_ = reason; }
  /** Set when tree-sitter's WebAssembly trapped parsing the current text: what it said. */
  parseError: string | undefined;
  /** How long the last parse from scratch took (ms), and whether the next parse must be one. */
  private lastFullParseMs = Infinity;
  private nextParseFull = false;
  /**
   * Offset ranges (in the new text) whose syntax changed in the last incremental parse, as
   * tree-sitter reports them: a statement outside the edit can still be re-parsed differently.
   */
  changedRanges: Array<{ start: number; end: number }> = [];

  private text_: string;
  /** Reads a deferred document's text (see `deferred`), until it is first needed. */
  private readText: (() => string) | undefined;

  private constructor(readonly uri: string, text: string | (() => string), public version: number, parse: boolean, private readonly budgeted: boolean) {
    if (typeof text === 'string') this.text_ = text;
    else { this.text_ = ''; this.readText = text; }
    if (parse) this.reparse(undefined);
    else if (this.readText) this.skipPending = true;
    else this.skipReason = skipReasonOf(this.text_);
  }

  /**
   * `parse: false` defers parsing until `tree` is first read (files that never mention DataFlow
   * are read for their imports only and never need a tree). `budgeted`: the tree counts against
   * TREE_BUDGET and may be released (files not open in the editor).
   */
  static create(uri: string, text: string, version = 0, parse = true, budgeted = false): PythonDocument {
    return new PythonDocument(uri, text, version, parse, budgeted);
  }

  /**
   * `create(uri, readText(), 0, false, true)`, except that the text is read when something first
   * needs it (its text, lines, tree or skipReason): dataflow-lint's threads know the files of the
   * other threads by their shared facts and read the text of the few a finding's fix touches.
   */
  static deferred(uri: string, readText: () => string): PythonDocument {
    return new PythonDocument(uri, readText, 0, false, true);
  }

  get text(): string {
    if (this.readText) { this.text_ = this.readText(); this.readText = undefined; }
    return this.text_;
  }
  get tree(): Tree | null {
    if (!this.parsed) this.reparse(undefined);
    else if (this.budgeted && this.tree_) budgetedTrees.get(this); // most recently used
    return this.tree_;
  }

  /** Whether the last parse gave a tree (kept when the tree is freed: it parses again). */
  private parsedToTree = false;

  /**
   * Whether the text has a tree, without parsing it again when it was freed: false for a skipped
   * file (binary, too large, tree-sitter failed). A document never parsed yet is parsed now.
   */
  get hasTree(): boolean {
    if (this.tree_ !== null || this.parsedToTree) return true;
    return !this.parsed && this.tree !== null;
  }

  /** Frees the tree (parsed again when `tree` is next read). */
  releaseTree(): void {
    if (this.budgeted && budgetedTrees.has(this)) budgetedTrees.delete(this); // its dispose frees the tree
    else this.freeTree();
  }

  /** @internal Frees the tree without touching the budget (the budget's eviction calls it). */
  freeTree(): void {
    this.tree_?.delete();
    this.tree_ = null;
    // A text tree-sitter traps on is not parsed again until it changes.
    this.parsed = this.parseError !== undefined;
    this.changedRanges = [];
  }
  get lines(): LineIndex {
    if (!this.lines_) this.lines_ = new LineIndex(this.text);
    return this.lines_;
  }

  /** Applies LSP-style changes in order and re-parses incrementally. Returns the edits as offsets. */
  applyChanges(changes: readonly TextChange[], version: number): AppliedEdit[] | undefined {
    this.version = version;
    const edits: AppliedEdit[] = [];
    let full = this.nextParseFull;
    const before = this.text.length;
    let replaced = 0;
    // Edits within one line that leave its indentation as it was cannot change skipReasonOf's
    // answer (no NUL typed, the nesting depth unchanged): the whole-text scan is skipped.
    let sameShape = this.skipReason === undefined;
    for (const change of changes) {
      if (!change.range) {
        this.text_ = change.text;
        this.lines_ = undefined;
        full = true;
        sameShape = false;
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
      const oldText = this.text_;
      const lineShape = sameShape && withinOneLine(oldText, start, oldEnd, change.text) ? indentShape(oldText, start) : undefined;
      this.text_ = oldText.slice(0, start) + change.text + oldText.slice(oldEnd);
      const newEnd = start + change.text.length;
      // The line index after the change: line starts before the change kept, those after it shifted.
      this.lines_ = lines.edited(this.text_, start, oldEnd, newEnd);
      if (sameShape) sameShape = lineShape !== undefined && lineShape === indentShape(this.text_, start);
      replaced += Math.max(oldEnd - start, change.text.length);
      if (replaced > LARGE_EDIT_SHARE * Math.max(before, this.text_.length)) full = true;
      const newEndPoint = this.lines_.pointAt(newEnd);
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
    if (this.parsed) this.reparse(full ? undefined : this.tree_ ?? undefined, sameShape);
    else {
      this.parsedToTree = false; // a freed tree: whether the new text parses is known when it is parsed
      if (!sameShape) this.skipReason = skipReasonOf(this.text_);
    }
    return full ? undefined : edits;
  }

  /** `sameShape`: the text changed within lines whose indentation stayed (skipReasonOf's answer holds). */
  private reparse(old: Tree | undefined, sameShape = false): void {
    this.parsed = true;
    this.parsedToTree = false;
    this.parseError = undefined;
    // sameShape holds only for a document that had no skip reason: it still has none.
    if (!sameShape) this.skipReason = skipReasonOf(this.text);
    if (this.skipReason) {
      this.tree_?.delete();
      this.tree_ = null;
      return;
    }
    const started = performance.now();
    let next: Tree | null;
    try {
      next = sharedPythonParser().parse(parseText(this.text_), old ?? null);
    } catch (err) {
      discardSharedPythonParser();
      // Dropped, not deleted: deleting a tree the trapped parser was reusing may trap again.
      if (this.tree_ && this.tree_ !== old) { try { this.tree_.delete(); } catch { /* lost with the parser */ } }
      this.tree_ = null;
      this.changedRanges = [];
      if (old) { this.reparse(undefined); return; } // once more from scratch, with a new parser
      this.parseError = String((err as Error)?.message ?? err).split('\n')[0];
      this.skipReason = `tree-sitter could not parse this file (${this.parseError}); it is not analysed`;
      if (this.budgeted) budgetedTrees.delete(this);
      return;
    }
    const ms = performance.now() - started;
    if (!old) this.lastFullParseMs = ms;
    // An incremental parse slower than the last parse from scratch: the next change is parsed from scratch.
    this.nextParseFull = !!old && ms > this.lastFullParseMs;
    this.changedRanges = old && next ? old.getChangedRanges(next).map((r) => ({ start: r.startIndex, end: r.endIndex })) : [];
    if (old && old !== next) old.delete();
    else if (this.tree_ && this.tree_ !== next) this.tree_.delete();
    this.tree_ = next;
    this.parsedToTree = next !== null;
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

/** True when [start, oldEnd) of `text` and `inserted` hold no line break, no NUL, and the text stays under MAX_ANALYZED_CHARS. */
function withinOneLine(text: string, start: number, oldEnd: number, inserted: string): boolean {
  if (/[\r\n\u0000]/.test(inserted)) return false;
  if (text.length - (oldEnd - start) + inserted.length > MAX_ANALYZED_CHARS) return false;
  for (let i = start; i < oldEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return false;
  }
  return true;
}

/**
 * What indentationDepth reads of the line holding `offset`: its indentation width and whether it
 * counts (not blank, not a comment), as one number.
 */
function indentShape(text: string, offset: number): number {
  let ls = offset;
  while (ls > 0) {
    const c = text.charCodeAt(ls - 1);
    if (c === 10 || c === 13) break;
    ls--;
  }
  const indent = readIndent(text, ls);
  return indent.counts ? indent.width + 1 : 0;
}

/**
 * The indentation of the line starting at `i` as CPython's tokenizer measures it (a tab to the
 * next multiple of 8), where it ends, and whether the line counts (not blank, not a comment).
 */
function readIndent(text: string, i: number): { width: number; end: number; counts: boolean } {
  let width = 0;
  let j = i;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 32) width++;
    else if (c === 9) width = (width & ~7) + 8;
    else break;
  }
  const c = text.charCodeAt(j);
  return { width, end: j, counts: j < text.length && c !== 10 && c !== 13 && c !== 35 /* # */ };
}

function skipReasonOf(text: string): string | undefined {
  if (looksBinary(text)) return 'the file contains NUL bytes (binary?)';
  if (text.length > MAX_ANALYZED_CHARS) return `the file is larger than ${MAX_ANALYZED_CHARS / 1024 / 1024} MB`;
  const limit = parseLimits.maxIndentLevels;
  const depth = indentationDepth(text, limit);
  if (depth > limit) return `the file nests more than ${limit} indented blocks (CPython allows 100: "too many levels of indentation"; tree-sitter's WebAssembly stack overflows at about 550)`;
  return undefined;
}

/**
 * Indentation levels counted more generously than CPython's tokenizer (which refuses more than 100):
 * lines inside brackets and strings are counted too, so a file CPython accepts stays far below.
 */
export const MAX_INDENT_LEVELS = 200;

/** The limit in force (tests raise it to reach tree-sitter's own failure in a child process). */
export const parseLimits = { maxIndentLevels: MAX_INDENT_LEVELS };

/** The deepest stack of increasing indentation widths in `text`, stopping once past `limit`. */
export function indentationDepth(text: string, limit = Infinity): number {
  const stack: number[] = [0];
  let deepest = 0;
  for (let i = 0; i < text.length;) {
    const { width: w, end: j, counts } = readIndent(text, i);
    if (counts) {
      while (w < stack[stack.length - 1]) stack.pop();
      if (w > stack[stack.length - 1]) {
        stack.push(w);
        if (stack.length - 1 > deepest && (deepest = stack.length - 1) > limit) return deepest;
      }
    }
    const nl = text.indexOf('\n', j);
    if (nl < 0) break;
    i = nl + 1;
  }
  return deepest;
}
