import type { Trx } from "./store";

/** SCIM SQL: tenant-scoped bearer tokens, and user rows including deactivated ones. */

export async function insertScimToken(
  trx: Trx,
  token: { tenantId: string; id: string; tokenHash: string; label: string; createdAt: Date },
): Promise<void> {
  await trx
    .insertInto("scim_token")
    .values({
      tenant_id: token.tenantId,
      id: token.id,
      token_hash: token.tokenHash,
      label: token.label,
      created_at: token.createdAt.getTime(),
      revoked_at: null,
    })
    .execute();
}

export async function isLiveScimToken(db: Trx, tenantId: string, tokenHash: string): Promise<boolean> {
  const row = await db
    .selectFrom("scim_token")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeScimTokens(trx: Trx, tenantId: string, at: Date): Promise<number> {
  const r = await trx
    .updateTable("scim_token")
    .set({ revoked_at: at.getTime() })
    .where("tenant_id", "=", tenantId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface ScimUserRow {
  id: string;
  email: string;
  displayName: string;
  externalId: string | null;
  createdAt: Date;
  active: boolean;
}

/** Users as SCIM sees them: deactivated (soft-deleted) ones included, so an IdP can reactivate them. */
export async function listScimUsers(
  db: Trx,
  tenantId: string,
  filter?: { field: "email" | "external_id" | "id"; value: string },
): Promise<ScimUserRow[]> {
  let query = db
    .selectFrom("app_user")
    .select(["id", "email", "display_name", "external_id", "created_at", "deleted_at"])
    .where("tenant_id", "=", tenantId);
  if (filter) query = query.where(filter.field, "=", filter.value);
  const rows = await query.orderBy("email").execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    externalId: r.external_id,
    createdAt: new Date(r.created_at),
    active: r.deleted_at === null,
  }));
}

export async function listScimGroups(
  db: Trx,
  tenantId: string,
  filter?: { field: "name" | "id"; value: string },
): Promise<{ id: string; name: string }[]> {
  let query = db
    .selectFrom("security_group")
    .select(["id", "name"])
    .where("tenant_id", "=", tenantId)
    .where("deleted_at", "is", null);
  if (filter) query = query.where(filter.field, "=", filter.value);
  return query.orderBy("name").execute();
}

export async function markScimDeleted(trx: Trx, tenantId: string, userId: string, at: Date): Promise<void> {
  await trx
    .insertInto("scim_deletion")
    .values({ tenant_id: tenantId, user_id: userId, deleted_at: at.getTime() })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id"]).doNothing())
    .execute();
}

export async function listScimDeletedIds(db: Trx, tenantId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("scim_deletion")
    .select("user_id")
    .where("tenant_id", "=", tenantId)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Reactivates a deactivated user (SCIM `active: true`). */
export async function reactivateUser(trx: Trx, tenantId: string, userId: string): Promise<void> {
  await trx
    .updateTable("app_user")
    .set({ deleted_at: null })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", userId)
    .execute();
}

export async function listAliasesOf(
  db: Trx,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (userIds.length === 0) return result;
  const rows = await db
    .selectFrom("user_alias")
    .select(["user_id", "address"])
    .where("tenant_id", "=", tenantId)
    .where("user_id", "in", userIds)
    .orderBy("address")
    .execute();
  for (const r of rows) result.set(r.user_id, [...(result.get(r.user_id) ?? []), r.address]);
  return result;
}
