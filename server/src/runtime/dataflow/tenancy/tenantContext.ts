/**
 * DataFlow 2.20's tenant context (dataflow/core/tenant_context.py): which tenant is bound now (the
 * module-level ContextVar `_current_tenant`, shared by every DataFlow instance of the process) and
 * each instance's TenantContextSwitch registry (register_tenant, switch / aswitch, get_stats, ...).
 * Errors carry the Python type and text DataFlow raises.
 */

/** An error DataFlow's tenant context raises (ValueError / RuntimeError), named as Python names it. */
export class TenantContextError extends Error {
  constructor(
    readonly pyType: 'ValueError' | 'RuntimeError',
    message: string,
  ) {
    super(message);
    this.name = pyType;
  }
}

/**
 * Two tenant switches were left in a different order than they were entered: concurrent tasks
 * each inside their own switch. Python gives every asyncio task its own copy of the ContextVar;
 * this runtime keeps one binding, so it stops rather than scope a statement to the wrong tenant.
 */
export class InterleavedTenantSwitchError extends Error {
  constructor() {
    super('tenant switches of concurrent tasks interleaved (each asyncio task has its own tenant ContextVar in Python); the runtime keeps one tenant binding and does not model this');
    this.name = 'InterleavedTenantSwitchError';
  }
}

/** TenantInfo (a dataclass): tenant_id, name, metadata, created_at (time.time()), active. */
export interface TenantInfo {
  tenantId: string;
  name: unknown;
  metadata: unknown;
  createdAt: number;
  active: boolean;
}

/** The `_current_tenant` ContextVar: set() returns a token, reset(token) restores what it replaced. */
export class TenantBinding {
  private current_: string | null = null;
  private readonly tokens: { previous: string | null }[] = [];

  current(): string | null {
    return this.current_;
  }

  set(tenantId: string): { previous: string | null } {
    const token = { previous: this.current_ };
    this.tokens.push(token);
    this.current_ = tenantId;
    return token;
  }

  reset(token: { previous: string | null }): void {
    if (this.tokens[this.tokens.length - 1] !== token) throw new InterleavedTenantSwitchError();
    this.tokens.pop();
    this.current_ = token.previous;
  }
}

/** One DataFlow instance's TenantContextSwitch: its registered tenants and switch counters. */
export class TenantRegistry {
  private readonly tenants = new Map<string, TenantInfo>();
  private switchCount = 0;
  private activeSwitches = 0;

  constructor(readonly binding: TenantBinding) {}

  register(tenantId: unknown, name: unknown, metadata: unknown): TenantInfo {
    if (typeof tenantId !== 'string' || tenantId.length === 0) throw new TenantContextError('ValueError', 'tenant_id must be a non-empty string');
    if (this.tenants.has(tenantId)) throw new TenantContextError('ValueError', `Tenant '${tenantId}' is already registered`);
    const info: TenantInfo = { tenantId, name, metadata, createdAt: Date.now() / 1000, active: true };
    this.tenants.set(tenantId, info);
    return info;
  }

  unregister(tenantId: string): void {
    if (!this.tenants.has(tenantId)) throw new TenantContextError('ValueError', `Tenant '${tenantId}' is not registered`);
    if (this.binding.current() === tenantId) throw new TenantContextError('ValueError', `Cannot unregister tenant '${tenantId}' while it is the active context`);
    this.tenants.delete(tenantId);
  }

  get(tenantId: string): TenantInfo | undefined {
    return this.tenants.get(tenantId);
  }

  list(): TenantInfo[] {
    return [...this.tenants.values()];
  }

  isRegistered(tenantId: string): boolean {
    return this.tenants.has(tenantId);
  }

  isActive(tenantId: string): boolean {
    return this.tenants.get(tenantId)?.active === true;
  }

  setActive(tenantId: string, active: boolean): void {
    const t = this.tenants.get(tenantId);
    if (!t) throw new TenantContextError('ValueError', `Tenant '${tenantId}' is not registered`);
    t.active = active;
  }

  /** require_tenant() */
  require(): string {
    const current = this.binding.current();
    if (current === null) {
      throw new TenantContextError('RuntimeError', "No tenant context is active. Use 'with db.tenant_context.switch(tenant_id):' to set a tenant context.");
    }
    return current;
  }

  /** Entering switch(tenant_id) / aswitch(tenant_id): the checks, then the binding. */
  enter(tenantId: string, pyRepr: (s: string) => string): { info: TenantInfo; token: { previous: string | null } } {
    const info = this.tenants.get(tenantId);
    if (!info) {
      const available = `[${[...this.tenants.keys()].map(pyRepr).join(', ')}]`;
      throw new TenantContextError(
        'ValueError',
        `Tenant '${tenantId}' is not registered. Available tenants: ${available}. Use register_tenant() to register this tenant first.`,
      );
    }
    if (!info.active) throw new TenantContextError('ValueError', `Tenant '${tenantId}' is not active. Use activate_tenant() to reactivate it.`);
    const token = this.binding.set(tenantId);
    this.switchCount++;
    this.activeSwitches++;
    return { info, token };
  }

  /** Leaving the switch (also on an exception): the previous tenant is bound again. */
  leave(token: { previous: string | null }): void {
    this.binding.reset(token);
    this.activeSwitches--;
  }

  stats(): { total_tenants: number; active_tenants: number; total_switches: number; active_switches: number; current_tenant: string | null } {
    return {
      total_tenants: this.tenants.size,
      active_tenants: [...this.tenants.values()].filter((t) => t.active).length,
      total_switches: this.switchCount,
      active_switches: this.activeSwitches,
      current_tenant: this.binding.current(),
    };
  }
}
