// What the extractor records about one Python file. Every position is a string offset span;
// nothing here holds tree-sitter nodes, so facts survive re-parses and can be shifted.
import type { DictEntry, KwArg, SExpr, Span } from './staticExpr';

export interface LoopInfo {
  kind: 'for' | 'while' | 'comprehension';
  isAsync: boolean;
  /** The whole loop statement (or comprehension expression). */
  span: Span;
  /** The loop's target (`i, item`), for `for` loops and comprehensions. */
  target?: SExpr;
  targetNames: string[];
  /** The iterable (`range(1000)`, `items`, `enumerate(rows)`). */
  iter?: SExpr;
  /** The `while` condition. */
  condition?: SExpr;
  /** The body block of a `for`/`while` (absent for comprehensions). */
  bodySpan?: Span;
  /** Direct statements of the body, in order. */
  bodyStatements: Span[];
  hasElse: boolean;
}

/** Where a call sits: the loops around it (outermost first) and its function. */
export interface Context {
  loops: LoopInfo[];
  /** `func`, `Class.method`, or undefined at module level. */
  functionName?: string;
  /** The statement that holds the call (an expression or assignment statement). */
  statementSpan: Span;
  /** True when the call is the whole statement (`wf.add_node(...)`, `await db.express.create(...)`). */
  callIsStatement: boolean;
}

export interface DataFlowInstanceFact extends Context {
  /** The name the instance is bound to (`db`, `self.db`), if any. */
  binding?: string;
  span: Span;
  url?: SExpr;
  kwargs: KwArg[];
  argsSpan: Span;
}

export type FieldType = 'str' | 'int' | 'float' | 'bool' | 'datetime' | 'date' | 'Decimal' | 'dict' | 'list' | 'bytes' | 'other';

export interface FieldFact {
  name: string;
  nameSpan: Span;
  statementSpan: Span;
  annotation: string;
  type: FieldType;
  optional: boolean;
  default?: SExpr;
}

export interface IndexFact {
  name?: string;
  fields: string[];
  unique: boolean;
  /** `__dataflow__["indexes"]` (honoured by DataFlow) or `__indexes__` (ignored by DataFlow 2.20). */
  source: 'dataflow' | 'legacy';
  span: Span;
}

export interface ClassFact {
  name: string;
  nameSpan: Span;
  /** The class statement including decorators. */
  span: Span;
  bodySpan: Span;
  bases: string[];
  /** Receiver of a `@x.model` / `@x.model(...)` decorator. */
  modelDecoratorOf?: string;
  modelDecoratorSpan?: Span;
  fields: FieldFact[];
  tableName?: string;
  softDelete: boolean;
  /** The `__dataflow__ = {...}` assignment statement and its value. */
  dataflowConfig?: { statementSpan: Span; value: SExpr; indexes?: DictEntry };
  /** The `__indexes__ = [...]` assignment statement. */
  legacyIndexes?: { statementSpan: Span; value: SExpr };
  indexes: IndexFact[];
  /** Direct statements of the class body. */
  bodyStatements: Span[];
  /** The function the class is defined in (`test_x`, `TestUser.test_x`), like Context.functionName; undefined at module level. */
  enclosingFunction?: string;
  /** The nearest class whose body (or method) holds this class. */
  enclosingClass?: string;
}

export interface RegisterModelFact extends Context { instance: string; className: string; span: Span }

export interface NodeUseFact extends Context {
  span: Span;
  /** Receiver text of `.add_node` (`workflow`, `self.wf`) or, for `db.add_node(wf, ...)`, the workflow argument. */
  workflow?: string;
  /** Static node type name when known (`ProductCreateNode`). */
  nodeType?: string;
  nodeTypeExpr?: SExpr;
  nodeId?: SExpr;
  /** The config dict (or expression). For keyword configs, a synthesised dict over the keywords. */
  config?: SExpr;
  /** True when the config was given as keyword arguments (`add_node("T", "id", k=v)`). */
  configFromKeywords: boolean;
  /** `db.add_node(workflow, "User", "Create", ...)`: the DataFlow instance. */
  viaInstance?: string;
  /** Inside a loop: does the node id read one of the loop variables (f"create_{i}")? */
  idVariesPerIteration?: boolean;
}

