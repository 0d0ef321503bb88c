import { type PyTypeName, type RuntimeModel } from '../schema';
import { CallableDefault, isDfRecord, pyTypeName, type DfRecord, type DfValue } from '../values/dfValues';
import { IMPLICIT_COLUMNS, OPERATIONS, type NodeOperation } from '../../../catalogue';
import { convertConfigValue } from './configConversion';

/** `id: UUID` / `id: uuid.UUID`: the create node's `id` parameter then has the type uuid.UUID. */
function isUuidAnnotation(annotation: string | undefined): boolean {
  return annotation !== undefined && /^(uuid\.)?UUID$/.test(annotation.replace(/\s+/g, ''));
}

/** 'UUID': the create node's `id` of a model whose `id` is annotated uuid.UUID. */
export type ParamType = PyTypeName | 'Any' | 'UUID';

export interface ParamDecl {
  name: string;
  type: ParamType;
  required: boolean;
  /** undefined = no default (or None): not merged into the config. */
  default?: DfValue;
}

/**
 * Catalogue parameters DataFlow reads that no executor here reads (test/unit/catalogue.test.ts
 * checks this list against the executors' reads), with what the runtime does instead.
 */
export const UNMODELLED_PARAMETERS: Readonly<Record<string, string>> = {
  database_url: 'DataFlow opens the per-node URL for that node; here every node runs on its DataFlow instance\'s database',
};

/**
 * get_parameters() of the generated node classes, in declaration order: the catalogue's declared
 * parameters (server/src/catalogue/nodes.ts), then the model's fields where the node takes them
 * flat: Create's with their types and defaults (id typed by the model), legacy Update's with their
 * types, optional and without defaults.
 */
export function declaredParameters(model: RuntimeModel, op: NodeOperation): ParamDecl[] {
  const spec = OPERATIONS[op];
  const out: ParamDecl[] = spec.params.map((d) => ({ name: d.name, type: d.type, required: d.required, default: d.default as DfValue | undefined }));
  if (spec.modelFieldsFlat === 'yes') {
    for (const f of model.fields) {
      if (f.name === 'id') out.push({ name: 'id', type: f.type === 'str' ? 'str' : isUuidAnnotation(f.annotation) ? 'UUID' : 'int', required: false });
      else if (!(IMPLICIT_COLUMNS as readonly string[]).includes(f.name)) {
        let dflt: DfValue | undefined;
        if (f.default) dflt = f.default.kind === 'callable' ? f.default.callable : f.default.value ?? undefined;
        out.push({ name: f.name, type: f.type, required: f.required, default: dflt });
      }
    }
  } else if (spec.modelFieldsFlat === 'legacy') {
    for (const f of model.fields) if (!(IMPLICIT_COLUMNS as readonly string[]).includes(f.name)) out.push({ name: f.name, type: f.type, required: false });
  }
  return out;
}

/** Deep copy of a default so nodes never share mutable defaults. */
function copyDefault(v: DfValue): DfValue {
  if (Array.isArray(v)) return v.map(copyDefault);
  if (isDfRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyDefault(x)]));
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
export function applyConfigDefaults(model: RuntimeModel, op: NodeOperation, config: DfRecord): { config: DfRecord; coerced: CoercionNote[] } {
  const decls = declaredParameters(model, op);
  const out: DfRecord = { ...config };
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
export function missingRequiredInputs(model: RuntimeModel, op: NodeOperation, available: Iterable<string>): string[] {
  const have = new Set(available);
  return declaredParameters(model, op)
    .filter((d) => d.required && !have.has(d.name))
    .map((d) => d.name);
}
