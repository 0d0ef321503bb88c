import { randomUUID } from 'node:crypto';
import type { ExecutionContext, ExecutionOptions } from '../dataflow/context';
import type { DataFlowRuntime } from '../dataflow/runtime';
import type { StatementEvent } from '../db/types';
import { isDfRecord, pyRepr, truthy, type DfRecord, type DfValue } from '../dataflow/values/dfValues';
import {
  ContentAwareExecutionError,
  KailashError,
  RuntimeExecutionError,
  WorkflowCancelledError,
  WorkflowExecutionError,
  WorkflowValidationError,
  pythonMessageOf,
  pythonTypeOf,
  raisedAt,
  stopsTheEvaluation,
} from './errors';
import { shouldSkipConditionalNode } from './conditionalSkip';
import { phaseOneNodes, prunedPlan } from './skipBranchesPlan';
import { UnsupportedPythonError } from '../python/values';
import { executionOrder } from './executionOrder';
import { asyncNodeInputs, asyncRuntimePlan, nodeFailureMessage, type AsyncRuntimeMode } from './asyncRuntimePlan';
import { DEFAULT_MAX_CONCURRENT_NODES, Semaphore, laneEnv } from './concurrentLevel';
import { hasTemplates, processParameters, resolveTemplates, type InjectionNote } from './parameters';
import { DataFlowNodeInstance } from './registry';
import type { RunRecorder } from './runRecorder';
import type { NodeExecutionEnv, NodeRun, SourceLocation, WorkflowNodeInstance } from './types';
import type { BuiltWorkflow } from './workflowBuilder';

export interface ExecuteOptions {
  /** `parameters=` of LocalRuntime.execute / `inputs` of execute_workflow_async (plain JS values). */
  parameters?: DfRecord | null;
  /**
   * The DataFlow instance given as `parameters["workflow_context"]["dataflow_instance"]` to
   * LocalRuntime.execute / execute_async (kailash's LocalRuntime pops `workflow_context` and hands it
   * to every node; AsyncLocalRuntime does not: recorded in test/conformance/cases/transaction_nodes.py).
   */
  workflowContextInstance?: DataFlowRuntime;
  /** Cancels the statement in progress and stops before the next node. */
  signal?: AbortSignal;
  /**
   * The run's time limit (epoch ms): checked before every node, because a workflow on the embedded
   * database runs on promise jobs alone and never lets the run's timer fire.
   */
  deadline?: number;
  onNodeStart?: (node: { id: string; type: string; location?: SourceLocation }) => void;
  onNodeEnd?: (run: NodeRun) => void;
  /** Options for the DataFlow execution contexts (destructive-statement guard). */
  executionOptions?: Omit<ExecutionOptions, 'signal'>;
  /** The execute() call site, for the run document. */
  location?: SourceLocation;
  /** Appends this run (success or failure) to the evaluation's run document. */
  recorder?: RunRecorder;
  /** Which Python runtime is being reproduced (AsyncLocalRuntime runs each level's nodes concurrently). */
  runtime?: 'LocalRuntime' | 'AsyncLocalRuntime';
  /** AsyncLocalRuntime(max_concurrent_nodes=): how many nodes of a level run at once (default 10). */
  maxConcurrentNodes?: number;
  /** conditional_execution= of the runtime: "route_data" (default) or "skip_branches" (workflow/skipBranchesPlan.ts). */
  conditionalExecution?: string;
  /** content_aware_success_detection= of LocalRuntime (default true): false lets a `success: False` output stand as a result. */
  contentAwareSuccessDetection?: boolean;
}

export interface WorkflowRunResult {
  /** `{node_id: output}` exactly as DataFlow returns it (same objects the executors produced). */
  results: Record<string, unknown>;
  runId: string;
  nodes: NodeRun[];
  /** Node ids in execution order (those that ran). */
  order: string[];
  /** Runtime warnings DataFlow would log (missing connection outputs, unused parameters). */
  warnings: string[];
  /** Workflow-level parameters injected into nodes, and how. */
  injections: InjectionNote[];
  contexts: ExecutionContext[];
}

