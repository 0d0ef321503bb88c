import type { Database, DbTransaction, Queryable, QueryResult, SqlParam } from '../db/types';
import { kailashWireSql, viaAsyncpg } from './kailashSql';
import type { NodeServices } from './nodeServices';

/** A DataFlow quirk the runtime reproduced on purpose (shown in reports). */
export interface QuirkRecord {
  code: string;
  message: string;
  model?: string;
  node?: string;
}

/** Where this runtime deliberately differs from DataFlow 2.20. */
export interface DivergenceRecord {
  code: string;
  message: string;
  model?: string;
  node?: string;
}

/** What happened to each batch of a multi-batch bulk statement. */
export interface BulkBatchAccount {
  node?: string;
  model: string;
  operation: string;
  batchSize: number;
  batches: { index: number; rows: number; status: 'committed' | 'in-transaction' | 'failed' | 'not-run'; error?: string }[];
  committedRows: number;
}

export interface ExecutionOptions {
  /**
   * Allow UPDATE/DELETE without a filter (BulkUpdate/BulkDelete with an empty filter) against a
   * database that is not the embedded one. Without it those stop before the statement.
   */
  allowUnfilteredWritesOnExternal?: boolean;
  /** Cancels the statement in progress (and every later one). */
  signal?: AbortSignal;
  /**
   * The tenant bound (db.tenant_context.switch) when the execution started: statements of models
   * with a tenant_id field are scoped to it (tenancy/scopeStatement.ts). Unset: none bound.
   */
  tenant?: string | null;
}

export type Surface = 'workflow' | 'express' | 'direct';

/**
 * State of one workflow execution: the transaction a TransactionScopeNode opened, the node
 * being run (statement tag), and the quirks / divergences / bulk accounts recorded on the way.
 */
export class ExecutionContext {
  readonly quirks: QuirkRecord[] = [];
  readonly divergences: DivergenceRecord[] = [];
  readonly bulkAccounts: BulkBatchAccount[] = [];
  transaction?: DbTransaction;
  transactionId?: string;
  /** Savepoints made in the open transaction, in order (TransactionSavepointNode). */
  savepoints: string[] = [];
  currentNodeId?: string;

  /** `startup`: what the instance noted when it was created (recorded again in every execution). */
  constructor(
    readonly services: NodeServices,
    readonly options: ExecutionOptions = {},
    startup: { divergences?: readonly DivergenceRecord[]; quirks?: readonly QuirkRecord[] } = {},
  ) {
    this.divergences.push(...(startup.divergences ?? []));
    this.quirks.push(...(startup.quirks ?? []));
  }

  get db(): Database {
    return this.services.db;
  }

  /** The transaction if a scope is open, else the database (auto-commit per statement). */
  get queryable(): Queryable {
    return this.transaction?.active ? this.transaction : this.services.db;
  }

  get inTransaction(): boolean {
    return this.transaction?.active === true;
  }

  /** Sends one of DataFlow's statements as kailash's AsyncSQLDatabaseNode sends it (kailashSql.ts). */
  query(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
    return this.queryable.query(this.wireSql(sql, params), params, { tag: this.currentNodeId, signal: this.options.signal });
  }

  /** DataFlow's statement as its driver sends it: kailash's rewriting on a PostgreSQL URL (kailashSql.ts); as it is otherwise (SQLite URLs run on PostgreSQL here). */
  wireSql(sql: string, params: readonly SqlParam[]): string {
    const url = this.services.settings.url;
    // the URL's test, once per URL rather than once per statement (a BulkUpdate sends one per record)
    if (this.wireFor === undefined || this.wireFor.url !== url) this.wireFor = { url, kailash: viaAsyncpg(url) };
    return this.wireFor.kailash ? kailashWireSql(sql, params) : sql;
  }
  private wireFor: { url: string | null | undefined; kailash: boolean } | undefined;

  quirk(code: string, message: string, extra: { model?: string } = {}): void {
    this.quirks.push({ code, message, node: this.currentNodeId, ...extra });
  }

  diverge(code: string, message: string, extra: { model?: string } = {}): void {
    if (this.divergences.some((d) => d.code === code && d.model === extra.model && d.node === this.currentNodeId)) return;
    this.divergences.push({ code, message, node: this.currentNodeId, ...extra });
  }
}
