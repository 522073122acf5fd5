import type { GroupMembership, RoleAssignment, Tenant, User } from "../domain/directory";
import { chunked } from "./chunk";
import type { Trx } from "./store";
import { withTenant, acrossTenants } from "./tenant-scope";

/** Directory SQL: tenants, users and aliases, groups and memberships, roles and assignments. */

export async function insertTenant(trx: Trx, tenant: Tenant): Promise<void> {
  return ((work) => withTenant(tenant.id, work))(async () => {
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
  return ((work) => acrossTenants("a tenant found by its id or slug", work))(async () => {
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
  return ((work) => acrossTenants("the list of tenants", work))(async () => {
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
    return rowsToUsers(
      rows,
      await aliasesOf(
        db,
        tenantId,
        rows.map((r) => r.id),
      ),
    );
  });
}

/** Aliases by user, each list sorted; all of the tenant's when `userIds` is undefined. */
async function aliasesOf(
  db: Trx,
  tenantId: string,
  userIds?: readonly string[],
): Promise<Map<string, string[]>> {
  return withTenant(tenantId, async () => {
    const byUser = new Map<string, string[]>();
    const base = db.selectFrom("user_alias").select(["user_id", "address"]).where("tenant_id", "=", tenantId);
    const batches = userIds ? chunked(userIds, 1, 1).map((ids) => base.where("user_id", "in", ids)) : [base];
    for (const query of batches)
      for (const a of await query.execute()) {
        const list = byUser.get(a.user_id);
        if (list) list.push(a.address);
        else byUser.set(a.user_id, [a.address]);
      }
    for (const list of byUser.values()) list.sort();
    return byUser;
  });
}

function rowsToUsers(rows: readonly UserRow[], byUser: ReadonlyMap<string, string[]>): User[] {
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    email: r.email,
    displayName: r.display_name,
    isGuest: r.is_guest === 1,
    aliases: byUser.get(r.id) ?? [],
  }));
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
    for (const slice of chunked(addresses, 1, 1)) {
      const primaries = await db
        .selectFrom("app_user")
        .select(["email as address", "id"])
        .where("tenant_id", "=", tenantId)
        .where("email", "in", slice)
        .where("deleted_at", "is", null)
        .execute();
      for (const r of primaries) found.set(r.address, r.id);
    }
    const rest = addresses.filter((a) => !found.has(a));
    for (const slice of chunked(rest, 1, 1)) {
      const aliases = await db
        .selectFrom("user_alias")
        .innerJoin("app_user", (j) =>
          j
            .onRef("app_user.tenant_id", "=", "user_alias.tenant_id")
            .onRef("app_user.id", "=", "user_alias.user_id"),
        )
        .select(["user_alias.address as address", "app_user.id as id"])
        .where("user_alias.tenant_id", "=", tenantId)
        .where("user_alias.address", "in", slice)
        .where("app_user.deleted_at", "is", null)
        .execute();
      for (const r of aliases) found.set(r.address, r.id);
    }
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
    // Every alias of the tenant in one read: an `in` list of all user ids would bind one variable per user.
    return rowsToUsers(rows, await aliasesOf(db, tenantId));
  });
}

/** A user as a directory import matches it: active or not, with the external id. */
export interface DirectoryRecord {
  user: User;
  externalId: string | null;
  active: boolean;
}

/** Every user of the tenant, deactivated ones too (their addresses stay taken). */
export async function listDirectoryRecords(db: Trx, tenantId: string): Promise<DirectoryRecord[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("app_user")
      .select([...userColumns, "external_id", "deleted_at"])
      .where("tenant_id", "=", tenantId)
      .execute();
    const users = rowsToUsers(rows, await aliasesOf(db, tenantId));
    return rows.map((r, i) => ({
      user: users[i]!,
      externalId: r.external_id,
      active: r.deleted_at === null,
    }));
  });
}

/** Inserts new users as chunked multi-row statements (8 variables a row). */
export async function insertUsers(
  trx: Trx,
  tenantId: string,
  users: readonly UserRowInput[],
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    const rows = users.map((user) => ({
      tenant_id: tenantId,
      id: user.id,
      email: user.email,
      display_name: user.displayName,
      is_guest: user.isGuest ? 1 : 0,
      external_id: user.externalId,
      created_at: at.getTime(),
      deleted_at: null,
    }));
    for (const chunk of chunked(rows, 8)) await trx.insertInto("app_user").values(chunk).execute();
  });
}

