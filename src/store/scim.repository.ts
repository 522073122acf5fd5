import { chunked } from "./chunk";
import type { ScimTokenTable } from "./tables/server.table";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

/** SCIM SQL: tenant-scoped bearer tokens and their lifecycle, and user rows including deactivated ones. */

/** A SCIM token as administrators see it: never its secret or hash. */
export interface ScimToken {
  id: string;
  label: string;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export async function insertScimToken(
  trx: Trx,
  token: {
    tenantId: string;
    id: string;
    tokenHash: string;
    label: string;
    createdAt: Date;
    createdBy: string;
    expiresAt: Date | null;
  },
): Promise<void> {
  return ((work) => withTenant(token.tenantId, work))(async () => {
    await trx
      .insertInto("scim_token")
      .values({
        tenant_id: token.tenantId,
        id: token.id,
        token_hash: token.tokenHash,
        label: token.label,
        created_at: token.createdAt.getTime(),
        created_by: token.createdBy,
        expires_at: token.expiresAt?.getTime() ?? null,
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
  });
}

/** The token behind a hash if it is neither revoked nor expired at `now`. */
export async function findLiveScimToken(
  db: Trx,
  tenantId: string,
  tokenHash: string,
  now: Date,
): Promise<{ id: string; lastUsedAt: Date | null } | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("scim_token")
      .select(["id", "last_used_at"])
      .where("tenant_id", "=", tenantId)
      .where("token_hash", "=", tokenHash)
      .where("revoked_at", "is", null)
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now.getTime())]))
      .executeTakeFirst();
    return row && { id: row.id, lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at) };
  });
}

/** Stamps the last use unless it is newer than `staleBefore` (a racing request already did). */
export async function touchScimToken(
  db: Trx,
  tenantId: string,
  id: string,
  at: Date,
  staleBefore: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await db
      .updateTable("scim_token")
      .set({ last_used_at: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", staleBefore.getTime())]))
      .execute();
  });
}

const tokenColumns = [
  "id",
  "label",
  "created_at",
  "created_by",
  "expires_at",
  "last_used_at",
  "revoked_at",
  "revoked_by",
] as const;

function rowToScimToken(row: Pick<ScimTokenTable, (typeof tokenColumns)[number]>): ScimToken {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return {
    id: row.id,
    label: row.label,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
    expiresAt: date(row.expires_at),
    lastUsedAt: date(row.last_used_at),
    revokedAt: date(row.revoked_at),
    revokedBy: row.revoked_by,
  };
}

/** Every token of the tenant, revoked and expired ones included, newest first. */
export async function listScimTokens(db: Trx, tenantId: string): Promise<ScimToken[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("scim_token")
      .select(tokenColumns)
      .where("tenant_id", "=", tenantId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
    return rows.map(rowToScimToken);
  });
}

export async function findScimToken(db: Trx, tenantId: string, id: string): Promise<ScimToken | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("scim_token")
      .select(tokenColumns)
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row && rowToScimToken(row);
  });
}

/** Revokes one token; false when it was already revoked (or is not the tenant's). */
export async function revokeScimToken(
  trx: Trx,
  tenantId: string,
  id: string,
  at: Date,
  by: string,
): Promise<boolean> {
  return withTenant(tenantId, async () => {
    const r = await trx
      .updateTable("scim_token")
      .set({ revoked_at: at.getTime(), revoked_by: by })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  });
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
  return withTenant(tenantId, async () => {
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
  });
}

export async function listScimGroups(
  db: Trx,
  tenantId: string,
  filter?: { field: "name" | "id"; value: string },
): Promise<{ id: string; name: string }[]> {
  return withTenant(tenantId, async () => {
    let query = db
      .selectFrom("security_group")
      .select(["id", "name"])
      .where("tenant_id", "=", tenantId)
      .where("deleted_at", "is", null);
    if (filter) query = query.where(filter.field, "=", filter.value);
    return query.orderBy("name").execute();
  });
}

export async function markScimDeleted(trx: Trx, tenantId: string, userId: string, at: Date): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("scim_deletion")
      .values({ tenant_id: tenantId, user_id: userId, deleted_at: at.getTime() })
      .onConflict((oc) => oc.columns(["tenant_id", "user_id"]).doNothing())
      .execute();
  });
}

export async function listScimDeletedIds(db: Trx, tenantId: string): Promise<Set<string>> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("scim_deletion")
      .select("user_id")
      .where("tenant_id", "=", tenantId)
      .execute();
    return new Set(rows.map((r) => r.user_id));
  });
}

/** Reactivates a deactivated user (SCIM `active: true`). */
export async function reactivateUser(trx: Trx, tenantId: string, userId: string): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("app_user")
      .set({ deleted_at: null })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", userId)
      .execute();
  });
}

export async function listAliasesOf(
  db: Trx,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, string[]>> {
  return withTenant(tenantId, async () => {
    const result = new Map<string, string[]>();
    for (const ids of chunked(userIds, 1, 1)) {
      const rows = await db
        .selectFrom("user_alias")
        .select(["user_id", "address"])
        .where("tenant_id", "=", tenantId)
        .where("user_id", "in", ids)
        .orderBy("address")
        .execute();
      for (const r of rows) result.set(r.user_id, [...(result.get(r.user_id) ?? []), r.address]);
    }
    return result;
  });
}
