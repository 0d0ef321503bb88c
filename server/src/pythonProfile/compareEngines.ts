// The differential view: one entry point run by the embedded runtime and by the project's Python
// (real DataFlow), each on a fresh database of the same kind, and every node whose result or
// statements differ. Results are compared as JSON after removing what is volatile (timestamps);
// statements as the fingerprints the profiler gives them, per node, data statements only.
import { pythonJsonText } from '../cli/pythonJson';
import { floatsUnder } from '../runtime/floatPaths';
import * as path from 'node:path';
import { PgliteDatabase } from '../runtime/db/pgliteDatabase';
import { PostgresDatabase } from '../runtime/db/postgresDatabase';
import { defaultEmbeddedDir } from '../run/openDatabase';
import type { Database } from '../runtime/db/types';
import { runFile, type RunFileResult } from '../run/runFile';
import type { EngineDifference, EnginesCompared, PerformanceReport } from '../report/reportTypes';
import { profileWithPython, type PythonProfileOptions, type PythonRunFileResult } from './profileWithPython';

export type CompareOptions = PythonProfileOptions;

export interface EngineComparison {
  /** What the report's "Engines compared" section shows (python.report.engines is the same object). */
  compared: EnginesCompared;
  nodesCompared: number;
  nodesAgreeing: number;
  differences: EngineDifference[];
  file: string;
  entry?: string;
  embedded: RunFileResult;
  python: PythonRunFileResult;
}

const TS_KEYS = new Set(['created_at', 'updated_at', 'deleted_at']);
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)?$/;
const CACHE_KEY = /^(dataflow:query:[^:]+):[0-9a-f]{6,}:(v\d+):[0-9a-f]{8,}$/;
const DATA_KINDS = new Set(['select', 'insert', 'update', 'delete']);
/** Catalog look-ups (DataFlow's schema checks, the runtime's constraint checks): how, not what. */
const CATALOG = /\binformation_schema\.|\bpg_catalog\.|\bpg_(?:index|class|namespace|attribute|constraint|tables|indexes|type)\b/i;

function shortError(msg: string): string {
  const head = msg.split(':', 1)[0];
  return head !== msg ? head + ' ...' : msg;
}

/**
 * Results without what differs between any two runs, as the oracle's normalise.py --loose does:
 * created_at / updated_at / deleted_at timestamps, the query cache's timestamp and the database and
 * SQL hashes of its key, exception reprs; failed nodes' error texts keep their first part only.
 */
export function normaliseResult(v: unknown, key?: string, parent?: Record<string, unknown>): unknown {
  if (key === 'timestamp' && parent && 'hit' in parent && 'source' in parent) return '<ts>';
  if (typeof v === 'string') {
    if (key && TS_KEYS.has(key) && ISO.test(v)) return '<ts>';
    if (key === 'key' && parent && 'source' in parent) {
      const m = CACHE_KEY.exec(v);
      if (m) return `${m[1]}:<db>:${m[2]}:<hash>`;
    }
    if (key === 'error' && parent?.failed === true) return shortError(v);
    if (key === '_exception') return '<exception>';
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => normaliseResult(x, key, parent));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) out[k] = normaliseResult(o[k], k, o);
    return out;
  }
  return v;
}

const ANY_ISO = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// At least one digit, letters optional: uuid4().hex[:8] is all digits one time in 43 ((10/16)^8), and
// requiring a letter made such a run a "result" difference (a flaky --compare test found it).
const HEX_RUN = /\b([A-Za-z]+_)?(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/g;
const LONG_NUMBER = /\d{10,}/g;

/**
 * What two runs of the same code cannot agree on: the clock (any ISO timestamp) and randomness
 * (UUIDs, hex ids such as uuid4().hex[:16], epoch-millisecond numbers in strings). Used only to label
 * a result difference as 'volatile'; the strict comparison above decides first.
 */
export function maskVolatile(v: unknown): unknown {
  if (typeof v === 'string') {
    return v.replace(ANY_ISO, '<ts>').replace(UUID, '<uuid>').replace(HEX_RUN, (_m, p: string | undefined) => `${p ?? ''}<hex>`).replace(LONG_NUMBER, '<n>');
  }
  if (Array.isArray(v)) return v.map(maskVolatile);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = maskVolatile(x);
    return out;
  }
  return v;
}

