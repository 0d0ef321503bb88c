import { decorateStatement, type SqlCommenter } from './sqlComment';
import type { HookOptions, QueryOptions, StatementEvent, StatementHook } from './types';

/** Holds the statement hooks (and the sqlcommenter) of one database and delivers events to them. */
export class StatementHooks {
  private readonly hooks: { fn: StatementHook; awaitResult: boolean }[] = [];
  private commenter: SqlCommenter | undefined;

  /** Install a commenter; returns a function that restores the previous one. */
  setCommenter(commenter: SqlCommenter | undefined): () => void {
    const previous = this.commenter;
    this.commenter = commenter;
    return () => {
      if (this.commenter === commenter) this.commenter = previous;
    };
  }

  /** The text to send for a statement: with its sqlcommenter comment, when there is one. */
  decorate(sql: string, options: QueryOptions): { text: string; comment?: string } {
    if (!this.commenter && !options.attribution) return { text: sql };
    return decorateStatement(this.commenter, { sql, tag: options.tag, attribution: options.attribution });
  }

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
