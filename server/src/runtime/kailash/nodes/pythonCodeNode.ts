// PythonCodeNode (kailash/nodes/code/python.py, kailash 2.63) with a code string: the code runs in
// the evaluator that runs the user's file, under the same bounds, as CodeExecutor.execute_code runs
// it: exec(code, namespace, locals) where the namespace holds the allowed modules and helpers and
// sees only the allowed builtins, and the locals are the node's merged inputs (its whole config,
// then connections and parameters). Outputs: {"result": result} when the code binds `result`,
// otherwise every local not starting with "_" that is not a module. function= / class_type= nodes
// are not modelled (exit 2).
import { resolveTemplates } from '../../workflow/parameters';
import { pyStr } from '../../workflow/localRuntime';
import { UnmodelledNodeError, stopsTheEvaluation } from '../../workflow/errors';
import type { NodeExecutionEnv, NodeParamInfo, SourceLocation, WorkflowNodeInstance } from '../../workflow/types';
import { isDfRecord, type DfRecord } from '../../dataflow/values/dfValues';
import { compileExec, runExec } from '../../python/execCode';
import { restrictBuiltins } from '../../python/restrictedBuiltins';
import { importHooks } from '../../python/compiler';
import { hostFunction, type HostContext } from '../../python/host';
import type { Interp } from '../../python/runtime';
import { PyDict as EvalDict, PyFloat, PyList, PyModule, PyOpaque, PyTuple, PyException, PythonSyntaxError, UnsupportedPythonError, type PyValue } from '../../python/values';
import type { EvaluatorBridge } from '../evaluatorBridge';
import { CoreNodeError } from './nodeErrors';
import { ALLOWED_MODULES, codeSafetyViolations } from './pythonCodeSafety';
import { validateOutputs } from './validateOutputs';

/** kailash.nodes.code.common.ALLOWED_BUILTINS. */
const ALLOWED_BUILTINS = [
  'bool', 'int', 'float', 'str', 'list', 'dict', 'set', 'tuple', 'frozenset', 'bytes', 'bytearray', 'complex', 'len', 'range',
  'enumerate', 'zip', 'map', 'filter', 'reversed', 'iter', 'next', 'sorted', 'sum', 'min', 'max', 'all', 'any', 'abs', 'round',
  'divmod', 'pow', 'hex', 'oct', 'bin', 'format', 'ord', 'chr', 'repr', 'isinstance', 'hasattr', 'getattr', 'type', 'callable',
  'hash', 'vars', 'print', '__import__', 'Exception', 'ValueError', 'TypeError', 'KeyError', 'NameError', 'AttributeError',
  'IndexError', 'RuntimeError', 'StopIteration', 'ImportError', 'OSError', 'IOError', 'FileNotFoundError', 'ZeroDivisionError',
  'ArithmeticError', 'AssertionError', 'ConnectionError', 'open',
];

/** PythonCodeNode.__init__'s parameters with their defaults, in signature order (they become node.config). */
const CONSTRUCTOR_DEFAULTS: [string, DfRecord[string]][] = [
  ['function', null], ['class_type', null], ['process_method', null], ['input_types', null], ['output_type', null],
  ['input_schema', null], ['output_schema', null], ['description', null], ['max_code_lines', 10], ['validate_security', false],
  ['sandbox_mode', 'restricted'],
];

const HELPERS = ['get_input_data_path', 'get_output_data_path', 'get_data_path', 'get_workflow_context', 'set_workflow_context'];

export class PythonCodeNodeInstance implements WorkflowNodeInstance {
  readonly type = 'PythonCodeNode';
  /** PythonCodeNode(Node): AsyncLocalRuntime runs it in its thread pool. */
  readonly isAsyncNode = false;
  readonly config: DfRecord;
  /** The add_node call site (unsupported Python inside the code is reported there). */
  location?: SourceLocation;

