/** What compiled code is made of (expression and statement closures, completions) and the hooks evaluate.ts installs. */
import { ClassAnnotation, DecoratorInfo, FunctionCode, PyValue, SourceLocation } from '../values';
import { Frame, Interp, RETURN } from '../runtime';

export type Completion = undefined | number;
export type Ex = (f: Frame) => PyValue | Promise<PyValue>;
export type St = (f: Frame) => Completion | Promise<Completion>;
export type Assign = (f: Frame, v: PyValue) => void | Promise<void>;

export const BREAK = 1;
export const CONTINUE = 2;
export { RETURN };


/** Import hook implemented by evaluate.ts: returns the module object (or opaque) for a dotted name. */
export interface ImportHooks {
  importModule(interp: Interp, name: string, level: number, importer: Frame, loc: SourceLocation): PyValue | Promise<PyValue>;
  /** `from mod import name`: the attribute or submodule. */
  importFrom(interp: Interp, mod: PyValue, modName: string, name: string, loc: SourceLocation): PyValue | Promise<PyValue>;
  createClass(interp: Interp, spec: ClassSpec): PyValue | Promise<PyValue>;
}

export interface ClassSpec {
  name: string;
  qualname: string;
  module: string;
  bases: PyValue[];
  kwargs: Map<string, PyValue>;
  ns: Map<string, PyValue>;
  annotations: ClassAnnotation[];
  decorators: DecoratorInfo[];
  loc: SourceLocation;
}

export const importHooks: ImportHooks = {
  importModule: () => {
    throw new Error('import hooks not installed');
  },
  importFrom: () => {
    throw new Error('import hooks not installed');
  },
  createClass: () => {
    throw new Error('class hooks not installed');
  },
};

export interface CompiledModule {
  file: string;
  source: string;
  body: St;
  loc: SourceLocation;
  /** Top-level `if __name__ == "__main__":` blocks. */
  hasMainBlock: boolean;
}

export interface CompiledCode extends FunctionCode {
  body?: St;
  expr?: Ex;
  /** Positional parameter count without defaults etc. are in params. */
}
