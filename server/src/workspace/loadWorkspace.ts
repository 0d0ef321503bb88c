// Reads discovered files into a WorkspaceModel (used by the CLI and by the server's workspace scan).
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import * as path from 'node:path';
import { discoverPythonFiles, Excluder, type Discovery } from './fileDiscovery';
import { discoverProjectFiles, readProjectFile } from './projectFiles';

export async function loadIntoWorkspace(
  workspace: WorkspaceModel,
  roots: readonly string[],
  excludes?: readonly string[],
  skip?: (uri: string) => boolean,
  /** Also read project files in the directories above the roots (the CLI; see discoverProjectFiles). */
  projectFileAncestors = false,
): Promise<Discovery & { uris: string[] }> {
  const found = await discoverPythonFiles(roots, excludes ? new Excluder(excludes) : undefined);
  const uris: string[] = [];
  for (const f of found.files) {
    const uri = pathToFileURL(f.path).toString();
    uris.push(uri);
    if (skip?.(uri)) continue;
    let text: string;
    try { text = await fs.promises.readFile(f.path, 'utf8'); } catch (err) {
      found.skipped.push({ path: f.path, reason: (err as Error).message });
      continue;
    }
    const file = SourceFile.create(uri, text);
    if (file.doc.skipReason) found.skipped.push({ path: f.path, reason: file.doc.skipReason });
    workspace.set(file);
  }
  // Dependency and deployment files, for the configuration rules (DF033, DF034).
  for (const pf of await discoverProjectFiles(roots, excludes ? new Excluder(excludes) : undefined, projectFileAncestors)) {
    const text = await readProjectFile(pf.path);
    if (text !== undefined) workspace.setProjectFile({ uri: pathToFileURL(pf.path).toString(), name: path.basename(pf.path), kind: pf.kind, text });
  }
  return { ...found, uris };
}
