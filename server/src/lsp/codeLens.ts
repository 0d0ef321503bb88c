// "▶ Run · ⏱ Profile" above every function that builds and executes a workflow, and above the
// `if __name__ == "__main__":` block. The commands are the client's (dataflow.runWorkflow / profileWorkflow).
import { CodeLens, Range } from 'vscode-languageserver';
import type { SourceFile } from '../model/sourceFile';
import { entryPoints } from './entryPoints';

export function codeLenses(file: SourceFile): CodeLens[] {
  const out: CodeLens[] = [];
  for (const ep of entryPoints(file)) {
    const range = Range.create(ep.line, ep.character, ep.line, ep.character);
    const arg = { uri: file.uri, entry: ep.name, params: ep.params };
    out.push(CodeLens.create(range, undefined), CodeLens.create(range, undefined));
    out[out.length - 2].command = { title: '▶ Run', command: 'dataflow.runWorkflow', arguments: [arg] };
    out[out.length - 1].command = { title: '⏱ Profile', command: 'dataflow.profileWorkflow', arguments: [arg] };
  }
  return out;
}
