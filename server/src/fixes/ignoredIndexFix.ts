// Quick-fixes for DF005: move `__indexes__` entries into `__dataflow__["indexes"]`, and give an
// unnamed colliding index an explicit name.
import type { Fix } from '../analysis/finding';
import type { ClassFact, IndexFact } from '../model/facts';
import { dictGet, type SExpr } from '../model/staticExpr';
import type { RuleContext } from '../analysis/context';
import type { FixOffer } from './bulkLoopFix';
import { lineIndent, pyString, textOf } from './pythonText';
import { DATAFLOW_NOT_DICT, INDEXES_NOT_LIST } from './addIndexFix';
import { camelToSnake } from '../catalogue';

/** Text of an index entry in DataFlow's form: {"name", "fields", "unique"} (other keys dropped: DataFlow ignores them). */
function entryText(ctx: RuleContext, item: SExpr): string | undefined {
  if (item.k !== 'dict') return undefined;
  const keep = ['name', 'fields', 'unique'].map((k) => dictGet(item, k)).filter((e) => !!e);
  if (!dictGet(item, 'fields')) return undefined;
  return `{${keep.map((e) => textOf(ctx.file, e!.span)).join(', ')}}`;
}

export function moveLegacyIndexesFix(ctx: RuleContext, cls: ClassFact): FixOffer {
  const legacy = cls.legacyIndexes!;
  if (legacy.value.k !== 'list' && legacy.value.k !== 'tuple') return { reason: '__indexes__ is not a list literal, so the fix cannot move its entries' };
  const entries = legacy.value.items.map((i) => entryText(ctx, i));
  if (entries.some((e) => e === undefined)) return { reason: 'an __indexes__ entry is not a dict literal with a "fields" list' };
  const cfg = cls.dataflowConfig;
  if (cfg && cfg.value.k !== 'dict') return { reason: DATAFLOW_NOT_DICT };
  const existing = cfg ? dictGet(cfg.value, 'indexes') : undefined;
  if (existing && existing.value.k !== 'list') return { reason: INDEXES_NOT_LIST };
  return {
    fix: (): Fix => {
      const f = ctx.file;
      const text = f.text;
      // Remove the whole __indexes__ statement line(s).
      const lineStart = f.doc.lines.lineStart(f.doc.lines.positionAt(legacy.statementSpan.start).line);
      let end = legacy.statementSpan.end;
      while (end < text.length && text[end] !== '\n') end++;
      const remove = { span: { start: lineStart, end: Math.min(text.length, end + 1) }, newText: '' };
      const joined = (entries as string[]).join(', ');
      let add;
      if (existing && existing.value.k === 'list') {
        const list = existing.value;
        add = list.items.length
          ? { span: { start: list.items[list.items.length - 1].span.end, end: list.items[list.items.length - 1].span.end }, newText: `, ${joined}` }
          : { span: { start: list.span.start + 1, end: list.span.end - 1 }, newText: joined };
      } else if (cfg && cfg.value.k === 'dict') {
        const d = cfg.value;
        add = d.entries.length
          ? { span: { start: d.entries[d.entries.length - 1].span.end, end: d.entries[d.entries.length - 1].span.end }, newText: `, "indexes": [${joined}]` }
          : { span: { start: d.span.start + 1, end: d.span.end - 1 }, newText: `"indexes": [${joined}]` };
      } else {
        const indent = lineIndent(f, legacy.statementSpan.start);
        add = { span: { start: lineStart, end: lineStart }, newText: `${indent}__dataflow__ = {"indexes": [${joined}]}\n` };
      }
      return { title: `Move ${cls.name}.__indexes__ into __dataflow__["indexes"]`, isPreferred: true, edits: [{ uri: f.uri, edits: [add, remove] }] };
    },
  };
}

export function nameIndexFix(ctx: RuleContext, cls: ClassFact, ix: IndexFact): FixOffer {
  const taken = new Set(cls.indexes.map((i) => i.name).filter(Boolean));
  let name = `idx_${camelToSnake(cls.name)}_${ix.fields.join('_')}${ix.unique ? '_unique' : ''}`.slice(0, 63);
  for (let i = 2; taken.has(name); i++) name = `${name}_${i}`;
  return {
    fix: (): Fix => ({
      title: `Name the index "${name}"`,
      isPreferred: true,
      edits: [{ uri: ctx.file.uri, edits: [{ span: { start: ix.span.start + 1, end: ix.span.start + 1 }, newText: `"name": ${pyString(name)}, ` }] }],
    }),
  };
}
