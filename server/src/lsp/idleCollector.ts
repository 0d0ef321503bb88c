// Gives memory back once the server goes idle. V8 collects the old generation only when it has
// grown past a limit that itself grows with the heap, so after a few opens of a large file the
// server keeps their garbage (a 10,000-line file opened ten times and edited: 200 MiB resident, of
// which 113 MiB heap, 34 MiB of it live) until the next burst of work. When no work has come for
// IDLE_MS after some, a full collection frees it, and a second one IDLE_MS later lets V8 shrink the
// heap it no longer needs (measured: 200 -> 174 -> 132 MiB; the second collection is what returns
// pages). Collections run only when the process was started with --expose-gc (SERVER_EXEC_ARGV),
// never during work: any new work postpones them.

/** Quiet time after the last work before collecting (ms). */
export const IDLE_MS = 1000;

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private rounds = 0;
  /** How many collections ran (for tests and the log). */
  collections = 0;

  constructor(
    private readonly gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
    private readonly log: (msg: string) => void = () => undefined,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** True when collections can run (the process exposes `gc`). */
  get enabled(): boolean { return !!this.gc; }

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
    const started = performance.now();
    this.gc!();
    this.collections++;
    const after = process.memoryUsage();
    const mib = (n: number) => (n / 1048576).toFixed(1);
    this.log(`idle collection ${this.collections}: heap used ${mib(before.heapUsed)} -> ${mib(after.heapUsed)} MiB, heap total ${mib(before.heapTotal)} -> ${mib(after.heapTotal)} MiB, resident ${mib(before.rss)} MiB, in ${(performance.now() - started).toFixed(1)} ms`);
    if (--this.rounds > 0) this.arm();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
