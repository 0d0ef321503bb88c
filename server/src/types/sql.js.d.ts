// The part of sql.js 1.17's API the SQLite engine uses (the package ships no types). Values read with
// useBigInt come back as bigint for INTEGER columns and number for REAL ones.
declare module 'sql.js' {
  export type SqlValue = number | bigint | string | Uint8Array | null;
  export type BindParams = SqlValue[] | Record<string, SqlValue> | null;
  export interface Statement {
    bind(values?: BindParams): boolean;
    step(): boolean;
    get(params?: BindParams | null, config?: { useBigInt?: boolean }): SqlValue[];
    getColumnNames(): string[];
    reset(): void;
    free(): boolean;
  }
  export class Database {
    constructor(data?: ArrayLike<number> | Buffer | null);
    /** The sqlite3* handle. */
    readonly db: number;
    run(sql: string, params?: BindParams): Database;
    exec(sql: string, params?: BindParams): Array<{ columns: string[]; values: SqlValue[][] }>;
    prepare(sql: string, params?: BindParams): Statement;
    getRowsModified(): number;
    export(): Uint8Array;
    close(): void;
  }
  export interface SqlJsStatic {
    Database: typeof Database;
    _sqlite3_extended_errcode(db: number): number;
    _sqlite3_bind_double(stmt: number, index: number, value: number): number;
    _sqlite3_sql(stmt: number): number;
    UTF8ToString(ptr: number): string;
  }
  export interface SqlJsConfig {
    locateFile?: (file: string) => string;
  }
  export default function initSqlJs(config?: SqlJsConfig): Promise<SqlJsStatic>;
}