/** str(value) as Python prints it inside f-strings. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return v.message;
  return pyRepr(v as DfValue);
}

const NOT_FOUND = Symbol('not-found');

function isNone(v: unknown): boolean {
  return v === null || v === undefined;
}

/** LocalRuntime._prepare_node_inputs: value of `from_output` (dotted paths walk nested dicts). */
function sourceValue(outputs: unknown, key: string): unknown {
  const dict = isDfRecord(outputs) ? (outputs as Record<string, unknown>) : undefined;
  if (!key.includes('.')) return dict && key in dict ? dict[key] : NOT_FOUND;
  let value: unknown = outputs;
  const parts = key.split('.');
  for (let i = 0; i < parts.length; i++) {
    if (isDfRecord(value) && parts[i] in (value as object)) {
      value = (value as Record<string, unknown>)[parts[i]];
    } else if (i === 0 && dict && key in dict) {
      return dict[key];
    } else {
      return NOT_FOUND;
    }
  }
  return value;
}

/** Stops before `nodeId` when the run was cancelled or its time limit has passed. */
function stopBefore(nodeId: string, options: ExecuteOptions): void {
  // The deadline first: the run's signal also fires at it (runFile), and that is the time limit, not a cancel.
  if (options.deadline !== undefined && Date.now() >= options.deadline) throw new WorkflowCancelledError(`Workflow execution stopped by the time limit before node '${nodeId}'`);
  if (options.signal?.aborted) throw new WorkflowCancelledError(`Workflow execution cancelled before node '${nodeId}'`);
}

/** The raise inside AsyncLocalRuntime of a node failure (its path differs by the workflow's mode and the node's kind). */
function asyncNodeFailure(mode: AsyncRuntimeMode, isAsyncNode: boolean): string {
  if (mode === 'sync') return 'WorkflowExecutionError node failed in a sync workflow';
  if (mode === 'fully-async') return 'WorkflowExecutionError node failed in a fully async workflow';
  return `WorkflowExecutionError ${isAsyncNode ? 'async' : 'sync'} node failed in a mixed workflow`;
}

function availableOutputs(outputs: unknown): string {
  return '[' + (isDfRecord(outputs) ? Object.keys(outputs).map((k) => pyRepr(k)).join(', ') : '') + ']';
}

/**
 * Why a failed skip_branches run is not modelled: kailash's fallback (`_execute_async` again,
 * kailash/runtime/local.py:4897) takes the skip_branches path again, fails again and falls back
 * again until Python's recursion limit, running the nodes before the failure each time (the real
 * DataFlow ran kailash-py's 02_advanced_features' TransactionScopeNode 967 times), then raises the
 * first error.
 */
const SKIP_BRANCHES_FALLBACK =
  "kailash then falls back to running the workflow again, which takes the same path and falls back again until Python's recursion limit, re-running the nodes before the failure hundreds of times; the runtime does not model that";

/**
 * LocalRuntime.execute(workflow, parameters=...) with DataFlow 2.20's semantics:
 * validation (cycles, missing required inputs) → WorkflowValidationError (not wrapped);
 * nodes one at a time in Kahn order over sorted ids; runtime inputs = connections, then
 * parameters; a falsy `success` stops the run; a raising node stops it when it has dependents and
 * otherwise becomes `{"error", "error_type", "failed": True, "_exception": e}`; everything that
 * stops the run is raised as RuntimeExecutionError("Unified enterprise workflow execution failed:
 * <Type>: <msg>"). An open transaction is rolled back at the end (DataFlowRuntime.endExecution).
 * docs/dataflow-2.20.md §2–§5 (kailash/runtime/local.py:3024, :3440, :3594, :3609).
 */
