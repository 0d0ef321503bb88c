// The nodes of DataFlow 2.20: the 11 operations generated per model, their parameters (with what
// DataFlow really does with each, including the ones it ignores), their output keys and SQL, and the
// other node names a DataFlow workflow commonly uses (reference §3.1–3.3 and the addenda;
// DF/core/nodes.py). The runtime's declaredParameters and executors follow OPERATIONS (see index.ts).

export const NODE_OPERATIONS = [
  'Create', 'Read', 'Update', 'Delete', 'List', 'Count', 'Upsert',
  'BulkCreate', 'BulkUpdate', 'BulkDelete', 'BulkUpsert',
] as const;
export type NodeOperation = (typeof NODE_OPERATIONS)[number];

/** Registered by every `DataFlow()` instance (§3.1). */
export const TRANSACTION_NODES = [
  'TransactionScopeNode', 'TransactionCommitNode', 'TransactionRollbackNode',
  'TransactionSavepointNode', 'TransactionRollbackToSavepointNode',
] as const;
export const INSTANCE_NODES = [...TRANSACTION_NODES, 'SchemaModificationNode', 'MigrationNode'] as const;
/** The module of each instance node class (`DataFlow._register_specialized_nodes`, the classes' `__module__`). */
export const INSTANCE_NODE_MODULES: Record<(typeof INSTANCE_NODES)[number], string> = {
  TransactionScopeNode: 'dataflow.nodes.transaction_nodes', TransactionCommitNode: 'dataflow.nodes.transaction_nodes',
  TransactionRollbackNode: 'dataflow.nodes.transaction_nodes', TransactionSavepointNode: 'dataflow.nodes.transaction_nodes',
  TransactionRollbackToSavepointNode: 'dataflow.nodes.transaction_nodes',
  SchemaModificationNode: 'dataflow.nodes.schema_nodes', MigrationNode: 'dataflow.nodes.schema_nodes',
};

/** DataFlow's own non-generated node classes under DF/nodes/ (not per model, §3.1). */
export const DATAFLOW_LIBRARY_NODES = [
  'AggregateNode', 'BulkCreatePoolNode', 'BulkDocumentInsertNode', 'BulkUpsertNode', 'CreateIndexNode',
  'CreateVectorIndexNode', 'DataFlowAccessControlNode', 'DataFlowBulkUpsertNode',
  'DataFlowComprehensiveMonitoringNode', 'DataFlowDeadlockDetectorNode', 'DataFlowMFANode',
  'DataFlowPerformanceAnomalyNode', 'DataFlowSagaCoordinatorNode', 'DataFlowThreatDetectionNode',
  'DataFlowTransactionManagerNode', 'DataFlowTransactionMetricsNode', 'DataFlowTwoPhaseCommitNode',
  'DocumentCountNode', 'DocumentDeleteNode', 'DocumentFindNode', 'DocumentInsertNode', 'DocumentUpdateNode',
  'FileSourceNode', 'MongoAggregateNode', 'NaturalLanguageFilterNode', 'PgVectorHybridSearchNode',
  'SmartMergeNode', 'VectorSearchNode',
] as const;

