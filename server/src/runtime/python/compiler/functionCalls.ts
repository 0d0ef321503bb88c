/** Calling compiled functions: binding arguments to parameters, frames, generators and coroutines. */
import { inLoopsMadeIn, loopsMadeIn } from '../coroutineLoops';
import { GeneratorRun } from '../generatorRun';
import { PyGenerator } from '../generatorObject';
import {
  Env,
  EvaluationLimitError,
  IterResult,
  Kwargs,
  PyCoroutine,
  PyDict,
  PyException,
  PyFunction,
  PyIterator,
  PyTuple,
  PyValue,
  STOP,
  SourceLocation,
  UnsupportedPythonError,
  pyErr,
} from '../values';
import { Frame, Interp, RETURN } from '../runtime';
import { callHooks } from '../protocols/calls';
import { type CompiledCode } from './types';
import { then } from './steps';

function bindArgs(fn: PyFunction, args: PyValue[], kwargs: Kwargs | null): (PyValue | undefined)[] {
  const code = fn.code;
  const p = code.params;
  const vars = new Array<PyValue | undefined>(code.nslots);
  const np = p.posCount;
  const nargs = args.length;
  if (nargs > np) {
    if (p.varargSlot < 0) {
      const nd = p.defaultCount;
      const takes = nd ? `from ${np - nd} to ${np}` : `${np}`;
      throw pyErr('TypeError', `${code.qualname}() takes ${takes} positional argument${np === 1 && !nd ? '' : 's'} but ${nargs} ${nargs === 1 ? 'was' : 'were'} given`);
    }
    vars[p.varargSlot] = new PyTuple(args.slice(np));
    for (let i = 0; i < np; i++) vars[i] = args[i];
  } else {
    for (let i = 0; i < nargs; i++) vars[i] = args[i];
    if (p.varargSlot >= 0) vars[p.varargSlot] = new PyTuple([]);
  }
  let extra: PyDict | undefined;
  if (p.kwargSlot >= 0) vars[p.kwargSlot] = extra = new PyDict();
  if (kwargs !== null && kwargs.size > 0) {
    for (const [k, v] of kwargs) {
      const slot = p.byName.get(k);
      if (slot === undefined) {
        if (extra) {
          extra.set(k, v);
          continue;
        }
        if (p.names.indexOf(k) >= 0 && p.names.indexOf(k) < p.posOnlyCount) throw pyErr('TypeError', `${code.qualname}() got some positional-only arguments passed as keyword arguments: '${k}'`);
        throw pyErr('TypeError', `${code.qualname}() got an unexpected keyword argument '${k}'`);
      }
      if (vars[slot] !== undefined) throw pyErr('TypeError', `${code.qualname}() got multiple values for argument '${k}'`);
      vars[slot] = v;
    }
  }
  if (nargs < np) {
    const firstDefault = np - p.defaultCount;
    let missing: string[] | undefined;
    for (let i = nargs; i < np; i++) {
      if (vars[i] === undefined) {
        if (i >= firstDefault) vars[i] = fn.defaults[i - firstDefault];
        else (missing ??= []).push(p.names[i]);
      }
    }
    if (missing) throw pyErr('TypeError', `${code.qualname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${listNames(missing)}`);
  }
  if (p.kwOnlyCount) {
    let missing: string[] | undefined;
    for (let i = p.kwOnlyStart; i < p.kwOnlyStart + p.kwOnlyCount; i++) {
      if (vars[i] === undefined) {
        const nm = p.names[i];
        const d = fn.kwDefaults.get(nm);
        if (d !== undefined) vars[i] = d;
        else (missing ??= []).push(nm);
      }
    }
    if (missing) throw pyErr('TypeError', `${code.qualname}() missing ${missing.length} required keyword-only argument${missing.length > 1 ? 's' : ''}: ${listNames(missing)}`);
  }
  return vars;
}

