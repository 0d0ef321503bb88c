// "Profile with Python": runs the user's file in the project's own Python interpreter (the one
// place the extension executes user code; callers gate it on workspace trust and an explicit
// command), with a small tracer shipped with the extension (server/python/dataflow_tracer.py)
// that records every statement DataFlow sends, each node's start/end and each execute()'s
// results, and feeds them to the same profiler the embedded runtime uses. No `vscode` import:
// the CLI and the language server both call this.
export { findDataflowPython, probePython, type DataflowPython, type FindPythonOptions } from './findPython';
export { profileWithPython, hasMainBlock, type PythonProfileOptions, type PythonRunFileResult, type TracedStatement } from './profileWithPython';
export { compareEngines, diffRuns, normaliseResult, type CompareOptions, type EngineComparison } from './compareEngines';
export type { EngineDifference, EnginesCompared } from '../report/reportTypes';
export { tracerScript } from './tracerProcess';