/** Core Kailash SDK node class names (src/kailash/nodes of SDK 2.63, plus a few common aliases): names only, so they are not "unknown". */
export const CORE_KAILASH_NODES = [
  'A2AAgentNode', 'A2ACoordinatorNode', 'ABACPermissionEvaluatorNode', 'APIHealthCheckNode', 'APIKeyNode',
  'AggregatorNode', 'AlertNode', 'AsyncGraphQLClientNode', 'AsyncHTTPRequestNode', 'AsyncMergeNode',
  'AsyncNode', 'AsyncPostgreSQLVectorNode', 'AsyncPythonCodeNode', 'AsyncRESTClientNode',
  'AsyncRateLimitedAPINode', 'AsyncSQLDatabaseNode', 'AsyncSwitchNode', 'AsyncTypedNode', 'AuditLogNode',
  'BasicAuthNode', 'BatchProcessorNode', 'BehaviorAnalysisNode', 'BulkCreateNode', 'BulkDeleteNode',
  'BulkUpdateNode', 'CSVReaderNode', 'CSVWriterNode', 'CacheInvalidationNode', 'CacheNode',
  'ChunkTextExtractorNode', 'CloudNode', 'CodeValidationNode', 'CommandParserNode', 'CommandRouterNode',
  'ConnectionDashboardNode', 'ContextFormatterNode', 'ContextualCompressorNode', 'ConvergenceCheckerNode',
  'CredentialManagerNode', 'CredentialTestingNode', 'CycleAwareNode', 'DataLineageNode',
  'DataRetentionPolicyNode', 'DataTransformer', 'DeadlockDetectorNode', 'DevelopmentNode',
  'DirectoryIntegrationNode', 'DirectoryReaderNode', 'DiscordAlertNode', 'DistributedTransactionManagerNode',
  'DockerNode', 'DocumentProcessorNode', 'DocumentSourceNode', 'EdgeCoordinationNode', 'EdgeDataNode',
  'EdgeMigrationNode', 'EdgeMonitoringNode', 'EdgeNode', 'EdgeWarmingNode', 'EmbeddingGeneratorNode',
  'EmbeddingNode', 'EnterpriseAuditLogNode', 'EnterpriseAuditLoggerNode', 'EnterpriseAuthProviderNode',
  'EnterpriseMLCPExecutorNode', 'EnterpriseNode', 'EnterpriseSecurityEventNode', 'EventAwareNode',
  'EventGeneratorNode', 'EventPublishNode', 'EventStreamNode', 'FileDiscoveryNode', 'Filter', 'FilterNode',
  'GDPRComplianceNode', 'GraphQLClientNode', 'HTTPRequestNode', 'HandlerNode', 'HealthCheckNode',
  'HierarchicalChunkerNode', 'HybridRetrieverNode', 'IntelligentMergeNode', 'InteractiveShellNode',
  'IterativeLLMAgentNode', 'JSONReaderNode', 'JSONWriterNode', 'KafkaConsumerNode', 'KubernetesNode',
  'LLMAgentNode', 'LocalFileNode', 'LogProcessorNode', 'LoopNode', 'MCPServiceDiscoveryNode', 'Map',
  'MergeNode', 'MetricsCollectorNode', 'MultiCriteriaConvergenceNode', 'MultiFactorAuthNode', 'Node',
  'OAuth2Node', 'OptimisticLockingNode', 'PerformanceAnomalyNode', 'PerformanceBenchmarkNode',
  'PermissionCheckNode', 'PlatformNode', 'PythonCodeNode', 'QueryBuilderNode', 'QueryCacheNode',
  'QueryPipelineNode', 'QueryRouterNode', 'QuerySourceNode', 'QueryTextWrapperNode', 'RESTClientNode',
  'RaceConditionDetectorNode', 'RateLimitedAPINode', 'RedisNode', 'RedisPoolManagerNode',
  'RelevanceScorerNode', 'ResourceAnalyzerNode', 'ResourceOptimizerNode', 'ResourceScalerNode',
  'RiskAssessmentNode', 'RoleManagementNode', 'RotatingCredentialNode', 'SQLBulkUpsertNode',
  'SQLDatabaseNode', 'SSOAuthenticationNode', 'SagaCoordinatorNode', 'SagaStepNode', 'SecureGovernedNode',
  'SecurityEventNode', 'SecurityScannerNode', 'SemanticChunkerNode', 'SessionManagementNode',
  'SharePointGraphReader', 'SharePointGraphWriter', 'SharedMemoryPoolNode', 'SignalWaitNode', 'Sort',
  'StatisticalChunkerNode', 'StreamPublisherNode', 'SwitchNode', 'TenantAssignmentNode', 'TextReaderNode',
  'TextSplitterNode', 'TextWriterNode', 'ThreatDetectionNode', 'TransactionContextNode',
  'TransactionMetricsNode', 'TransactionMonitorNode', 'TwoPhaseCommitCoordinatorNode', 'TypedNode',
  'UserManagementNode', 'ValidationTestSuiteExecutorNode', 'VectorDatabaseNode', 'WebSocketNode',
  'WorkflowConnectionPoolNode', 'WorkflowNode', 'WorkflowValidationNode',
] as const;

export type ParamType = 'str' | 'int' | 'bool' | 'dict' | 'list' | 'Any';

/**
 * How a parameter's value names model fields: `filter` a dict field -> value or operator dict
 * (§4); `values` a dict field -> value; `records` a list of such dicts; `names` a list of field
 * names; `orderBy` a list of "field" / "-field" / {field: 1|-1} (§4.4); `sort` a list of
 * {"field", "order"} (SORT_ENTRY_KEYS).
 */
export type FieldShape = 'filter' | 'values' | 'records' | 'names' | 'orderBy' | 'sort';

