// dataflow-lint PATH... — the language server's analysis over files and folders, for CI.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initPython } from '../python/parser';
import { WorkspaceModel } from '../model/workspaceModel';
import { analyzeFile } from '../analysis/engine';
import { loadIntoWorkspace, loadProjectContext } from '../workspace/loadWorkspace';
import { DEFAULT_EXCLUDES } from '../workspace/fileDiscovery';
import { human, json, sarif, toReported, type Reported } from './formatters';
import { LINT_USAGE, parseLintArgs, type LintCliOptions } from './lintArgs';
import { UsageError } from './commandLine';
import { VERSION } from '../version';

const RANK: Record<string, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export async function main(argv: string[]): Promise<number> {
  let opts: LintCliOptions;
  try {
    const parsed = parseLintArgs(argv);
    if (parsed === 'help') { process.stdout.write(LINT_USAGE + '\n'); return 0; }
    if (parsed === 'version') { process.stdout.write(VERSION + '\n'); return 0; }
    opts = parsed;
  } catch (err) {
    if (err instanceof UsageError) { process.stderr.write(`dataflow-lint: ${err.message}\n\n${LINT_USAGE}\n`); return 2; }
    throw err;
  }
  const started = Date.now();
  await initPython();
  const workspace = new WorkspaceModel();
  const excludes = [...DEFAULT_EXCLUDES, ...opts.excludes];
  const loaded = await loadIntoWorkspace(workspace, opts.paths, excludes, undefined, true);
  const missing = loaded.skipped.filter((s) => s.reason === 'does not exist');
  for (const s of loaded.skipped) process.stderr.write(`dataflow-lint: skipped ${s.path}: ${s.reason}\n`);
  if (missing.length === opts.paths.length) return 2;
  await loadProjectContext(workspace, opts.paths.filter((p) => !missing.some((m) => m.path === p)), excludes, opts.project);
  const cwd = process.cwd();
  const reported: Reported[] = [];
  for (const uri of loaded.uris) {
    const file = workspace.get(uri);
    if (!file) continue;
    const rel = path.relative(cwd, fileURLToPath(uri)) || fileURLToPath(uri);
    for (const f of analyzeFile(file, workspace, opts.settings)) reported.push(toReported(rel.split(path.sep).join('/'), f, (o) => file.doc.lines.positionAt(o), workspace));
  }
  const out = opts.format === 'json' ? json(reported) : opts.format === 'sarif' ? sarif(reported, VERSION) : human(reported);
  if (out) process.stdout.write(out + '\n');
  const counts = { error: 0, warning: 0, information: 0, hint: 0 } as Record<string, number>;
  for (const r of reported) counts[r.severity]++;
  const summary = `dataflow-lint: ${loaded.uris.length} file${loaded.uris.length === 1 ? '' : 's'} checked in ${Date.now() - started} ms: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}${counts.information + counts.hint ? `, ${counts.information + counts.hint} info` : ''}`;
  // The summary goes to stderr for machine formats so stdout stays valid JSON/SARIF.
  (opts.format === 'human' ? process.stdout : process.stderr).write(summary + '\n');
  if (opts.failOn === 'never') return 0;
  const threshold = RANK[opts.failOn];
  return reported.some((r) => RANK[r.severity] >= threshold) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`dataflow-lint: internal error: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 2;
  });
}