export async function executeWorkflow(rt: DataFlowRuntime, wf: BuiltWorkflow, options: ExecuteOptions = {}): Promise<WorkflowRunResult> {
  const runId = randomUUID();
  const results: Record<string, unknown> = {};
  const nodeOutputs = new Map<string, unknown>();
  const runs: NodeRun[] = [];
  // Node starts on the epoch clock (Date.now() at this run's start) with performance.now()'s
  // fraction: Date.now() per node truncates to the millisecond, so a node of 0.6 ms seemed to
  // overlap the next one and the profiler's timeline drew nodes run one at a time in parallel lanes.
  const epochOfPerf = Date.now() - performance.now();
  const order: string[] = [];
  const warnings: string[] = [];
  let injections: InjectionNote[] = [];
  const contexts = new Map<DataFlowRuntime, ExecutionContext>();
  const unhook: (() => void)[] = [];
  const nodeIds = new Set(wf.nodeIds());
  /** The nodes running now, by id (AsyncLocalRuntime runs a level's nodes at the same time). */
  const active = new Map<string, NodeRun>();

  const hook = (e: StatementEvent): void => {
    if (e.tag === undefined || !nodeIds.has(e.tag)) return;
    // A statement tagged with another node's id while one node runs (one at a time) is that node's.
    const current = active.get(e.tag) ?? (active.size === 1 ? active.values().next().value : undefined);
    if (!current) return;
    current.statements++;
    current.rows += e.rowCount;
    current.waitMs = (current.waitMs ?? 0) + e.waitMs;
  };
  const contextFor = (r: DataFlowRuntime): ExecutionContext => {
    let ctx = contexts.get(r);
    if (!ctx) {
      ctx = r.newExecution({ ...options.executionOptions, signal: options.signal });
      contexts.set(r, ctx);
      if (![...contexts.keys()].some((o) => o !== r && o.db === r.db)) unhook.push(r.db.onStatement(hook));
    }
    return ctx;
  };
  const primary = contextFor(rt);
  // Transaction nodes run on one context (the workflow_context instance's), so at most one holds a transaction.
  const openTransaction = (): ExecutionContext | undefined => [...contexts.values()].find((c) => c.inTransaction && c.transactionId !== undefined);
  const env: NodeExecutionEnv = { primary, context: contextFor, openTransaction, workflowContextInstance: options.workflowContextInstance, signal: options.signal, runId };
  const switches = wf.nodeIds().filter((id) => wf.nodes.get(id)!.type === 'SwitchNode');
  // skip_branches with a SwitchNode: kailash's two phases run one node at a time on both runtimes.
  const skipBranches = options.conditionalExecution === 'skip_branches' && switches.length > 0;
  const asyncRuntime = options.runtime === 'AsyncLocalRuntime' && !skipBranches;

  /**
   * _execute_conditional_approach: phase 1 (switches and their ancestors; a failing node becomes
   * its error entry and the phase goes on), phase 2 (the pruned plan; a failing node with
   * dependents silently ends the phase, the results so far stand). No content-aware `success`
   * check (_execute_single_node has none). Where kailash would fall back to re-running the whole
   * workflow in route_data mode, the run stops with UnsupportedPythonError.
   */
  /** A node's row, recorded as started (order, onNodeStart), and the time it started. */
  const startNode = (nodeId: string, level?: number) => {
    const node = wf.nodes.get(nodeId)!;
    const t0 = performance.now();
    const run: NodeRun = { id: nodeId, type: node.type, startedAt: epochOfPerf + t0, ms: 0, statements: 0, rows: 0, location: node.location };
    if (level !== undefined) run.level = level;
    runs.push(run);
    order.push(nodeId);
    options.onNodeStart?.({ id: nodeId, type: node.type, location: node.location });
    active.set(nodeId, run);
    return { node, run, t0 };
  };
  /** The node's row is complete: its time, and it no longer collects statements. */
  const endNode = (run: NodeRun, t0: number): void => {
    if (active.get(run.id) === run) active.delete(run.id);
    run.ms = performance.now() - t0;
    options.onNodeEnd?.(run);
  };
  const runSkipBranches = async (plan: string[], switches: string[]): Promise<void> => {
    if (switches.length > 1) throw new UnsupportedPythonError('conditional_execution="skip_branches" with more than one SwitchNode', undefined, 'kailash then plans switch layers (ConditionalBranchAnalyzer.analyze_switch_hierarchies) and may run its HierarchicalSwitchExecutor, which the runtime does not model');
    if (wf.nodeIds().length > 100) throw new UnsupportedPythonError('conditional_execution="skip_branches" with more than 100 nodes', undefined, SKIP_BRANCHES_FALLBACK);
    const processed = processParameters(wf, options.parameters);
    const runNode = async (nodeId: string, switchInputNone: boolean): Promise<void> => {
      const { node, run, t0 } = startNode(nodeId);
      try {
        const inputs = prepareInputs(wf, nodeId, nodeOutputs, processed?.perNode.get(nodeId), warnings);
        // Phase 1: a connected input_data that did not arrive is None, not the config's value.
        if (switchInputNone && !('input_data' in inputs) && wf.connectedInputs(nodeId).includes('input_data')) inputs.input_data = null;
        await executeNode(node.instance, env, inputs as DfRecord, run, nodeOutputs, results);
      } catch (e) {
        if (stopsTheEvaluation(e) || e instanceof WorkflowCancelledError || options.signal?.aborted) throw e;
        run.error = pythonMessageOf(e);
        run.errorType = pythonTypeOf(e);
        run.failed = true;
        const entry: Record<string, unknown> = { error: pythonMessageOf(e), error_type: pythonTypeOf(e), failed: true, _exception: e };
        (e as { skipBranchesEntry?: unknown }).skipBranchesEntry = entry;
        throw e;
      } finally {
        endNode(run, t0);
      }
    };
    const recordFailure = (nodeId: string, e: unknown): void => {
      const entry = (e as { skipBranchesEntry?: unknown }).skipBranchesEntry;
      results[nodeId] = entry;
      nodeOutputs.set(nodeId, entry);
    };
    for (const nodeId of phaseOneNodes(wf, switches, plan)) {
      stopBefore(nodeId, options);
      try {
        await runNode(nodeId, true);
      } catch (e) {
        if (stopsTheEvaluation(e) || e instanceof WorkflowCancelledError) throw e;
        recordFailure(nodeId, e);
      }
    }
    const switchResults = new Map<string, Record<string, unknown>>();
    for (const s of switches) {
      const r = results[s];
      if (!isDfRecord(r) || truthy((r as DfRecord).failed) || !('true_output' in (r as object) || 'false_output' in (r as object))) {
        throw new UnsupportedPythonError('conditional_execution="skip_branches" whose SwitchNode failed or has no true_output/false_output', undefined, SKIP_BRANCHES_FALLBACK);
      }
      switchResults.set(s, r as Record<string, unknown>);
    }
    const pruned = prunedPlan(wf, switchResults, plan);
    const rerun = new Set(switches.filter((s) => isNone(switchResults.get(s)!.true_output) && isNone(switchResults.get(s)!.false_output) && wf.inEdges(s).some(([src]) => pruned.includes(src))));
    const ranInPhaseOne = new Set(Object.keys(results));
    for (const nodeId of pruned) {
      if (ranInPhaseOne.has(nodeId) && !rerun.has(nodeId)) continue;
      stopBefore(nodeId, options);
      try {
        await runNode(nodeId, false);
      } catch (e) {
        if (stopsTheEvaluation(e) || e instanceof WorkflowCancelledError) throw e;
        if (wf.outDegree(nodeId) > 0 || wf.nodes.get(nodeId)!.type === 'AsyncSQLDatabaseNode') break;
        recordFailure(nodeId, e);
      }
    }
    for (const id of wf.nodeIds()) if (!(id in results) && !runs.some((r) => r.id === id)) runs.push({ id, type: wf.nodes.get(id)!.type, startedAt: epochOfPerf + performance.now(), ms: 0, statements: 0, rows: 0, location: wf.nodes.get(id)!.location, skipped: true });
    const executed = Object.keys(results).length;
    const failed = Object.values(results).filter((r) => isDfRecord(r) && truthy((r as DfRecord).failed)).length;
    if (failed > executed * 0.5) {
      throw new UnsupportedPythonError('conditional_execution="skip_branches" with more than half of the executed nodes failed', undefined, SKIP_BRANCHES_FALLBACK);
    }
  };

  /**
   * AsyncLocalRuntime.execute_workflow_async (workflow/asyncRuntimePlan.ts): no workflow
   * validation, its own input scoping, no content-aware `success` check; the first node that
   * raises ends the run with WorkflowExecutionError("[Sync ]Node 'x' execution failed: ..."),
   * raised as it is (not wrapped in RuntimeExecutionError).
   */
  const runAsyncRuntime = async (): Promise<void> => {
    let topo: string[] | undefined;
    let cycle: unknown;
    try {
      topo = executionOrder(wf);
    } catch (e) {
      if (!(e instanceof WorkflowValidationError)) throw e;
      cycle = e;
    }
    const plan = asyncRuntimePlan(wf, topo ?? wf.nodeIds());
    if (plan.mode === 'sync' && cycle) throw new WorkflowExecutionError(`Failed to determine execution order: ${pythonMessageOf(cycle)}`, cycle);
    // kailash gathers a level's nodes (asyncio.gather, return_exceptions=False: async_local.py:1319),
    // each task holding a slot of an asyncio.Semaphore(max_concurrent_nodes) (async_local.py:1650):
    // the nodes run at the same time, each statement on a connection of its own from the pool
    // (PGlite: one connection, so their statements take turns); the first failure in time is raised
    // once the level's other nodes, already started, have run to the end and sent their statements
    // (case async_failures, async_levels). Sequential plans stop at the failure.
    const semaphore = new Semaphore(options.maxConcurrentNodes ?? DEFAULT_MAX_CONCURRENT_NODES);
    const runOne = async (nodeId: string, level: number | undefined, nodeEnv: NodeExecutionEnv): Promise<WorkflowExecutionError | undefined> => {
      stopBefore(nodeId, options);
      const { node, run, t0 } = startNode(nodeId, level);
      try {
        const inputs = asyncNodeInputs(wf, nodeId, nodeOutputs, options.parameters);
        if (shouldSkipConditionalNode(wf, nodeId, inputs, results)) {
          run.skipped = true;
          results[nodeId] = null;
          nodeOutputs.set(nodeId, null);
          return undefined;
        }
        await executeNode(node.instance, nodeEnv, inputs, run, nodeOutputs, results);
        return undefined;
      } catch (e) {
        if (stopsTheEvaluation(e)) throw e;
        run.error = pythonMessageOf(e);
        run.errorType = pythonTypeOf(e);
        if (e instanceof WorkflowCancelledError || options.signal?.aborted) throw e instanceof WorkflowCancelledError ? e : new WorkflowCancelledError(`Workflow execution cancelled in node '${nodeId}': ${pythonMessageOf(e)}`);
        return raisedAt(new WorkflowExecutionError(nodeFailureMessage(plan.mode, node.instance.isAsyncNode, nodeId, pythonMessageOf(e)), e, nodeId), asyncNodeFailure(plan.mode, node.instance.isAsyncNode));
      } finally {
        endNode(run, t0);
      }
    };
    if (!plan.levels) {
      for (const nodeId of plan.order) {
        const failure = await runOne(nodeId, undefined, env);
        if (failure) throw failure;
      }
      return;
    }
    // Nodes that are not AsyncNodes run in kailash's thread pool; here they take turns among themselves.
    const syncTurns = new Semaphore(1);
    for (const [index, level] of plan.levels.entries()) {
      let failure: WorkflowExecutionError | undefined;
      let fatal: { error: unknown } | undefined;
      await Promise.all(
        level.map(async (nodeId) => {
          const release = await semaphore.acquire();
          const releaseSync = wf.nodes.get(nodeId)!.instance.isAsyncNode ? undefined : await syncTurns.acquire();
          try {
            if (fatal) return;
            const f = await runOne(nodeId, index, level.length > 1 ? laneEnv(env) : env);
            failure ??= f;
          } catch (e) {
            fatal ??= { error: e };
          } finally {
            releaseSync?.();
            release();
          }
        }),
      );
      if (fatal) throw fatal.error;
      if (failure) throw failure;
    }
  };

  let failure: unknown;
  try {
    try {
      if (asyncRuntime) {
        try {
          await runAsyncRuntime();
        } catch (e) {
          // execute_workflow_async re-raises WorkflowExecutionError (and cancellation) as it is and wraps the rest.
          if (e instanceof WorkflowExecutionError || e instanceof WorkflowCancelledError || stopsTheEvaluation(e)) throw e;
          throw new WorkflowExecutionError(`Async execution failed: ${pythonMessageOf(e)}`, e);
        }
        return { results, runId, nodes: runs, order, warnings, injections, contexts: [...contexts.values()] };
      }
      const processed = processParameters(wf, options.parameters);
      injections = processed?.injections ?? [];
      if (processed?.unused.length) warnings.push(`Unused workflow parameters: ${pyRepr(processed.unused)}`);
      const plan = executionOrder(wf);
      for (const node of wf.nodes.values()) {
        const available = [...wf.connectedInputs(node.id), ...Object.keys(processed?.perNode.get(node.id) ?? {})];
        const missing = node.instance.missingRequiredInputs(available);
        if (missing.length) {
          throw raisedAt(
            new WorkflowValidationError(
              `Node '${node.id}' missing required inputs: ${pyRepr(missing)}. Provide these inputs via connections, node configuration, or runtime parameters`,
            ),
            'WorkflowValidationError missing required inputs',
          );
        }
      }
      const failedNodes: string[] = [];
      if (skipBranches) {
        await runSkipBranches(plan, switches);
        return { results, runId, nodes: runs, order, warnings, injections, contexts: [...contexts.values()] };
      }
      for (const nodeId of plan) {
        stopBefore(nodeId, options);
        const { node, run, t0 } = startNode(nodeId);
        try {
          const inputs = prepareInputs(wf, nodeId, nodeOutputs, processed?.perNode.get(nodeId), warnings);
          if (shouldSkipConditionalNode(wf, nodeId, inputs, results)) {
            run.skipped = true;
            results[nodeId] = null;
            nodeOutputs.set(nodeId, null);
            continue;
          }
          const outputs = await executeNode(node.instance, env, inputs as DfRecord, run, nodeOutputs, results);
          // Content-aware success detection (kailash/runtime/local.py:3440), unless turned off.
          if (options.contentAwareSuccessDetection !== false && isDfRecord(outputs) && 'success' in outputs && !truthy(outputs.success)) {
            const detail = 'error' in outputs ? outputs.error : 'Operation failed (no error details provided)';
            throw new ContentAwareExecutionError(`Node '${nodeId}' reported failure: ${pyStr(detail)}`, nodeId, outputs);
          }
        } catch (e) {
          if (stopsTheEvaluation(e)) throw e;
          failedNodes.push(nodeId);
          run.error = pythonMessageOf(e);
          run.errorType = pythonTypeOf(e);
          if (e instanceof ContentAwareExecutionError) {
            throw new WorkflowExecutionError(`Content-aware failure in node '${nodeId}': ${e.message}`, e);
          }
          if (e instanceof WorkflowCancelledError || options.signal?.aborted) throw e instanceof WorkflowCancelledError ? e : new WorkflowCancelledError(`Workflow execution cancelled in node '${nodeId}': ${pythonMessageOf(e)}`);
          if (wf.outDegree(nodeId) > 0) {
            let msg = `Node '${nodeId}' failed: ${pythonMessageOf(e)}`;
            if (failedNodes.length > 1) msg += ` (Previously failed nodes: ${pyRepr(failedNodes.slice(0, -1))})`;
            throw new WorkflowExecutionError(msg, e);
          }
          run.failed = true;
          // LocalRuntime's failed entry (runtime/local.py): the message, the type and the exception itself.
          const entry: Record<string, unknown> = { error: pythonMessageOf(e), error_type: pythonTypeOf(e), failed: true, _exception: e };
          results[nodeId] = entry;
        } finally {
          endNode(run, t0);
        }
      }
    } catch (e) {
      if (asyncRuntime || e instanceof WorkflowValidationError || e instanceof WorkflowCancelledError || stopsTheEvaluation(e)) throw e;
      const nodeId = e instanceof KailashError && e.cause instanceof ContentAwareExecutionError ? e.cause.nodeId : runs.find((r) => r.error !== undefined && !r.failed)?.id;
      throw raisedAt(new RuntimeExecutionError(`Unified enterprise workflow execution failed: ${pythonTypeOf(e)}: ${pythonMessageOf(e)}`, e, nodeId), 'RuntimeExecutionError');
    } finally {
      for (const [r, ctx] of contexts) await r.endExecution(ctx);
    }
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    for (const off of unhook) off();
    options.recorder?.record({
      workflowId: wf.workflowId,
      location: options.location,
      results,
      nodes: runs,
      error: failure,
      warnings,
      contexts: [...contexts.values()],
    });
  }
  return { results, runId, nodes: runs, order, warnings, injections, contexts: [...contexts.values()] };
}

