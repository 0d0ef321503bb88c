// dataflow-run FILE[:FUNCTION] — runs a file's DataFlow workflows without Python, on the embedded
// PostgreSQL by default, and prints each node's output summary, time and statements (or --json).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initPython } from '../syntax/parser';
import { parseArgValue } from './argValue';
import { dataflowHint } from './errorHints';
import { SourceFile } from '../model/sourceFile';
import { databaseUrlOf } from '../model/databaseUrl';
import { openDatabase, type DatabaseChoice } from '../run/openDatabase';
import { runFile, type RunFileResult } from '../run/runFile';
import { redactUrl } from '../runtime/db/redactUrl';
import { parseRunArgs, RUN_USAGE, UsageError, type RunCliOptions } from './runArgs';
import { randomBytes } from 'node:crypto';
import { renderReportHtml } from '../report/html';
import { ratioLabel } from '../report/html/sections';
import type { PerformanceReport } from '../report/reportTypes';
import { runWithPython } from './runPython';
import { stringifyRunJson } from './pythonJson';
import { linkDiagnostics } from '../profiler/linkDiagnostics';
import { runFindings } from './runFindings';
import { figuresKey } from './figuresKey';
import { listingOrder, naturalCompare, orderNote } from './runListing';

/** The URL written in the file's first DataFlow(...), when it is a literal (or an os.getenv default). */
export function urlFromFile(file: string, text: string): string | undefined {
  return databaseUrlOf(SourceFile.create(pathToFileURL(file).toString(), text));
}

function chooseDatabase(o: RunCliOptions, text: string): DatabaseChoice {
  switch (o.db.kind) {
    case 'embedded': return { kind: 'embedded', dataDir: o.dataDir };
    case 'url': return { kind: 'postgresql', url: o.db.url };
    case 'env': {
      const url = process.env.DATABASE_URL;
      if (!url) throw new UsageError('--db env: DATABASE_URL is not set');
      return { kind: 'postgresql', url };
    }
    case 'file': {
      const url = urlFromFile(o.file, text);
      if (!url) throw new UsageError(`--db file: no literal database URL in a DataFlow(...) call of ${o.file}`);
      if (!/^postgres(ql)?(\+\w+)?:\/\//.test(url)) throw new UsageError(`--db file: ${redactUrl(url)} is not a PostgreSQL URL (the embedded database runs SQLite URLs: omit --db)`);
      return { kind: 'postgresql', url: url.replace(/^(postgres(?:ql)?)\+\w+:/, '$1:') };
    }
  }
}

function fmtMs(ms: number): string { return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0); }

function summarise(value: unknown): string {
  if (!value || typeof value !== 'object') return JSON.stringify(value);
  const o = value as Record<string, unknown>;
  if (o.failed) return `FAILED ${o.error_type ?? ''}: ${String(o.error ?? '').slice(0, 160)}`;
  if (Array.isArray(o.records)) return `${o.records.length} record(s)${o._cache && (o._cache as { hit?: boolean }).hit ? ' (cache hit)' : ''}`;
  const keys = ['id', 'processed', 'inserted', 'updated', 'deleted', 'upserted', 'skipped', 'count', 'found', 'created', 'action', 'success'];
  const parts = keys.filter((k) => k in o).map((k) => `${k}=${JSON.stringify(o[k])}`);
  return parts.length ? parts.join(' ') : `${Object.keys(o).length} field(s)`;
}

/** Divergence codes about how the runtime writes its own SQL, not what a workflow sees. */
const SPELLING_DIVERGENCES = new Set(['quoted-ddl-identifiers']);

