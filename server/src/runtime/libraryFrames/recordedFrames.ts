/**
 * The real traceback frames of the raises the runtime models in TypeScript. When user code catches
 * an exception LocalRuntime.execute or WorkflowBuilder.add_connection raised, CPython's
 * `e.__traceback__` goes on past the user's call into kailash's (and asyncio's) own frames; the
 * evaluator does not run those, so their chain comes from a recording made with the real kailash
 * 2.63 / DataFlow 2.20 (recordedFrames.generated.ts, written by scripts/record-library-frames.mjs),
 * keyed by the raise site. A raise site without a recording has no frames here: walking past the
 * user's call then stays "not modelled".
 */
import type { LibraryTracebackFrame } from '../python/values';
import { RECORDED_FRAMES } from './recordedFrames.generated';

/** One recorded frame: the file relative to its package root (kailash/..., dataflow/...) or to the standard library (asyncio/...). */
export interface RecordedFrame {
  root: 'kailash' | 'dataflow' | 'stdlib';
  file: string;
  line: number;
  /** co_name, and co_qualname */
  function: string;
  qualname: string;
}

export interface RecordedChain {
  /** The recording script's scenario (scripts/record_library_frames.py). */
  scenario: string;
  /** What the real library raised there, and the first line of its message. */
  raised: string;
  message: string;
  /** Outermost (the library function the user called) first, as traceback.extract_tb lists them. */
  frames: RecordedFrame[];
}

/** The real file of a recorded frame on this machine (the library's found source), or undefined. */
export type LibraryFileLocator = (root: RecordedFrame['root'], file: string) => string | undefined;

/**
 * Where a modelled error was raised: `what` is the raise inside the library (set where the runtime
 * throws it), `entry` the library call the user made (set by the binding that made it).
 */
export interface RaiseSite {
  entry: string;
  what: string;
}

/** Library calls whose frames differ inside a running event loop (LocalRuntime.execute then runs the workflow in a thread). */
const LOOP_SENSITIVE: ReadonlySet<string> = new Set(['LocalRuntime.execute', 'AsyncLocalRuntime.execute']);

/** The key of a raise site in the recording. */
export function raiseSiteKey(site: RaiseSite, inRunningLoop: boolean): string {
  return `${site.entry}${inRunningLoop && LOOP_SENSITIVE.has(site.entry) ? ' [running event loop]' : ''}: ${site.what}`;
}

/**
 * The recorded frames of a raise site, each file the real path of that library file when `locate`
 * finds the library's source, else the path as recorded; undefined when the site was not recorded.
 */
export function recordedFrames(key: string, locate?: LibraryFileLocator): LibraryTracebackFrame[] | undefined {
  const chain = Object.prototype.hasOwnProperty.call(RECORDED_FRAMES, key) ? RECORDED_FRAMES[key] : undefined;
  if (!chain) return undefined;
  return chain.frames.map((f) => ({ file: locate?.(f.root, f.file) ?? f.file, line: f.line, function: f.function, qualname: f.qualname }));
}

