// dataflow-run --python [PATH] / --compare: the file run in the project's own Python with the real
// DataFlow under the tracer (server/src/pythonProfile), printed like the embedded engine's runs.
import { projectRootOf } from '../runtime/localModules';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatabaseChoice } from '../run/openDatabase';
import { compareEngines, profileWithPython } from '../pythonProfile';
import type { RunFileResult } from '../run/runFile';
import type { EnginesCompared, PerformanceReport } from '../report/reportTypes';
import { renderReportHtml } from '../report/html';
import type { RunCliOptions } from './runArgs';
import { linkDiagnostics } from '../profiler/linkDiagnostics';
import { runFindings } from './runFindings';

export function printComparison(c: EnginesCompared, out: (s: string) => void): void {
  out(`\nengines compared: ${c.nodesAgreeing} of ${c.nodesCompared} node(s) agree; embedded ${c.embeddedRuns} run(s) in ${c.embeddedMs} ms, Python ${c.pythonRuns} run(s) in ${c.pythonMs} ms`);
  const stop = (e: EnginesCompared['embeddedError']) => (e ? `${e.type}: ${e.message}${e.file ? ` (${path.basename(e.file)}:${e.line ?? ''})` : ''}` : '');
  if (c.embeddedError) out(`  embedded runtime stopped (exit ${c.embeddedExitCode}): ${stop(c.embeddedError)}`);
  if (c.pythonError) out(`  Python stopped (exit ${c.pythonExitCode}): ${stop(c.pythonError)}`);
  const volatile = c.differences.filter((d) => d.kind === 'volatile');
  if (volatile.length) out(`  agreeing up to clock or random values (timestamps, UUIDs, hex ids): ${volatile.map((d) => `run ${d.run + 1} ${d.node ?? ''}`.trim()).join(', ')}`);
  for (const d of c.differences) {
    if (d.kind === 'volatile') continue;
    out(`  run ${d.run + 1}${d.node ? ` ${d.node}` : ''}: ${d.kind} — ${d.message}`);
    const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v).slice(0, 400));
    out(`      embedded: ${show(d.embedded)}`);
    out(`      python:   ${show(d.python)}`);
  }
}

export async function runWithPython(
  o: RunCliOptions,
  choice: DatabaseChoice,
  signal: AbortSignal,
  printHuman: (r: RunFileResult, out: (s: string) => void) => void,
  printProfile: (r: PerformanceReport, out: (s: string) => void) => void,
): Promise<number> {
  const out = (s: string) => process.stdout.write(s + '\n');
  const common = {
    file: path.resolve(o.file),
    entry: o.entry,
    args: o.args,
    argv: o.argv,
    python: o.python ?? 'python3',
    // the project root, found as the embedded engine finds it (pyproject.toml, setup.py, .git, ...)
    root: projectRootOf(path.resolve(o.file)),
    db: choice,
    env: o.env,
    timeoutMs: o.timeoutS * 1000,
    signal,
    profile: o.profile || o.compare ? { explain: o.explainAnalyze ? ('analyze' as const) : true } : undefined,
  };
  let result: RunFileResult;
  let compared: EnginesCompared | undefined;
  // Both engines read the files from disk: the recommendations link to the analysis of that text.
  const link = async (...reports: Array<PerformanceReport | undefined>) => {
    if (!reports.some((r) => r?.recommendations.length)) return;
    let text: string;
    try { text = fs.readFileSync(common.file, 'utf8'); } catch { return; }
    const findings = runFindings(common.file, text, common.root);
    for (const r of reports) if (r) await linkDiagnostics(r, findings);
  };
  if (o.compare) {
    const c = await compareEngines(common);
    result = c.python;
    compared = c.compared;
    await link(c.python.report, c.embedded.report);
    if (o.json) out(JSON.stringify({ python: c.python, embedded: c.embedded, compared: c.compared }, null, 2));
  } else {
    result = await profileWithPython(common);
    await link(result.report);
    if (o.json) out(JSON.stringify(result, null, 2));
  }
  if (!o.json) {
    printHuman(result, out);
    if (compared) printComparison(compared, out);
  }
  if (result.exitCode === 2 && result.error?.type === 'PythonEnvironmentError') {
    process.stderr.write(`dataflow-run: ${result.error.message}\n`);
    return 2;
  }
  if (o.profile || o.compare) {
    if (!result.report) process.stderr.write('dataflow-run: no workflow ran, so there is no report\n');
    else {
      if (!o.json && o.profile) printProfile(result.report, out);
      if (o.report) fs.writeFileSync(o.report, JSON.stringify(result.report, null, 2));
      if (o.html) fs.writeFileSync(o.html, renderReportHtml(result.report, { nonce: randomBytes(16).toString('base64'), mode: 'standalone' }));
    }
  }
  return result.exitCode;
}
