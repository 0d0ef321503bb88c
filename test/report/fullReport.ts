// A report written against the TypeScript types with EVERY optional field set. It compiles only while
// it matches reportTypes.ts (a new required field, or a renamed one, breaks the build), and the
// schema test validates it strictly (a field the JSON Schema does not describe fails the test).
import type { PerformanceReport, SourceLoc } from '../../server/src/report/reportTypes';

const loc: SourceLoc = { file: 'app/flow.py', line: 10, column: 5, endLine: 10, endColumn: 22, function: 'main' };

export const FULL_REPORT: PerformanceReport = {
  schema: 'dataflow-performance-report',
  version: 1,
  createdAt: '2026-08-24T10:00:00.000Z',
  tool: { name: 'dataflow-performance', version: '0.1.0' },
  source: { file: 'app/flow.py', entry: 'main' },
  database: { kind: 'postgresql', description: 'PostgreSQL 16', serverVersion: '16.4', seedRows: 10 },
  summary: {
    totalMs: 10, sqlMs: 4, statements: 2, rows: 2, nodes: 1, runs: 1, errors: 1, slowStatements: 1, nPlusOne: 1,
    cache: { queryHits: 1, queryMisses: 1, queryHitRate: 0.5, schemaHits: 1, schemaMisses: 0 },
    pool: { size: 5, maxOverflow: 10, peakConnections: 1, waitMs: 0 },
    profilerMs: 1,
  },
  runs: [{
    index: 0, location: loc, startMs: 0, ms: 10, workflowId: 'wf', error: { type: 'WorkflowExecutionError', message: 'boom' },
    nodes: [{
      id: 'read', type: 'UserReadNode', model: 'User', operation: 'read', run: 0, location: loc, loops: [{ kind: 'for', line: 9, iteration: 0 }],
      startMs: 0, ms: 10, sqlMs: 4, statements: 2, rows: 2, cache: { hits: 1, misses: 1 }, poolWaitMs: 0, failed: true, error: 'boom', statementIds: [1, 2],
    }],
  }],
  statements: [1, 2].map((id) => ({
    id, sql: 'SELECT * FROM "users" WHERE "id" = $1', fingerprint: 'SELECT * FROM "users" WHERE "id" = ?', kind: 'select' as const, paramCount: 1,
    durationMs: 2, waitMs: 0, rows: 1, startMs: id, run: 0, nodeId: 'read', location: loc, slow: true, error: 'boom', similarGroup: 1, duplicateGroup: 1, planId: 1,
  })),
  statementsOmitted: 0,
  groups: {
    similar: [{ id: 1, fingerprint: 'f', sql: 's', count: 2, totalMs: 4, statementIds: [1, 2], nodeIds: ['read'] }],
    duplicate: [{ id: 1, fingerprint: 'f', sql: 's', count: 2, totalMs: 4, statementIds: [1, 2], nodeIds: ['read'] }],
    nPlusOne: [{ id: 1, fingerprint: 'f', sql: 's', count: 2, totalMs: 4, location: loc, loop: { kind: 'for', line: 9 }, nodeIds: ['read'] }],
  },
  plans: [{
    id: 1, fingerprint: 'f', sql: 's', analyzed: true, totalCost: 8.3, executionMs: 0.1,
    root: { nodeType: 'Index Scan', relation: 'users', index: 'users_pkey', startupCost: 0.15, totalCost: 8.3, planRows: 1, actualMs: 0.02, actualRows: 1, loops: 1, filter: '(id = $1)', costliest: true, children: [] },
    raw: [{ Plan: { 'Node Type': 'Index Scan' } }],
  }],
  recommendations: [{
    id: 1, rule: 'read-in-loop', code: 'DF002', title: 'Read once', file: 'app/flow.py', line: 10, column: 5, nodeIds: ['read'],
    before: { ms: 4, cost: 16.6, statements: 2, plan: 'Index Scan', description: 'two reads' },
    after: { ms: 1, cost: 8.3, statements: 1, plan: 'Index Scan', description: 'one read' },
    ratio: 4, verdict: 'recommended', detail: 'd', diagnostic: { code: 'DF002', line: 10, column: 5, fixTitle: 'Read all at once' },
  }],
  tables: { users: 10 },
  divergences: [{ code: 'c', message: 'm', model: 'User', node: 'read' }],
  quirks: [{ code: 'c', message: 'm', model: 'User', node: 'read' }],
  log: ['hello'],
  engine: 'python',
  engines: {
    embeddedMs: 800, pythonMs: 9000, embeddedRuns: 1, pythonRuns: 1, embeddedExitCode: 2, pythonExitCode: 0, embeddedError: { type: 'UnsupportedPythonError', message: 'm', file: 'app/flow.py', line: 3 }, pythonError: { type: 'KeyError', message: "'output'" }, python: 'Python 3.11.7 · DataFlow 2.20.0',
    nodesCompared: 1, nodesAgreeing: 0,
    differences: [{ run: 0, node: 'read', kind: 'statements', message: 'the node sent other statements (1 vs 1)', embedded: ['SELECT "id" FROM "users"'], python: ['SELECT id FROM users'] }],
  },
};
