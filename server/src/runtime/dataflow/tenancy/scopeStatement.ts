/**
 * Tenant isolation of one statement of a generated node, as DataFlow 2.20 applies it
 * (core/nodes.py `_apply_tenant_isolation`, tenancy/interceptor.py `QueryInterceptor`, issue #1249):
 * on a model with a `tenant_id` field, with a tenant bound, the statement's text is rewritten —
 * an INSERT binds the tenant as its tenant_id value (appending the column when absent), a SELECT /
 * UPDATE / DELETE gets `tenant_id = <bound>` right after its first `WHERE ` (or a new WHERE before
 * ORDER BY / GROUP BY / HAVING / LIMIT, or at the end); `$N` placeholders are renumbered in order.
 * With no tenant bound, a multi_tenant DataFlow refuses the statement; a single-tenant one runs it
 * as it is. The runtime's statements have DataFlow's shapes, so the same textual rewrite applies.
 */
import type { SqlParam } from '../../db/types';
import type { ExecutionContext } from '../context';
import { DataFlowNodeError } from '../errors';
import { fieldOf, type RuntimeModel } from '../schema';

/** The RuntimeError `_apply_tenant_isolation` raises (a node failure in a workflow, a RuntimeError from express). */
export class TenantIsolationError extends DataFlowNodeError {
  readonly pyType = 'RuntimeError';
  constructor(message: string) {
    super(message, { raisedAs: 'RuntimeError' });
    this.name = 'TenantIsolationError';
  }
}

export function unboundTenantMessage(model: string, operation: 'operation' | 'bulk operation'): string {
  return (
    `Tenant isolation failed for ${model}: multi_tenant=True but no tenant is bound to the current context. ` +
    `Bind one via db.tenant_context.switch(tenant_id) before this ${operation}. Refusing to execute an unscoped query (potential cross-tenant leak).`
  );
}

/**
 * The tenant a statement of this node is scoped to: null when the model has no tenant_id field or
 * (single-tenant DataFlow) none is bound. Throws DataFlow's RuntimeError on a multi_tenant
 * DataFlow with no tenant bound.
 */
export function statementTenant(ctx: ExecutionContext, model: RuntimeModel): string | null {
  if (!fieldOf(model, 'tenant_id')) return null;
  const tenant = ctx.options.tenant ?? null;
  if (tenant) return tenant;
  if (ctx.services.settings.multiTenant) throw new TenantIsolationError(unboundTenantMessage(model.name, 'operation'));
  return null;
}

const PLACEHOLDER = /\?|\$\d+|%s/g;
const SENTINEL = '\u0000TENANT_PH\u0000';
const IDENT = String.raw`(?:"[^"]+"|\`[^\`]+\`|\[[^\]]+\]|\w+)`;

function unquote(name: string): string {
  const n = name.trim();
  if (n.length >= 2 && ((n[0] === '"' && n.endsWith('"')) || (n[0] === '`' && n.endsWith('`')) || (n[0] === '[' && n.endsWith(']')))) return n.slice(1, -1);
  return n;
}

function placeholdersBefore(sql: string, index: number): number {
  return (sql.slice(0, index).match(PLACEHOLDER) ?? []).length;
}

function renumber(sql: string): string {
  let n = 0;
  return sql.replace(new RegExp(`${SENTINEL}|\\$\\d+`, 'g'), () => `$${++n}`);
}

/** What `QueryInterceptor` raises, wrapped by `_apply_tenant_isolation` as DataFlow words it. */
function injectionFailed(model: string, reason: string): TenantIsolationError {
  return new TenantIsolationError(`Tenant isolation failed for ${model}: ${reason}. Cannot proceed without tenant filtering.`);
}