/** A statement fingerprint without the parameter casts kailash's AsyncSQLDatabaseNode adds ($1::integer). */
function comparableFingerprint(fp: string): string {
  return fp.replace(/\?::(?:double precision|timestamp(?: with(?:out)? time zone)?|[a-z_][a-z0-9_]*)(?:\[\])?/gi, '?');
}

function statementsByNode(report: PerformanceReport | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of report?.statements ?? []) {
    if (s.run === undefined || s.nodeId === undefined || !DATA_KINDS.has(s.kind) || CATALOG.test(s.fingerprint)) continue;
    const k = `${s.run}|${s.nodeId}`;
    let l = out.get(k);
    if (!l) out.set(k, (l = []));
    l.push(comparableFingerprint(s.fingerprint));
  }
  return out;
}

function errorOf(e: NonNullable<RunFileResult['error']>): NonNullable<EnginesCompared['embeddedError']> {
  const out: NonNullable<EnginesCompared['embeddedError']> = { type: e.type, message: e.message };
  if (e.file) out.file = e.file;
  if (e.line && e.line >= 1) out.line = e.line;
  return out;
}

/**
 * The two results as Python prints them (json.dumps: 8.0, 1e-05), when that differs from their
 * JSON (a float the numbers cannot show): the report shows these texts.
 */
function asPython(embedded: RunFileResult, python: RunFileResult, run: number, keyA: string, keyB: string, node: string, a: unknown, b: unknown): { embeddedText?: string; pythonText?: string } {
  const out: { embeddedText?: string; pythonText?: string } = {};
  const ta = pythonJsonText(a, floatsUnder(embedded.floats, ['runs', run, keyA, node]));
  const tb = pythonJsonText(b, floatsUnder(python.floats, ['runs', run, keyB, node]));
  if (ta !== JSON.stringify(a, null, 1)) out.embeddedText = ta;
  if (tb !== JSON.stringify(b, null, 1)) out.pythonText = tb;
  return out;
}