  constructor(
    readonly id: string,
    config: DfRecord,
    private readonly bridge: EvaluatorBridge,
  ) {
    // Recorded order: the config keys that are not __init__ parameters first, then the parameters in signature order.
    const signature = new Set(['name', 'code', ...CONSTRUCTOR_DEFAULTS.map(([k]) => k)]);
    const cfg: DfRecord = {};
    for (const [k, v] of Object.entries(config)) if (!signature.has(k)) cfg[k] = v;
    cfg.name = 'name' in config ? config.name : id;
    cfg.code = config.code ?? null;
    for (const [k, d] of CONSTRUCTOR_DEFAULTS) cfg[k] = k in config ? config[k] : d;
    this.config = cfg;
    const truthy = (v: unknown) => v !== null && v !== undefined && v !== false && v !== '' && v !== 0;
    if (!truthy(cfg.code) && !truthy(cfg.function) && !truthy(cfg.class_type)) {
      throw new CoreNodeError('NodeConfigurationError', 'Must provide either code string, function, or class');
    }
    if ([cfg.code, cfg.function, cfg.class_type].filter(truthy).length > 1) {
      throw new CoreNodeError('NodeConfigurationError', 'Can only provide one of: code, function, or class');
    }
    if (!truthy(cfg.code)) {
      throw new UnmodelledNodeError('PythonCodeNode', undefined, `\`PythonCodeNode\` with ${truthy(cfg.function) ? 'function=' : 'class_type='} is not modelled (only a code string is)`);
    }
    if (typeof cfg.code !== 'string') throw new CoreNodeError('NodeConfigurationError', `Failed to create node '${id}' of type 'PythonCodeNode': code must be a string`);
    if (cfg.sandbox_mode !== 'restricted' && cfg.sandbox_mode !== 'trusted') {
      throw new CoreNodeError('NodeConfigurationError', `sandbox_mode must be 'restricted' or 'trusted', got '${pyStr(cfg.sandbox_mode)}'`);
    }
  }

  private get trusted(): boolean {
    return this.config.sandbox_mode === 'trusted';
  }

  /** get_parameters(): input_types is never set for a code-string node built by add_node. */
  parameters(): NodeParamInfo[] {
    return [];
  }

  missingRequiredInputs(): string[] {
    return [];
  }

  async execute(_env: NodeExecutionEnv, runtimeInputs: DfRecord): Promise<unknown> {
    const interp = this.bridge.interp();
    if (!interp) throw new UnmodelledNodeError('PythonCodeNode', this.location, '`PythonCodeNode` outside an evaluated Python file is not modelled');
    // Node.execute: config under the runtime inputs, ${templates}, then a nested `config` dict.
    let merged = resolveTemplates({ ...this.config, ...runtimeInputs }, runtimeInputs, pyStr) as DfRecord;
    if (isDfRecord(merged.config)) {
      merged = { ...merged };
      for (const [k, v] of Object.entries(merged.config as DfRecord)) if (!(k in runtimeInputs)) merged[k] = v;
    }
    const code = this.config.code as string;
    let compiled;
    try {
      compiled = await compileExec(interp, code, '<string>');
    } catch (e) {
      if (e instanceof PythonSyntaxError) {
        throw new CoreNodeError('NodeExecutionError', `Invalid Python syntax at line ${e.location?.line ?? '?'}: ${syntaxMessage(e)}`);
      }
      throw e;
    }
    if (!this.trusted) {
      const unsafe = codeSafetyViolations(compiled.tree.rootNode);
      if (unsafe) throw new CoreNodeError('NodeExecutionError', `Execution failed: ${unsafe}`);
    }
    const globals = await this.namespace(interp);
    const locals = new Map<string, PyValue>();
    for (const [k, v] of Object.entries(merged)) locals.set(k, this.bridge.toPython(v));
    try {
      await runExec(interp, compiled.code, globals, locals);
    } catch (e) {
      if (stopsTheEvaluation(e)) throw this.relocate(e);
      if (e instanceof PyException) throw new CoreNodeError('NodeExecutionError', `Code execution failed: ${e.pyMessage}\n${pythonTraceback(e)}`, e);
      throw e;
    }
    const outputs = new Map<string, PyValue>();
    for (const [k, v] of locals) if (!k.startsWith('_') && !(v instanceof PyModule) && !(v instanceof PyOpaque)) outputs.set(k, v);
    const chosen = outputs.has('result') ? new Map([['result', outputs.get('result')!]]) : outputs;
    const bad = [...chosen].filter(([, v]) => !jsonSerializable(v)).map(([k]) => `'${k}'`);
    if (bad.length) throw new CoreNodeError('NodeValidationError', `Node outputs must be JSON-serializable. Failed keys: [${bad.join(', ')}]`);
    const plain: DfRecord = {};
    for (const [k, v] of chosen) plain[k] = this.bridge.fromPython(v) as DfRecord[string];
    return validateOutputs(plain, ['result']);
  }

