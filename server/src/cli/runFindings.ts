// The findings dataflow-run links a profile's recommendations to: the analysis (default settings,
// as dataflow-lint's) of the files the run read, on the text it read — the run's own file as the run
// had it, the other files of its root from disk. Loaded once, on the first file a recommendation
// names; each file analysed once.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeFile } from '../analysis/engine';
import { SourceFile } from '../model/sourceFile';
import { WorkspaceModel } from '../model/workspaceModel';
import type { FileFindings, FindingsOf } from '../profiler/linkDiagnostics';
import { defaultSettings } from '../settings';
import { loadIntoWorkspace } from '../workspace/loadWorkspace';

/** `file` ran with `text`; `root` is the folder the run read its other files from. */
export function runFindings(file: string, text: string, root: string): FindingsOf {
  const settings = defaultSettings();
  let loading: Promise<WorkspaceModel> | undefined;
  const load = async () => {
    const workspace = new WorkspaceModel();
    workspace.set(SourceFile.create(pathToFileURL(path.resolve(file)).toString(), text));
    await loadIntoWorkspace(workspace, [root], undefined, (uri) => workspace.has(uri));
    return workspace;
  };
  const analysed = new Map<string, FileFindings | undefined>();
  return async (at) => {
    const workspace = await (loading ??= load());
    const uri = pathToFileURL(at).toString();
    if (!analysed.has(uri)) {
      const sf = workspace.get(uri);
      const lines = sf?.doc.lines;
      analysed.set(uri, sf && lines ? { findings: analyzeFile(sf, workspace, settings), positionAt: (o) => lines.positionAt(o), workspace } : undefined);
    }
    return analysed.get(uri);
  };
}
