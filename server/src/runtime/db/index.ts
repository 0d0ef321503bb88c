export * from './types';
export { quoteIdent, quoteDotted } from './quoteIdent';
export { redactUrl } from './redactUrl';
export { PgliteDatabase, type PgliteOpenOptions } from './pgliteDatabase';
export { PostgresDatabase, type PostgresOpenOptions } from './postgresDatabase';
export { ScopedDatabase } from './scopedDatabase';
export { resolvePoolSettings, detectWorkerCount, type ResolvedPool, type PoolSettingsInput } from './poolSettings';
export { QueryCancelledError } from './serialLock';
export { OID, textParsers } from './valueParsers';
export {
  PROFILER_TAG,
  isProfilerTag,
  formatSqlComment,
  parseSqlComment,
  appendSqlComment,
  isCommentable,
  decorateStatement,
  type SqlAttribution,
  type SqlCommenter,
  type CommentTarget,
} from './sqlComment';
