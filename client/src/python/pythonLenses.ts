// Adds "Profile with Python" after each "Profile" code lens the server sends, with the same target,
// in a trusted workspace only (the language server has no notion of workspace trust). Also gives a
// lens the tooltip the server put in its first argument (LSP 3.17 commands carry no tooltip).
import * as vscode from 'vscode';

export const PYTHON_LENS_TITLE = '$(debug-alt) Profile with Python';

export function withPythonLenses(lenses: vscode.CodeLens[] | null | undefined, trusted: boolean): vscode.CodeLens[] | null | undefined {
  if (!lenses) return lenses;
  const out: vscode.CodeLens[] = [];
  for (const l of lenses) {
    const tooltip = (l.command?.arguments?.[0] as { tooltip?: unknown } | undefined)?.tooltip;
    if (l.command && typeof tooltip === 'string') l.command.tooltip = tooltip;
    out.push(l);
    if (!trusted) continue;
    if (l.command?.command === 'dataflow.profileWorkflow') {
      out.push(new vscode.CodeLens(l.range, { title: PYTHON_LENS_TITLE, command: 'dataflow.profileWithPython', arguments: l.command.arguments, tooltip: 'Runs this entry point in the project\'s Python interpreter with the real DataFlow (executes your code)' }));
    }
  }
  return out;
}