/** Replaces the aliases of many users at once: their old aliases go, `aliases` come in. */
export async function replaceAliasesOf(
  trx: Trx,
  tenantId: string,
  userIds: readonly string[],
  aliases: readonly { userId: string; address: string }[],
): Promise<void> {
  return withTenant(tenantId, async () => {
    for (const ids of chunked(userIds, 1, 1))
      await trx
        .deleteFrom("user_alias")
        .where("tenant_id", "=", tenantId)
        .where("user_id", "in", ids)
        .execute();
    const rows = aliases.map((a) => ({ tenant_id: tenantId, address: a.address, user_id: a.userId }));
    for (const chunk of chunked(rows, 3)) await trx.insertInto("user_alias").values(chunk).execute();
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

/** Opens one membership at `at` (as `openMemberships` does many). */
export function openMembership(
  trx: Trx,
  tenantId: string,
  groupId: string,
  userId: string,
  at: Date,
): Promise<void> {
  return openMemberships(trx, tenantId, [{ groupId, userId }], at);
}

/** Ends one user's current membership of a group at `at`. */
export function closeMembership(
  trx: Trx,
  tenantId: string,
  groupId: string,
  userId: string,
  at: Date,
): Promise<void> {
  return closeMemberships(trx, tenantId, groupId, [userId], at);
}

/** Oldest first; sorted here rather than in SQL because chunked reads arrive in several parts. */
const byValidFrom = (a: { valid_from: number }, b: { valid_from: number }) => a.valid_from - b.valid_from;

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
    const query = db.selectFrom("group_membership").selectAll().where("tenant_id", "=", tenantId);
    let rows = userIds ? [] : await query.execute();
    for (const ids of userIds ? chunked(userIds, 1, 1) : [])
      rows = rows.concat(await query.where("user_id", "in", ids).execute());
    return groupIntervals(rows.sort(byValidFrom), (r) => ({ groupId: r.group_id }));
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

/** Opens one role assignment at `at` (as `openAssignments` does many). */
export function openAssignment(
  trx: Trx,
  tenantId: string,
  userId: string,
  role: string,
  at: Date,
): Promise<void> {
  return openAssignments(trx, tenantId, [{ userId, role }], at);
}

/** Ends one user's current assignment of a role at `at`. */
export function closeAssignment(
  trx: Trx,
  tenantId: string,
  userId: string,
  role: string,
  at: Date,
): Promise<void> {
  return closeAssignments(trx, tenantId, role, [userId], at);
}

/** Role assignment history of the given users (all users when `userIds` is undefined). */
export async function listAssignments(
  db: Trx,
  tenantId: string,
  userIds?: readonly string[],
): Promise<Map<string, RoleAssignment[]>> {
  return withTenant(tenantId, async () => {
    const query = db.selectFrom("role_assignment").selectAll().where("tenant_id", "=", tenantId);
    let rows = userIds ? [] : await query.execute();
    for (const ids of userIds ? chunked(userIds, 1, 1) : [])
      rows = rows.concat(await query.where("user_id", "in", ids).execute());
    return groupIntervals(rows.sort(byValidFrom), (r) => ({ role: r.role }));
  });
}

/** Opens memberships at `at` for many (group, user) pairs (5 variables a row). */
export async function openMemberships(
  trx: Trx,
  tenantId: string,
  pairs: readonly { groupId: string; userId: string }[],
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    const rows = pairs.map((p) => ({
      tenant_id: tenantId,
      group_id: p.groupId,
      user_id: p.userId,
      valid_from: at.getTime(),
      valid_to: null,
    }));
    for (const chunk of chunked(rows, 5)) await trx.insertInto("group_membership").values(chunk).execute();
  });
}

/** Ends at `at` the current memberships of `userIds` in one group. */
export async function closeMemberships(
  trx: Trx,
  tenantId: string,
  groupId: string,
  userIds: readonly string[],
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    for (const ids of chunked(userIds, 1, 3))
      await trx
        .updateTable("group_membership")
        .set({ valid_to: at.getTime() })
        .where("tenant_id", "=", tenantId)
        .where("group_id", "=", groupId)
        .where("user_id", "in", ids)
        .where("valid_to", "is", null)
        .execute();
  });
}

/** Opens role assignments at `at` for many (user, role) pairs (5 variables a row). */
export async function openAssignments(
  trx: Trx,
  tenantId: string,
  pairs: readonly { userId: string; role: string }[],
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    const rows = pairs.map((p) => ({
      tenant_id: tenantId,
      user_id: p.userId,
      role: p.role,
      valid_from: at.getTime(),
      valid_to: null,
    }));
    for (const chunk of chunked(rows, 5)) await trx.insertInto("role_assignment").values(chunk).execute();
  });
}

/** Ends at `at` the current assignments of one role to `userIds`. */
export async function closeAssignments(
  trx: Trx,
  tenantId: string,
  role: string,
  userIds: readonly string[],
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    for (const ids of chunked(userIds, 1, 3))
      await trx
        .updateTable("role_assignment")
        .set({ valid_to: at.getTime() })
        .where("tenant_id", "=", tenantId)
        .where("role", "=", role)
        .where("user_id", "in", ids)
        .where("valid_to", "is", null)
        .execute();
  });
}

/** Active users who hold `role` now (deactivated users keep their assignments but govern nothing). */
export async function activeRoleHolders(db: Trx, tenantId: string, role: string): Promise<string[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("role_assignment")
      .innerJoin("app_user", (j) =>
        j
          .onRef("app_user.tenant_id", "=", "role_assignment.tenant_id")
          .onRef("app_user.id", "=", "role_assignment.user_id"),
      )
      .select("app_user.email")
      .where("role_assignment.tenant_id", "=", tenantId)
      .where("role_assignment.role", "=", role)
      .where("role_assignment.valid_to", "is", null)
      .where("app_user.deleted_at", "is", null)
      .orderBy("app_user.email")
      .execute();
    return rows.map((r) => r.email);
  });
}

/**
 * PostgreSQL: locks the tenant row for the rest of the transaction, so two directory changes of a
 * tenant plan one after the other, each on what the other committed (SQLite holds the write lock).
 */
export async function lockTenantRow(
  trx: Trx,
  engine: "sqlite" | "postgres",
  tenantId: string,
): Promise<void> {
  return withTenant(tenantId, async () => {
    if (engine !== "postgres") return;
    await trx.selectFrom("tenant").select("id").where("id", "=", tenantId).forUpdate().execute();
  });
}
