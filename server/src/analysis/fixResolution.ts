// The one place a finding's quick-fix is computed: once per finding (findings are cached per
// statement, so once per analysis of that statement), checked, and labelled with its
// applicability. `fixable` anywhere (the CLI's JSON, diagnostics' data, the light bulb) means
// "resolveFix returned an edit", never "the rule has a fix function".
import type { Finding, Fix } from './finding';
import type { RuleSpec } from './ruleSpec';
import { ruleSpecByCode } from '../rules';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createPythonParser, type Tree } from '../syntax/parser';
import { Edit } from 'web-tree-sitter';
import type { WorkspaceModel } from '../model/workspaceModel';
import type { SourceFile } from '../model/sourceFile';

export interface ResolvedFix extends Fix { applicability: 'safe' | 'unsafe' }

const memo = new WeakMap<Finding, ResolvedFix | null>();

const APPLICABILITY_TITLE = { safe: 'safe fix', unsafe: 'changes behaviour' } as const;

/** "Replace the loop with one ProductBulkCreateNode (changes behaviour)". */
export function fixTitle(fix: ResolvedFix): string { return `${fix.title} (${APPLICABILITY_TITLE[fix.applicability]})`; }

/** Applies one file's edits (offsets into the original text), last first. */
export function applyTextEdits(text: string, edits: ReadonlyArray<{ span: { start: number; end: number }; newText: string }>): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

let parser: ReturnType<typeof createPythonParser> | undefined;

/**
 * The top-level statements around [start, end) of a file, widened to whole lines: a slice that
 * parses on its own (top-level statements start at column 0), so checking an edit never re-parses
 * a whole file. Read from the file's statement facts (one per top-level statement, comments left
 * out: an offset in a comment or between statements takes its line), not from its tree, which
 * dataflow-lint frees after extracting the facts.
 */
function topLevelSlice(file: SourceFile, start: number, end: number): { start: number; end: number } {
  const text = file.text;
  const lineStart = (o: number) => text.lastIndexOf('\n', o - 1) + 1;
  const lineEnd = (o: number) => { const i = text.indexOf('\n', o); return i < 0 ? text.length : i; };
  // A file that never mentions DataFlow has no statement facts: its tree tells.
  const statements = file.relevant ? file.facts.statements : file.doc.tree?.rootNode.namedChildren.flatMap((c) => (c && c.type !== 'comment' ? [{ span: { start: c.startIndex, end: c.endIndex } }] : [])) ?? [];
  const top = (o: number) => {
    o = Math.min(o, Math.max(0, text.length - 1));
    let lo = 0, hi = statements.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = statements[mid].span;
      if (o < s.start) hi = mid - 1;
      else if (o >= s.end) lo = mid + 1;
      else return s;
    }
    return undefined;
  };
  const a = top(start), b = top(Math.max(start, end - 1));
  return { start: Math.min(a?.start ?? lineStart(start), lineStart(start)), end: Math.max(b?.end ?? lineEnd(end), lineEnd(end)) };
}

/** Why the edited files would not parse, or undefined when they all do. */
function parseBlocker(workspace: WorkspaceModel | undefined, fix: Fix): string | undefined {
  if (!workspace) return undefined;
  for (const fe of fix.edits) {
    const file = workspace.get(fe.uri);
    if (!file) {
      if (workspace.projectFile(fe.uri)) continue; // a dependency file (DF033), not Python
      return 'the file to edit is not loaded';
    }
    if (!fe.edits.length) continue;
    const slice = topLevelSlice(file, Math.min(...fe.edits.map((e) => e.span.start)), Math.max(...fe.edits.map((e) => e.span.end)));
    const original = file.text.slice(slice.start, slice.end);
    const edited = applyTextEdits(original, fe.edits.map((e) => ({ span: { start: e.span.start - slice.start, end: e.span.end - slice.start }, newText: e.newText })));
    if (rewriteBreaksParse(original, edited)) return 'the rewrite would not parse (please report this as a bug)';
  }
  return undefined;
}

/**
 * Parse checks by their input: a fix is computed again for every new version of its file (it
 * reads the whole file), but after an edit elsewhere its slice and edits are the same text, so
 * the two parses are not repeated (they were most of a publish's cost: 69 of 81 ms for the 717
 * fixes of a 10,000-line file).
 */
const parseChecks = new LRUCache<string, boolean>({ max: 8192 });

function rewriteBreaksParse(original: string, edited: string): boolean {
  const key = createHash('sha1').update(original).update('\u0000').update(edited).digest('base64');
  let breaks = parseChecks.get(key);
  if (breaks === undefined) {
    parser ??= createPythonParser();
    const edit = checkEdited(original, edited);
    const editedBreaks = edit === 'error' || (edit === 'error?' && hasErrorFresh(edited));
    breaks = editedBreaks && !hasErrorFresh(original);
    parseChecks.set(key, breaks);
  }
  return breaks;
}

/**
 * At most this many characters of checked text keep their trees in lastChecked (tree-sitter's
 * take 20 to 40 bytes a character of its WebAssembly memory, which never shrinks: the language
 * server's resident memory).
 */
const KEPT_CHECK_CHARS = 256 * 1024;
/**
 * The last edited text checked of each of the last few slices, with its tree. The fixes of one
 * file mostly edit the same few top-level statements (kailash-py: 333 checks of 137 statements,
 * 3.7 M characters for 1.0 M distinct), so the next edit of a slice is parsed incrementally from
 * the tree of the one before (tree-sitter needs a tree and the edit between its text and the new
 * one, whatever that tree's text is).
 */
