import type { MailboxSyncTable, MailSourceTable } from "./tables/live-sync.table";
import type { Trx } from "./store";
import { acrossTenants, withTenant } from "./tenant-scope";

/** Live mail sources and their per-mailbox sync state (migration 0020): rows become values here. */

export const syncStages = [
  "pending_full_fetch",
  "fetching",
  "importing",
  "idle",
  "paused",
  "failed",
] as const;
export type SyncStage = (typeof syncStages)[number];
export type SourceKind = "imap" | "graph";

export interface StoredSource {
  id: string;
  kind: SourceKind;
  name: string;
  settings: Record<string, unknown>;
  /** Encrypted (services/credentials.ts); null when each mailbox has its own. */
  credential: string | null;
  createdAt: Date;
}

export interface MailboxKey {
  sourceId: string;
  mailbox: string;
}

export interface StoredMailboxSync extends MailboxKey {
  login: string | null;
  /** Encrypted (services/credentials.ts). */
  credential: string | null;
  stage: SyncStage;
  cursor: string | null;
  lastSuccessAt: Date | null;
  failureCount: number;
  nextAttemptAt: Date | null;
  lagMs: number | null;
  reason: string | null;
  imported: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
}

const date = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)));

function rowToSource(row: MailSourceTable): StoredSource {
  return {
    id: row.id,
    kind: row.kind as SourceKind,
    name: row.name,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    credential: row.credential,
    createdAt: new Date(Number(row.created_at)),
  };
}

function rowToMailbox(row: MailboxSyncTable): StoredMailboxSync {
  return {
    sourceId: row.source_id,
    mailbox: row.mailbox,
    login: row.login,
    credential: row.credential,
    stage: row.stage as SyncStage,
    cursor: row.cursor,
    lastSuccessAt: date(row.last_success_at),
    failureCount: Number(row.failure_count),
    nextAttemptAt: date(row.next_attempt_at),
    lagMs: row.lag_ms === null ? null : Number(row.lag_ms),
    reason: row.reason,
    imported: Number(row.imported),
    leaseOwner: row.lease_owner,
    leaseUntil: date(row.lease_until),
  };
}

export async function insertSource(
  trx: Trx,
  tenantId: string,
  source: Omit<StoredSource, "createdAt">,
  mailboxes: readonly { mailbox: string; login: string | null; credential: string | null }[],
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("mail_source")
      .values({
        tenant_id: tenantId,
        id: source.id,
        kind: source.kind,
        name: source.name,
        settings: JSON.stringify(source.settings),
        credential: source.credential,
        created_at: at.getTime(),
        updated_at: at.getTime(),
      })
      .execute();
    for (const m of mailboxes)
      await trx
        .insertInto("mailbox_sync")
        .values({
          tenant_id: tenantId,
          source_id: source.id,
          mailbox: m.mailbox,
          login: m.login,
          credential: m.credential,
          stage: "pending_full_fetch",
          cursor: null,
          last_success_at: null,
          failure_count: 0,
          next_attempt_at: at.getTime(),
          lag_ms: null,
          reason: null,
          imported: 0,
          lease_owner: null,
          lease_until: null,
          updated_at: at.getTime(),
        })
        .execute();
  });
}

/** Replaces a source-wide secret (a rotated Graph client secret), already encrypted. */
export async function updateSourceCredential(
  trx: Trx,
  tenantId: string,
  sourceId: string,
  credential: string,
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("mail_source")
      .set({ credential, updated_at: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", sourceId)
      .execute();
  });
}

/** Removes a source and its mailboxes' state; false when there was no such source. */
export async function deleteSource(trx: Trx, tenantId: string, sourceId: string): Promise<boolean> {
  return withTenant(tenantId, async () => {
    await trx
      .deleteFrom("mailbox_sync")
      .where("tenant_id", "=", tenantId)
      .where("source_id", "=", sourceId)
      .execute();
    const result = await trx
      .deleteFrom("mail_source")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", sourceId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

export async function listSources(db: Trx, tenantId: string): Promise<StoredSource[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("mail_source")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(rowToSource);
  });
}

export async function findSource(
  db: Trx,
  tenantId: string,
  sourceId: string,
): Promise<StoredSource | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("mail_source")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", sourceId)
      .executeTakeFirst();
    return row ? rowToSource(row) : undefined;
  });
}

export async function listMailboxStates(
  db: Trx,
  tenantId: string,
  sourceId?: string,
): Promise<StoredMailboxSync[]> {
  return withTenant(tenantId, async () => {
    let query = db.selectFrom("mailbox_sync").selectAll().where("tenant_id", "=", tenantId);
    if (sourceId !== undefined) query = query.where("source_id", "=", sourceId);
    const rows = await query.orderBy("source_id").orderBy("mailbox").execute();
    return rows.map(rowToMailbox);
  });
}