/**
 * Runtime inputs of one node: connection values first (in-edge order; dotted from_output paths;
 * a None never overwrites a non-None value from another edge; a missing key is a warning), then
 * this node's parameters (`inputs.update(...)`, so parameters beat connections).
 */
/**
 * Runs one node on its inputs (a DataFlow node's `{{template}}` config values resolved from them
 * first) and records its output under its id and whether it was served from the query cache.
 */
async function executeNode(
  node: WorkflowNodeInstance,
  env: NodeExecutionEnv,
  inputs: DfRecord,
  run: NodeRun,
  nodeOutputs: Map<string, unknown>,
  results: Record<string, unknown>,
): Promise<unknown> {
  // Templates resolve from the runtime inputs alone: with none, resolving leaves every value as it
  // is, so a node without connections or parameters (a bulk node's 100,000 records) is not walked.
  const resolvable = node instanceof DataFlowNodeInstance && hasAnyKey(inputs) && hasTemplates(node.config);
  const instance = resolvable ? node.withConfig(resolveTemplates(node.config, inputs, pyStr) as DfRecord) : node;
  const outputs = await instance.execute(env, inputs);
  nodeOutputs.set(run.id, outputs);
  results[run.id] = outputs;
  if (isDfRecord(outputs) && '_cache' in outputs && isDfRecord(outputs._cache)) run.cacheHit = outputs._cache.hit === true;
  return outputs;
}

