// dataflow-lint's work on one thread's share of the files, in two steps:
//  1. extract: parse the share's files and extract their facts; what other files read of them
//     (SharedFacts: models, register_model calls, DataFlow instances, imports) is handed back;
//  2. analyse: build the whole workspace model, in the plan's order, from the share's own files and
//     the other files' texts and shared facts (SourceFile.withSharedFacts: nothing parsed unless a
//     rule reads that file's tree), then run the analysis over the share's given files.
// With one share holding every file this is exactly the single-threaded CLI.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mentionsDataFlow, SourceFile } from '../../model/sourceFile';
import type { SharedFacts } from '../../model/fileFacts';
import { WorkspaceModel, type ProjectTextFile } from '../../model/workspaceModel';
import { analyzeFile } from '../../analysis/engine';
import { projectScope } from '../../workspace/loadWorkspace';
import { collectGarbage, SCAN_GC_EVERY } from '../../workspace/collectGarbage';
import type { AnalysisSettings } from '../../settings';
import { toReported, type Reported } from '../formatters';

/** What step 1 says of one file. */
export interface Extracted {
  uri: string;
  /** Why the file is not (fully) analysed, as loadIntoWorkspace reports it. */
  skip?: string;
  /** The file could not be taken at all: it is not in the workspace. */
  absent?: boolean;
  /** Its shared facts, for files that mention DataFlow. */
  shared?: SharedFacts;
}

/** A file of the workspace in step 2: one of the share's own (uri only) or another's (text and shared facts). */
export interface WorkspaceEntry { uri: string; text?: string; shared?: SharedFacts }

export interface AnalyseRequest {
  /** Every file of the workspace in the plan's order, absent files left out. */
  workspace: WorkspaceEntry[];
  /** The share's given files to analyse, in the plan's order. */
  analyse: string[];
  projectFiles: ProjectTextFile[];
  scopePaths: string[];
  settings: AnalysisSettings;
  /** Reported paths are relative to it. */
  cwd: string;
  /** Compute each finding's quick-fix (for `fixable`); false when the output does not print it. */
  fixes: boolean;
}

/**
 * How much source (characters) a thread keeps the trees of from its scan to the files' analysis,
 * so those files are parsed once: tree-sitter's trees take ~20 bytes per character of source in
 * its WebAssembly memory (kailash-py's DataFlow files), so ~170 MB, which that memory never gives
 * back. The other files are parsed again when analysed.
 */
export const HELD_TREE_CHARS = 8 * 1024 * 1024;

export class LintShard {
  private own = new Map<string, SourceFile>();
  private heldChars = 0;

  /** Step 1 over the share's files. `withShared`: hand back the shared facts (other shares need them). */
  extract(files: ReadonlyArray<{ uri: string; text: string }>, withShared: boolean): Extracted[] {
    const out: Extracted[] = [];
    let read = 0;
    for (const { uri, text } of files) {
      let file: SourceFile;
      const hold = mentionsDataFlow(text) && this.heldChars + text.length <= HELD_TREE_CHARS;
      try { file = SourceFile.createSlim(uri, text, hold); } catch (err) {
        // One file the analysis cannot take costs that file, never the run.
        out.push({ uri, absent: true, skip: `could not be analysed: ${String((err as Error)?.message ?? err).split('\n')[0]}` });
        continue;
      }
      this.own.set(uri, file);
      if (hold) this.heldChars += text.length;
      const e: Extracted = { uri };
      if (file.doc.skipReason) e.skip = file.doc.skipReason;
      if (withShared && file.relevant) e.shared = file.facts.shared();
      out.push(e);
      if (++read % SCAN_GC_EVERY === 0) collectGarbage();
    }
    if (read >= SCAN_GC_EVERY) collectGarbage();
    return out;
  }

  /** Step 2: the findings of each of `req.analyse`, in its order. */
  analyse(req: AnalyseRequest): Array<{ uri: string; reported: Reported[] }> {
    const workspace = new WorkspaceModel();
    for (const e of req.workspace) {
      const file = this.own.get(e.uri) ?? (e.text !== undefined ? SourceFile.withSharedFacts(e.uri, e.text, e.shared ?? NO_FACTS) : undefined);
      if (file) workspace.set(file);
    }
    for (const pf of req.projectFiles) workspace.setProjectFile(pf);
    workspace.setProjectOf(projectScope(req.scopePaths).projectOf);
    const out: Array<{ uri: string; reported: Reported[] }> = [];
    for (const uri of req.analyse) {
      const file = workspace.get(uri);
      if (!file) continue;
      const abs = fileURLToPath(uri);
      const rel = (path.relative(req.cwd, abs) || abs).split(path.sep).join('/');
      const reported = analyzeFile(file, workspace, req.settings).map((f) => toReported(rel, f, (o) => file.doc.lines.positionAt(o), workspace, req.fixes));
      out.push({ uri, reported });
      if (this.own.has(uri)) file.doc.releaseTree();
    }
    return out;
  }
}

const NO_FACTS: SharedFacts = { classes: [], registrations: [], instances: [], imports: [] };
