// DF033 missing-postgres-driver: the project runs DataFlow on PostgreSQL, and its dependency file
// declares kailash-dataflow without the [postgres-sync] extra and no psycopg2 anywhere in it. In
// DataFlow 2.20 psycopg2 is only in that extra (reference §1.2), and without it every node of
// every model fails with `DDLFailedError ... psycopg2 is required for the synchronous PostgreSQL
// DDL path` (reference addendum "Install trap").
// Reported on the DataFlow(...) call (the language server publishes diagnostics for Python
// files); the message names the dependency file and line, and the quick-fix edits that file.
import type { SeverityName } from '../settings';
import type { Finding } from '../analysis/finding';
import { spec } from '../analysis/ruleSpec';
import { parseDependencies, type DependencyDecl } from '../model/projectConfig';
import type { ProjectTextFile } from '../model/workspaceModel';
import { postgresEvidence, whereIn } from './projectDatabase';
import { finding, withFix, type Rule, type RuleContext } from './ruleContext';

export const SPEC = spec({
  code: 'DF033',
  name: 'missing-postgres-driver',
  defaultSeverity: 'error',
  summary: 'PostgreSQL project whose dependencies lack kailash-dataflow[postgres-sync] (psycopg2): every node fails',
  fix: 'safe',
});

/** The first kailash-dataflow declaration without psycopg2, when the nearest dependency files have one and nothing provides psycopg2. */
export function missingDriver(files: ProjectTextFile[]): { file: ProjectTextFile; decl: DependencyDecl } | undefined {
  let first: { file: ProjectTextFile; decl: DependencyDecl } | undefined;
  for (const f of files) {
    const info = parseDependencies(f.name, f.text);
    if (info.isDataflowItself || info.psycopg2) return undefined;
    for (const d of info.dataflow) {
      if (d.extras.some((e) => e === 'postgres-sync' || e === 'postgres_sync' || e === 'all')) return undefined;
      first ??= { file: f, decl: d };
    }
  }
  return first;
}

export const missingPostgresDriverRule: Rule = {
  spec: SPEC,
  check(ctx: RuleContext, severity: SeverityName): Finding[] {
    const out: Finding[] = [];
    let deps: ProjectTextFile[] | undefined;
    for (const inst of ctx.facts.instances) {
      deps ??= ctx.workspace.nearestProjectFiles(ctx.file.uri, 'dependencies');
      if (!deps.length) return [];
      const missing = missingDriver(deps);
      if (!missing) return [];
      const pg = postgresEvidence(ctx.file, inst, ctx.workspace);
      if (!pg) continue;
      const { file: dep, decl } = missing;
      const f = finding(SPEC, severity, inst.url!.span, `This DataFlow instance runs on PostgreSQL (${pg.how}), but ${whereIn(dep, decl.nameSpan.start)} declares "${decl.text}" without the [postgres-sync] extra and the file declares no psycopg2: DataFlow 2.20 then fails on every node of every model with "DDLFailedError ... psycopg2 is required for the synchronous PostgreSQL DDL path". Declare kailash-dataflow[postgres-sync].`);
      const edit = decl.extrasSpan
        ? { span: { start: decl.extrasSpan.end - 1, end: decl.extrasSpan.end - 1 }, newText: decl.extras.length ? ',postgres-sync' : 'postgres-sync' }
        : decl.extras.length ? undefined : { span: { start: decl.nameSpan.end, end: decl.nameSpan.end }, newText: '[postgres-sync]' };
      out.push(withFix(f, edit
        ? { fix: () => ({ title: `Declare kailash-dataflow[postgres-sync] in ${dep.name}`, isPreferred: true, edits: [{ uri: dep.uri, edits: [edit] }] }) }
        : { reason: `add "postgres-sync" to the extras in ${dep.name} by hand` }));
    }
    return out;
  },
};