export interface ConnectionFact extends Context {
  span: Span;
  workflow?: string;
  method: 'add_connection' | 'connect';
  from?: SExpr;
  fromOutput?: SExpr;
  to?: SExpr;
  toInput?: SExpr;
  mapping?: SExpr;
}

export interface ExecuteFact extends Context {
  span: Span;
  runtime: string;
  method: string;
  /** The executed workflow expression (`wf.build()`, `built`). */
  workflowArg?: SExpr;
  /** The workflow variable, when the argument is `<var>.build()`. */
  workflow?: string;
  /** The `parameters=` (or `inputs=`, AsyncLocalRuntime) argument, or the second positional one. */
  parameters?: SExpr;
  /** `results, run_id = runtime.execute(...)`: the name the results dict is bound to. */
  resultName?: string;
}

export interface BuildFact extends Context { span: Span; workflow: string; boundTo?: string }

export interface WorkflowBindingFact extends Context { name: string; span: Span }

export interface ExpressFact extends Context {
  span: Span;
  instance: string;
  sync: boolean;
  op: string;
  model?: string;
  args: SExpr[];
  kwargs: KwArg[];
  awaited: boolean;
}

export interface AssignmentFact {
  name: string;
  value: SExpr;
  statementSpan: Span;
  functionName?: string;
  loops: LoopInfo[];
}

/** `LocalRuntime(...)` / `AsyncLocalRuntime(...)` constructed somewhere. */
export interface RuntimeFact extends Context {
  span: Span;
  /** `LocalRuntime` or `AsyncLocalRuntime`. */
  className: string;
  /** `with LocalRuntime() as rt:` / `async with ...`. */
  contextManaged: boolean;
  /** Decorators (text without `@`) of the innermost enclosing function, outermost first. */
  functionDecorators: string[];
  /** The innermost enclosing function is `async def`. */
  inAsyncFunction: boolean;
}

/**
 * A call of a plain function or of a method on self/cls (`helper(row)`, `await self.save(r)`),
 * recorded inside loops and functions: lets rules follow a loop into a same-file helper.
 */
export interface CallFact extends Context {
  span: Span;
  /** `helper`, `self.save`, `cls.make`. */
  callee: string;
  args: SExpr[];
}

export interface ImportFact { module: string; names: Array<{ name: string; alias?: string }>; span: Span }

/**
 * A read of one node's output from an execute result: `results["node"]["key"]`,
 * `results["node"].get("key")`, `results.get("node", {})["key"]`, `results.get("node", {}).get("key")`.
 */
export interface ResultReadFact {
  span: Span;
  /** The results variable (`results`). */
  variable: string;
  nodeId: string;
  nodeIdSpan: Span;
  key: string;
  keySpan: Span;
  functionName?: string;
}

/** Facts of one top-level statement. */
export interface StatementFacts {
  span: Span;
  text: string;
  instances: DataFlowInstanceFact[];
  classes: ClassFact[];
  registrations: RegisterModelFact[];
  nodes: NodeUseFact[];
  connections: ConnectionFact[];
  executes: ExecuteFact[];
  builds: BuildFact[];
  workflows: WorkflowBindingFact[];
  express: ExpressFact[];
  assignments: AssignmentFact[];
  imports: ImportFact[];
  runtimes: RuntimeFact[];
  calls: CallFact[];
  resultReads: ResultReadFact[];
  /**
   * Every span object inside these facts, once each: collected the first time the statement has
   * to be shifted after an edit (most statements of a file never are), then a plain loop.
   */
  spans?: Span[];
}

export const FACT_KINDS = ['instances', 'classes', 'registrations', 'nodes', 'connections', 'executes', 'builds', 'workflows', 'express', 'assignments', 'imports', 'runtimes', 'calls', 'resultReads'] as const;
export type FactKind = (typeof FACT_KINDS)[number];
