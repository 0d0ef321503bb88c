// A fake DataFlow / WorkflowBuilder / LocalRuntime host, recording what the evaluated Python does.
import {
  CallSite,
  ClassInfo,
  HostContext,
  HostObject,
  Kwargs,
  NOT_HANDLED,
  PyClass,
  PyDict,
  PyException,
  PyTuple,
  PyValue,
  SimpleHostObject,
  argOf,
  describeClass,
  fromPlain,
  hostClass,
  hostExceptionClass,
  hostFunction,
  pyErr,
  toPlain,
  type HostModule,
} from '../../../server/src/runtime/python';

export interface RecordedNode {
  type: string;
  id: string;
  config: unknown;
  /** The config as the Python value (keeps floats as floats). */
  configPy: PyValue;
  site: CallSite;
}

export class FakeWorkflow extends HostObject {
  constructor(readonly nodes: RecordedNode[]) {
    super();
  }
  override get typeName(): string {
    return 'Workflow';
  }
}

export class Recorder {
  nodes: RecordedNode[] = [];
  models: ClassInfo[] = [];
  modelClasses: PyClass[] = [];
  dataflows: unknown[] = [];
  executions: { nodes: number; params: unknown; site: CallSite }[] = [];
  events: string[] = [];
  express: { op: string; args: unknown[]; site: CallSite }[] = [];
}

export const WorkflowValidationError = hostExceptionClass('WorkflowValidationError');

export class FakeBuilder extends HostObject {
  readonly nodes: RecordedNode[] = [];
  constructor(private readonly rec: Recorder) {
    super();
  }
  override get typeName(): string {
    return 'WorkflowBuilder';
  }
  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | typeof NOT_HANDLED {
    switch (name) {
      case 'add_node': {
        const type = argOf(args, kwargs, 0, 'node_type');
        const id = argOf(args, kwargs, 1, 'node_id') ?? `node_${this.nodes.length}`;
        let config = argOf(args, kwargs, 2, 'config');
        if (config === undefined) {
          const rest = new Map([...kwargs].filter(([k]) => k !== 'node_type' && k !== 'node_id'));
          config = fromPlain(Object.fromEntries([...rest].map(([k, v]) => [k, toPlain(v)])));
        }
        if (typeof id === 'string' && this.nodes.some((n) => n.id === id)) throw pyErr(WorkflowValidationError, `Node ID '${id}' already exists in workflow`);
        const node = { type: String(toPlain(type ?? null)), id: String(id), config: toPlain(config), configPy: config, site: ctx.site };
        this.nodes.push(node);
        this.rec.nodes.push(node);
        return String(id);
      }
      case 'add_connection':
        return this;
      case 'build':
        return new FakeWorkflow(this.nodes.slice());
    }
    return NOT_HANDLED;
  }
}

class FakeRuntime extends HostObject {
  constructor(private readonly rec: Recorder) {
    super();
  }
  override get typeName(): string {
    return 'LocalRuntime';
  }
  override enter(): PyValue {
    this.rec.events.push('enter');
    return this;
  }
  override exit(exc: PyException | null): boolean {
    this.rec.events.push(`exit:${exc ? exc.pyType : 'none'}`);
    return false;
  }
  override callMethod(name: string, args: PyValue[], kwargs: Kwargs, ctx: HostContext): PyValue | Promise<PyValue> | typeof NOT_HANDLED {
    if (name === 'execute' || name === 'execute_async' || name === 'execute_workflow_async') {
      const wf = args[0];
      if (!(wf instanceof FakeWorkflow)) throw pyErr('TypeError', 'execute() needs a built workflow');
      this.rec.executions.push({ nodes: wf.nodes.length, params: toPlain(argOf(args, kwargs, 1, name === 'execute_workflow_async' ? 'inputs' : 'parameters') ?? null), site: ctx.site });
      const results = new PyDict();
      for (const n of wf.nodes) {
        const out = n.configPy instanceof PyDict ? n.configPy.copy() : new PyDict();
        out.set('id', 1);
        results.set(n.id, out);
      }
      const out = new PyTuple([results, 'run-1']);
      return name === 'execute' ? out : Promise.resolve(out);
    }
    return NOT_HANDLED;
  }
}

/** Host modules: dataflow, kailash.workflow.builder, kailash.runtime(.local). */
export function fakeHostModules(rec: Recorder): Record<string, HostModule> {
  const makeExpress = (sync: boolean) =>
    new SimpleHostObject(sync ? 'ExpressSync' : 'Express', {
      create: (args, _kw, ctx) => {
        rec.express.push({ op: 'create', args: args.map((a) => toPlain(a)), site: ctx.site });
        const v = fromPlain({ id: rec.express.length, ...(toPlain(args[1] ?? null) as object) });
        return sync ? v : new Promise((resolve) => setTimeout(() => resolve(v), 1));
      },
      read: async (args, _kw, ctx) => {
        rec.express.push({ op: 'read', args: args.map((a) => toPlain(a)), site: ctx.site });
        await new Promise((r) => setImmediate(r));
        return fromPlain({ id: toPlain(args[1] ?? null), email: `u${String(toPlain(args[1] ?? null))}@x` });
      },
      delete: (args, _kw, ctx) => {
        rec.express.push({ op: 'delete', args: args.map((a) => toPlain(a)), site: ctx.site });
        return true;
      },
      fail: () => {
        const e = new Error('database unavailable');
        e.name = 'DataFlowConnectionError';
        throw e;
      },
    });
  const DataFlow = hostClass('DataFlow', (args, kwargs) => {
    rec.dataflows.push({ args: args.map((a) => toPlain(a)), kwargs: Object.fromEntries([...kwargs].map(([k, v]) => [k, toPlain(v)])) });
    const register = (cls: PyValue, opts: Kwargs): PyValue => {
      if (!(cls instanceof PyClass)) throw pyErr('TypeError', 'model() expects a class');
      const info = describeClass(cls);
      rec.models.push(info);
      rec.modelClasses.push(cls);
      if (opts.size) rec.events.push(`model-options:${[...opts.keys()].join(',')}`);
      return cls;
    };
    return new SimpleHostObject('DataFlow', {
      model: (margs, mkw) => {
        if (margs.length === 1 && margs[0] instanceof PyClass) return register(margs[0], mkw);
        return hostFunction('model', (cargs) => register(cargs[0], mkw));
      },
      register_model: (margs) => register(margs[0], new Map()),
      add_node: (margs, mkw, ctx) => {
        const [wf, model, op, id, params] = margs;
        if (!(wf instanceof FakeBuilder)) throw pyErr('TypeError', 'add_node needs a WorkflowBuilder');
        return wf.callMethod('add_node', [`${String(model)}${String(op)}Node`, id, params ?? new PyDict()], mkw, ctx) as PyValue;
      },
      initialize: async () => null,
    }, { express: makeExpress(false), express_sync: makeExpress(true) });
  });
  const WorkflowBuilder = hostClass('WorkflowBuilder', () => new FakeBuilder(rec));
  const LocalRuntime = hostClass('LocalRuntime', () => new FakeRuntime(rec));
  return {
    dataflow: { DataFlow },
    'kailash.workflow.builder': { WorkflowBuilder, WorkflowValidationError },
    'kailash.runtime.local': { LocalRuntime },
    'kailash.runtime': { LocalRuntime, AsyncLocalRuntime: LocalRuntime },
  };
}