function hasAnyKey(record: DfRecord): boolean {
  for (const k in record) if (Object.prototype.hasOwnProperty.call(record, k)) return true;
  return false;
}

function prepareInputs(wf: BuiltWorkflow, nodeId: string, nodeOutputs: Map<string, unknown>, params: DfRecord | undefined, warnings: string[]): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [source, mapping] of wf.inEdges(nodeId)) {
    if (!nodeOutputs.has(source)) continue;
    // DataTypeValidator.validate_node_output: an output that is not a dict (a skipped node's None) reads as {"result": output}.
    const raw = nodeOutputs.get(source);
    const outputs = isDfRecord(raw) ? raw : { result: raw ?? null };
    if (isDfRecord(outputs) && truthy(outputs.failed)) throw new WorkflowExecutionError(`Cannot use outputs from failed node '${source}'`);
    for (const [from, to] of mapping) {
      const value = sourceValue(outputs, from);
      if (value === NOT_FOUND) {
        warnings.push(`Source output '${from}' not found in node '${source}'. Available outputs: ${availableOutputs(outputs)}`);
        continue;
      }
      if (to in inputs && inputs[to] !== null && inputs[to] !== undefined && (value === null || value === undefined)) continue;
      inputs[to] = value;
    }
  }
  if (params) Object.assign(inputs, params);
  return inputs;
}

/**
 * `await LocalRuntime().execute_async(workflow, parameters=...)` and
 * `await AsyncLocalRuntime().execute_workflow_async(workflow, inputs)`: AsyncLocalRuntime's rules
 * (level by level, each level's nodes concurrently up to `maxConcurrentNodes`).
 */
export async function executeWorkflowAsync(rt: DataFlowRuntime, wf: BuiltWorkflow, inputs: DfRecord | null, options: Omit<ExecuteOptions, 'parameters'> = {}): Promise<WorkflowRunResult> {
  return executeWorkflow(rt, wf, { runtime: 'AsyncLocalRuntime', ...options, parameters: inputs });
}
