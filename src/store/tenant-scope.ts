import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The tenant whose rows the statements of the current async call chain may see (PostgreSQL's row
 * level security, migration 0010). Repositories enter it with the tenant they were asked about;
 * the PostgreSQL driver (`tenant-driver.ts`) sets it on the connection before each statement.
 * Outside any scope the connection sees no tenant's rows. SQLite has no second wall: there the
 * scope is carried but nothing reads it.
 */
export interface TenantScope {
  /** The tenant id, or `systemScope` for the few named cross-tenant paths. */
  readonly tenant: string;
  /** Migrations: run as the connecting (owning) role instead of the application role. */
  readonly owner?: boolean;
}

/** The scope of the named cross-tenant paths (PostgreSQL: statements run as `kith_system`). */
export const systemScope = "*";

const scopes = new AsyncLocalStorage<TenantScope>();

/** Runs `work` with `tenantId`'s rows visible (and only those, on PostgreSQL). */
export function withTenant<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
  if (tenantId === systemScope) throw new Error("a tenant id cannot be the system scope");
  const current = scopes.getStore();
  if (current && !current.owner && current.tenant === tenantId) return work();
  return scopes.run({ tenant: tenantId }, work);
}

/**
 * Runs `work` across every tenant. Only for the named paths that must (the job queue, tenant
 * listing, look-ups by a secret's hash that tell which tenant a token belongs to, the partner
 * telemetry over the whole environment); `reason` names the path, for whoever reads the call.
 */
export function acrossTenants<T>(reason: string, work: () => Promise<T>): Promise<T> {
  if (!reason) throw new Error("a cross-tenant scope needs a reason");
  return scopes.run({ tenant: systemScope }, work);
}

/** Runs `work` as the database owner (migrations), every tenant visible. */
export function asOwner<T>(work: () => Promise<T>): Promise<T> {
  return scopes.run({ tenant: systemScope, owner: true }, work);
}

/** The scope of the calling async chain, if any. */
export function currentTenantScope(): TenantScope | undefined {
  return scopes.getStore();
}