/** One accepted value of a string parameter that takes a closed set (an enum). */
export interface EnumValue { value: string; effect: string }

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** JSON value of the default; undefined = no default (None). */
  default?: unknown;
  required: boolean;
  /** One line: what DataFlow 2.20 does with it. */
  effect: string;
  /** The model fields its value names, when it names any. */
  fields?: FieldShape;
  /** The values DataFlow accepts, when they are a closed set. */
  values?: EnumValue[];
}

/** A key DataFlow maps to a declared parameter (`auto_map_from`), or reads although undeclared. */
export interface AliasSpec { name: string; of: string; effect: string; fields?: FieldShape }

export type FilterPath = 'list' | 'bulk' | 'id' | 'none';

export interface OperationSpec {
  op: NodeOperation;
  /** DataFlow's own name of the operation ('bulk_create'): the `operation` of bulk outputs, messages, express. */
  operation: string;
  /** One line: what the node does in 2.20. */
  summary: string;
  /** The statements it sends on PostgreSQL, in order (`<t>` the quoted table; a cache hit sends none). */
  sql: string[];
  /** The declared parameters (get_parameters), in declaration order; model fields not included. */
  params: ParamSpec[];
  /** Keys auto-mapped onto a declared parameter, or read from kwargs without being declared. */
  aliases: AliasSpec[];
  /** Are the model's fields parameters of their own? Create: yes; Update: the legacy flat form. */
  modelFieldsFlat: 'yes' | 'legacy' | 'no';
  /** Output keys always or possibly present (besides row columns / inputs, see below). */
  outputs: string[];
  /** The output also holds every input (`{**kwargs, ...}`): Create and Update. */
  outputIncludesInputs: boolean;
  /** The output also holds the row's columns (model fields, id, timestamps). */
  outputIncludesRow: boolean;
  /** Which filter language its `filter` speaks (§4). */
  filterPath: FilterPath;
  /** Output keys whose value is one row of the model (a connection can read `record.id`, §6.2). */
  rowOutputs?: string[];
  /** What an output key holds, where its name does not say it. */
  outputNotes?: Record<string, string>;
  /**
   * Declared parameters (and aliases) this node accepts and then does nothing with in 2.20, with
   * what happens instead (the shared bulk parameter list is declared on all four bulk nodes).
   */
  ignored?: Record<string, string>;
  /** Keys the node reads only to refuse them, with the error it raises. */
  rejects?: Record<string, string>;
}

const P = (name: string, type: ParamType, dflt: unknown, effect: string, required = false, more: Pick<ParamSpec, 'fields' | 'values'> = {}): ParamSpec => ({ name, type, default: dflt, required, effect, ...more });

/** The keys of one `sort` entry of ListNode (§4.4): `[{"field": "price", "order": "asc"}]`. */
export const SORT_ENTRY_KEYS: Array<{ name: string; effect: string; fields?: FieldShape; values?: EnumValue[] }> = [
  { name: 'field', effect: 'The column to sort by.' },
  { name: 'order', effect: 'Sort direction: "desc" is DESC, anything else ASC.', values: [{ value: 'asc', effect: 'ascending (ORDER BY "f" ASC)' }, { value: 'desc', effect: 'descending (ORDER BY "f" DESC)' }] },
];

/** Output keys of the bulk nodes, with what they count. */
const BULK_OUTPUT_NOTES: Record<string, string> = {
  processed: 'Records processed (BulkUpsert: the records sent, not rows written).',
  batch_size: 'The batch size used.',
  operation: 'The operation name ("bulk_create", ...).',
  success: 'False when the node failed (the runtime then raises a content-aware failure).',
  error: 'The error message when success is False.',
};

const DATABASE_URL = P('database_url', 'str', undefined, 'Per-node connection override; also selects the SQL dialect.');
const RECORD_ID = P('record_id', 'int', undefined, 'The target row id (second in precedence after conditions.id / filter.id).');
const ID = P('id', 'Any', undefined, 'The target row id (last in precedence); coerced to the model id type.');

