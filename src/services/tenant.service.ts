import { ensureDataKey } from "./data-keys";
import { randomUUID } from "node:crypto";
import { builtInRoles, normaliseAddress, normaliseDomain, slugify, type Tenant } from "../domain/directory";
import { KithError, notFound, validationError } from "../domain/errors";
import { appendAudit } from "../store/audit.repository";
import { insertDefaultSettings } from "../store/consent.repository";
import {
  addTenantDomains,
  ensureRole,
  findTenant,
  insertTenant,
  listTenants,
  insertUser,
  openAssignment,
} from "../store/directory.repository";
import type { ServiceContext } from "./context";

export interface CreateTenantInput {
  name: string;
  domains: readonly string[];
  slug?: string;
  /** First Global and System administrator, so the tenant can be governed from the start. */
  admin?: { email: string; name?: string };
}

export async function createTenant(ctx: ServiceContext, input: CreateTenantInput): Promise<Tenant> {
  const name = input.name.trim();
  if (!name) throw validationError("a tenant needs a name", { field: "name" });
  const domains: string[] = [];
  for (const raw of input.domains) {
    const domain = normaliseDomain(raw);
    if (!domain) throw validationError(`not a valid domain: "${raw}"`, { field: "domain", value: raw });
    if (!domains.includes(domain)) domains.push(domain);
  }
  if (domains.length === 0)
    throw validationError("a tenant needs at least one verified domain", { field: "domain" });
  const slug = input.slug ? slugify(input.slug) : slugify(name);
  if (!slug) throw validationError(`cannot make a slug from "${input.slug ?? name}"`, { field: "slug" });
  const adminEmail = input.admin ? normaliseAddress(input.admin.email) : null;
  if (input.admin && !adminEmail)
    throw validationError(`not a valid email address: "${input.admin.email}"`, { field: "admin" });

  const at = ctx.now();
  domains.sort();
  const tenant: Tenant = { id: randomUUID(), slug, name, domains, createdAt: at };
  const created = await ctx.store.transaction(async (trx) => {
    if (await findTenant(trx, slug))
      throw new KithError("conflict", `a tenant with slug "${slug}" already exists`, { slug });
    await insertTenant(trx, tenant);
    await insertDefaultSettings(trx, tenant.id);
    for (const role of builtInRoles) await ensureRole(trx, tenant.id, role, true);
    await appendAudit(trx, ctx.store.engine, tenant.id, at, {
      actor: "system",
      action: "tenant.created",
      subject: tenant.id,
      details: { name, slug, domains },
    });
    if (adminEmail) {
      const userId = randomUUID();
      await insertUser(
        trx,
        tenant.id,
        {
          id: userId,
          email: adminEmail,
          displayName: input.admin?.name ?? adminEmail,
          isGuest: false,
          externalId: null,
        },
        at,
      );
      for (const role of ["Global Administrator", "System Administrator"]) {
        await openAssignment(trx, tenant.id, userId, role, at);
        await appendAudit(trx, ctx.store.engine, tenant.id, at, {
          actor: "system",
          action: "role.assigned",
          subject: adminEmail,
          details: { role },
        });
      }
    }
    return tenant;
  });
  // With a key store and KEK configured, the tenant's collected data is sealed under a data key of
  // its own from its first row (services/data-keys.ts); without them this is a no-op.
  await ensureDataKey(ctx, created.id);
  return created;
}

export async function addDomains(
  ctx: ServiceContext,
  tenantId: string,
  rawDomains: readonly string[],
): Promise<Tenant> {
  const domains = rawDomains.map((raw) => {
    const d = normaliseDomain(raw);
    if (!d) throw validationError(`not a valid domain: "${raw}"`, { field: "domain", value: raw });
    return d;
  });
  return ctx.store.transaction(async (trx) => {
    await addTenantDomains(trx, tenantId, domains);
    await appendAudit(trx, ctx.store.engine, tenantId, ctx.now(), {
      actor: "system",
      action: "tenant.domains_added",
      subject: tenantId,
      details: { domains },
    });
    return getTenantOrThrow(ctx, tenantId);
  });
}

/** The tenant by id or slug; undefined when there is none. */
export function findTenantByIdOrSlug(ctx: ServiceContext, idOrSlug: string): Promise<Tenant | undefined> {
  return findTenant(ctx.store.db, idOrSlug);
}

export async function getTenantOrThrow(ctx: ServiceContext, idOrSlug: string): Promise<Tenant> {
  const tenant = await findTenant(ctx.store.db, idOrSlug);
  if (!tenant) throw notFound("tenant", idOrSlug);
  return tenant;
}

export function listAllTenants(ctx: ServiceContext): Promise<Tenant[]> {
  return listTenants(ctx.store.db);
}