export function printHuman(r: RunFileResult, out: (s: string) => void): void {
  out(`database: ${r.database}`);
  for (const n of r.notes) out(`note: ${n}`);
  if (Object.keys(r.seeded).length) out(`seeded: ${Object.entries(r.seeded).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  // Nodes in execution order (never re-sorted where there is one); why, said once, where it surprises.
  const notesSaid = new Set<string>();
  r.runs.forEach((run, i) => {
    const where = run.location ? `${path.basename(run.location.file ?? '')}:${run.location.line}` : '';
    out(`\nrun ${i + 1}${where ? ` (${where})` : ''}: ${run.nodes.length} node(s)${run.error ? ` — FAILED ${run.error.type}: ${run.error.message}` : ''}`);
    const note = orderNote(run.nodes);
    if (note && !notesSaid.has(note)) {
      notesSaid.add(note);
      out(`  (${note})`);
    }
    for (const n of listingOrder(run.nodes)) {
      const id = n.level !== undefined ? `L${n.level + 1} ${n.id}` : n.id;
      out(`  ${id.padEnd(24)} ${n.type.padEnd(28)} ${fmtMs(n.ms).padStart(8)} ms  ${String(n.statements).padStart(4)} stmt  ${summarise(run.results[n.id] ?? run.partialResults?.[n.id])}`);
    }
  });
  for (const line of r.log) out(`print: ${line}`);
  if (Object.keys(r.tables).length) out(`\ntables: ${Object.entries(r.tables).sort(([a], [b]) => naturalCompare(a, b)).map(([t, n]) => `${t}=${n}`).join(', ')}`);
  for (const q of r.quirks as Array<{ code?: string; message?: string }>) out(`DataFlow quirk: ${q.message ?? q.code}`);
  // Divergences about the runtime's own SQL spelling change nothing a workflow sees: one short
  // details line instead of a paragraph after every run (--json and the report keep them whole).
  const divergences = r.divergences as Array<{ code?: string; message?: string }>;
  for (const d of divergences) if (!SPELLING_DIVERGENCES.has(d.code ?? '')) out(`divergence: ${d.message ?? d.code}`);
  const spelling = divergences.filter((d) => SPELLING_DIVERGENCES.has(d.code ?? ''));
  if (spelling.length) out(`details: ${spelling.map((d) => d.code).join(', ')} (how the runtime spells its own DDL; no effect on results; --json has the text)`);
  if (r.nothingRun) {
    out(`\nnothing was run: no \`if __name__ == "__main__":\` block and no entry point named.`);
    if (r.entryPoints?.length) {
      out('entry points (run one as FILE:NAME):');
      for (const e of r.entryPoints) out(`  ${e}`);
    } else out('the file defines no function, test or class method to run.');
    out(`\ndataflow-run: nothing was run (exit 2)`);
    return;
  }
  if (r.error) {
    out(`\nerror: ${r.error.type}: ${r.error.message}${r.error.file ? ` (${path.basename(r.error.file)}:${r.error.line}:${r.error.column})` : ''}`);
    if (r.error.traceback) out(r.error.traceback);
    const hint = dataflowHint({ error: r.error, runs: r.runs });
    if (hint) out(`hint: ${hint}`);
  }
  if (r.test) out(`\n${r.test.kind} ${r.entry}: ${r.test.outcome}${r.test.reason ? ` (${r.test.reason})` : ''}${r.test.fixtures.length ? `; fixtures: ${r.test.fixtures.join(', ')}` : ''}`);
  const nodes = r.runs.reduce((s, x) => s + x.nodes.length, 0);
  const stmts = r.runs.reduce((s, x) => s + x.nodes.reduce((a, n) => a + n.statements, 0), 0);
  out(`\ndataflow-run: ${r.runs.length} run(s), ${nodes} node(s), ${stmts} statement(s) in ${r.elapsedMs} ms — ${!r.ok ? 'failed' : r.test && r.test.outcome !== 'passed' ? r.test.outcome : 'ok'}`);
}

export function printProfile(r: PerformanceReport, out: (s: string) => void): void {
  const s = r.summary;
  out(`\nprofile: ${fmtMs(s.totalMs)} ms total, ${s.statements} statement(s) (${fmtMs(s.sqlMs)} ms in SQL), ${s.rows} row(s), ${s.slowStatements} slow, ${s.nPlusOne} N+1 group(s)` +
    (s.cache.queryHitRate === null ? '' : `, query cache hit rate ${(s.cache.queryHitRate * 100).toFixed(0)}%`));
  for (const rec of r.recommendations) {
    const ratio = ratioLabel(rec) ? ` (${ratioLabel(rec)})` : ''; // the report card's one label, e.g. 26× faster
    out(`  [${rec.verdict}] ${rec.code} ${rec.title} — ${path.basename(rec.file)}:${rec.line}${ratio}`);
    const m = (x: PerformanceReport['recommendations'][number]['before']) =>
      [x.ms !== undefined ? `${fmtMs(x.ms)} ms` : '', x.cost !== undefined ? `cost ${x.cost.toFixed(0)}` : '', x.statements !== undefined ? `${x.statements} stmt` : '', x.plan ?? ''].filter(Boolean).join(', ');
    out(`      before: ${m(rec.before)}${m(rec.before) ? ' — ' : ''}${rec.before.description}`);
    out(`      after:  ${m(rec.after)}${m(rec.after) ? ' — ' : ''}${rec.after.description}`);
  }
  for (const line of figuresKey(r)) out(line);
}