const BULK_PARAMS: ParamSpec[] = [
  DATABASE_URL,
  P('data', 'list', [], 'The records (BulkCreate: columns from data[0] only; BulkUpdate: one UPDATE per record with id; BulkDelete: never used to delete).', false, { fields: 'records' }),
  P('batch_size', 'int', 1000, 'Records per statement/batch; each batch commits on its own outside a TransactionScopeNode.'),
  P('conflict_resolution', 'str', 'skip', 'BulkUpsert: "skip" (DO NOTHING, the workflow default), "update" or "ignore"; ignored by BulkCreate.', false, {
    values: [
      { value: 'skip', effect: 'ON CONFLICT ... DO NOTHING: existing rows are left as they are (the default)' },
      { value: 'update', effect: 'ON CONFLICT ... DO UPDATE SET every non-conflict column = EXCLUDED' },
      { value: 'ignore', effect: 'like skip: ON CONFLICT ... DO NOTHING' },
    ],
  }),
  P('filter', 'dict', {}, 'BulkUpdate/BulkDelete WHERE (bulk filter language: one operator per field); empty needs confirmed=True.', false, { fields: 'filter' }),
  P('conditions', 'dict', {}, 'Deprecated alias of filter (DeprecationWarning).', false, { fields: 'filter' }),
  P('fields', 'dict', {}, 'BulkUpdate SET values (filter mode: one statement).', false, { fields: 'values' }),
  P('update', 'dict', {}, 'Deprecated alias of fields.', false, { fields: 'values' }),
  P('return_ids', 'bool', false, 'Ignored: no ids are returned.'),
  P('safe_mode', 'bool', true, 'With an empty filter, refuse BulkUpdate/BulkDelete unless confirmed.'),
  P('confirmed', 'bool', false, 'Allows an empty filter: BulkDelete then deletes the whole table.'),
];
const BULK_ALIASES: AliasSpec[] = [
  { name: 'records', of: 'data', effect: 'auto-mapped to data', fields: 'records' },
  { name: 'rows', of: 'data', effect: 'auto-mapped to data', fields: 'records' },
  { name: 'documents', of: 'data', effect: 'auto-mapped to data', fields: 'records' },
];
const BULK_OUTPUTS = ['processed', 'batch_size', 'operation', 'success', 'error'];

