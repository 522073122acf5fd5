import type { GroupMembership, RoleAssignment, Tenant, User } from "../domain/directory";
import type { Trx } from "./store";
import { acrossTenants, withTenant } from "./tenant-scope";

/** Directory SQL: tenants, users and aliases, groups and memberships, roles and assignments. */

export async function insertTenant(trx: Trx, tenant: Tenant): Promise<void> {
  return withTenant(tenant.id, async () => {
    await trx
      .insertInto("tenant")
      .values({
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        created_at: tenant.createdAt.getTime(),
        audit_head_seq: 0,
        audit_head_hash: "",
      })
      .execute();
    await addTenantDomains(trx, tenant.id, tenant.domains);
  });
}

export async function addTenantDomains(
  trx: Trx,
  tenantId: string,
  domains: readonly string[],
): Promise<void> {
  return withTenant(tenantId, async () => {
    if (domains.length === 0) return;
    await trx
      .insertInto("tenant_domain")
      .values(domains.map((domain) => ({ tenant_id: tenantId, domain })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
}

/** Finds a tenant by id or slug. */
export async function findTenant(db: Trx, idOrSlug: string): Promise<Tenant | undefined> {
  return acrossTenants("a tenant found by its id or slug", async () => {
    const row = await db
      .selectFrom("tenant")
      .selectAll()
      .where((eb) => eb.or([eb("id", "=", idOrSlug), eb("slug", "=", idOrSlug)]))
      .executeTakeFirst();
    if (!row) return undefined;
    const domains = await db
      .selectFrom("tenant_domain")
      .select("domain")
      .where("tenant_id", "=", row.id)
      .orderBy("domain")
      .execute();
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      domains: domains.map((d) => d.domain),
      createdAt: new Date(row.created_at),
    };
  });
}

export async function listTenants(db: Trx): Promise<Tenant[]> {
  return acrossTenants("the list of tenants", async () => {
    const rows = await db.selectFrom("tenant").select("id").orderBy("created_at").execute();
    const tenants = await Promise.all(rows.map((r) => findTenant(db, r.id)));
    return tenants.filter((t): t is Tenant => t !== undefined);
  });
}

export interface UserRowInput {
  id: string;
  email: string;
  displayName: string;
  isGuest: boolean;
  externalId: string | null;
}

export async function insertUser(trx: Trx, tenantId: string, user: UserRowInput, at: Date): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("app_user")
      .values({
        tenant_id: tenantId,
        id: user.id,
        email: user.email,
        display_name: user.displayName,
        is_guest: user.isGuest ? 1 : 0,
        external_id: user.externalId,
        created_at: at.getTime(),
        deleted_at: null,
      })
      .execute();
  });
}

export async function updateUser(
  trx: Trx,
  tenantId: string,
  userId: string,
  changes: Partial<Pick<UserRowInput, "email" | "displayName" | "isGuest" | "externalId">> & {
    deletedAt?: Date | null;
  },
): Promise<void> {
  return withTenant(tenantId, async () => {
    const set: Record<string, unknown> = {};
    if (changes.email !== undefined) set.email = changes.email;
    if (changes.displayName !== undefined) set.display_name = changes.displayName;
    if (changes.isGuest !== undefined) set.is_guest = changes.isGuest ? 1 : 0;
    if (changes.externalId !== undefined) set.external_id = changes.externalId;
    if (changes.deletedAt !== undefined)
      set.deleted_at = changes.deletedAt ? changes.deletedAt.getTime() : null;
    if (Object.keys(set).length === 0) return;
    await trx
      .updateTable("app_user")
      .set(set)
      .where("tenant_id", "=", tenantId)
      .where("id", "=", userId)
      .execute();
  });
}

export async function replaceAliases(
  trx: Trx,
  tenantId: string,
  userId: string,
  aliases: readonly string[],
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .deleteFrom("user_alias")
      .where("tenant_id", "=", tenantId)
      .where("user_id", "=", userId)
      .execute();
    if (aliases.length === 0) return;
    await trx
      .insertInto("user_alias")
      .values(aliases.map((address) => ({ tenant_id: tenantId, address, user_id: userId })))
      .execute();
  });
}

type UserRow = { id: string; email: string; display_name: string; is_guest: number; tenant_id: string };

async function withAliases(db: Trx, tenantId: string, rows: UserRow[]): Promise<User[]> {
  return withTenant(tenantId, async () => {
    if (rows.length === 0) return [];
    const aliasRows = await db
      .selectFrom("user_alias")
      .select(["user_id", "address"])
      .where("tenant_id", "=", tenantId)
      .where(
        "user_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("address")
      .execute();
    const byUser = new Map<string, string[]>();
    for (const a of aliasRows) byUser.set(a.user_id, [...(byUser.get(a.user_id) ?? []), a.address]);
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      email: r.email,
      displayName: r.display_name,
      isGuest: r.is_guest === 1,
      aliases: byUser.get(r.id) ?? [],
    }));
  });
}