/** Every node (and run) where the two run documents differ. */
export function diffRuns(embedded: RunFileResult, python: RunFileResult): EnginesCompared {
  const differences: EngineDifference[] = [];
  let nodesCompared = 0;
  let nodesAgreeing = 0;
  const es = statementsByNode(embedded.report);
  const ps = statementsByNode(python.report);
  const n = Math.max(embedded.runs.length, python.runs.length);
  for (let run = 0; run < n; run++) {
    const a = embedded.runs[run];
    const b = python.runs[run];
    if (!a || !b) {
      differences.push({ run, kind: 'run', message: a ? 'the Python run has no such execute()' : 'the embedded runtime has no such execute()', embedded: a?.results, python: b?.results });
      continue;
    }
    // A run that raised has no results; what ran before it is compared node by node.
    const aRes = a.error ? a.partialResults ?? {} : a.results;
    const bRes = b.error ? b.partialResults ?? {} : b.results;
    if ((a.error?.type ?? null) !== (b.error?.type ?? null)) {
      differences.push({ run, node: a.error?.node ?? b.error?.node, kind: 'error', message: 'the execute() failed on one side only, or with another exception', embedded: a.error, python: b.error });
    }
    const ids = [...new Set([...Object.keys(aRes ?? {}), ...Object.keys(bRes ?? {})])];
    for (const node of ids) {
      nodesCompared++;
      let same = true;
      const inA = Object.prototype.hasOwnProperty.call(aRes ?? {}, node);
      const inB = Object.prototype.hasOwnProperty.call(bRes ?? {}, node);
      if (!inA || !inB) {
        differences.push({ run, node, kind: 'missing', message: inA ? 'no result on the Python side' : 'no result on the embedded side', embedded: aRes?.[node], python: bRes?.[node] });
        continue;
      }
      const ra = JSON.stringify(normaliseResult(aRes[node]));
      const rb = JSON.stringify(normaliseResult(bRes[node]));
      if (ra !== rb) {
        const shown = asPython(embedded, python, run, a.error ? 'partialResults' : 'results', b.error ? 'partialResults' : 'results', node, aRes[node], bRes[node]);
        if (JSON.stringify(maskVolatile(normaliseResult(aRes[node]))) === JSON.stringify(maskVolatile(normaliseResult(bRes[node])))) {
          differences.push({ run, node, kind: 'volatile', message: 'the results differ only in clock or random values (timestamps, UUIDs, hex ids)', embedded: aRes[node], python: bRes[node], ...shown });
        } else {
          same = false;
          differences.push({ run, node, kind: 'result', message: 'the node returned something else', embedded: aRes[node], python: bRes[node], ...shown });
        }
      }
      if (embedded.report && python.report) {
        const sa = es.get(`${run}|${node}`) ?? [];
        const sb = ps.get(`${run}|${node}`) ?? [];
        if (sa.join('\n') !== sb.join('\n')) {
          same = false;
          differences.push({ run, node, kind: 'statements', message: `the node sent other statements (${sa.length} vs ${sb.length})`, embedded: sa, python: sb });
        }
      }
      if (same) nodesAgreeing++;
    }
  }
  return {
    embeddedMs: embedded.elapsedMs,
    pythonMs: python.elapsedMs,
    embeddedRuns: embedded.runs.length,
    pythonRuns: python.runs.length,
    embeddedExitCode: embedded.exitCode,
    pythonExitCode: python.exitCode,
    ...(embedded.error ? { embeddedError: errorOf(embedded.error) } : {}),
    ...(python.error ? { pythonError: errorOf(python.error) } : {}),
    nodesCompared,
    nodesAgreeing,
    differences,
  };
}

async function freshEmbeddedDatabase(o: CompareOptions): Promise<Database> {
  if (o.db.kind === 'embedded') {
    const dir = (o.db.dataDir ?? defaultEmbeddedDir()) + '-compare';
    const db = await PgliteDatabase.open({ dataDir: path.resolve(dir), schema: 'dataflow_run' });
    await db.resetSchema();
    return db;
  }
  const db = await PostgresDatabase.open({ url: o.db.url, schema: 'dataflow_compare_embedded', poolSize: o.db.poolSize, poolMaxOverflow: o.db.poolMaxOverflow });
  await db.resetSchema();
  return db;
}

/** Runs one entry point with both engines and lists every node whose result or statements differ. */
export async function compareEngines(o: CompareOptions): Promise<EngineComparison> {
  const profile = { ...(o.profile ?? {}) };
  const db = await freshEmbeddedDatabase(o);
  let embedded: RunFileResult;
  try {
    embedded = await runFile({
      file: path.resolve(o.file),
      entry: o.entry,
      args: o.args,
      argv: o.argv,
      env: o.env,
      db,
      root: o.root,
      signal: o.signal,
      profile: { ...profile, explain: false, whatIfs: { missingIndex: false, loopVsBulk: false, pool: false } },
      limits: o.timeoutMs ? { timeoutMs: o.timeoutMs } : undefined,
    });
  } finally {
    await db.close();
  }
  const python = await profileWithPython({ ...o, entry: o.entry ?? embedded.entry, profile });
  const compared = diffRuns(embedded, python);
  if (python.python) compared.python = `Python ${python.python.pythonVersion ?? ''} · DataFlow ${python.python.version}`.replace('  ', ' ');
  if (python.report) python.report.engines = compared;
  return { compared, nodesCompared: compared.nodesCompared, nodesAgreeing: compared.nodesAgreeing, differences: compared.differences, file: o.file, entry: python.entry, embedded, python };
}
