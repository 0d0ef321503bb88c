// Quick-fix for DF003: declare the index in the model's `__dataflow__["indexes"]` — the only place
// DataFlow 2.20 reads indexes from (reference §2.5) — extending the dict or list that is there, or
// adding `__dataflow__` to the class. The index gets an explicit name, because DataFlow's default
// name (`idx_<table>_<first field>`) collides for indexes sharing a first column.
import type { Fix } from '../analysis/finding';
import { dictGet } from '../model/staticExpr';
import type { ModelInfo, UseSite } from '../model/workspaceModel';
import type { RuleContext } from '../analysis/context';
import type { FixOffer } from './bulkLoopFix';
import { lineIndent, pyString, pyTag } from './pythonText';
import { camelToSnake } from '../catalogue';

/** Reasons worded once for the index fixes (DF003, DF005). */
export const DATAFLOW_NOT_DICT = '__dataflow__ is not a dict literal, so the fix cannot add to it (add the index by hand)';
export const INDEXES_NOT_LIST = '__dataflow__["indexes"] is not a list literal, so the fix cannot add to it (add the index by hand)';

export function indexName(model: ModelInfo, fields: string[]): string {
  const taken = new Set(model.indexes.map((i) => i.name).filter(Boolean));
  const base = `idx_${camelToSnake(model.name)}_${fields.join('_')}`.slice(0, 63);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

/**
 * Inserts `item` after the last element of a list/dict literal, keeping its layout: on a line of
 * its own (after any trailing comma) when the literal is written one element per line.
 */
function appendItem(text: string, lastEnd: number, closeEnd: number, item: string, itemIndent: string): { span: { start: number; end: number }; newText: string } {
  const between = text.slice(lastEnd, closeEnd - 1);
  if (!between.includes('\n')) return { span: { start: lastEnd, end: lastEnd }, newText: `, ${item}` };
  const comma = /^\s*,/.exec(between);
  if (comma) {
    const at = lastEnd + comma[0].length;
    return { span: { start: at, end: at }, newText: `\n${itemIndent}${item},` };
  }
  return { span: { start: lastEnd, end: lastEnd }, newText: `,\n${itemIndent}${item}` };
}

/** `at`: where the model name is used (the fix re-resolves the name there when it is applied). */
export function addIndexFix(ctx: RuleContext, model: ModelInfo, fields: string[], at: UseSite = { uri: ctx.file.uri, offset: 0 }): FixOffer {
  const file = ctx.workspace.get(model.uri);
  if (!file) return { reason: 'the model file is not loaded' };
  const cls = model.cls;
  if (!model.fields.length && !cls.fields.length) return { reason: 'the model declares no fields' };
  const cfg = cls.dataflowConfig;
  if (cfg && cfg.value.k !== 'dict') return { reason: DATAFLOW_NOT_DICT };
  const indexes = cfg ? dictGet(cfg.value, 'indexes') : undefined;
  if (indexes && indexes.value.k !== 'list') return { reason: INDEXES_NOT_LIST };
  const title = `Add index [${fields.join(', ')}] to ${model.name}.__dataflow__`;
  const name = model.name;
  return {
    fix: (): Fix | string => {
      // Findings are cached while the model's fields and indexes stay the same; its file may
      // still have moved, so the fix reads the model as it is now.
      const current = ctx.workspace.resolveModel(name, at).model;
      const file = current && ctx.workspace.get(current.uri);
      if (!current || !file) return 'the model is no longer in the workspace';
      const cls = current.cls;
      const cfg = cls.dataflowConfig;
      const indexes = cfg ? dictGet(cfg.value, 'indexes') : undefined;
      if (cfg && cfg.value.k !== 'dict') return DATAFLOW_NOT_DICT;
      if (indexes && indexes.value.k !== 'list') return INDEXES_NOT_LIST;
      const model = current;
      const py = pyTag(file);
      const entry = py`{"name": ${pyString(indexName(model, fields), file)}, "fields": [${fields.map((x) => pyString(x, file)).join(', ')}]}`;
      let edit: { span: { start: number; end: number }; newText: string };
      if (indexes && indexes.value.k === 'list') {
        const list = indexes.value;
        if (list.items.length) {
          edit = appendItem(file.text, list.items[list.items.length - 1].span.end, list.span.end, entry, lineIndent(file, list.items[list.items.length - 1].span.start));
        } else {
          edit = { span: { start: list.span.start + 1, end: list.span.end - 1 }, newText: entry };
        }
      } else if (cfg && cfg.value.k === 'dict') {
        const d = cfg.value;
        if (d.entries.length) {
          const last = d.entries[d.entries.length - 1];
          edit = appendItem(file.text, last.span.end, d.span.end, `"indexes": [${entry}]`, lineIndent(file, last.span.start));
        } else {
          edit = { span: { start: d.span.start + 1, end: d.span.end - 1 }, newText: `"indexes": [${entry}]` };
        }
      } else {
        // No __dataflow__: add it after the last field (or as the last statement of the body).
        const lastField = cls.fields[cls.fields.length - 1];
        const anchor = lastField ? lastField.statementSpan : cls.bodyStatements[cls.bodyStatements.length - 1];
        const indent = lineIndent(file, anchor.start);
        edit = { span: { start: anchor.end, end: anchor.end }, newText: `\n${indent}__dataflow__ = {"indexes": [${entry}]}` };
        // A body that is only a docstring or `pass` keeps working: we insert after it.
      }
      return { title, isPreferred: true, edits: [{ uri: file.uri, edits: [edit] }] };
    },
  };
}

