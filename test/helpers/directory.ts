import type { DirectoryUserEntry } from "../../src/ingest/directory-file";
import type { ServiceContext } from "../../src/services/context";
import { importDirectory } from "../../src/services/directory.service";
import { createTenant } from "../../src/services/tenant.service";

/** A directory entry for tests: named after its local part, no groups change. */
export function directoryUser(
  email: string,
  roles: string[] = ["Salesperson"],
  aliases: string[] = [],
): DirectoryUserEntry {
  return { externalId: null, email, name: email.split("@")[0]!, aliases, guest: false, roles, groups: null };
}

/**
 * A tenant whose first user `admin` is Global and System Administrator, with `users` imported as
 * its directory. Returns the tenant id.
 */
export async function createTenantWithUsers(
  ctx: ServiceContext,
  tenant: { name: string; slug: string; domain: string; admin: string },
  users: DirectoryUserEntry[],
): Promise<string> {
  const { id } = await createTenant(ctx, {
    name: tenant.name,
    domains: [tenant.domain],
    slug: tenant.slug,
    admin: { email: tenant.admin },
  });
  const adminUser = directoryUser(tenant.admin, ["Global Administrator", "System Administrator"]);
  await importDirectory(ctx, id, { users: [adminUser, ...users], groups: [], roles: [] }, [], tenant.admin);
  return id;
}
