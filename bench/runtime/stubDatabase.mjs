// A Database that answers every statement at once without running it, for bench/runtime.mjs:
// it isolates the runtime's own per-node CPU cost from database time (and its noise). It honours
// the parts of the Database contract the nodes use (query, withConnection, statement hooks,
// resetSchema) with the shared StatementHooks class, so hook delivery costs what it costs on the
// real backends. INSERT ... RETURNING echoes its parameters as the row (with a fresh id); every
// other statement returns no rows.

/** @param {{ StatementHooks: new () => any, commandOf: (sql: string) => string }} hooksModule */
export function createStubDatabase(hooksModule) {
  const { StatementHooks, commandOf } = hooksModule;
  const hooks = new StatementHooks();
  let nextId = 1;

  const returningColumns = (sql) => {
    const m = /\bRETURNING\s+(.+)$/is.exec(sql);
    return m ? m[1].split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : null;
  };
  const insertColumns = (sql) => {
    const m = /^\s*INSERT\s+INTO\s+\S+\s*\(([^)]*)\)/i.exec(sql);
    return m ? m[1].split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : [];
  };

  async function run(sql, params = [], options = {}) {
    const t0 = performance.now();
    const command = commandOf(sql);
    let rows = [];
    const returning = returningColumns(sql);
    if (command === 'INSERT' && returning) {
      const cols = insertColumns(sql);
      const row = {};
      for (const c of returning) {
        const i = cols.indexOf(c);
        row[c] = c === 'id' && i < 0 ? nextId++ : i >= 0 ? params[i] : null;
      }
      rows = [row];
    }
    const result = { rows, rowCount: rows.length, command, fields: [] };
    await hooks.emit({
      sql,
      params,
      durationMs: performance.now() - t0,
      waitMs: 0,
      rowCount: result.rowCount,
      command,
      tag: options.tag,
      backend: 'pglite',
      connectionId: 0,
      inTransaction: false,
      startedAt: Date.now(),
    });
    return result;
  }

  return {
    kind: 'pglite',
    embedded: true,
    description: 'stub database (answers at once, runs nothing)',
    schema: 'stub',
    query: run,
    async withConnection(fn) {
      return fn({ connectionId: 0, query: run });
    },
    async begin() {
      let active = true;
      return {
        get active() {
          return active;
        },
        query: run,
        async commit() {
          active = false;
        },
        async rollback() {
          active = false;
        },
      };
    },
    onStatement(fn, options) {
      return hooks.add(fn, options);
    },
    setSqlCommenter(c) {
      return hooks.setCommenter(c);
    },
    async resetSchema() {
      nextId = 1;
    },
    async close() {},
  };
}
