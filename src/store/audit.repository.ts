import { sql } from "kysely";
import { genesisHash, hashAuditEntry, type AuditDraft, type AuditEntry } from "../domain/audit";
import { notFound } from "../domain/errors";
import { chunked } from "./chunk";
import type { AuditLogTable } from "./tables/audit.table";
import type { Db, Engine, Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * Appends an entry to the tenant's chain inside the caller's transaction, so the entry and the
 * change it records land together. On PostgreSQL the tenant row is locked to serialise writers;
 * SQLite transactions already hold the write lock (BEGIN IMMEDIATE).
 */
export async function appendAudit(
  trx: Trx,
  engine: Engine,
  tenantId: string,
  at: Date,
  draft: AuditDraft,
): Promise<AuditEntry> {
  return withTenant(tenantId, async () => {
    let query = trx
      .selectFrom("tenant")
      .select(["audit_head_seq", "audit_head_hash"])
      .where("id", "=", tenantId);
    if (engine === "postgres") query = query.forUpdate();
    const head = await query.executeTakeFirst();
    if (!head) throw notFound("tenant", tenantId);
    const seq = head.audit_head_seq + 1;
    const prevHash = head.audit_head_seq === 0 ? genesisHash : head.audit_head_hash;
    const unsigned = { tenantId, seq, at, prevHash, ...draft };
    const entry: AuditEntry = { ...unsigned, hash: hashAuditEntry(unsigned) };
    await trx.insertInto("audit_log").values(entryToRow(entry)).execute();
    await trx
      .updateTable("tenant")
      .set({ audit_head_seq: seq, audit_head_hash: entry.hash })
      .where("id", "=", tenantId)
      .execute();
    return entry;
  });
}

/**
 * Appends many entries, in order, as one stretch of the chain: the head is read (and on PostgreSQL
 * locked) once, rows go in as chunked multi-row inserts, the head is written once. The same chain
 * `appendAudit` would build one by one; a directory import of 200,000 users writes it in seconds.
 */
export async function appendAuditEntries(
  trx: Trx,
  engine: Engine,
  tenantId: string,
  at: Date,
  drafts: readonly AuditDraft[],
): Promise<void> {
  return withTenant(tenantId, async () => {
    if (drafts.length === 0) return;
    let query = trx
      .selectFrom("tenant")
      .select(["audit_head_seq", "audit_head_hash"])
      .where("id", "=", tenantId);
    if (engine === "postgres") query = query.forUpdate();
    const head = await query.executeTakeFirst();
    if (!head) throw notFound("tenant", tenantId);
    let seq = head.audit_head_seq;
    let prevHash = head.audit_head_seq === 0 ? genesisHash : head.audit_head_hash;
    const rows: AuditLogTable[] = drafts.map((draft) => {
      seq += 1;
      const unsigned = { tenantId, seq, at, prevHash, ...draft };
      const entry: AuditEntry = { ...unsigned, hash: hashAuditEntry(unsigned) };
      prevHash = entry.hash;
      return entryToRow(entry);
    });
    for (const chunk of chunked(rows, auditColumns))
      await trx.insertInto("audit_log").values(chunk).execute();
    await trx
      .updateTable("tenant")
      .set({ audit_head_seq: seq, audit_head_hash: prevHash })
      .where("id", "=", tenantId)
      .execute();
  });
}

/** Columns of an audit_log row: the variables one inserted entry binds. */
const auditColumns = 9;

export async function readAuditHead(db: Trx, tenantId: string): Promise<{ seq: number; hash: string }> {
  return withTenant(tenantId, async () => {
    const head = await db
      .selectFrom("tenant")
      .select(["audit_head_seq", "audit_head_hash"])
      .where("id", "=", tenantId)
      .executeTakeFirst();
    if (!head) throw notFound("tenant", tenantId);
    return { seq: head.audit_head_seq, hash: head.audit_head_hash };
  });
}

/** Reads entries in seq order, a page at a time, so a long chain never sits in memory whole. */
export async function* iterateAudit(db: Db, tenantId: string, pageSize = 1000): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const from = after;
    const rows = await withTenant(tenantId, () =>
      db
        .selectFrom("audit_log")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("seq", ">", from)
        .orderBy("seq")
        .limit(pageSize)
        .execute(),
    );
    for (const row of rows) yield rowToEntry(row);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export async function listAudit(
  db: Db,
  tenantId: string,
  options: { limit: number; beforeSeq?: number; action?: string; actor?: string; from?: Date; to?: Date },
): Promise<AuditEntry[]> {
  return withTenant(tenantId, async () => {
    let query = db.selectFrom("audit_log").selectAll().where("tenant_id", "=", tenantId);
    if (options.beforeSeq !== undefined) query = query.where("seq", "<", options.beforeSeq);
    if (options.action !== undefined) query = query.where("action", "like", `${options.action}%`);
    if (options.actor !== undefined) query = query.where("actor", "=", options.actor);
    if (options.from !== undefined) query = query.where("at", ">=", options.from.getTime());
    if (options.to !== undefined) query = query.where("at", "<", options.to.getTime());
    const rows = await query.orderBy("seq", "desc").limit(options.limit).execute();
    return rows.map(rowToEntry);
  });
}

export async function countAudit(db: Db, tenantId: string): Promise<number> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("audit_log")
      .select(sql<number>`count(*)`.as("n"))
      .where("tenant_id", "=", tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

function entryToRow(entry: AuditEntry): AuditLogTable {
  return {
    tenant_id: entry.tenantId,
    seq: entry.seq,
    at: entry.at.getTime(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: JSON.stringify(entry.details),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

function rowToEntry(row: AuditLogTable): AuditEntry {
  return {
    tenantId: row.tenant_id,
    seq: row.seq,
    at: new Date(row.at),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
