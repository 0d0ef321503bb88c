// Gives memory back once the server goes idle. V8 collects the old generation only when it has
// grown past a limit that itself grows with the heap, so after a few opens of a large file the
// server keeps their garbage (a 10,000-line file opened ten times and edited: 200 MiB resident, of
// which 113 MiB heap, 34 MiB of it live) until the next burst of work. When no work has come for
// IDLE_MS after some, a full collection frees it, and a second one IDLE_MS later lets V8 shrink the
// heap it no longer needs (measured: 200 -> 174 -> 132 MiB; the second collection is what returns
// pages; on a heap up to COMPACT_MAX_HEAP_MIB they also compact the old generation).
// Collections run only when the process was started with --expose-gc (SERVER_EXEC_ARGV),
// never during work (any new work postpones them), and only when the heap has grown by more than
// max(MIN_GROWTH_MIB, GROWTH_SHARE of what was live after the last one) since: a pause in typing
// leaves little garbage, and a full collection of a large workspace's heap costs its own time.

import * as v8 from 'node:v8';

/** Quiet time after the last work before collecting (ms). */
export const IDLE_MS = 1000;
/** The least growth of the heap (MiB) since the last collection that makes one worth it. */
export const MIN_GROWTH_MIB = 8;
/** ... or this share of the heap that was live after the last collection, if more. */
export const GROWTH_SHARE = 0.2;
/**
 * Up to this heap size (MiB) an idle collection also compacts the old generation: V8 otherwise
 * keeps the pages its objects are spread over until its own memory reducer runs, 8 s after the
 * last full collection (the 10,000-line bench file open: 22.5 MiB of pages for 17.7 MiB of
 * objects; resident 102 -> 99.5 MiB at idle 3 s). Compacting copies the live objects of those
 * pages, which a large workspace's heap pays with a peak of its size (8,000 files: 159 -> 264 MiB)
 * and the copying time, so above this size the collections do not compact.
 */
export const COMPACT_MAX_HEAP_MIB = 64;

const MIB = 1048576;

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private rounds = 0;
  /** Heap used after the last collection (bytes). */
  private live = 0;
  /** How many collections ran (for tests and the log). */
  collections = 0;

  private readonly gc: (() => void) | undefined;
  private readonly log: (msg: string) => void;
  private readonly idleMs: number;
  private readonly minGrowth: number;

  /** `gc`: the process's (undefined without --expose-gc); the rest default to the constants above. */
  constructor(options: { gc?: () => void; log?: (msg: string) => void; idleMs?: number; minGrowthMiB?: number } = {}) {
    this.gc = 'gc' in options ? options.gc : (globalThis as { gc?: () => void }).gc;
    this.log = options.log ?? (() => undefined);
    this.idleMs = options.idleMs ?? IDLE_MS;
    this.minGrowth = (options.minGrowthMiB ?? MIN_GROWTH_MIB) * MIB;
  }

  /** Work happened: collect after the next quiet IDLE_MS (twice, IDLE_MS apart). */
  touch(): void {
    if (!this.gc) return;
    this.rounds = 2;
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.collect(), this.idleMs);
    this.timer.unref();
  }

  private collect(): void {
    this.timer = undefined;
    const before = process.memoryUsage();
    // The first of the two rounds decides: not worth a full collection for a little garbage.
    if (this.rounds === 2 && before.heapUsed - this.live < Math.max(this.minGrowth, GROWTH_SHARE * this.live)) {
      this.rounds = 0;
      return;
    }
    const started = performance.now();
    // V8 reads the flag when the collection starts; the server sets it only around its own.
    const compact = before.heapTotal <= COMPACT_MAX_HEAP_MIB * MIB;
    if (compact) v8.setFlagsFromString('--compact-on-every-full-gc');
    try { this.gc!(); } finally { if (compact) v8.setFlagsFromString('--no-compact-on-every-full-gc'); }
    this.collections++;
    const after = process.memoryUsage();
    this.live = after.heapUsed;
    const mib = (n: number) => (n / MIB).toFixed(1);
    this.log(`idle collection ${this.collections}: heap used ${mib(before.heapUsed)} -> ${mib(after.heapUsed)} MiB, heap total ${mib(before.heapTotal)} -> ${mib(after.heapTotal)} MiB, resident ${mib(before.rss)} MiB, in ${(performance.now() - started).toFixed(1)} ms`);
    if (--this.rounds > 0) this.arm();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
