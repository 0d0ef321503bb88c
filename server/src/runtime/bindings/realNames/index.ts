// What exists in the real DataFlow 2.20 / kailash packages (names only, generated from the oracle by
// generate.py), so the runtime can say "exists but is not modelled here" (exit 2) apart from "does not
// exist" (the AttributeError / ModuleNotFoundError / ImportError Python itself would raise).
import type { RealPackages } from '../../python/evaluate';
import { REAL_CLASS_ATTRIBUTES, REAL_MODULES, REAL_MODULE_MEMBERS } from './realNames.generated';

/** The real classes whose instances' attribute names are catalogued. */
export type RealClass = 'DataFlow' | 'WorkflowBuilder' | 'Workflow' | 'LocalRuntime' | 'AsyncLocalRuntime' | 'DataFlowExpress' | 'SyncExpress' | 'Model' | 'DataFlowConfig' | 'DatabaseConfig' | 'SecurityConfig' | 'TypeAwareFieldProcessor' | 'TenantContextSwitch' | 'TenantInfo' | 'ModelRegistry' | 'ConnectionManager';

const attributes = new Map<string, Set<string>>(Object.entries(REAL_CLASS_ATTRIBUTES).map(([k, v]) => [k, new Set(v)]));
const modules = new Set(REAL_MODULES);
const members = new Map<string, Set<string>>(Object.entries(REAL_MODULE_MEMBERS).map(([k, v]) => [k, new Set(v)]));

/** Top-level packages whose module lists are catalogued (every other name stays unknown). */
const CATALOGUED_ROOTS = new Set(['dataflow', 'kailash', 'kailash_dataflow']);

/** Whether an instance of the real class has this attribute (dunder names are not catalogued: undefined). */
export function realAttributeExists(cls: RealClass, name: string): boolean | undefined {
  if (name.startsWith('__') && name.endsWith('__')) return undefined;
  return attributes.get(cls)?.has(name) ?? false;
}

/** Whether the module exists in the real packages; undefined when its top-level package is not catalogued. */
export function realModuleExists(name: string): boolean | undefined {
  if (!CATALOGUED_ROOTS.has(name.split('.')[0])) return undefined;
  return modules.has(name);
}

/** Whether a bound module really has this member (or submodule); undefined when the module's members are not catalogued. */
export function realModuleMemberExists(module: string, name: string): boolean | undefined {
  const m = members.get(module);
  if (!m) return modules.has(module) && modules.has(`${module}.${name}`) ? true : undefined;
  return m.has(name) || modules.has(`${module}.${name}`);
}

/** The real `dataflow` / `kailash` packages as the evaluator's import system consults them. */
export const REAL_PACKAGES: RealPackages = { moduleExists: realModuleExists, memberExists: realModuleMemberExists };
