// In-process helpers for rule and fix tests: load fixture files into a workspace and analyse them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initPython } from '../../server/src/syntax/parser';
import { SourceFile } from '../../server/src/model/sourceFile';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';
import { analyzeFile } from '../../server/src/analysis/engine';
import { defaultSettings, type AnalysisSettings } from '../../server/src/settings';
import type { Finding, FileEdit } from '../../server/src/analysis/finding';
import { projectFileKind } from '../../server/src/workspace/projectFiles';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');

export async function ready(): Promise<void> { await initPython(); }

export function uriOf(p: string): string { return pathToFileURL(p).toString(); }

/** A workspace holding the given files (absolute paths → text); project files (pyproject.toml, Dockerfile, ...) too. */
export function workspaceOf(files: Record<string, string>): WorkspaceModel {
  const ws = new WorkspaceModel();
  for (const [p, text] of Object.entries(files)) {
    const kind = projectFileKind(path.basename(p));
    if (kind) ws.setProjectFile({ uri: uriOf(p), name: path.basename(p), kind, text });
    if (p.endsWith('.py')) ws.set(SourceFile.create(uriOf(p), text));
  }
  return ws;
}

/** The .py and project files of a fixture case: a single file, or every file of a folder (and its subfolders). */
export function caseFiles(casePath: string): Record<string, string> {
  const out: Record<string, string> = {};
  const st = fs.statSync(casePath);
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'expected' ? [] : walk(full);
    return e.name.endsWith('.py') || projectFileKind(e.name) ? [full] : [];
  });
  const files = (st.isDirectory() ? walk(casePath) : [casePath]).sort();
  for (const f of files) out[f] = fs.readFileSync(f, 'utf8');
  return out;
}

export function analyze(ws: WorkspaceModel, p: string, settings: AnalysisSettings = defaultSettings()): Finding[] {
  const file = ws.get(uriOf(p));
  if (!file) throw new Error(`not in workspace: ${p}`);
  return analyzeFile(file, ws, settings);
}

/** Applies edits (offsets into the original text) to a text, last first. */
export function applyEdits(text: string, edits: FileEdit['edits']): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

export interface Expectation { line: number; start: number; end: number; code: string; message?: string }

const ANNOTATION = /^(\s*)#(\s*)(\^+)\s+(DF\d{3})(?::\s*(.*))?$/;

/**
 * Reads `# ^^^^ DF001: message part` annotations. The carets mark columns of the nearest line
 * above that is not itself an annotation (rust-analyzer's fixture style).
 */
export function expectations(text: string): Expectation[] {
  const lines = text.split('\n');
  const out: Expectation[] = [];
  let target = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = ANNOTATION.exec(lines[i]);
    if (!m) { target = i; continue; }
    const start = lines[i].indexOf('^');
    out.push({ line: target, start, end: start + m[3].length, code: m[4], message: m[5]?.trim() || undefined });
  }
  return out;
}
