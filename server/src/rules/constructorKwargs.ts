// What DataFlow 2.20's constructor does with each keyword (DF/core/engine.py `DataFlow.__init__`,
// reference §1.1; the keyword table itself is the catalogue's, server/src/catalogue/constructor.ts),
// and which database a `DataFlow(...)` call ends up on (§1.3–1.4). Shared by the configuration rules
// (DF004, DF030, DF031, DF033, DF034).
import type { DataFlowInstanceFact } from '../model/facts';
import type { SourceFile } from '../model/sourceFile';
import { strValue } from '../model/staticExpr';

export type DbKind = 'sqlite' | 'postgresql' | 'mysql' | 'mongodb' | 'unknown';

/** The database a URL string names (§1.3), or undefined when it is not one DataFlow accepts. */
export function dbKindOfUrl(url: string): DbKind | undefined {
  const u = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u)?.[1]?.toLowerCase();
  if (scheme) {
    const base = scheme.split('+')[0];
    if (base === 'postgresql' || base === 'postgres') return 'postgresql';
    if (base === 'mysql') return 'mysql';
    if (base === 'sqlite' || base === 'file') return 'sqlite';
    if (base === 'mongodb') return 'mongodb';
    return undefined;
  }
  if (u === ':memory:' || /\.(db|sqlite3?)$/i.test(u) || /^(\.\.?\/|\/)/.test(u)) return 'sqlite';
  return undefined;
}

export interface InstanceDatabase {
  kind: DbKind;
  /** How the answer was found. */
  via: 'literal' | 'no-url' | 'config' | 'dynamic';
  url?: string;
}

/**
 * Which database `DataFlow(...)` uses, as far as the file says. A URL held in a constant or given
 * as an `os.getenv` default counts as written; a URL read from the environment without a default,
 * a parameter or a call is `unknown`. No URL (and no `config=`) is in-memory SQLite for the
 * generated nodes (§1.4).
 */
export function databaseOf(file: SourceFile, inst: DataFlowInstanceFact): InstanceDatabase {
  if (!inst.url) {
    if (hasConfigOrSpread(file, inst)) return { kind: 'unknown', via: 'config' };
    return { kind: 'sqlite', via: 'no-url', url: ':memory:' };
  }
  const v = file.resolver.value(inst.url, inst.span.start, inst.functionName);
  const s = strValue(v);
  if (s !== undefined) return { kind: dbKindOfUrl(s) ?? 'unknown', via: 'literal', url: s };
  if (v?.k === 'fstr') {
    const head = v.parts[0];
    if (typeof head === 'string') {
      const k = dbKindOfUrl(head.includes(':') ? head : `${head}x`);
      if (k && /^[a-z+]+:/i.test(head)) return { kind: k, via: 'literal' };
    }
  }
  if (v?.k === 'binop' && v.op === '+') {
    const l = strValue(file.resolver.value(v.l, inst.span.start, inst.functionName));
    if (l && /^[a-z+]+:/i.test(l)) { const k = dbKindOfUrl(l); if (k) return { kind: k, via: 'literal' }; }
  }
  return { kind: 'unknown', via: 'dynamic' };
}

/** `config=` or a `**spread` / `*spread` argument can carry a URL or any setting. */
export function hasConfigOrSpread(file: SourceFile, inst: DataFlowInstanceFact): boolean {
  if (inst.kwargs.some((k) => k.name === 'config')) return true;
  return /[(,]\s*\*\*?\s*[A-Za-z_(]/.test(file.text.slice(inst.argsSpan.start, inst.argsSpan.end));
}

/** True for test files: under a `tests/` directory, `test_*.py`, `*_test.py`, `conftest.py`. */
export function isTestFile(uri: string): boolean {
  const p = decodeURIComponent(uri).replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  return /\/tests\//.test(p) || /^test_.*\.py$/.test(base) || /_test\.py$/.test(base) || base === 'conftest.py';
}

/**
 * True when the file imports a `DataFlow` from some other package (`from pipelines import
 * DataFlow`): its calls are not Kailash DataFlow's constructor. Snippets without imports count as
 * DataFlow's.
 */
export function foreignDataFlowClass(file: SourceFile): boolean {
  return file.facts.imports.some((i) => !(i.module === 'dataflow' || i.module.startsWith('dataflow.') || i.module.startsWith('kailash'))
    && i.names.some((n) => n.name === 'DataFlow' && (!n.alias || n.alias === 'DataFlow')));
}