export const OPERATIONS: Record<NodeOperation, OperationSpec> = {
  Create: {
    op: 'Create',
    operation: 'create',
    sql: ['INSERT INTO <t> (<given fields>) VALUES ($1, ...) RETURNING <id and model columns> (no fields: DEFAULT VALUES)'],
    summary: 'Inserts one row (INSERT ... RETURNING); model fields are flat parameters; the output echoes the inputs plus the row.',
    params: [DATABASE_URL],
    aliases: [],
    modelFieldsFlat: 'yes',
    outputs: ['id', 'rows_affected', 'success', 'error'],
    outputIncludesInputs: true,
    outputIncludesRow: true,
    filterPath: 'none',
    rejects: { data: 'DF-602 "expects flat fields (top-level), received a data wrapper (nested)", unless the model has a data field' },
    outputNotes: { id: 'The new row\'s id (RETURNING on PostgreSQL).', rows_affected: 'SQLite only (no RETURNING there, and no id).', success: 'False when the INSERT failed (the runtime then raises).', error: 'The sanitised database error when success is False.' },
  },
  Read: {
    op: 'Read',
    operation: 'read',
    sql: ['SELECT <columns> FROM <t> WHERE "id" = $1'],
    summary: 'Reads one row by id (conditions.id > record_id > id); raises when not found unless raise_on_not_found=False.',
    params: [
      DATABASE_URL, RECORD_ID, ID,
      P('conditions', 'dict', {}, 'Only conditions["id"] is read (first in precedence).', false, { fields: 'filter' }),
      P('raise_on_not_found', 'bool', true, 'False returns {"id", "found": False} instead of raising.'),
      P('include_deleted', 'bool', false, 'Soft-deleted rows count as found.'),
    ],
    aliases: [],
    modelFieldsFlat: 'no',
    outputs: ['found', 'id'],
    outputIncludesInputs: false,
    outputIncludesRow: true,
    filterPath: 'id',
    outputNotes: { found: 'True with the row; False (with only id) when not found and raise_on_not_found=False.', id: 'The row id.' },
  },
  Update: {
    op: 'Update',
    operation: 'update',
    sql: ['UPDATE <t> SET "<f>" = $1, ..., "updated_at" = CURRENT_TIMESTAMP WHERE "id" = $n RETURNING <columns> (nothing to set: no statement)'],
    summary: 'Updates one row by id (only the id of filter/conditions is read) with the SET values in fields.',
    params: [
      DATABASE_URL, RECORD_ID, ID,
      P('filter', 'dict', {}, 'Only filter["id"] is read; every other key is ignored.', false, { fields: 'filter' }),
      P('fields', 'dict', {}, 'The SET values.', false, { fields: 'values' }),
      P('conditions', 'dict', {}, 'Deprecated alias of filter (DeprecationWarning).', false, { fields: 'filter' }),
      P('updates', 'dict', {}, 'Deprecated alias of fields (DeprecationWarning).', false, { fields: 'values' }),
    ],
    aliases: [],
    modelFieldsFlat: 'legacy',
    outputs: ['updated', 'id', 'filter', 'fields', 'conditions', 'updates'],
    outputIncludesInputs: true,
    outputIncludesRow: true,
    filterPath: 'id',
    outputNotes: { updated: 'True when the row was found and updated; False (no error) otherwise.', id: 'The target row id.', filter: 'Echo of the input.', fields: 'Echo of the input.', conditions: 'Echo of the input.', updates: 'Echo of the input.' },
  },
  Delete: {
    op: 'Delete',
    operation: 'delete',
    sql: ['DELETE FROM <t> WHERE "id" = $1 RETURNING "id" (soft delete: UPDATE <t> SET "deleted_at" = CURRENT_TIMESTAMP WHERE "id" = $1 AND "deleted_at" IS NULL RETURNING "id")'],
    summary: 'Deletes one row by id (an UPDATE of deleted_at with soft delete); raises without an id.',
    params: [
      DATABASE_URL, RECORD_ID, ID,
      P('filter', 'dict', {}, 'Only filter["id"] is read.', false, { fields: 'filter' }),
      P('conditions', 'dict', {}, 'Deprecated alias of filter; only conditions["id"] is read.', false, { fields: 'filter' }),
    ],
    aliases: [],
    modelFieldsFlat: 'no',
    outputs: ['id', 'deleted'],
    outputIncludesInputs: false,
    outputIncludesRow: false,
    filterPath: 'id',
    outputNotes: { id: 'The target row id.', deleted: 'True when a row was deleted (or soft-deleted).' },
  },
  List: {
    op: 'List',
    operation: 'list',
    sql: ['SELECT * FROM <t> WHERE <filter> ORDER BY <order_by | sort | "id" DESC> LIMIT $n OFFSET $m (no filter key and no soft delete: no WHERE, ORDER BY "id" ASC; count_only: SELECT COUNT(*))'],
    summary: 'SELECT * with filter, order_by (default id DESC), limit (default 10) and offset; count is the page length.',
    params: [
      DATABASE_URL,
      P('limit', 'int', 10, 'Page size (LIMIT), default 10.'),
      P('offset', 'int', 0, 'OFFSET.'),
      P('order_by', 'list', [], 'List of "field" / "-field" / {field: 1|-1}; a string in add_node config is split into characters.', false, { fields: 'orderBy' }),
      P('sort', 'list', [], '[{"field", "order"}], used only when order_by is empty.', false, { fields: 'sort' }),
      P('filter', 'dict', {}, 'WHERE (workflow filter language, §4.1).', false, { fields: 'filter' }),
      P('enable_cache', 'bool', true, 'Query cache for this List.'),
      P('cache_ttl', 'int', undefined, 'Cache TTL in seconds (None: backend default, 3600).'),
      P('cache_key', 'str', undefined, 'Replaces the cache key verbatim; never invalidated by writes.'),
      P('count_only', 'bool', false, 'Broken in 2.20: always returns {"count": 0}.'),
      P('include_deleted', 'bool', false, 'Skip the soft-delete "deleted_at IS NULL" condition.'),
    ],
    aliases: [],
    modelFieldsFlat: 'no',
    outputs: ['records', 'count', 'limit', '_cache'],
    outputIncludesInputs: false,
    outputIncludesRow: false,
    filterPath: 'list',
    outputNotes: { records: 'The page of rows (a list of dicts).', count: 'len(records): the page length, not the total (use CountNode).', limit: 'The limit used.', _cache: '{"key", "hit", "source", "timestamp"}; absent with enable_cache=False.' },
  },
  Count: {
    op: 'Count',
    operation: 'count',
    sql: ['SELECT COUNT(*) FROM <t> WHERE <filter>'],
    summary: 'SELECT COUNT(*) with filter (same operators as List); not cached.',
    params: [
      DATABASE_URL,
      P('filter', 'dict', {}, 'WHERE (workflow filter language, §4.1).', false, { fields: 'filter' }),
      P('include_deleted', 'bool', false, 'Skip the soft-delete condition.'),
    ],
    aliases: [],
    modelFieldsFlat: 'no',
    outputs: ['count'],
    outputIncludesInputs: false,
    outputIncludesRow: false,
    filterPath: 'list',
    outputNotes: { count: 'The number of matching rows.' },
  },
  Upsert: {
    op: 'Upsert',
    operation: 'upsert',
    sql: ['INSERT INTO <t> (<where + create fields>) VALUES (...) ON CONFLICT (<conflict_on>) DO UPDATE SET <update fields>, "updated_at" = CURRENT_TIMESTAMP RETURNING *, (xmax = 0) AS _upsert_inserted'],
    summary: 'INSERT ... ON CONFLICT (conflict_on, default the keys of where) DO UPDATE SET update; the target must be PK/UNIQUE.',
    params: [
      DATABASE_URL,
      P('where', 'dict', undefined, 'Identity fields, inserted too; its keys are the default conflict target.', true, { fields: 'values' }),
      P('update', 'dict', {}, 'Columns set on conflict.', false, { fields: 'values' }),
      P('create', 'dict', {}, 'Columns inserted besides where.', false, { fields: 'values' }),
      P('conflict_on', 'list', undefined, 'Conflict target (default: the keys of where); must be PK/UNIQUE.', false, { fields: 'names' }),
    ],
    aliases: [],
    modelFieldsFlat: 'no',
    outputs: ['created', 'record', 'action'],
    outputIncludesInputs: false,
    outputIncludesRow: false,
    filterPath: 'none',
    rowOutputs: ['record'],
    outputNotes: { created: 'True when the row was inserted.', record: 'The row after the upsert (connect "record.id" for its id).', action: '"created" or "updated".' },
  },
  BulkCreate: {
    op: 'BulkCreate', operation: 'bulk_create', summary: 'Multi-row INSERT per batch of batch_size (columns from data[0]); each batch commits on its own.',
    sql: ['INSERT INTO <t> (<fields of data[0]>) VALUES (...), (...), ... (one per batch)'],
    params: BULK_PARAMS, aliases: BULK_ALIASES, modelFieldsFlat: 'no',
    outputs: [...BULK_OUTPUTS, 'inserted'], outputIncludesInputs: false, outputIncludesRow: false, filterPath: 'bulk',
    outputNotes: { ...BULK_OUTPUT_NOTES, inserted: 'Rows inserted.' },
    ignored: {
      conflict_resolution: 'a plain INSERT: a duplicate key fails the batch',
      filter: 'no WHERE: every record is inserted', conditions: 'no WHERE: every record is inserted',
      fields: 'the columns come from data[0]', update: 'the columns come from data[0]',
      return_ids: 'no ids are returned', safe_mode: 'nothing to confirm', confirmed: 'nothing to confirm',
    },
  },
  BulkUpdate: {
    op: 'BulkUpdate', operation: 'bulk_update', summary: 'With fields: one UPDATE ... WHERE filter; else one UPDATE per data record with an id.',
    sql: ['UPDATE <t> SET <fields> WHERE <bulk filter> (data mode: UPDATE <t> SET ... WHERE "id" = $n, one per record with an id)'],
    params: BULK_PARAMS,
    aliases: [
      ...BULK_ALIASES,
      { name: 'include_deleted', of: 'include_deleted', effect: 'read from kwargs although undeclared: with soft delete, filter mode also updates soft-deleted rows' },
    ],
    modelFieldsFlat: 'no',
    outputs: [...BULK_OUTPUTS, 'updated'], outputIncludesInputs: false, outputIncludesRow: false, filterPath: 'bulk',
    outputNotes: { ...BULK_OUTPUT_NOTES, updated: 'Rows updated (data mode: records with an id only).' },
    ignored: { conflict_resolution: 'no conflict handling', return_ids: 'no ids are returned' },
  },
  BulkDelete: {
    op: 'BulkDelete', operation: 'bulk_delete', summary: 'DELETE ... WHERE filter (bulk filter language); an empty filter needs confirmed=True and deletes the whole table.',
    sql: ['SELECT COUNT(*) as count FROM <t> WHERE <bulk filter>', 'DELETE FROM <t> WHERE <bulk filter> (soft delete: UPDATE <t> SET "deleted_at" = CURRENT_TIMESTAMP WHERE ...)'],
    params: BULK_PARAMS, aliases: BULK_ALIASES, modelFieldsFlat: 'no',
    outputs: [...BULK_OUTPUTS, 'deleted'], outputIncludesInputs: false, outputIncludesRow: false, filterPath: 'bulk',
    outputNotes: { ...BULK_OUTPUT_NOTES, deleted: 'Rows deleted (soft delete: rows marked).' },
    ignored: {
      data: 'never used to delete: only filter decides', records: 'never used to delete', rows: 'never used to delete', documents: 'never used to delete',
      conflict_resolution: 'no conflict handling', fields: 'nothing is set', update: 'nothing is set', return_ids: 'no ids are returned',
    },
  },
  BulkUpsert: {
    op: 'BulkUpsert',
    operation: 'bulk_upsert',
    sql: ['INSERT INTO <t> (...) VALUES (...), ... ON CONFLICT (<conflict_on>) DO NOTHING | DO UPDATE SET "c" = EXCLUDED."c", ... RETURNING id, (xmax = 0) AS inserted (one per batch)'],
    summary: 'INSERT ... ON CONFLICT (conflict_on, default id) DO NOTHING, or DO UPDATE with conflict_resolution="update".',
    params: BULK_PARAMS,
    aliases: [
      ...BULK_ALIASES,
      { name: 'conflict_on', of: 'conflict_on', effect: 'read from kwargs although undeclared: the conflict target (default ["id"]); must be PK/UNIQUE', fields: 'names' },
      { name: 'conflict_columns', of: 'conflict_on', effect: 'alias of conflict_on', fields: 'names' },
      { name: 'conflict_fields', of: 'conflict_on', effect: 'alias of conflict_on', fields: 'names' },
    ],
    modelFieldsFlat: 'no',
    outputs: [...BULK_OUTPUTS, 'upserted', 'total', 'inserted', 'updated', 'skipped', 'cross_tenant_conflict'],
    outputIncludesInputs: false,
    outputIncludesRow: false,
    filterPath: 'bulk',
    outputNotes: {
      ...BULK_OUTPUT_NOTES, upserted: 'The records sent, not rows written.', total: 'The records sent.', inserted: 'Rows inserted.',
      updated: 'Rows updated (conflict_resolution="update").', skipped: 'Conflicting rows left alone (skip mode).', cross_tenant_conflict: 'Multi-tenant: conflicts with another tenant\'s rows.',
    },
    ignored: {
      filter: 'no WHERE: every record is upserted', conditions: 'no WHERE: every record is upserted',
      fields: 'conflict_resolution="update" sets every non-conflict column', update: 'conflict_resolution="update" sets every non-conflict column',
      return_ids: 'no ids are returned', safe_mode: 'nothing to confirm', confirmed: 'nothing to confirm',
    },
  },
};

