/**
 * An exception's `__traceback__`: the chain of traceback objects (tb_frame, tb_lineno, tb_next) from
 * the frame that caught it down to the frame that raised it, built from the evaluator's own record
 * of the frames it ran. Frames the runtime does not run are not invented: when the exception was
 * raised inside code the runtime models in TypeScript (DataFlow, Kailash, a standard-library module
 * that is Python code in CPython), the real chain goes on into that code's frames. Where the raise
 * carries that chain as recorded from the real library (libraryFrames/), the traceback goes on
 * into those frames (file, line and function name, nothing else of them); otherwise walking past
 * the last evaluated frame is unsupported (exit 2). Builtins (C in CPython) add no frames.
 */
import { HostObject, type HostContext } from './host';
import { LibraryTracebackFrame, PyException, PyInstance, PyValue, TracebackEntry, UnsupportedPythonError, raisedExceptions } from './values';

/** A frame of the chain: one the evaluator ran, or a recorded library frame. */
type ChainEntry = TracebackEntry | (LibraryTracebackFrame & { library: true });

function isLibrary(e: ChainEntry): e is LibraryTracebackFrame & { library: true } {
  return (e as { library?: boolean }).library === true;
}

/** Attributes of a recorded library frame other than its file, line and names were not recorded. */
function unrecorded(what: string, e: LibraryTracebackFrame, ctx: HostContext): UnsupportedPythonError {
  return new UnsupportedPythonError(
    `${what} of a frame inside library code (${e.file}:${e.line}, in ${e.function})`,
    ctx?.loc,
    'the runtime models that code in TypeScript; of its real frames only the file, line and function name were recorded from the real library',
  );
}

/** Tags a host error with the recorded library frames its raise continues into (read back by the evaluator's hostError). */
export function withLibraryFrames<E>(err: E, frames: LibraryTracebackFrame[] | undefined): E {
  if (frames && err && typeof err === 'object') (err as E & { libraryFrames?: LibraryTracebackFrame[] }).libraryFrames = frames;
  return err;
}

/** The recorded library frames a host error was tagged with, if any. */
export function libraryFramesOf(e: unknown): LibraryTracebackFrame[] | undefined {
  const f = e && typeof e === 'object' ? (e as { libraryFrames?: unknown }).libraryFrames : undefined;
  return Array.isArray(f) ? (f as LibraryTracebackFrame[]) : undefined;
}

class CodeObject extends HostObject {
  constructor(readonly entry: ChainEntry) {
    super();
  }
  override get typeName(): string {
    return 'code';
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    const e = this.entry;
    if (name === 'co_filename') return e.file;
    if (isLibrary(e)) {
      if (name === 'co_name') return e.function;
      if (name === 'co_qualname' && e.qualname !== undefined) return e.qualname;
      if (name.startsWith('co_')) throw unrecorded(`\`code.${name}\``, e, ctx);
      return undefined;
    }
    // The evaluator records qualified names ('f.<locals>.<lambda>'); co_name is the last part, co_qualname all of it.
    if (name === 'co_name') return e.function.split('.').pop()!;
    if (name === 'co_qualname') return e.function;
    return undefined;
  }
  override repr(): string {
    return `<code object ${this.entry.function}, file "${this.entry.file}">`;
  }
}

class FrameObject extends HostObject {
  constructor(readonly entry: ChainEntry) {
    super();
  }
  override get typeName(): string {
    return 'frame';
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    if (name === 'f_code') return new CodeObject(this.entry);
    if (name === 'f_lineno') return this.entry.line;
    if (isLibrary(this.entry) && name.startsWith('f_')) throw unrecorded(`\`frame.${name}\``, this.entry, ctx);
    return undefined;
  }
  override repr(): string {
    return `<frame, file '${this.entry.file}', line ${this.entry.line}, code ${this.entry.function}>`;
  }
}

class TracebackObject extends HostObject {
  constructor(
    readonly entries: ChainEntry[],
    readonly index: number,
    /** The chain goes on into frames the runtime does not run (the exception left modelled code). */
    readonly continues: boolean,
  ) {
    super();
  }
  override get typeName(): string {
    return 'traceback';
  }
  override getAttr(name: string, ctx: HostContext): PyValue | undefined {
    const e = this.entries[this.index];
    switch (name) {
      case 'tb_frame': return new FrameObject(e);
      case 'tb_lineno': return e.line;
      case 'tb_next':
        if (this.index + 1 < this.entries.length) return new TracebackObject(this.entries, this.index + 1, this.continues);
        if (this.continues)
          throw new UnsupportedPythonError(
            'the traceback frames inside DataFlow/Kailash or standard-library code',
            ctx?.loc,
            `the exception was raised inside code the runtime models in TypeScript (called at ${e.file}:${e.line}); the real traceback goes on into that library's own frames`,
          );
        return null;
    }
    return undefined;
  }
  override repr(): string {
    return `<traceback object>`;
  }
}

/** `exc.__traceback__`: None for an exception never raised. */
export function tracebackOf(exc: PyInstance): PyValue {
  const pe: PyException | undefined = raisedExceptions.get(exc);
  if (!pe || !pe.traceback.length) return null;
  // The evaluator records frames innermost first; a traceback runs outermost (the catching frame) first.
  const origin = pe.modelledOrigin;
  const reliable = origin ? pe.traceback.slice(origin.boundary) : pe.traceback;
  if (!reliable.length) return null;
  const library: ChainEntry[] = (origin?.frames ?? []).map((f) => ({ ...f, library: true as const }));
  return new TracebackObject([...([...reliable].reverse() as ChainEntry[]), ...library], 0, !!origin && !origin.frames);
}
