// Validates a performance report against reportSchema.json (JSON Schema draft-07, ajv) and checks
// the references inside it (statement → node, plan, group; recommendation → node).
//
// Two modes (docs/report-schema.md, "Versioning"):
// - strict (default): every object is closed (additionalProperties: false). The profiler's tests use
//   it, so a field added to the report but not to the schema and docs fails a test.
// - lenient ({ strict: false }): unknown fields are ignored, as a reader of a newer minor revision
//   must. The `schema` and `version` checks stay: a different version is incompatible by definition.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { REPORT_SCHEMA, REPORT_VERSION, type PerformanceReport } from './reportTypes';

export interface ReportValidationError {
  /** JSON Pointer to the offending value, e.g. `/statements/3/durationMs` ('' is the document). */
  path: string;
  message: string;
  /** The JSON Schema keyword that failed, or `reference` for a dangling id. */
  keyword: string;
}

export interface ReportValidationResult {
  valid: boolean;
  errors: ReportValidationError[];
}

export interface ValidateOptions {
  /** Closed objects (default true). false ignores unknown fields. */
  strict?: boolean;
  /** Check ids that point at other parts of the report (default true). */
  references?: boolean;
  /** Stop after this many errors (default 50). */
  maxErrors?: number;
}

/** The JSON Schema object (bundled by esbuild; read from the source tree when running from tsc's out/). */
export function loadReportSchema(): Record<string, unknown> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./reportSchema.json') as Record<string, unknown>;
  } catch {
    // tsc does not copy JSON without resolveJsonModule: out/server/src/report → server/src/report.
    const candidates = [
      path.join(__dirname, 'reportSchema.json'),
      path.resolve(__dirname, '..', '..', '..', '..', 'server', 'src', 'report', 'reportSchema.json'),
    ];
    for (const file of candidates) if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    throw new Error(`reportSchema.json not found (looked in ${candidates.join(', ')})`);
  }
}

function openObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'additionalProperties' && v === false) continue;
    out[k] = openObjects(v);
  }
  return out;
}

const compiled = new Map<boolean, ValidateFunction>();

function validator(strict: boolean): ValidateFunction {
  let fn = compiled.get(strict);
  if (!fn) {
    const schema = loadReportSchema();
    const ajv = new Ajv({ allErrors: true, strict: true });
    fn = ajv.compile(strict ? schema : (openObjects(schema) as Record<string, unknown>));
    compiled.set(strict, fn);
  }
  return fn;
}

