import { classNameToTableName, PG_IDENTIFIER_MAX } from './naming/tableName';
import { CallableDefault, isDfRecord, type DfRecord, type DfValue } from './values/dfValues';
import { DATAFLOW_MODEL_KEYS } from '../../catalogue';

/** A Python annotation normalised to what DataFlow's DDL and nodes distinguish. */
export type PyTypeName = 'str' | 'int' | 'float' | 'bool' | 'datetime' | 'date' | 'Decimal' | 'dict' | 'list' | 'bytes' | 'other';

export type FieldDefault = { kind: 'value'; value: DfValue } | { kind: 'callable'; callable: CallableDefault };

export interface RuntimeField {
  name: string;
  type: PyTypeName;
  /** Annotated Optional[T] / T | None. Does NOT make the column nullable by itself (§2.1). */
  optional: boolean;
  /** True when the class has no default for the field: the column is NOT NULL. */
  required: boolean;
  /** Absent when the class gives no default. A `None` default is `{kind:'value', value:null}`. */
  default?: FieldDefault;
  /** The annotation as written, for messages. */
  annotation?: string;
}

export interface IndexSpec {
  name: string;
  fields: string[];
  unique: boolean;
  /** Where it came from: DataFlow honours only `__dataflow__`; we also honour `__indexes__`. */
  source: '__dataflow__' | '__indexes__';
  explicitName: boolean;
}

export interface RuntimeModel {
  /** Class name, e.g. "Product". Node types are `${name}CreateNode`, ... */
  name: string;
  tableName: string;
  tableNameSource: 'derived' | '__tablename__';
  /** Declared fields in MRO/declaration order, after DataFlow's filtering (no `_`-prefixed names). */
  fields: RuntimeField[];
  idType: 'int' | 'str';
  softDelete: boolean;
  /** Indexes created: `__dataflow__["indexes"]` then `__indexes__`. */
  indexes: IndexSpec[];
  appendOnly: boolean;
  /** The `__dataflow__` dict as written. */
  dataflowConfig: DfRecord;
  /** Unknown `__dataflow__` keys DataFlow warns about (no effect). */
  unknownConfigKeys: string[];
  useNativeArrays: boolean;
}

/** DataFlow(...) constructor settings the runtime uses. Absent values take DataFlow's defaults. */
export interface DataFlowSettings {
  url?: string | null;
  poolSize?: number | null;
  poolMaxOverflow?: number | null;
  /** cache_enabled / enable_caching; DataFlow default True. */
  cacheEnabled?: boolean;
  /** cache_ttl seconds; DataFlow default 3600 (0 disables the express cache). */
  cacheTtl?: number;
  /** cache_max_size; default 1000. */
  cacheMaxSize?: number;
  multiTenant?: boolean;
  autoMigrate?: boolean;
  existingSchemaMode?: boolean;
  schemaCacheEnabled?: boolean;
  schemaCacheTtl?: number | null;
  schemaCacheMaxSize?: number;
}

export interface ResolvedSettings {
  url: string | null;
  poolSize: number | null;
  poolMaxOverflow: number | null;
  cacheEnabled: boolean;
  cacheTtl: number;
  cacheMaxSize: number;
  multiTenant: boolean;
  autoMigrate: boolean;
  existingSchemaMode: boolean;
  schemaCacheEnabled: boolean;
  schemaCacheTtl: number | null;
  schemaCacheMaxSize: number;
}

export function resolveSettings(s: DataFlowSettings = {}): ResolvedSettings {
  const autoMigrate = s.autoMigrate ?? true;
  return {
    url: s.url ?? null,
    poolSize: s.poolSize ?? null,
    poolMaxOverflow: s.poolMaxOverflow ?? null,
    cacheEnabled: s.cacheEnabled ?? true,
    cacheTtl: s.cacheTtl ?? 3600,
    cacheMaxSize: s.cacheMaxSize ?? 1000,
    multiTenant: s.multiTenant ?? false,
    autoMigrate,
    existingSchemaMode: s.existingSchemaMode ?? false,
    // the schema cache is forced off when auto_migrate=False (§1.1)
    schemaCacheEnabled: (s.schemaCacheEnabled ?? true) && autoMigrate,
    schemaCacheTtl: s.schemaCacheTtl ?? null,
    schemaCacheMaxSize: s.schemaCacheMaxSize ?? 10000,
  };
}

/** What the evaluator extracts from a `@db.model` class. */
export interface ModelDefinition {
  name: string;
  fields: {
    name: string;
    type: PyTypeName;
    optional?: boolean;
    /** Present when the class assigns a default. */
    default?: DfValue;
    annotation?: string;
  }[];
  /** `__tablename__` */
  tablename?: string;
  /** `__dataflow__` */
  dataflow?: DfRecord;
  /** `__indexes__` (DataFlow ignores it; we honour it and report a divergence). */
  indexesAttr?: DfValue[];
  appendOnly?: boolean;
}