const lastChecked = new LRUCache<string, { text: string; tree: Tree }>({
  max: 4, maxSize: KEPT_CHECK_CHARS, sizeCalculation: (v) => Math.max(1, v.text.length), dispose: (v) => v.tree.delete(),
});

/**
 * Whether `edited` (an edit of the slice `original`) parses: 'parses', 'error' (found by a fresh
 * parse), or 'error?' (found by an incremental one, to be confirmed).
 */
function checkEdited(original: string, edited: string): 'parses' | 'error' | 'error?' {
  const last = lastChecked.get(original);
  let tree: Tree | null;
  if (last) {
    const copy = last.tree.copy();
    try {
      copy.edit(editBetween(last.text, edited));
      tree = parser!.parse(edited, copy);
    } finally {
      copy.delete();
    }
  } else {
    tree = parser!.parse(edited);
  }
  if (!tree) return last ? 'error?' : 'error';
  const hasError = tree.rootNode.hasError;
  if (edited.length <= KEPT_CHECK_CHARS) lastChecked.set(original, { text: edited, tree });
  else { lastChecked.delete(original); tree.delete(); }
  return !hasError ? 'parses' : last ? 'error?' : 'error';
}

/** The one edit that turns `from` into `to`: the span between their common prefix and common suffix. */
function editBetween(from: string, to: string): Edit {
  const max = Math.min(from.length, to.length);
  let start = 0;
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && from.charCodeAt(from.length - 1 - tail) === to.charCodeAt(to.length - 1 - tail)) tail++;
  const oldEnd = from.length - tail, newEnd = to.length - tail;
  return new Edit({
    startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd,
    startPosition: pointAt(from, start), oldEndPosition: pointAt(from, oldEnd), newEndPosition: pointAt(to, newEnd),
  });
}

/** A fresh parse's answer (a rewrite is never blocked on an incremental parse alone). */
function hasErrorFresh(text: string): boolean {
  const t = parser!.parse(text);
  const bad = !t || t.rootNode.hasError;
  t?.delete();
  return bad;
}

/**
 * tree-sitter's point of an offset: rows end at "\n" only, as the slice is parsed as it is
 * (LineIndex.pointAt also ends a line at a lone "\r", as PythonDocument's parseText does).
 */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0, lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { row++; lineStart = i + 1; }
  return { row, column: offset - lineStart };
}

/**
 * Forgets the remembered fix of findings reused for a new version of their file: a fix reads the
 * whole file (references elsewhere, free names), so it is computed again; `noFixReason` goes back
 * to what the rule said (`reasons[i]`).
 */
export function forgetFixes(fs: readonly Finding[], reasons: ReadonlyArray<string | undefined>): void {
  fs.forEach((f, i) => {
    if (!memo.has(f)) return;
    memo.delete(f);
    f.noFixReason = reasons[i];
  });
}

/**
 * The finding's fix, computed once per version of its file. A fix function that throws, or whose
 * edits would not parse, gives no fix and a `noFixReason`. Pass the workspace to have the edit parse-checked.
 */
export function resolveFix(f: Finding, workspace?: WorkspaceModel): ResolvedFix | undefined {
  const hit = memo.get(f);
  if (hit !== undefined) return hit ?? undefined;
  let out: ResolvedFix | undefined;
  if (f.fix) {
    let fix: Fix | undefined;
    try { fix = f.fix(); } catch (err) {
      console.error(`dataflow: fix for ${f.code} failed: ${(err as Error).stack ?? err}`);
      f.noFixReason = 'the fix failed on this code (please report this as a bug)';
    }
    if (fix) {
      const blocked = parseBlocker(workspace, fix);
      if (blocked) f.noFixReason = blocked;
      else out = { ...fix, applicability: fix.applicability ?? applicabilityOf(ruleSpecByCode(f.code)) };
    }
  }
  memo.set(f, out ?? null);
  return out;
}

function applicabilityOf(spec: RuleSpec | undefined): 'safe' | 'unsafe' { return spec?.fix === 'safe' ? 'safe' : 'unsafe'; }

export function isFixable(f: Finding, workspace?: WorkspaceModel): boolean { return resolveFix(f, workspace) !== undefined; }

/**
 * The edits of several fixes of one file that do not overlap (first come, first kept), for
 * "fix all": returns the kept fixes' edits grouped by file and how many fixes were kept.
 */
export function combineFixes(fixes: ResolvedFix[]): { edits: Map<string, Array<{ span: { start: number; end: number }; newText: string }>>; applied: number } {
  const edits = new Map<string, Array<{ span: { start: number; end: number }; newText: string }>>();
  let applied = 0;
  for (const fix of fixes) {
    const overlaps = fix.edits.some((fe) => (edits.get(fe.uri) ?? []).some((a) => fe.edits.some((b) => b.span.start < a.span.end && a.span.start < b.span.end || (b.span.start === a.span.start && b.span.end === a.span.end))));
    if (overlaps) continue;
    for (const fe of fix.edits) {
      let list = edits.get(fe.uri);
      if (!list) edits.set(fe.uri, (list = []));
      list.push(...fe.edits);
    }
    applied++;
  }
  return { edits, applied };
}