/** Keys the runtime adds to the output of a node that raised and has no dependents (§6.6). */
export const FAILURE_OUTPUT_KEYS = ['error', 'error_type', 'failed'] as const;

/** Config keys the core SDK `Node.__init__` consumes itself (node metadata), on any node. */
export const CORE_CONFIG_KEYS = ['name', 'description', 'version', 'author', 'tags', 'metadata', '_node_id'] as const;

/** Columns DataFlow adds to every table (deleted_at with soft delete, tenant_id with multi_tenant). */
export const IMPLICIT_COLUMNS = ['id', 'created_at', 'updated_at'] as const;

/** The node type DataFlow registers for a model's operation: `ProductBulkCreateNode`. */
export function generatedNodeName(model: string, op: NodeOperation): string {
  return `${model}${op}Node`;
}

/** The 11 generated node names of a model, in reference order. */
export function generatedNodeNames(model: string): string[] {
  return NODE_OPERATIONS.map((op) => generatedNodeName(model, op));
}

// Longest operations first so `ProductBulkCreateNode` is not read as model `ProductBulk` + `Create`.
const OPS_BY_LENGTH = [...NODE_OPERATIONS].sort((a, b) => b.length - a.length);

/**
 * Every way to read `type` as <model><Operation>Node, longest operation first: `ProductBulkCreateNode`
 * is model Product + BulkCreate, then model ProductBulk + Create (the runtime takes the first whose
 * model is registered).
 */