export async function findMailboxState(
  db: Trx,
  tenantId: string,
  key: MailboxKey,
): Promise<StoredMailboxSync | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("mailbox_sync")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("source_id", "=", key.sourceId)
      .where("mailbox", "=", key.mailbox)
      .executeTakeFirst();
    return row ? rowToMailbox(row) : undefined;
  });
}

/**
 * Takes the mailbox's lease for `owner` until `until` when it is free, expired, already the
 * owner's, or held by `takeOver` (a worker found dead). One statement: two workers racing for it
 * cannot both win. True when `owner` holds it now.
 */
export async function claimMailboxLease(
  db: Trx,
  tenantId: string,
  key: MailboxKey,
  lease: { owner: string; until: Date; now: Date; takeOver?: string },
): Promise<boolean> {
  return withTenant(tenantId, async () => {
    const result = await db
      .updateTable("mailbox_sync")
      .set({ lease_owner: lease.owner, lease_until: lease.until.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("source_id", "=", key.sourceId)
      .where("mailbox", "=", key.mailbox)
      .where((eb) =>
        eb.or([
          eb("lease_owner", "is", null),
          eb("lease_until", "<", lease.now.getTime()),
          eb("lease_owner", "=", lease.owner),
          ...(lease.takeOver ? [eb("lease_owner", "=", lease.takeOver)] : []),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  });
}

export type MailboxChange = Partial<
  Pick<
    StoredMailboxSync,
    | "stage"
    | "cursor"
    | "lastSuccessAt"
    | "failureCount"
    | "nextAttemptAt"
    | "lagMs"
    | "reason"
    | "login"
    | "credential"
    | "leaseUntil"
  >
> & { importedAdd?: number; leaseOwner?: string | null };

/**
 * Changes a mailbox's state. With `heldBy`, only while that owner holds the lease (a worker whose
 * lease was taken over changes nothing). True when the row changed.
 */
export async function updateMailboxState(
  db: Trx,
  tenantId: string,
  key: MailboxKey,
  change: MailboxChange,
  at: Date,
  heldBy?: string,
): Promise<boolean> {
  return withTenant(tenantId, async () => {
    const ms = (d: Date | null | undefined) =>
      d === undefined ? undefined : d === null ? null : d.getTime();
    let query = db
      .updateTable("mailbox_sync")
      .set((eb) => ({
        updated_at: at.getTime(),
        ...(change.stage !== undefined ? { stage: change.stage } : {}),
        ...(change.cursor !== undefined ? { cursor: change.cursor } : {}),
        ...(change.lastSuccessAt !== undefined ? { last_success_at: ms(change.lastSuccessAt) } : {}),
        ...(change.failureCount !== undefined ? { failure_count: change.failureCount } : {}),
        ...(change.nextAttemptAt !== undefined ? { next_attempt_at: ms(change.nextAttemptAt) } : {}),
        ...(change.lagMs !== undefined ? { lag_ms: change.lagMs } : {}),
        ...(change.reason !== undefined ? { reason: change.reason } : {}),
        ...(change.login !== undefined ? { login: change.login } : {}),
        ...(change.credential !== undefined ? { credential: change.credential } : {}),
        ...(change.leaseOwner !== undefined ? { lease_owner: change.leaseOwner } : {}),
        ...(change.leaseUntil !== undefined ? { lease_until: ms(change.leaseUntil) } : {}),
        ...(change.importedAdd ? { imported: eb("imported", "+", change.importedAdd) } : {}),
      }))
      .where("tenant_id", "=", tenantId)
      .where("source_id", "=", key.sourceId)
      .where("mailbox", "=", key.mailbox);
    if (heldBy !== undefined) query = query.where("lease_owner", "=", heldBy);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  });
}

export interface DueMailbox extends MailboxKey {
  tenantId: string;
  leaseOwner: string | null;
  leaseUntil: Date | null;
}

/**
 * Mailboxes a worker may take, across tenants (the live sync's named cross-tenant path): not
 * paused, due by `now`, and with no lease or one that `now` has passed or that is held by one of
 * `suspectOwners`' host (the caller checks whether that process still runs).
 */
export async function listDueMailboxes(
  db: Trx,
  now: Date,
  limit: number,
  suspectHost: string,
): Promise<DueMailbox[]> {
  return acrossTenants("live sync: mailboxes due on any tenant", async () => {
    const rows = await db
      .selectFrom("mailbox_sync")
      .select(["tenant_id", "source_id", "mailbox", "lease_owner", "lease_until"])
      .where("stage", "!=", "paused")
      .where("next_attempt_at", "<=", now.getTime())
      .where((eb) =>
        eb.or([
          eb("lease_owner", "is", null),
          eb("lease_until", "<", now.getTime()),
          eb("lease_owner", "like", `${suspectHost}:%`),
        ]),
      )
      .orderBy("next_attempt_at")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      sourceId: r.source_id,
      mailbox: r.mailbox,
      leaseOwner: r.lease_owner,
      leaseUntil: date(r.lease_until),
    }));
  });
}
