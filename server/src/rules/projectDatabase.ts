// Shared by DF033 and DF034: does a DataFlow(...) call run on PostgreSQL, as far as the project shows?
// Yes when its URL is a postgresql:// / postgres:// literal (or constant, or os.getenv default);
// also when the URL is read from the environment and the nearest deployment files (compose,
// Dockerfile, .env) set a postgres URL.
import type { DataFlowInstanceFact } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import type { WorkspaceModel } from '../model/workspaceModel';
import { databaseOf } from './constructorKwargs';

export interface PostgresEvidence { how: string }

export function postgresEvidence(file: SourceFile, inst: DataFlowInstanceFact, workspace: WorkspaceModel): PostgresEvidence | undefined {
  const db = databaseOf(file, inst);
  if (db.kind === 'postgresql') return { how: db.url ? 'its database URL is a PostgreSQL URL' : 'its database URL is a PostgreSQL URL' };
  if (db.kind !== 'unknown' || db.via !== 'dynamic' || !inst.url) return undefined;
  const urlText = file.text.slice(inst.url.span.start, inst.url.span.end);
  const fromEnv = /\b(os\.environ|os\.getenv|getenv|environ\.get|DATABASE_URL)\b/.test(urlText)
    || file.facts.assignments.some((a) => inst.url?.k === 'name' && a.name === inst.url.id && /\b(os\.environ|getenv|DATABASE_URL)\b/.test(file.text.slice(a.value.span.start, a.value.span.end)));
  if (!fromEnv) return undefined;
  for (const f of workspace.nearestProjectFiles(file.uri, 'deploy')) {
    if (/\bpostgres(?:ql)?(?:\+\w+)?:\/\//.test(f.text)) return { how: `its URL comes from the environment and ${f.name} sets a PostgreSQL URL` };
  }
  return undefined;
}

/** `file:///a/b/requirements.txt` + offset → `requirements.txt:12`. */
export function whereIn(f: { name: string; text: string }, offset: number): string {
  let line = 1;
  for (let i = 0; i < offset && i < f.text.length; i++) if (f.text.charCodeAt(i) === 10) line++;
  return `${f.name}:${line}`;
}
