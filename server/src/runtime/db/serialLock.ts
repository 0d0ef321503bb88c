/** A FIFO mutex: PGlite has one connection, so statements and transactions take turns. */
export class SerialLock {
  private tail: Promise<void> = Promise.resolve();
  private held = false;

  get isHeld(): boolean {
    return this.held;
  }

  /** Wait for the lock; resolves to the release function. Rejects if the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    return new Promise<() => void>((resolve, reject) => {
      let aborted = false;
      const onAbort = (): void => {
        aborted = true;
        reject(new QueryCancelledError('statement cancelled before it started'));
      };
      if (signal) {
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
      void prev.then(() => {
        signal?.removeEventListener('abort', onAbort);
        if (aborted) {
          release();
          return;
        }
        this.held = true;
        let done = false;
        resolve(() => {
          if (done) return;
          done = true;
          this.held = false;
          release();
        });
      });
    });
  }
}

export class QueryCancelledError extends Error {
  readonly code = '57014';
  constructor(message: string) {
    super(message);
    this.name = 'QueryCancelledError';
  }
}
