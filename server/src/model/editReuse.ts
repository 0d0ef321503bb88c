// What an edit leaves as it was: a statement (FileFacts.update) or a large class's member
// (reextractStatement) whose facts can be kept after a one-change edit of the document.

/** Where one change of the document was: its start, and its end before and after (document offsets). */
export interface EditRange { start: number; oldEnd: number; newEnd: number }

/**
 * The facts kept for the node at `start`..`end` of the new text, and how far they move: the node
 * is before the edit or after it, tree-sitter parsed no part of it differently (`changed`), and
 * `before(offset)` has facts of a node at that place before the edit with the same end
 * (`endOf`). Undefined when the node has to be read again.
 */
export function keptAcrossEdit<T>(
  start: number, end: number, edit: EditRange, changed: ReadonlyArray<{ start: number; end: number }>,
  before: (offset: number) => T | undefined, endOf: (t: T) => number,
): { kept: T; shift: number } | undefined {
  if (changed.some((r) => r.start <= end && r.end >= start)) return undefined;
  const shift = end < edit.start ? 0 : start > edit.newEnd ? edit.newEnd - edit.oldEnd : undefined;
  if (shift === undefined) return undefined;
  const kept = before(start - shift);
  return kept !== undefined && endOf(kept) === end - shift ? { kept, shift } : undefined;
}
