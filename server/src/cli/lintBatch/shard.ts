// dataflow-lint's work on one thread's share of the files, in two steps:
//  1. extract: parse the share's files and extract their facts; what other files read of them
//     (SharedFacts: models, register_model calls, DataFlow instances, imports) is handed back.
//     A file to analyse keeps its full facts, not its tree, for step 2 (up to HELD_FACTS_CHARS),
//     so it is queried once and not parsed again; the others keep only their shared facts;
//  2. analyse: build the whole workspace model, in the plan's order, from the share's own files and
//     the other files' shared facts (SourceFile.withSharedFacts: their text is decoded, and their
//     tree parsed, only if a finding reads them — a fix that edits a model file), then run the
//     analysis over the share's given files.
// With one share holding every file this is exactly the single-threaded CLI.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceFile } from '../../model/sourceFile';
import type { SharedFacts } from '../../model/fileFacts';
import { WorkspaceModel, type ProjectTextFile } from '../../model/workspaceModel';
import type { FileTexts } from './fileTexts';
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

/** A file of step 1: its text is `texts.text(index)`; `analysed`: step 2 analyses it (a given file). */
export interface ShareFile { uri: string; index: number; analysed: boolean }

/**
 * A file of the workspace in step 2: one of the share's own (uri only) or another share's (`index`
 * of its text, and its shared facts: undefined when it does not mention DataFlow).
 */
export interface WorkspaceEntry { uri: string; index?: number; shared?: SharedFacts }

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
 * How much source (characters) of the files to analyse the threads together keep the full facts
 * of from their scan to their analysis: 5 (kailash-py) to 11 (bench:lint's generated files) bytes
 * of heap per character, so 0.5 to 1.1 GB at most; both bench:lint corpora (37 and 34 M characters
 * of DataFlow files) fit whole. Past it, a file keeps only its shared facts and is parsed and
 * queried again when analysed. (Trees are not kept: tree-sitter's take 20 to 40 bytes a character
 * in its WebAssembly memory, which never shrinks; keeping 24 M characters of them instead peaked
 * at 1.3 to 2.0 GB resident on one thread, for more CPU.)
 */
export const HELD_FACTS_CHARS = 96 * 1024 * 1024;

/** What each of `threads` threads keeps (characters of source, see HELD_FACTS_CHARS). */
export function heldFactsChars(threads: number): number {
  return Math.floor(HELD_FACTS_CHARS / Math.max(1, threads));
}

export class LintShard {
  private own = new Map<string, SourceFile>();
  private heldChars = 0;

  /** `texts`: every file's text (the share's own and, for step 2, the others'). */
  constructor(private readonly texts: FileTexts) {}

  /**
   * Step 1 over the share's files. `withShared`: hand back the shared facts (other shares need
   * them). `holdChars`: keep the full facts of analysed files up to that many characters of source.
   */
  extract(files: readonly ShareFile[], withShared: boolean, holdChars: number): Extracted[] {
    const out: Extracted[] = [];
    let read = 0;
    for (const { uri, index, analysed } of files) {
      const text = this.texts.text(index);
      let file: SourceFile;
      // Counted only if it is parsed now, i.e. it mentions DataFlow (see `file.relevant` below).
      const full = analysed && this.heldChars + text.length <= holdChars;
      try { file = full ? SourceFile.createFull(uri, text) : SourceFile.createSlim(uri, text); } catch (err) {
        // One file the analysis cannot take costs that file, never the run.
        out.push({ uri, absent: true, skip: `could not be analysed: ${String((err as Error)?.message ?? err).split('\n')[0]}` });
        continue;
      }
      this.own.set(uri, file);
      if (full && file.relevant) this.heldChars += text.length;
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
    const texts = this.texts;
    for (const e of req.workspace) {
      const index = e.index;
      const file = this.own.get(e.uri) ?? (index !== undefined ? SourceFile.withSharedFacts(e.uri, () => texts.text(index), e.shared) : undefined);
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
      const reported = analyzeFile(file, workspace, req.settings, true).map((f) => toReported(rel, f, (o) => file.doc.lines.positionAt(o), workspace, req.fixes));
      out.push({ uri, reported });
      // Other files' analyses read only its shared facts (or extract the rest again).
      if (this.own.has(uri)) file.slimDown();
    }
    return out;
  }
}