const userColumns = ["id", "email", "display_name", "is_guest", "tenant_id"] as const;

/** Finds an active user by primary address or alias. */
export async function findUserByAddress(
  db: Trx,
  tenantId: string,
  address: string,
): Promise<User | undefined> {
  return withTenant(tenantId, async () => {
    const row =
      (await db
        .selectFrom("app_user")
        .select(userColumns)
        .where("tenant_id", "=", tenantId)
        .where("email", "=", address)
        .where("deleted_at", "is", null)
        .executeTakeFirst()) ??
      (await db
        .selectFrom("user_alias")
        .innerJoin("app_user", (j) =>
          j
            .onRef("app_user.tenant_id", "=", "user_alias.tenant_id")
            .onRef("app_user.id", "=", "user_alias.user_id"),
        )
        .select(userColumns.map((c) => `app_user.${c}` as const))
        .where("user_alias.tenant_id", "=", tenantId)
        .where("user_alias.address", "=", address)
        .where("app_user.deleted_at", "is", null)
        .executeTakeFirst());
    if (!row) return undefined;
    return (await withAliases(db, tenantId, [row]))[0];
  });
}

/** Active users by primary address or alias, for many addresses at once: address → user id. */
export async function userIdsByAddress(
  db: Trx,
  tenantId: string,
  addresses: readonly string[],
): Promise<Map<string, string>> {
  return withTenant(tenantId, async () => {
    const found = new Map<string, string>();
    if (addresses.length === 0) return found;
    const primaries = await db
      .selectFrom("app_user")
      .select(["email as address", "id"])
      .where("tenant_id", "=", tenantId)
      .where("email", "in", [...addresses])
      .where("deleted_at", "is", null)
      .execute();
    for (const r of primaries) found.set(r.address, r.id);
    const rest = addresses.filter((a) => !found.has(a));
    if (rest.length === 0) return found;
    const aliases = await db
      .selectFrom("user_alias")
      .innerJoin("app_user", (j) =>
        j
          .onRef("app_user.tenant_id", "=", "user_alias.tenant_id")
          .onRef("app_user.id", "=", "user_alias.user_id"),
      )
      .select(["user_alias.address as address", "app_user.id as id"])
      .where("user_alias.tenant_id", "=", tenantId)
      .where("user_alias.address", "in", rest)
      .where("app_user.deleted_at", "is", null)
      .execute();
    for (const r of aliases) found.set(r.address, r.id);
    return found;
  });
}

export async function findUserById(db: Trx, tenantId: string, userId: string): Promise<User | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("app_user")
      .select(userColumns)
      .where("tenant_id", "=", tenantId)
      .where("id", "=", userId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row ? (await withAliases(db, tenantId, [row]))[0] : undefined;
  });
}

export async function findUserByExternalId(
  db: Trx,
  tenantId: string,
  externalId: string,
): Promise<User | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("app_user")
      .select(userColumns)
      .where("tenant_id", "=", tenantId)
      .where("external_id", "=", externalId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row ? (await withAliases(db, tenantId, [row]))[0] : undefined;
  });
}

export async function listUsers(db: Trx, tenantId: string): Promise<User[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("app_user")
      .select(userColumns)
      .where("tenant_id", "=", tenantId)
      .where("deleted_at", "is", null)
      .orderBy("email")
      .execute();
    return withAliases(db, tenantId, rows);
  });
}

export async function upsertGroup(
  trx: Trx,
  tenantId: string,
  id: string,
  name: string,
): Promise<"created" | "updated" | "unchanged"> {
  return withTenant(tenantId, async () => {
    const existing = await trx
      .selectFrom("security_group")
      .select(["name", "deleted_at"])
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    if (!existing) {
      await trx
        .insertInto("security_group")
        .values({ tenant_id: tenantId, id, name, deleted_at: null })
        .execute();
      return "created";
    }
    if (existing.name === name && existing.deleted_at === null) return "unchanged";
    await trx
      .updateTable("security_group")
      .set({ name, deleted_at: null })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .execute();
    return "updated";
  });
}

export async function listGroups(db: Trx, tenantId: string): Promise<{ id: string; name: string }[]> {
  return withTenant(tenantId, async () => {
    return db
      .selectFrom("security_group")
      .select(["id", "name"])
      .where("tenant_id", "=", tenantId)
      .where("deleted_at", "is", null)
      .orderBy("id")
      .execute();
  });
}

export async function markGroupDeleted(trx: Trx, tenantId: string, id: string, at: Date): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("security_group")
      .set({ deleted_at: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .execute();
  });
}