function describe(e: ErrorObject): ReportValidationError {
  const p = e.params as Record<string, unknown>;
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') message = `has a field not described by the schema: "${String(p.additionalProperty)}"`;
  else if (e.keyword === 'required') message = `misses the required field "${String(p.missingProperty)}"`;
  else if (e.keyword === 'enum') message = `must be one of ${JSON.stringify(p.allowedValues)}`;
  else if (e.keyword === 'const') message = `must be ${JSON.stringify(p.allowedValue)}`;
  const at = e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(p.additionalProperty)}` : e.instancePath;
  return { path: at, message, keyword: e.keyword };
}

/** Ids that point nowhere. Statements left out (`statementsOmitted`) may still be named by nodes and groups. */
function checkReferences(r: PerformanceReport, errors: ReportValidationError[]): void {
  // A node id is unique within its run: an entry point that executes the same workflow several
  // times reports each run's nodes under the workflow's own ids.
  const nodeIds = new Set<string>();
  const runNodeIds = new Map<number, Set<string>>();
  r.runs.forEach((run, i) => {
    const ids = new Set<string>();
    runNodeIds.set(run.index, ids);
    run.nodes.forEach((n, j) => {
      if (ids.has(n.id)) errors.push({ path: `/runs/${i}/nodes/${j}/id`, message: `duplicate node id "${n.id}" in run ${run.index}`, keyword: 'reference' });
      ids.add(n.id);
      nodeIds.add(n.id);
    });
  });
  const statementIds = new Set(r.statements.map((s) => s.id));
  const planIds = new Set(r.plans.map((p) => p.id));
  const similar = new Set(r.groups.similar.map((g) => g.id));
  const duplicate = new Set(r.groups.duplicate.map((g) => g.id));
  const omitted = r.statementsOmitted > 0;
  const ref = (p: string, what: string, id: unknown) => errors.push({ path: p, message: `refers to ${what} ${JSON.stringify(id)}, which is not in the report`, keyword: 'reference' });
  r.statements.forEach((s, i) => {
    if (s.nodeId !== undefined && !(s.run !== undefined && runNodeIds.has(s.run) ? runNodeIds.get(s.run)!.has(s.nodeId) : nodeIds.has(s.nodeId))) ref(`/statements/${i}/nodeId`, 'node', s.nodeId);
    if (s.planId !== undefined && !planIds.has(s.planId)) ref(`/statements/${i}/planId`, 'plan', s.planId);
    if (s.similarGroup !== undefined && !similar.has(s.similarGroup)) ref(`/statements/${i}/similarGroup`, 'similar group', s.similarGroup);
    if (s.duplicateGroup !== undefined && !duplicate.has(s.duplicateGroup)) ref(`/statements/${i}/duplicateGroup`, 'duplicate group', s.duplicateGroup);
  });
  if (!omitted) {
    r.runs.forEach((run, i) => run.nodes.forEach((n, j) => n.statementIds.forEach((id, k) => {
      if (!statementIds.has(id)) ref(`/runs/${i}/nodes/${j}/statementIds/${k}`, 'statement', id);
    })));
  }
  for (const kind of ['similar', 'duplicate'] as const) {
    r.groups[kind].forEach((g, i) => {
      if (!omitted) g.statementIds.forEach((id, k) => { if (!statementIds.has(id)) ref(`/groups/${kind}/${i}/statementIds/${k}`, 'statement', id); });
      g.nodeIds.forEach((id, k) => { if (!nodeIds.has(id)) ref(`/groups/${kind}/${i}/nodeIds/${k}`, 'node', id); });
    });
  }
  r.groups.nPlusOne.forEach((g, i) => g.nodeIds.forEach((id, k) => { if (!nodeIds.has(id)) ref(`/groups/nPlusOne/${i}/nodeIds/${k}`, 'node', id); }));
  r.recommendations.forEach((rec, i) => rec.nodeIds.forEach((id, k) => { if (!nodeIds.has(id)) ref(`/recommendations/${i}/nodeIds/${k}`, 'node', id); }));
}

export function validateReport(doc: unknown, options: ValidateOptions = {}): ReportValidationResult {
  const strict = options.strict ?? true;
  const max = options.maxErrors ?? 50;
  const errors: ReportValidationError[] = [];
  // A clear message for the two fields every reader checks first, before the details.
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { valid: false, errors: [{ path: '', message: 'a report must be a JSON object', keyword: 'type' }] };
  const head = doc as { schema?: unknown; version?: unknown };
  if (head.schema !== REPORT_SCHEMA) errors.push({ path: '/schema', message: `must be "${REPORT_SCHEMA}" (this is not a DataFlow performance report)`, keyword: 'const' });
  else if (head.version !== REPORT_VERSION) errors.push({ path: '/version', message: `report version ${JSON.stringify(head.version)} is not supported (this reader understands version ${REPORT_VERSION})`, keyword: 'const' });
  if (errors.length) return { valid: false, errors };
  const fn = validator(strict);
  if (!fn(doc)) {
    for (const e of fn.errors ?? []) {
      if (e.keyword === 'oneOf' || e.keyword === 'anyOf') continue; // the branch errors say more
      errors.push(describe(e));
    }
  } else if (options.references ?? true) {
    checkReferences(doc as PerformanceReport, errors);
  }
  const unique = errors.filter((e, i) => errors.findIndex((x) => x.path === e.path && x.message === e.message) === i);
  return { valid: unique.length === 0, errors: unique.slice(0, max) };
}

/** Throws an Error listing the first errors (`path: message`) when `doc` is not a valid report. */
export function assertValidReport(doc: unknown, options: ValidateOptions = {}): asserts doc is PerformanceReport {
  const { valid, errors } = validateReport(doc, options);
  if (!valid) throw new Error(`invalid performance report:\n${errors.slice(0, 10).map((e) => `  ${e.path || '/'}: ${e.message}`).join('\n')}`);
}

export function formatValidationErrors(errors: readonly ReportValidationError[]): string {
  return errors.map((e) => `${e.path || '/'}: ${e.message}`).join('\n');
}