  /** The exec globals: allowed modules (those the evaluator has; others stay opaque), helpers, restricted builtins. */
  private async namespace(interp: Interp): Promise<Map<string, PyValue>> {
    const globals = new Map<string, PyValue>();
    const importer = interp.frames[interp.frames.length - 1];
    for (const name of ALLOWED_MODULES) {
      let m = interp.modules.get(name) as PyValue | undefined;
      if (!m && importer) {
        const r = importHooks.importModule(interp, name, 0, importer, importer.stmt);
        m = r instanceof Promise ? await r : r;
      }
      if (m !== undefined) globals.set(name, m);
    }
    for (const h of HELPERS) {
      globals.set(h, hostFunction(h, (_a, _k, ctx: HostContext) => {
        throw new UnsupportedPythonError(`${h}() in a PythonCodeNode`, ctx.site, 'the runtime does not model the workflow context or data paths');
      }));
    }
    if (!this.trusted) restrictBuiltins(globals, interp.builtins, ALLOWED_BUILTINS);
    return globals;
  }

  /** Unsupported Python / limits inside the code string are reported at the add_node call. */
  private relocate(e: unknown): unknown {
    if (!(e instanceof UnsupportedPythonError) || !this.location?.file) return e;
    const inner = e.location ? `line ${e.location.line} of the code of PythonCodeNode '${this.id}'` : `the code of PythonCodeNode '${this.id}'`;
    const detail = (e as unknown as { detail?: string }).detail;
    const column = (this.location.column ?? 0) + 1;
    e.location = { file: this.location.file, line: this.location.line, column, endLine: this.location.endLine ?? this.location.line, endColumn: (this.location.endColumn ?? 0) + 1, startIndex: 0, endIndex: 0 };
    e.refreshMessage(detail ? `${detail}; ${inner}` : inner);
    return e;
  }
}

function syntaxMessage(e: PythonSyntaxError): string {
  return e.message.replace(/^[^:]*SyntaxError:\s*/, '').replace(/ at \S+$/, '') || 'invalid syntax';
}

/** traceback.format_exc() of an exception raised by the code (frames of "<string>" and deeper). */
function pythonTraceback(e: PyException): string {
  const lines = ['Traceback (most recent call last):'];
  for (const t of [...e.traceback].reverse()) lines.push(`  File "${t.file}", line ${t.line}, in ${t.function}`);
  lines.push(`${e.pyType}: ${e.pyMessage}`.replace(/: $/, ''));
  return lines.join('\n') + '\n';
}

/** json.dumps(v) succeeds (default encoder: str/int/float/bool/None, list/tuple, dicts with scalar keys). */
function jsonSerializable(v: PyValue, depth = 0): boolean {
  if (depth > 1000) return false;
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof PyFloat) return true;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.every((x) => jsonSerializable(x, depth + 1));
  if (v instanceof EvalDict) {
    return v.entries().every(([k, x]) => (k === null || typeof k === 'string' || typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean' || k instanceof PyFloat) && jsonSerializable(x, depth + 1));
  }
  return false;
}