const KNOWN_DATAFLOW_KEYS: ReadonlySet<string> = new Set(DATAFLOW_MODEL_KEYS);

export class ModelDefinitionError extends Error {}

/** Build the runtime view of one model, applying DataFlow's registration rules (§2.1–2.5). */
export function defineModel(def: ModelDefinition, settings: ResolvedSettings = resolveSettings()): RuntimeModel {
  const fields: RuntimeField[] = [];
  for (const f of def.fields) {
    if (f.name.startsWith('_')) continue;
    const hasDefault = Object.prototype.hasOwnProperty.call(f, 'default');
    let dflt: FieldDefault | undefined;
    if (hasDefault) {
      const v = f.default as DfValue;
      dflt = v instanceof CallableDefault ? { kind: 'callable', callable: v } : { kind: 'value', value: v };
    }
    fields.push({
      name: f.name,
      type: f.type,
      optional: f.optional ?? false,
      required: !hasDefault,
      default: dflt,
      annotation: f.annotation,
    });
  }
  if (settings.multiTenant && !fields.some((f) => f.name === 'tenant_id')) {
    fields.push({ name: 'tenant_id', type: 'str', optional: true, required: false, default: { kind: 'value', value: null } });
  }
  const idField = fields.find((f) => f.name === 'id');
  const idType: 'int' | 'str' = idField?.type === 'str' ? 'str' : 'int';

  let tableName: string;
  let tableNameSource: RuntimeModel['tableNameSource'];
  if (def.tablename !== undefined) {
    if (def.tablename.length === 0 || Buffer.byteLength(def.tablename) > PG_IDENTIFIER_MAX) {
      throw new ModelDefinitionError(`__tablename__ '${def.tablename}' of model '${def.name}' is not a valid PostgreSQL identifier (1-63 bytes)`);
    }
    tableName = def.tablename;
    tableNameSource = '__tablename__';
  } else {
    tableName = classNameToTableName(def.name);
    tableNameSource = 'derived';
  }

  const cfg = def.dataflow ?? {};
  const unknownConfigKeys = Object.keys(cfg).filter((k) => !KNOWN_DATAFLOW_KEYS.has(k));
  const indexes: IndexSpec[] = [];
  const addIndex = (entry: DfValue, source: IndexSpec['source']): void => {
    if (!isDfRecord(entry)) return;
    const flds = entry.fields;
    if (!Array.isArray(flds) || flds.length === 0) return; // an entry with no fields is skipped
    const names = flds.map((x) => String(x));
    const explicit = typeof entry.name === 'string' && entry.name.length > 0;
    indexes.push({
      name: explicit ? (entry.name as string) : `idx_${tableName}_${names[0]}`,
      fields: names,
      unique: entry.unique === true,
      source,
      explicitName: explicit,
    });
  };
  if (Array.isArray(cfg.indexes)) for (const e of cfg.indexes) addIndex(e, '__dataflow__');
  if (def.indexesAttr) for (const e of def.indexesAttr) addIndex(e, '__indexes__');

  return {
    name: def.name,
    tableName,
    tableNameSource,
    fields,
    idType,
    softDelete: cfg.soft_delete === true,
    indexes,
    appendOnly: def.appendOnly ?? false,
    dataflowConfig: cfg,
    unknownConfigKeys,
    useNativeArrays: cfg.use_native_arrays === true,
  };
}

const AUTO_COLUMNS = new Set(['id', 'created_at', 'updated_at']);

/** Declared fields other than id / created_at / updated_at, in order. */
export function dataFields(model: RuntimeModel): RuntimeField[] {
  return model.fields.filter((f) => !AUTO_COLUMNS.has(f.name));
}

export function fieldOf(model: RuntimeModel, name: string): RuntimeField | undefined {
  return model.fields.find((f) => f.name === name);
}

/** True when the table has a deleted_at column (declared or added by soft_delete). */
export function hasDeletedAt(model: RuntimeModel): boolean {
  return model.softDelete || model.fields.some((f) => f.name === 'deleted_at');
}

/** Every column of the table in DDL order. */
export function tableColumns(model: RuntimeModel): string[] {
  const cols = ['id', ...dataFields(model).map((f) => f.name), 'created_at', 'updated_at'];
  if (model.softDelete && !model.fields.some((f) => f.name === 'deleted_at')) cols.push('deleted_at');
  return cols;
}

/** Fields whose values DataFlow json.dumps at bind time and json.loads on read. */
export function isJsonField(f: RuntimeField | undefined): boolean {
  return f !== undefined && (f.type === 'dict' || f.type === 'list');
}
