import type { Trx } from "./store";
import { acrossTenants, withTenant } from "./tenant-scope";

export interface BatchRow {
  id: string;
  kind: string;
  label: string;
  status: "running" | "done" | "failed";
  startedAt: Date;
  finishedAt: Date | null;
  summary: Record<string, unknown>;
  checkpoint: Record<string, unknown> | null;
}

/** Records a batch as running, outside the batch's own transaction, so a crash leaves a trace. */
export async function startBatch(
  db: Trx,
  tenantId: string,
  batch: {
    id: string;
    kind: string;
    label: string;
    startedAt: Date;
    /** `host:pid` of the process running it. */
    owner: string;
    checkpoint?: Record<string, unknown>;
  },
): Promise<void> {
  return withTenant(tenantId, async () => {
    // A resumed batch reuses its id: the earlier attempt's row is replaced.
    await db
      .deleteFrom("ingest_batch")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", batch.id)
      .execute();
    await db
      .insertInto("ingest_batch")
      .values({
        tenant_id: tenantId,
        id: batch.id,
        kind: batch.kind,
        label: batch.label,
        status: "running",
        started_at: batch.startedAt.getTime(),
        finished_at: null,
        summary: "{}",
        checkpoint: batch.checkpoint ? JSON.stringify(batch.checkpoint) : null,
        owner: batch.owner,
      })
      .execute();
  });
}

export async function finishBatch(
  db: Trx,
  tenantId: string,
  batchId: string,
  status: "done" | "failed",
  summary: object,
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await db
      .updateTable("ingest_batch")
      .set({ status, summary: JSON.stringify(summary), finished_at: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", batchId)
      .execute();
  });
}

export async function listBatches(
  db: Trx,
  tenantId: string,
  options: { kind?: string; limit?: number } = {},
): Promise<BatchRow[]> {
  return withTenant(tenantId, async () => {
    let query = db.selectFrom("ingest_batch").selectAll().where("tenant_id", "=", tenantId);
    if (options.kind) query = query.where("kind", "=", options.kind);
    const rows = await query
      .orderBy("started_at", "desc")
      .limit(options.limit ?? 100)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      label: r.label,
      status: r.status as BatchRow["status"],
      startedAt: new Date(r.started_at),
      finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
      summary: JSON.parse(r.summary) as Record<string, unknown>,
      checkpoint: r.checkpoint === null ? null : (JSON.parse(r.checkpoint) as Record<string, unknown>),
    }));
  });
}

/** Batches recorded as running (of one tenant, or of every tenant), oldest first. */
export async function listRunningBatches(
  db: Trx,
  tenantId?: string,
): Promise<{ tenantId: string; id: string; owner: string | null; startedAt: Date }[]> {
  const scope = <T>(work: () => Promise<T>) =>
    tenantId === undefined
      ? acrossTenants("running batches of every tenant", work)
      : withTenant(tenantId, work);
  return scope(async () => {
    let query = db
      .selectFrom("ingest_batch")
      .select(["tenant_id", "id", "owner", "started_at"])
      .where("status", "=", "running");
    if (tenantId !== undefined) query = query.where("tenant_id", "=", tenantId);
    const rows = await query.orderBy("started_at").execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      id: r.id,
      owner: r.owner,
      startedAt: new Date(r.started_at),
    }));
  });
}

/** Marks a batch failed only while it is still recorded as running (another process may have ended it). */
export async function failRunningBatch(
  db: Trx,
  tenantId: string,
  batchId: string,
  summary: object,
  at: Date,
): Promise<boolean> {
  return withTenant(tenantId, async () => {
    const result = await db
      .updateTable("ingest_batch")
      .set({ status: "failed", summary: JSON.stringify(summary), finished_at: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", batchId)
      .where("status", "=", "running")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  });
}
