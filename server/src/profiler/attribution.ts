/**
 * Which run and node a statement belongs to, and the sqlcommenter attribution it is sent with.
 * The workflow runtime tags each statement with its node's id (AsyncLocalRuntime runs several at once); the
 * profiler learns the node's type and location from executeWorkflow's onNodeStart / onNodeEnd.
 */
import * as path from 'node:path';
import { encodeCommentValue, isProfilerTag, type SqlCommenter } from '../runtime/db/sqlComment';
import type { NodeRun, SourceLocation } from '../runtime/workflow/types';

export interface RunTrack {
  index: number;
  workflowId?: string;
  location?: SourceLocation;
  /** performance.now() at the start / end of the run. */
  start: number;
  end?: number;
  nodes: NodeRun[];
  /** Index of this run in the RunRecorder passed with it (its runCount at the start). */
  recorderIndex?: number;
  error?: { type: string; message: string };
  /** AsyncLocalRuntime runs: max_concurrent_nodes (its levels' nodes ran this many at a time at most). */
  maxConcurrentNodes?: number;
}

export interface NodeOrigin {
  run: number;
  nodeId: string;
  type: string;
  location?: SourceLocation;
  /** The innermost loop around the node (its add_node call, else the execute() call). */
  loop?: { kind: 'for' | 'while' | 'comprehension'; line: number; iteration?: number };
  loopFile?: string;
  workflowId?: string;
  /** The sqlcommenter comment of the node's statements, formatted at its first statement. */
  comment?: string;
}

/** The innermost loop of a node: its own call site's loops, else the run's execute() call site's. */
export function innermostLoop(node?: SourceLocation, run?: SourceLocation): { loop: NonNullable<NodeOrigin['loop']>; file?: string } | undefined {
  for (const loc of [node, run]) {
    const loops = loc?.loops;
    if (loops && loops.length) return { loop: loops[loops.length - 1], file: loc.file };
  }
  return undefined;
}

/** `jobs.py:12` for the df_file key (a path's base name: no directories in database logs). */
export function fileRef(loc?: SourceLocation): string | undefined {
  if (!loc) return undefined;
  const file = loc.file ? (path.isAbsolute(loc.file) ? path.basename(loc.file) : loc.file) : undefined;
  return file ? `${file}:${loc.line}` : `line ${loc.line}`;
}

/**
 * A node's comment: what formatSqlComment makes of { df_file, df_node, df_node_type, df_workflow },
 * written out in that (sorted) order without building the object. It runs for every node of a
 * profiled run, at its first statement; the generic formatter cost 3 µs there.
 */
export function nodeComment(n: Pick<NodeOrigin, 'workflowId' | 'nodeId' | 'type' | 'location'>): string {
  let out = '';
  const add = (key: string, value: string | undefined): void => {
    if (value) out += (out ? ",df_" : '/*df_') + key + "='" + encodeCommentValue(value) + "'";
  };
  add('file', fileRef(n.location));
  add('node', n.nodeId);
  add('node_type', n.type);
  add('workflow', n.workflowId);
  return out ? out + '*/' : '';
}

export class AttributionTracker {
  readonly runs: RunTrack[] = [];
  currentRun?: RunTrack;
  /** The nodes running now by id (AsyncLocalRuntime runs a level's nodes at the same time). */
  private readonly activeNodes = new Map<string, NodeOrigin>();

  startRun(run: Omit<RunTrack, 'index' | 'nodes' | 'start'>): RunTrack {
    const track: RunTrack = { ...run, index: this.runs.length, start: performance.now(), nodes: [] };
    this.runs.push(track);
    this.currentRun = track;
    return track;
  }

  endRun(track: RunTrack): void {
    track.end ??= performance.now();
    if (this.currentRun === track) this.currentRun = undefined;
    this.activeNodes.clear();
  }

  nodeStart(track: RunTrack, node: { id: string; type: string; location?: SourceLocation }): void {
    const l = innermostLoop(node.location, track.location);
    this.activeNodes.set(node.id, {
      run: track.index,
      nodeId: node.id,
      type: node.type,
      location: node.location,
      loop: l?.loop,
      loopFile: l?.file,
      workflowId: track.workflowId,
    });
  }

  nodeEnd(track: RunTrack, run: NodeRun): void {
    track.nodes.push(run);
    track.end = performance.now();
    this.activeNodes.delete(run.id);
  }

  /** The node a statement with this tag belongs to (one running now, when the tag names it). */
  originOf(tag: string | undefined): NodeOrigin | undefined {
    return tag === undefined ? undefined : this.activeNodes.get(tag);
  }

  /** sqlcommenter attribution: df_workflow, df_node, df_node_type, df_file; df_tag for other tagged statements. */
  readonly commenter: SqlCommenter = ({ tag, attribution }) => {
    if (attribution) return attribution;
    const n = this.originOf(tag);
    if (n) return (n.comment ??= nodeComment(n));
    if (tag === undefined) return undefined;
    return isProfilerTag(tag) ? { df_tag: 'dataflow:profiler' } : { df_tag: tag };
  };
}
