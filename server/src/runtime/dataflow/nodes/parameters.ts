import { type PyTypeName, type RuntimeModel } from '../schema';
import { CallableDefault, isPyDict, pyTypeName, type PyDict, type PyValue } from '../values/pyValues';
import { convertConfigValue } from './configConversion';

/** `id: UUID` / `id: uuid.UUID`: the create node's `id` parameter then has the type uuid.UUID. */
function isUuidAnnotation(annotation: string | undefined): boolean {
  return annotation !== undefined && /^(uuid\.)?UUID$/.test(annotation.replace(/\s+/g, ''));
}

export type Operation =
  | 'create'
  | 'read'
  | 'update'
  | 'delete'
  | 'list'
  | 'count'
  | 'upsert'
  | 'bulk_create'
  | 'bulk_update'
  | 'bulk_delete'
  | 'bulk_upsert';

/** Node-type suffix → operation, longest first so "BulkCreateNode" wins over "CreateNode". */
export const OPERATION_SUFFIXES: [string, Operation][] = [
  ['BulkCreateNode', 'bulk_create'],
  ['BulkUpdateNode', 'bulk_update'],
  ['BulkDeleteNode', 'bulk_delete'],
  ['BulkUpsertNode', 'bulk_upsert'],
  ['CreateNode', 'create'],
  ['ReadNode', 'read'],
  ['UpdateNode', 'update'],
  ['DeleteNode', 'delete'],
  ['ListNode', 'list'],
  ['CountNode', 'count'],
  ['UpsertNode', 'upsert'],
];

/** 'UUID': the create node's `id` of a model whose `id` is annotated uuid.UUID. */
export type ParamType = PyTypeName | 'Any' | 'UUID';

export interface ParamDecl {
  name: string;
  type: ParamType;
  required: boolean;
  /** undefined = no default (or None): not merged into the config. */
  default?: PyValue;
}

const p = (name: string, type: ParamType, dflt?: PyValue, required = false): ParamDecl => ({ name, type, required, default: dflt });

/** get_parameters() of the generated node classes, in declaration order. */
export function declaredParameters(model: RuntimeModel, op: Operation): ParamDecl[] {
  const base = [p('database_url', 'str')];
  const idDecl = [p('record_id', 'int'), p('id', 'Any')];
  switch (op) {
    case 'create': {
      const out = [...base];
      for (const f of model.fields) {
        if (f.name === 'id') out.push(p('id', f.type === 'str' ? 'str' : isUuidAnnotation(f.annotation) ? 'UUID' : 'int'));
        else if (f.name !== 'created_at' && f.name !== 'updated_at') {
          let dflt: PyValue | undefined;
          if (f.default) dflt = f.default.kind === 'callable' ? f.default.callable : f.default.value ?? undefined;
          out.push({ name: f.name, type: f.type, required: f.required, default: dflt });
        }
      }
      return out;
    }
    case 'read':
      return [...base, ...idDecl, p('conditions', 'dict', {}), p('raise_on_not_found', 'bool', true), p('include_deleted', 'bool', false)];
    case 'update': {
      const out = [...base, ...idDecl, p('filter', 'dict', {}), p('fields', 'dict', {}), p('conditions', 'dict', {}), p('updates', 'dict', {})];
      for (const f of model.fields) if (!['id', 'created_at', 'updated_at'].includes(f.name)) out.push(p(f.name, f.type));
      return out;
    }
    case 'delete':
      return [...base, ...idDecl, p('filter', 'dict', {}), p('conditions', 'dict', {})];
    case 'list':
      return [
        ...base,
        p('limit', 'int', 10),
        p('offset', 'int', 0),
        p('order_by', 'list', []),
        p('sort', 'list', []),
        p('filter', 'dict', {}),
        p('enable_cache', 'bool', true),
        p('cache_ttl', 'int'),
        p('cache_key', 'str'),
        p('count_only', 'bool', false),
        p('include_deleted', 'bool', false),
      ];
    case 'count':
      return [...base, p('filter', 'dict', {}), p('include_deleted', 'bool', false)];
    case 'upsert':
      return [...base, p('where', 'dict', undefined, true), p('update', 'dict', {}), p('create', 'dict', {}), p('conflict_on', 'list')];
    default:
      return [
        ...base,
        p('data', 'list', []),
        p('batch_size', 'int', 1000),
        p('conflict_resolution', 'str', 'skip'),
        p('filter', 'dict', {}),
        p('conditions', 'dict', {}),
        p('fields', 'dict', {}),
        p('update', 'dict', {}),
        p('return_ids', 'bool', false),
        p('safe_mode', 'bool', true),
        p('confirmed', 'bool', false),
      ];
  }
}

/** Deep copy of a default so nodes never share mutable defaults. */
function copyDefault(v: PyValue): PyValue {
  if (Array.isArray(v)) return v.map(copyDefault);
  if (isPyDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyDefault(x)]));
  return v;
}

export interface CoercionNote {
  param: string;
  from: string;
  to: string;
}

/**
 * Build-time config handling of the core SDK (`Node._validate_config`, §3.2 and §4.4):
 * 1. a config value of a list-typed parameter that is not a list is passed through list():
 *    a string becomes its characters (the string-order_by quirk); an int-typed parameter gets int(),
 *    a UUID-typed one uuid.UUID(), a date-typed one datetime.date() (nodes/configConversion.ts);
 * 2. every parameter default that is not None is copied into the config (after the user's keys).
 */
export function applyConfigDefaults(model: RuntimeModel, op: Operation, config: PyDict): { config: PyDict; coerced: CoercionNote[] } {
  const decls = declaredParameters(model, op);
  const out: PyDict = { ...config };
  const coerced: CoercionNote[] = [];
  for (const d of decls) {
    if (!(d.name in out)) continue;
    if (d.type !== 'int' && d.type !== 'list' && d.type !== 'UUID' && d.type !== 'date') continue;
    const v = out[d.name];
    const converted = convertConfigValue(d.name, d.type, v);
    if (converted !== v) {
      out[d.name] = converted;
      coerced.push({ param: d.name, from: pyTypeName(v), to: d.type });
    }
  }
  for (const d of decls) {
    if (d.name in out || d.default === undefined || d.default === null) continue;
    out[d.name] = d.default instanceof CallableDefault ? d.default : copyDefault(d.default);
  }
  return { config: out, coerced };
}

/** Required parameters with no value: the runtime's "Node 'x' missing required inputs: [...]". */
export function missingRequiredInputs(model: RuntimeModel, op: Operation, available: Iterable<string>): string[] {
  const have = new Set(available);
  return declaredParameters(model, op)
    .filter((d) => d.required && !have.has(d.name))
    .map((d) => d.name);
}
