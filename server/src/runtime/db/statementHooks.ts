import type { HookOptions, StatementEvent, StatementHook } from './types';

/** Holds the statement hooks of one database and delivers events to them. */
export class StatementHooks {
  private readonly hooks: { fn: StatementHook; awaitResult: boolean }[] = [];

  add(fn: StatementHook, options: HookOptions = {}): () => void {
    const entry = { fn, awaitResult: options.awaitResult === true };
    this.hooks.push(entry);
    return () => {
      const i = this.hooks.indexOf(entry);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /** Deliver an event. A hook that throws never breaks the statement; awaited hooks are awaited. */
  async emit(event: StatementEvent): Promise<void> {
    for (const h of [...this.hooks]) {
      try {
        const r = h.fn(event);
        if (h.awaitResult && r && typeof (r as Promise<void>).then === 'function') await r;
      } catch {
        // observers must not change the outcome of a statement
      }
    }
  }

  get size(): number {
    return this.hooks.length;
  }
}

/** The verb of a SQL statement, used when a driver does not report one. */
export function commandOf(sql: string): string {
  const m = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(sql);
  return m ? m[1].toUpperCase() : '';
}
