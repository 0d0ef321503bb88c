/**
 * A Python-subset evaluator for Kailash DataFlow files (no Python process involved).
 *
 *   const result = await evaluateModule(source, {
 *     fileName: 'app.py',
 *     hostModules: { 'kailash.workflow.builder': { WorkflowBuilder: hostClass('WorkflowBuilder', ...) } },
 *     env: { DATABASE_URL: '...' },
 *     call: 'seed', args: { n: 10 },
 *   });
 *
 * See host.ts for writing host modules, convert.ts for the value conversions.
 */
export {
  evaluateModule,
  compilePython,
  listEntryPoints,
  type EvaluateOptions,
  type EvaluateResult,
  type EvaluationStats,
  type CompiledPython,
  type EntryPoints,
  type EntryPointFunction,
  type EntryPointParam,
} from './evaluate';
export {
  HostObject,
  SimpleHostObject,
  PyHostFunction,
  hostFunction,
  hostClass,
  hostExceptionClass,
  argOf,
  NOT_HANDLED,
  type HostContext,
  type HostFn,
  type HostModule,
  type HostClassOptions,
  type CallSite,
  type LoopFrameInfo,
  type StackFrameInfo,
  type EvaluatorApi,
} from './host';
export { toPlain, fromPlain, FloatNumber, describeClass, type ToPlainOptions, type FromPlainHints, type ClassInfo } from './convert';
export { DEFAULT_LIMITS, type EvaluationLimits } from './runtime';
export {
  PyFloat,
  PyList,
  PyTuple,
  PyDict,
  PySet,
  PyRange,
  PyBytes,
  PyFunction,
  PyBuiltin,
  PyBoundMethod,
  PyClass,
  PyInstance,
  PyModule,
  PyOpaque,
  PyCoroutine,
  PyTypeAlias,
  PyObject,
  PyException,
  UnsupportedPythonError,
  EvaluationLimitError,
  PythonSyntaxError,
  EntryPointError,
  ExceptionClass,
  pyErr,
  formatLocation,
  type PyValue,
  type Kwargs,
  type SourceLocation,
  type ClassAnnotation,
  type DecoratorInfo,
  type TracebackEntry,
  type LimitKind,
} from './values';
export { PyDateTimeObj, PyTimeDelta, PyDecimalObj, PyUUID } from './stdlib';
