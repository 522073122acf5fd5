import type { Trx } from "./store";
import { acrossTenants, withTenant } from "./tenant-scope";

/** Sign-in SQL: one-time login links, sessions, OpenID Connect requests in flight. Secrets arrive hashed. */

export interface LoginLinkRecord {
  tenantId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export async function insertLoginLink(
  trx: Trx,
  link: { tenantId: string; tokenHash: string; userId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  return withTenant(link.tenantId, async () => {
    await trx
      .insertInto("login_link")
      .values({
        tenant_id: link.tenantId,
        token_hash: link.tokenHash,
        user_id: link.userId,
        created_at: link.createdAt.getTime(),
        expires_at: link.expiresAt.getTime(),
        used_at: null,
      })
      .execute();
  });
}

/**
 * Marks an unused, unexpired link used and returns whose it was. A single conditional UPDATE, so
 * two concurrent exchanges of the same link cannot both succeed.
 */
export async function consumeLoginLink(
  trx: Trx,
  tenantId: string,
  tokenHash: string,
  at: Date,
): Promise<{ userId: string } | "unknown" | "used" | "expired"> {
  return withTenant(tenantId, async () => {
    const result = await trx
      .updateTable("login_link")
      .set({ used_at: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("token_hash", "=", tokenHash)
      .where("used_at", "is", null)
      .where("expires_at", ">", at.getTime())
      .executeTakeFirst();
    const row = await trx
      .selectFrom("login_link")
      .select(["user_id", "used_at", "expires_at"])
      .where("tenant_id", "=", tenantId)
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    if (!row) return "unknown";
    if (Number(result.numUpdatedRows) === 1) return { userId: row.user_id };
    return row.expires_at <= at.getTime() && row.used_at === null ? "expired" : "used";
  });
}

export interface SessionRecord {
  tenantId: string;
  userId: string;
  csrfToken: string;
  method: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertSession(trx: Trx, session: SessionRecord & { idHash: string }): Promise<void> {
  return withTenant(session.tenantId, async () => {
    await trx
      .insertInto("web_session")
      .values({
        tenant_id: session.tenantId,
        id_hash: session.idHash,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        method: session.method,
        created_at: session.createdAt.getTime(),
        expires_at: session.expiresAt.getTime(),
        revoked_at: null,
      })
      .execute();
  });
}

/** A live session: not revoked and not expired at `at`. */
export async function findLiveSession(
  db: Trx,
  tenantId: string,
  idHash: string,
  at: Date,
): Promise<SessionRecord | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("web_session")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id_hash", "=", idHash)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", at.getTime())
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      tenantId: row.tenant_id,
      userId: row.user_id,
      csrfToken: row.csrf_token,
      method: row.method,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
    };
  });
}

export async function revokeSession(trx: Trx, tenantId: string, idHash: string, at: Date): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("web_session")
      .set({ revoked_at: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("id_hash", "=", idHash)
      .where("revoked_at", "is", null)
      .execute();
  });
}

/** Removes expired sessions, links and OIDC requests; returns how many rows went. */
export async function deleteExpiredSignIns(trx: Trx, at: Date): Promise<number> {
  return acrossTenants("clean-up of expired sign-ins", async () => {
    const cutoff = at.getTime();
    let removed = 0;
    for (const table of ["web_session", "login_link", "oidc_request"] as const) {
      const r = await trx.deleteFrom(table).where("expires_at", "<", cutoff).executeTakeFirst();
      removed += Number(r.numDeletedRows);
    }
    return removed;
  });
}

export interface OidcRequestRecord {
  tenantId: string;
  state: string;
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  expiresAt: Date;
}

export async function insertOidcRequest(trx: Trx, request: OidcRequestRecord, at: Date): Promise<void> {
  return withTenant(request.tenantId, async () => {
    await trx
      .insertInto("oidc_request")
      .values({
        tenant_id: request.tenantId,
        state: request.state,
        code_verifier: request.codeVerifier,
        nonce: request.nonce,
        return_to: request.returnTo,
        created_at: at.getTime(),
        expires_at: request.expiresAt.getTime(),
      })
      .execute();
  });
}

/** Reads and deletes the request (single use); undefined when unknown or expired. */
export async function takeOidcRequest(
  trx: Trx,
  tenantId: string,
  state: string,
  at: Date,
): Promise<OidcRequestRecord | undefined> {
  return withTenant(tenantId, async () => {
    const row = await trx
      .selectFrom("oidc_request")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("state", "=", state)
      .executeTakeFirst();
    if (!row) return undefined;
    const deleted = await trx
      .deleteFrom("oidc_request")
      .where("tenant_id", "=", tenantId)
      .where("state", "=", state)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1 || row.expires_at <= at.getTime()) return undefined;
    return {
      tenantId: row.tenant_id,
      state: row.state,
      codeVerifier: row.code_verifier,
      nonce: row.nonce,
      returnTo: row.return_to,
      expiresAt: new Date(row.expires_at),
    };
  });
}