/** User ids currently in a group. */
export async function currentGroupMembers(db: Trx, tenantId: string, groupId: string): Promise<string[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("group_membership")
      .select("user_id")
      .where("tenant_id", "=", tenantId)
      .where("group_id", "=", groupId)
      .where("valid_to", "is", null)
      .execute();
    return rows.map((r) => r.user_id);
  });
}

export async function openMembership(
  trx: Trx,
  tenantId: string,
  groupId: string,
  userId: string,
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("group_membership")
      .values({
        tenant_id: tenantId,
        group_id: groupId,
        user_id: userId,
        valid_from: at.getTime(),
        valid_to: null,
      })
      .execute();
  });
}

export async function closeMembership(
  trx: Trx,
  tenantId: string,
  groupId: string,
  userId: string,
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("group_membership")
      .set({ valid_to: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("group_id", "=", groupId)
      .where("user_id", "=", userId)
      .where("valid_to", "is", null)
      .execute();
  });
}

/** Dated intervals grouped by user, oldest first: the one shape membership and role history share. */
function groupIntervals<R extends { user_id: string; valid_from: number; valid_to: number | null }, T>(
  rows: readonly R[],
  toValue: (row: R) => T,
): Map<string, (T & { from: Date; to: Date | null })[]> {
  const result = new Map<string, (T & { from: Date; to: Date | null })[]>();
  for (const r of rows) {
    const list = result.get(r.user_id) ?? [];
    list.push({
      ...toValue(r),
      from: new Date(r.valid_from),
      to: r.valid_to === null ? null : new Date(r.valid_to),
    });
    result.set(r.user_id, list);
  }
  return result;
}

/** Membership history of the given users (all users when `userIds` is undefined). */
export async function listMemberships(
  db: Trx,
  tenantId: string,
  userIds?: readonly string[],
): Promise<Map<string, GroupMembership[]>> {
  return withTenant(tenantId, async () => {
    if (userIds?.length === 0) return new Map<string, GroupMembership[]>();
    let query = db.selectFrom("group_membership").selectAll().where("tenant_id", "=", tenantId);
    if (userIds) query = query.where("user_id", "in", userIds);
    return groupIntervals(await query.orderBy("valid_from").execute(), (r) => ({ groupId: r.group_id }));
  });
}

export async function ensureRole(
  trx: Trx,
  tenantId: string,
  name: string,
  builtIn: boolean,
): Promise<boolean> {
  return withTenant(tenantId, async () => {
    const result = await trx
      .insertInto("security_role")
      .values({ tenant_id: tenantId, name, built_in: builtIn ? 1 : 0 })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  });
}

export async function listRoles(db: Trx, tenantId: string): Promise<{ name: string; builtIn: boolean }[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("security_role")
      .select(["name", "built_in"])
      .where("tenant_id", "=", tenantId)
      .orderBy("name")
      .execute();
    return rows.map((r) => ({ name: r.name, builtIn: r.built_in === 1 }));
  });
}

export async function currentRoleHolders(db: Trx, tenantId: string, role: string): Promise<string[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("role_assignment")
      .select("user_id")
      .where("tenant_id", "=", tenantId)
      .where("role", "=", role)
      .where("valid_to", "is", null)
      .execute();
    return rows.map((r) => r.user_id);
  });
}

export async function openAssignment(
  trx: Trx,
  tenantId: string,
  userId: string,
  role: string,
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("role_assignment")
      .values({ tenant_id: tenantId, user_id: userId, role, valid_from: at.getTime(), valid_to: null })
      .execute();
  });
}

export async function closeAssignment(
  trx: Trx,
  tenantId: string,
  userId: string,
  role: string,
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("role_assignment")
      .set({ valid_to: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("user_id", "=", userId)
      .where("role", "=", role)
      .where("valid_to", "is", null)
      .execute();
  });
}

/** Role assignment history of the given users (all users when `userIds` is undefined). */
export async function listAssignments(
  db: Trx,
  tenantId: string,
  userIds?: readonly string[],
): Promise<Map<string, RoleAssignment[]>> {
  return withTenant(tenantId, async () => {
    if (userIds?.length === 0) return new Map<string, RoleAssignment[]>();
    let query = db.selectFrom("role_assignment").selectAll().where("tenant_id", "=", tenantId);
    if (userIds) query = query.where("user_id", "in", userIds);
    return groupIntervals(await query.orderBy("valid_from").execute(), (r) => ({ role: r.role }));
  });
}

/** Users' directory external ids, by user id (users without one left out). */
export async function listExternalIds(db: Trx, tenantId: string): Promise<Map<string, string>> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("app_user")
      .select(["id", "external_id"])
      .where("tenant_id", "=", tenantId)
      .where("external_id", "is not", null)
      .execute();
    return new Map(rows.flatMap((r) => (r.external_id === null ? [] : [[r.id, r.external_id] as const])));
  });
}
