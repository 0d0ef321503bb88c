/**
 * The profiler core (issue 5): statement collection with sqlcommenter attribution, DDT-style
 * grouping and N+1 detection, plans, what-ifs (missing index, loop vs bulk, pool) and the
 * PerformanceReport. See profiler.ts for the entry point.
 */
export { Profiler, type ProfilerInit, type BuildReportOptions } from './profiler';
export { resolveOptions, slowThreshold, DEFAULT_EXCLUDED_TAGS, type ProfilerOptions, type ResolvedProfilerOptions } from './options';
export { StatementCollector, type CollectedStatement } from './statementCollector';
export { AttributionTracker, fileRef, innermostLoop } from './attribution';
export { displaySql, fingerprint, hashParams, statementKind, formatCount } from './sqlDisplay';
export { buildGroups, type Groups } from './grouping';
export { explainStatement, explainFingerprints, explainSql } from './explain';
export { parsePlan, markCostliest, describeScans, planNodes, usesIndex, explainDocument } from './planParse';
export { inRolledBackTransaction, profilerQuery } from './sandbox';
export { assembleReport, TOOL } from './buildReport';
export { parseListSql, candidateColumns, coveringIndex } from './whatIf/listShape';
export { missingIndexWhatIfs, existingIndexes } from './whatIf/missingIndex';
export { loopVsBulkWhatIfs, loopGroups, BULK_NODE_TAG } from './whatIf/loopVsBulk';
export { poolWhatIf, poolOf } from './whatIf/pool';
export { ProfilerCancelledError } from './util';
export { PROFILER_TAG, isProfilerTag, formatSqlComment, parseSqlComment } from '../runtime/db/sqlComment';