/** `tenant_id = <ph> AND ` after the first `WHERE `, or a WHERE of its own (SELECT: before ORDER BY / GROUP BY / HAVING / LIMIT). */
function injectPredicate(model: string, sql: string, params: SqlParam[], tenant: string, isSelect: boolean): { sql: string; params: SqlParam[] } {
  const out = [...params];
  const predicate = `tenant_id = ${SENTINEL}`;
  let text: string;
  if (sql.toUpperCase().includes('WHERE')) {
    const m = /WHERE\s+/i.exec(sql);
    if (!m) throw injectionFailed(model, "Failed to inject tenant conditions: 'NoneType' object has no attribute 'end'");
    const at = m.index + m[0].length;
    out.splice(placeholdersBefore(sql, at), 0, tenant);
    text = `${sql.slice(0, at)}${predicate} AND ${sql.slice(at)}`;
  } else {
    let at: number | undefined;
    if (isSelect) {
      for (const kw of ['ORDER BY', 'GROUP BY', 'HAVING', 'LIMIT']) {
        const m = new RegExp(`\\s+${kw}\\s+`, 'i').exec(sql);
        if (m) {
          at = m.index;
          break;
        }
      }
    }
    // `if insertion_point:` — a keyword at index 0 counts as none.
    if (at) {
      out.splice(placeholdersBefore(sql, at), 0, tenant);
      text = `${sql.slice(0, at)} WHERE ${predicate}${sql.slice(at)}`;
    } else {
      out.push(tenant);
      text = `${sql} WHERE ${predicate}`;
    }
  }
  return { sql: renumber(text), params: out };
}

/** The fail-closed check: an INSERT the rewrite left exactly as it was did not get the tenant. */
function unchanged(model: RuntimeModel): TenantIsolationError {
  return injectionFailed(
    model.name,
    `Tenant isolation injection produced no change for INSERT on tenant table(s) ['${model.tableName}']. Refusing to execute an unfiltered query (possible identifier-quoting mismatch).`,
  );
}

function injectInsert(model: RuntimeModel, sql: string, params: SqlParam[], tenant: string): { sql: string; params: SqlParam[] } {
  const re = new RegExp(String.raw`INSERT\s+INTO\s+(${IDENT})\s*\(([^)]+)\)\s*VALUES\s*\(([^)]+)\)`, 'i');
  const m = re.exec(sql);
  if (!m) throw unchanged(model);
  const [, table, columns, values] = m;
  const cols = columns.split(',').map((c) => unquote(c));
  const out = [...params];
  const at = cols.indexOf('tenant_id');
  if (at >= 0) {
    // The tenant column is already there (tenant_id given as an input): its value becomes the
    // bound tenant. Given as the bound tenant already, nothing changes — and DataFlow refuses.
    if (at >= out.length || out[at] === tenant) throw unchanged(model);
    out[at] = tenant;
    return { sql, params: out };
  }
  const existing = (values.match(PLACEHOLDER) ?? []).length;
  out.push(tenant);
  // A function replacement: the text holds `$N`, which a replacement string would read as group references.
  return { sql: sql.replace(re, () => `INSERT INTO ${table} (${columns}, tenant_id) VALUES (${values}, $${existing + 1})`), params: out };
}

/** The statement as DataFlow sends it for this node: scoped to the bound tenant, or unchanged. */
export function scopeStatement(ctx: ExecutionContext, model: RuntimeModel, sql: string, params: SqlParam[]): { sql: string; params: SqlParam[] } {
  const tenant = statementTenant(ctx, model);
  if (tenant === null) return { sql, params };
  const verb = sql.trimStart().split(/\s/, 1)[0].toUpperCase();
  if (verb === 'INSERT') return injectInsert(model, sql, params, tenant);
  if (verb === 'SELECT' || verb === 'UPDATE' || verb === 'DELETE') return injectPredicate(model.name, sql, params, tenant, verb === 'SELECT');
  return { sql, params };
}

/**
 * The tenant of a bulk operation (features/bulk.py `_resolve_bulk_tenant`, issue #1252): only a
 * multi_tenant DataFlow scopes bulk statements (a tenant_id model on a single-tenant DataFlow is
 * not scoped even with a tenant bound). Throws DataFlow's RuntimeError with no tenant bound.
 */
export function bulkTenant(ctx: ExecutionContext, model: RuntimeModel): string | null {
  if (!ctx.services.settings.multiTenant || !fieldOf(model, 'tenant_id')) return null;
  const tenant = ctx.options.tenant ?? null;
  if (!tenant) throw new TenantIsolationError(unboundTenantMessage(model.name, 'bulk operation'));
  return tenant;
}

/** `"tenant_id" = $N`, AND-ed after a bulk UPDATE / DELETE filter (`_tenant_where_predicate`). */
export function bulkTenantCondition(tenant: string, params: { add(v: SqlParam): string }): string {
  return `"tenant_id" = ${params.add(tenant)}`;
}