export function nodeTypeReadings(type: string): { model: string; op: NodeOperation }[] {
  if (!type.endsWith('Node')) return [];
  const stem = type.slice(0, -4);
  const out: { model: string; op: NodeOperation }[] = [];
  for (const op of OPS_BY_LENGTH) if (stem.endsWith(op) && stem.length > op.length) out.push({ model: stem.slice(0, -op.length), op });
  return out;
}

/** Splits `ProductBulkCreateNode` into model `Product` and operation `BulkCreate`. */
export function parseNodeType(type: string): { model: string; op: NodeOperation } | undefined {
  return nodeTypeReadings(type).find((r) => /^[A-Za-z_]\w*$/.test(r.model));
}

/** The four bulk operations (BulkOperations, bulk filter language, validate_inputs on every surface). */
export const BULK_OPERATIONS: ReadonlySet<NodeOperation> = new Set(NODE_OPERATIONS.filter((op) => OPERATIONS[op].filterPath === 'bulk'));

/** True for node names that are not per-model DataFlow nodes: DataFlow instance/library nodes and core Kailash nodes. */
export function isKnownNonGeneratedNode(type: string): boolean {
  return NON_GENERATED.has(type);
}
const NON_GENERATED = new Set<string>([...INSTANCE_NODES, ...DATAFLOW_LIBRARY_NODES, ...CORE_KAILASH_NODES]);

