// One database of its own on a shared connection: every statement runs with the search_path set to
// a private schema. Each `DataFlow(":memory:")` (and `DataFlow()` without a URL, DataFlow's
// in-memory SQLite) is a separate database in DataFlow: two such instances never see each other's
// rows. The runtime gives each one after the first such a schema on the same PGlite / PostgreSQL.
import { quoteIdent } from './quoteIdent';
import type { Database, DbTransaction, HookOptions, QueryOptions, QueryResult, Queryable, SqlParam, StatementHook } from './types';
import type { SqlCommenter } from './sqlComment';

export class ScopedDatabase implements Database {
  private constructor(private readonly base: Database, readonly schema: string) {}

  /** A fresh, empty schema `schema` on `base` (dropped first if a previous run left it). */
  static async create(base: Database, schema: string): Promise<ScopedDatabase> {
    if (schema === base.schema || schema === 'public') throw new Error(`refusing to scope a database to its working schema '${schema}'`);
    await base.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`, [], { tag: 'runtime:in-memory-database' });
    await base.query(`CREATE SCHEMA ${quoteIdent(schema)}`, [], { tag: 'runtime:in-memory-database' });
    return new ScopedDatabase(base, schema);
  }

  get kind(): Database['kind'] { return this.base.kind; }
  get embedded(): boolean { return this.base.embedded; }
  get description(): string { return `${this.base.description}, schema ${this.schema}`; }

  private opts(options?: QueryOptions): QueryOptions { return { ...options, schema: this.schema }; }

  query(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<QueryResult> {
    return this.base.query(sql, params, this.opts(options));
  }

  begin(options?: QueryOptions): Promise<DbTransaction> {
    return this.base.begin(this.opts(options));
  }

  withConnection<T>(fn: (conn: Queryable & { readonly connectionId: number }) => Promise<T>): Promise<T> {
    return this.base.withConnection((conn) => fn({ connectionId: conn.connectionId, query: (sql, params, o) => conn.query(sql, params, this.opts(o)) }));
  }

  onStatement(hook: StatementHook, options?: HookOptions): () => void { return this.base.onStatement(hook, options); }

  setSqlCommenter(commenter: SqlCommenter | undefined): () => void {
    return this.base.setSqlCommenter ? this.base.setSqlCommenter(commenter) : () => undefined;
  }

  async resetSchema(): Promise<void> {
    const s = quoteIdent(this.schema);
    await this.base.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await this.base.query(`CREATE SCHEMA ${s}`);
  }

  /** Drops the private schema (the shared connection stays open). */
  async drop(): Promise<void> {
    await this.base.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`, [], { tag: 'runtime:in-memory-database' });
  }

  /** The shared database stays open: its owner closes it. */
  async close(): Promise<void> {}
}
