/**
 * The core SDK's workflow layer over the DataFlow semantics layer, Python-independent:
 *
 *   const registry = new NodeRegistry(rt);                       // + registry.register('PythonCodeNode', factory)
 *   const wf = new WorkflowBuilder(registry, { seed });
 *   wf.addNode('ProductCreateNode', 'create', { name: 'A', price: 1 }, loc);
 *   wf.addNode('ProductReadNode', 'read', {}, loc);
 *   wf.addConnection('create', 'id', 'read', 'id', loc);
 *   const built = wf.build();                                     // node instances, config coercion
 *   const recorder = new RunRecorder();
 *   const { results, runId, nodes } = await executeWorkflow(rt, built, { parameters, recorder, location });
 *   await recorder.snapshotTables(rt); JSON.stringify(recorder);
 */
export { BuiltWorkflow, WorkflowBuilder, type BuiltNode, type BuilderConnection, type BuilderNodeSpec, type WorkflowBuilderOptions } from './workflowBuilder';
export { executeWorkflow, executeWorkflowAsync, pyStr, type ExecuteOptions, type WorkflowRunResult } from './localRuntime';
export { DataFlowNodeInstance, NodeRegistry } from './registry';
export { RunRecorder, toJsonValue, type RecordInput, type RecordedError, type RecordedRun, type RunDocument } from './runRecorder';
export { executionOrder, comparePyStr } from './executionOrder';
export { processParameters, resolveTemplates, type InjectionNote, type ProcessedParameters } from './parameters';
export {
  ConnectionError,
  ContentAwareExecutionError,
  KailashError,
  NodeConfigurationError,
  RuntimeExecutionError,
  WorkflowCancelledError,
  WorkflowExecutionError,
  WorkflowValidationError,
  pythonMessageOf,
  pythonTypeOf,
  type KailashErrorType,
} from './errors';
export type { NodeExecutionEnv, NodeFactory, NodeParamInfo, NodeRun, SourceLocation, WorkflowNodeInstance } from './types';