/** The order DataFlow generates and registers a model's nodes in (DF/core/nodes.py): the order of `db._nodes`. */
export const NODE_REGISTRATION_ORDER: readonly NodeOperation[] = ['Create', 'Read', 'List', 'Count', 'Update', 'Delete', 'Upsert', 'BulkCreate', 'BulkUpdate', 'BulkDelete', 'BulkUpsert'];

/** The operations `db.get_generated_nodes(model)` lists, keyed by their DataFlow name: Count and Upsert are missing in 2.20 (DF/core/engine.py get_generated_nodes). */
export const GET_GENERATED_NODES_OPS: readonly NodeOperation[] = ['Create', 'Read', 'Update', 'Delete', 'List', 'BulkCreate', 'BulkUpdate', 'BulkDelete', 'BulkUpsert'];

export const SINGLE_WRITE_OPS: ReadonlySet<NodeOperation> = new Set(['Create', 'Update', 'Delete', 'Upsert']);
export const BULK_OF: Record<string, NodeOperation> = { Create: 'BulkCreate', Update: 'BulkUpdate', Delete: 'BulkDelete', Upsert: 'BulkUpsert' };

/** Names of the declared parameters of an operation (model fields not included). */
export function declaredParamNames(op: NodeOperation): string[] {
  return OPERATIONS[op].params.map((p) => p.name);
}

/** Every key the node reads besides model fields: its declared parameters and its aliases. */
export function acceptedKeys(op: NodeOperation): string[] {
  return [...new Set([...declaredParamNames(op), ...OPERATIONS[op].aliases.map((a) => a.name)])];
}

/** The alias (or undeclared-but-read key) `key` of an operation, if it is one. */
export function aliasOf(op: NodeOperation, key: string): AliasSpec | undefined {
  return OPERATIONS[op].aliases.find((a) => a.name === key);
}

/**
 * Keys the docs and skills show that the node does not have (reference §3.4): DataFlow ignores
 * them. What the node does instead, per operation.
 */
export const DOCUMENTED_BUT_IGNORED: Partial<Record<NodeOperation, Record<string, string>>> = {
  List: {
    fields: 'ListNode has no projection: it always runs SELECT *',
    exclude_fields: 'ListNode has no projection: it always runs SELECT *',
    group_by: 'ListNode does no grouping',
    aggregations: 'ListNode does no aggregation (use CountNode or SQL)',
  },
  Read: { fields: 'ReadNode always selects every column' },
  Delete: {
    soft_delete: 'soft delete is decided by the model\'s __dataflow__["soft_delete"], not per call',
    hard_delete: 'soft delete is decided by the model\'s __dataflow__["soft_delete"], not per call',
  },
  Create: { return_id: 'the id is always in the output on PostgreSQL', validate: 'CreateNode does no validation step' },
  BulkCreate: { error_strategy: 'not a parameter', parallel_batches: 'batches run one after another', unique_fields: 'not a parameter' },
  BulkUpdate: { error_strategy: 'not a parameter', parallel_batches: 'batches run one after another' },
  BulkDelete: { max_delete_count: 'there is no limit: with confirmed=True and an empty filter the whole table is deleted', soft_delete: 'soft delete is decided by the model\'s __dataflow__["soft_delete"]' },
  BulkUpsert: { unique_fields: 'the conflict target is conflict_on (default ["id"])', update_columns: 'with conflict_resolution="update" every non-conflict column is updated' },
};
