// exec(code, globals, locals) inside a running evaluation: the code string is parsed and compiled
// once per interpreter and source, then run in a frame of the same interpreter, so it shares the
// evaluation's bounds (loop iterations, wall time, call depth, sizes) and its module system.
import type { Tree } from 'web-tree-sitter';
import { createPythonParser, initPython } from '../../syntax/parser';
import { Compiler } from './compiler';
import { recordTraceback } from './compiler/functionCalls';
import { type CompiledModule } from './compiler/types';
import { Frame, type Interp } from './runtime';
import type { PyValue } from './values';

export interface CompiledExec {
  code: CompiledModule;
  /** Kept alive: locations of the compiled code point into it. */
  tree: Tree;
}

const compiledByInterp = new WeakMap<Interp, Map<string, CompiledExec>>();

/** Parses and compiles `source` for exec (PythonSyntaxError on a syntax error); cached per interpreter. */
export async function compileExec(interp: Interp, source: string, fileName: string): Promise<CompiledExec> {
  let cache = compiledByInterp.get(interp);
  if (!cache) compiledByInterp.set(interp, (cache = new Map()));
  const key = `${fileName}\0${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  await initPython();
  const parser = createPythonParser();
  const tree = parser.parse(source);
  parser.delete();
  if (!tree) throw new Error('tree-sitter failed to parse the code string');
  try {
    const code = new Compiler(source, fileName).compileExec(tree.rootNode);
    const compiled = { code, tree };
    cache.set(key, compiled);
    return compiled;
  } catch (e) {
    tree.delete();
    throw e;
  }
}

/**
 * Runs compiled exec code: top-level names are bound in `locals`, other names resolve through
 * `locals`, `globals`, then the builtins. Python exceptions carry the traceback of `fileName`.
 */
export async function runExec(interp: Interp, code: CompiledModule, globals: Map<string, PyValue>, locals: Map<string, PyValue>): Promise<void> {
  const frame = new Frame(interp, globals, null, null, locals, '<module>', code.file, code.loc);
  const depth = interp.frames.length;
  interp.frames.push(frame);
  try {
    const r = code.body(frame);
    if (r instanceof Promise) await r;
  } catch (e) {
    throw recordTraceback(e, frame);
  } finally {
    interp.frames.length = depth;
  }
}