export async function main(argv: string[]): Promise<number> {
  let o: RunCliOptions;
  try {
    const parsed = parseRunArgs(argv);
    if (parsed === 'help') { process.stdout.write(RUN_USAGE + '\n'); return 0; }
    o = parsed;
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`dataflow-run: ${e.message}\n\n${RUN_USAGE}\n`); return 2; }
    throw e;
  }
  let text: string;
  try { text = fs.readFileSync(o.file, 'utf8'); } catch (e) {
    process.stderr.write(`dataflow-run: cannot read ${o.file}: ${(e as Error).message}\n`);
    return 2;
  }
  await initPython();
  o.args = Object.fromEntries(Object.entries(o.args).map(([k, v]) => [k, typeof v === 'string' ? parseArgValue(v).value : v]));
  let choice: DatabaseChoice;
  try { choice = chooseDatabase(o, text); } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`dataflow-run: ${e.message}\n`); return 2; }
    throw e;
  }
  if (choice.kind === 'postgresql' && o.seed && !o.allowSeedOnDatabase && !o.python) {
    // Refused before anything runs: a refusal of this tool, not a failure of the workflow.
    process.stderr.write(`dataflow-run: --seed writes ${o.seed} synthetic rows into every model table of ${redactUrl(choice.url)}; add --allow-seed to do that on a database that is not the embedded one\n`);
    return 2;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  if (o.python) {
    try {
      return await runWithPython(o, choice, abort.signal, printHuman, printProfile);
    } finally {
      process.off('SIGINT', onSignal);
    }
  }
  let db;
  try {
    db = await openDatabase(choice, (line) => process.stderr.write(`${line}\n`));
  } catch (e) {
    process.stderr.write(`dataflow-run: cannot open ${choice.kind === 'postgresql' ? redactUrl(choice.url) : 'the embedded database'}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    if (db.embedded) await db.resetSchema();
    const result = await runFile({
      file: path.resolve(o.file), text, entry: o.entry, args: o.args, env: o.env, argv: o.argv, db, root: projectRootFor(o),
      seedRows: o.seed, seedAllowDatabase: o.allowSeedOnDatabase ? db.description : undefined,
      allowDestructive: o.allowDestructive, signal: abort.signal, limits: { timeoutMs: o.timeoutS * 1000 },
      profile: o.profile ? { explain: o.explainAnalyze ? 'analyze' : true } : undefined,
    });
    if (result.report) await linkDiagnostics(result.report, runFindings(path.resolve(o.file), text, projectRootFor(o) ?? path.dirname(path.resolve(o.file))));
    if (o.json) process.stdout.write(stringifyRunJson(result) + '\n');
    else printHuman(result, (s) => process.stdout.write(s + '\n'));
    if (o.profile) {
      if (!result.report) process.stderr.write('dataflow-run: no workflow ran, so there is no report\n');
      else {
        if (!o.json) printProfile(result.report, (s) => process.stdout.write(s + '\n'));
        if (o.report) fs.writeFileSync(o.report, JSON.stringify(result.report, null, 2));
        if (o.html) fs.writeFileSync(o.html, renderReportHtml(result.report, { nonce: randomBytes(16).toString('base64'), mode: 'standalone' }));
      }
    }
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    await db.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`dataflow-run: internal error: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 2;
  });
}

/**
 * The folder the run's imports resolve from: --root, else the current directory when it holds the
 * file and is not itself a package (python run from there has it on sys.path), else none (runtime/localModules.ts finds the
 * project from the file: a marker folder, or the folder above its top-level package).
 */
function projectRootFor(o: { file: string; root?: string }): string | undefined {
  if (o.root) return path.resolve(o.root);
  const cwd = process.cwd();
  const file = path.resolve(o.file);
  // A current directory inside a package is not where its imports resolve from.
  if (fs.existsSync(path.join(cwd, '__init__.py'))) return undefined;
  return file.startsWith(cwd.endsWith(path.sep) ? cwd : cwd + path.sep) ? cwd : undefined;
}
