// Code lenses. "$(play) Run · $(dashboard) Profile" above every function that builds and executes a
// workflow, and above the `if __name__ == "__main__":` block (the client's dataflow.runWorkflow /
// profileWorkflow commands). Above each `runtime.execute(...)` call: after a profile, its last time
// and statement count (opens the report), and the runtime's node order when it differs from the
// order written (language/executeLenses.ts). Titles use codicons, not emoji.
import { CodeLens, Range } from 'vscode-languageserver';
import type { SourceFile } from '../model/sourceFile';
import type { RuleContext } from '../analysis/context';
import { entryPoints } from './entryPoints';
import { executeLenses, type ExecuteLens } from '../language/executeLenses';
import type { ProfileStore } from '../language/profileStore';

/** The client command a click on the order lens runs: shows the order and why (client/src/extension.ts). */
export const SHOW_ORDER_COMMAND = 'dataflow.showExecutionOrder';
const MAX_SHOWN = 8;

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function codeLenses(file: SourceFile, ctx?: RuleContext, profiles?: ProfileStore): CodeLens[] {
  const out: CodeLens[] = [];
  for (const ep of entryPoints(file)) {
    const range = Range.create(ep.line, ep.character, ep.line, ep.character);
    const arg = { uri: file.uri, entry: ep.name, params: ep.params };
    out.push(
      { range, command: { title: '$(play) Run', command: 'dataflow.runWorkflow', arguments: [arg] } },
      { range, command: { title: '$(dashboard) Profile', command: 'dataflow.profileWorkflow', arguments: [arg] } },
    );
  }
  if (ctx && profiles) for (const l of executeLenses(ctx, profiles)) out.push(...lensesOf(file, l));
  return out;
}

/** `a → c → b`; with levels, the nodes a level starts together joined by ∥ (`a ∥ b → c`). At most MAX_SHOWN ids. */
export function orderText(ids: string[], levels?: string[][]): string {
  const groups = levels ?? ids.map((id) => [id]);
  const out: string[] = [];
  let shown = 0;
  for (const g of groups) {
    if (shown + g.length > MAX_SHOWN && shown) { out.push(`… (${ids.length - shown} more)`); break; }
    out.push(g.join(' ∥ '));
    shown += g.length;
  }
  return out.join(' → ');
}

function lensesOf(file: SourceFile, l: ExecuteLens): CodeLens[] {
  const p = file.doc.lines.positionAt(l.execute.span.start);
  const range = Range.create(p.line, p.character, p.line, p.character);
  const out: CodeLens[] = [];
  const m = l.measured;
  if (m) {
    const times = m.runs > 1 ? ` ×${m.runs}` : '';
    const failed = m.failed ? ` · ${m.failed} failed` : '';
    out.push(CodeLens.create(range));
    out[out.length - 1].command = {
      title: `$(dashboard) ${ms(m.ms)} ms${times} · ${plural(m.statements, 'statement')}${failed}`,
      command: 'dataflow.showLastReport',
      // LSP 3.17 commands have no tooltip: the client's lens middleware moves this one onto the lens.
      arguments: [{ tooltip: `Last profile (${m.createdAt}): ${plural(m.runs, 'run')} of this execute call; total time and SQL statements. Click to open the report.` }],
    };
  }
  const o = l.order;
  if (o) {
    const how = o.levels
      ? `${o.runtime} runs the nodes level by level (a node joins the first level after all its predecessors); it starts a level's nodes together (asyncio.gather, ∥) in this order: ${o.levels.map((lv) => `[${lv.join(', ')}]`).join(' then ')}.`
      : `${o.runtime} runs the ready nodes sorted by id (as strings), then the nodes they make ready, not in the order the add_node calls are written.`;
    out.push(CodeLens.create(range));
    out[out.length - 1].command = {
      title: `$(list-ordered) order: ${orderText(o.order, o.levels)}`,
      command: SHOW_ORDER_COMMAND,
      arguments: [{ order: o.order, written: o.written, runtime: o.runtime, levels: o.levels, tooltip: `DataFlow 2.20 runs this workflow's nodes in the order ${o.order.join(' → ')} (written: ${o.written.join(' → ')}). ${how}` }],
    };
  }
  return out;
}
