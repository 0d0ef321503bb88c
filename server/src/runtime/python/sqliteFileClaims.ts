/**
 * A SQLite file of a run is either DataFlow's or sqlite3's / aiosqlite's, never both: a
 * DataFlow("sqlite:///x.db") runs on the run's PostgreSQL (the file is never opened), while
 * sqlite3.connect("x.db") opens the real file. Code that opens DataFlow's file to look at the tables
 * DataFlow made (or makes tables there for DataFlow to find) would see another database than
 * DataFlow does: that meeting is not modelled (exit 2), in whichever order it happens.
 */
import * as path from 'node:path';
import { UnsupportedPythonError, type SourceLocation } from './values';

interface Claims {
  /** DataFlow URLs' file paths (as written: absolute, or relative to the run's working directory) → the URL. */
  dataflow: Map<string, string>;
  /** Absolute paths opened with sqlite3 / aiosqlite, and the project root relative paths resolve against. */
  opened: Set<string>;
  root?: string;
}

const byRun = new WeakMap<object, Claims>();

function claimsOf(run: object): Claims {
  let c = byRun.get(run);
  if (!c) byRun.set(run, (c = { dataflow: new Map(), opened: new Set() }));
  return c;
}

/** The file a DataFlow SQLite URL names, as DataFlow's SQLiteAdapter reads it; undefined for memory databases and other URLs. */
export function dataflowSqliteFile(url: string): string | undefined {
  let p: string;
  if (url.startsWith('sqlite:///')) p = '/' + url.slice('sqlite:///'.length);
  else if (url.startsWith('sqlite://')) p = url.slice('sqlite://'.length);
  else return undefined;
  if (p === '/:memory:' || p === ':memory:' || p === '' || p === '/') return undefined;
  p = p.split('?')[0];
  // DataFlow prefixes '/' (sqlite:////tmp/x.db is //tmp/x.db): POSIX reads repeated slashes as one.
  return path.isAbsolute(p) ? path.resolve(p) : p;
}

const why = (file: string, url: string) =>
  `DataFlow("${url}") runs on this run's PostgreSQL database, not in ${file}: sqlite3 / aiosqlite on that file would see another database than DataFlow does`;

/** A DataFlow(url) of the run (`run`: the evaluator); throws when sqlite3 / aiosqlite opened its file already. */
export function claimForDataFlow(run: object, url: string, loc: SourceLocation | undefined): void {
  const file = dataflowSqliteFile(url);
  if (file === undefined) return;
  const c = claimsOf(run);
  const abs = path.isAbsolute(file) || c.root === undefined ? file : path.resolve(c.root, file);
  if (c.opened.has(abs)) throw new UnsupportedPythonError(`DataFlow("${url}") on a SQLite file the run opened with sqlite3 / aiosqlite`, loc, why(file, url));
  c.dataflow.set(file, url);
}

/** sqlite3 / aiosqlite opening `abs` (`root`: the run's working directory); throws when a DataFlow of the run names that file. */
export function claimForSqlite(run: object, abs: string, root: string, loc: SourceLocation | undefined, what: string): void {
  const c = claimsOf(run);
  c.root = root;
  for (const [file, url] of c.dataflow) {
    if ((path.isAbsolute(file) ? file : path.resolve(root, file)) === abs) throw new UnsupportedPythonError(`${what} on ${file}, the SQLite file of DataFlow("${url}")`, loc, why(file, url));
  }
  c.opened.add(abs);
}