function listNames(xs: string[]): string {
  const q = xs.map((x) => `'${x}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return q.slice(0, -1).join(', ') + ', and ' + q[q.length - 1];
}

/** Records a traceback entry for the frame an exception is leaving. */
export function recordTraceback(e: unknown, frame: Frame): unknown {
  if (e instanceof PyException) {
    if (!e.recorded.has(frame)) {
      e.recorded.add(frame);
      e.traceback.push({ file: frame.file, line: frame.stmt.line, column: frame.stmt.column, function: frame.name });
    }
  } else if (e instanceof UnsupportedPythonError) e.locate(frame.stmt);
  else if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new EvaluationLimitError('depth', frame.stmt, 'JavaScript stack exhausted (recursion too deep)');
  }
  return e;
}

function callFunction(interp: Interp, fn: PyFunction, args: PyValue[], kwargs: Kwargs | null, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const code = fn.code as CompiledCode;
  const env: Env = { v: bindArgs(fn, args, kwargs), up: fn.env };
  if (code.yieldLoc) return new PyGenerator(new GeneratorRun((run) => runFunctionBody(interp, fn, env, code, run)), code.qualname, code.isAsync);
  if (code.isAsync) {
    const made = loopsMadeIn(interp);
    return new PyCoroutine(code.qualname, () => inLoopsMadeIn(interp, made, () => runFunction(interp, fn, env, loc)));
  }
  return runFunction(interp, fn, env, loc);
}

function runFunction(interp: Interp, fn: PyFunction, env: Env, loc: SourceLocation | undefined): PyValue | Promise<PyValue> {
  const code = fn.code as CompiledCode;
  if (interp.depth >= interp.limits.maxDepth) throw new EvaluationLimitError('depth', loc ?? code.loc, `Recursion depth limit exceeded (${interp.limits.maxDepth} nested calls, calling ${code.qualname}())`);
  if ((++interp.calls & 1023) === 0) {
    const y = interp.slowCheck(loc);
    if (y) return y.then(() => runFunctionBody(interp, fn, env, code));
  }
  return runFunctionBody(interp, fn, env, code);
}

/** `yield from it` inside a generator: delegates next/send/throw to `it`; its value is the sub-generator's return value. */
/**
 * While a generator is suspended at a `yield`, its frames and loops leave the evaluator's stacks
 * (the consumer's call sites and tracebacks must not show them); they are put back on top of the
 * consumer's stacks when it resumes the generator, as CPython pushes a generator's frame on resume.
 */
export function suspendAt(interp: Interp, run: GeneratorRun, wait: (run: GeneratorRun) => Promise<PyValue>): Promise<PyValue> {
  const frames = interp.frames.splice(run.baseFrames);
  const loops = interp.loops.splice(run.baseLoops);
  interp.depth -= frames.length;
  const restore = () => {
    run.baseFrames = interp.frames.length;
    run.baseLoops = interp.loops.length;
    interp.frames.push(...frames);
    interp.loops.push(...loops);
    interp.depth += frames.length;
  };
  return wait(run).then(
    (sent) => {
      restore();
      return sent;
    },
    (e) => {
      restore();
      throw e;
    },
  );
}

export function yieldFrom(interp: Interp, run: GeneratorRun, it: PyIterator): Promise<PyValue> | PyValue {
  const gen = it instanceof PyGenerator ? it : undefined;
  const step = (r: IterResult | Promise<IterResult>): PyValue | Promise<PyValue> => {
    if (r instanceof Promise) return r.then(step);
    if (r === STOP) return gen ? gen.run.returnValue : null;
    return suspendAt(interp, run, (g) => g.yield(r)).then(
      (sent) => step(gen && sent !== null ? gen.sendStep(sent) : it.next()),
      (e) => {
        if (gen && e instanceof PyException) {
          if (e.pyType === 'GeneratorExit') return then(gen.close(), () => Promise.reject(e));
          return step(gen.throwStep(e));
        }
        throw e;
      },
    );
  };
  return step(it.next());
}

/** Runs a generator function's body step by step (pytest yield fixtures; see generatorRun.ts). */
export function startGenerator(interp: Interp, fn: PyFunction, args: PyValue[], kwargs: Kwargs | null): GeneratorRun {
  const code = fn.code as CompiledCode;
  return new GeneratorRun((run) => runFunctionBody(interp, fn, { v: bindArgs(fn, args, kwargs), up: fn.env }, code, run));
}

function runFunctionBody(interp: Interp, fn: PyFunction, env: Env, code: CompiledCode, generatorRun?: GeneratorRun): PyValue | Promise<PyValue> {
  const frame = new Frame(interp, fn.globals, env, fn, null, code.qualname, code.file, code.loc);
  if (generatorRun) {
    (frame as Frame & { generatorRun?: GeneratorRun }).generatorRun = generatorRun;
    generatorRun.baseFrames = interp.frames.length;
    generatorRun.baseLoops = interp.loops.length;
  }
  interp.depth++;
  const fdepth0 = interp.frames.length;
  // A generator may be resumed at another stack depth: its frame then starts at its run's current base.
  const fdepthOf = () => (generatorRun ? generatorRun.baseFrames : fdepth0);
  interp.frames.push(frame);
  let r: unknown;
  try {
    r = code.body ? code.body(frame) : code.expr!(frame);
  } catch (e) {
    interp.depth--;
    interp.frames.length = fdepthOf();
    throw recordTraceback(e, frame);
  }
  if (r instanceof Promise)
    return r.then(
      (c) => {
        interp.depth--;
        interp.frames.length = fdepthOf();
        return code.expr ? (c as PyValue) : c === RETURN ? frame.retval : null;
      },
      (e) => {
        interp.depth--;
        interp.frames.length = fdepthOf();
        throw recordTraceback(e, frame);
      },
    );
  interp.depth--;
  interp.frames.length = fdepthOf();
  if (code.expr) return r as PyValue;
  return r === RETURN ? frame.retval : null;
}

callHooks.callFunction = callFunction;
