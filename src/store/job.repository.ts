import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { JobTable } from "./tables/server.table";
import type { Db, Engine, Trx } from "./store";
import { acrossTenants, withTenant } from "./tenant-scope";

/** The durable job queue. Rows never leave this file: callers see `QueuedJob`. */

export type JobStatus = "queued" | "running" | "done" | "failed";

export interface QueuedJob {
  id: string;
  tenantId: string | null;
  name: string;
  payload: Record<string, unknown>;
  idempotencyKey: string | null;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  leaseUntil: Date | null;
  lockedBy: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

function rowToJob(row: JobTable): QueuedJob {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    idempotencyKey: row.idempotency_key,
    status: row.status as JobStatus,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: new Date(row.run_at),
    leaseUntil: row.lease_until === null ? null : new Date(row.lease_until),
    lockedBy: row.locked_by,
    lastError: row.last_error,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

export interface NewJob {
  name: string;
  tenantId: string | null;
  payload?: Record<string, unknown>;
  idempotencyKey?: string | null;
  maxAttempts: number;
  runAt: Date;
}

/** Enqueues a job; with an idempotency key already present, nothing is added and null is returned. */
export async function insertJob(trx: Trx, job: NewJob, at: Date): Promise<string | null> {
  const scope = <T>(work: () => Promise<T>) =>
    job.tenantId === null ? acrossTenants("a job of no tenant", work) : withTenant(job.tenantId, work);
  return scope(async () => {
    const id = randomUUID();
    const result = await trx
      .insertInto("job")
      .values({
        id,
        tenant_id: job.tenantId,
        name: job.name,
        payload: JSON.stringify(job.payload ?? {}),
        idempotency_key: job.idempotencyKey ?? null,
        status: "queued",
        attempts: 0,
        max_attempts: job.maxAttempts,
        run_at: job.runAt.getTime(),
        lease_until: null,
        locked_by: null,
        last_error: null,
        result: null,
        created_at: at.getTime(),
        finished_at: null,
      })
      .onConflict((oc) => oc.column("idempotency_key").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? id : null;
  });
}

/**
 * Claims the next due job for `workerId`: a queued job whose time has come, or a running one whose
 * lease expired (its worker died). PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers
 * never claim the same row. SQLite: the caller's transaction holds the database write lock.
 */
export async function claimNextJob(
  trx: Trx,
  engine: Engine,
  workerId: string,
  names: readonly string[],
  at: Date,
  leaseMs: number,
): Promise<QueuedJob | undefined> {
  return acrossTenants("the job queue: the next due job of any tenant", async () => {
    if (names.length === 0) return undefined;
    const now = at.getTime();
    let pick = trx
      .selectFrom("job")
      .select("id")
      .where("name", "in", names)
      .where((eb) =>
        eb.or([
          eb.and([eb("status", "=", "queued"), eb("run_at", "<=", now)]),
          eb.and([eb("status", "=", "running"), eb("lease_until", "<", now)]),
        ]),
      )
      .orderBy("run_at")
      .limit(1);
    if (engine === "postgres") pick = pick.forUpdate().skipLocked();
    const candidate = await pick.executeTakeFirst();
    if (!candidate) return undefined;
    const row = await trx
      .updateTable("job")
      .set({
        status: "running",
        locked_by: workerId,
        lease_until: now + leaseMs,
        attempts: sql<number>`attempts + 1`,
      })
      .where("id", "=", candidate.id)
      .returningAll()
      .executeTakeFirst();
    return row ? rowToJob(row) : undefined;
  });
}

/** Records success; only the worker holding the lease may finish the job. */
export async function completeJob(
  trx: Trx,
  id: string,
  workerId: string,
  result: unknown,
  at: Date,
): Promise<boolean> {
  return acrossTenants("the job queue: a claimed job, by id", async () => {
    const r = await trx
      .updateTable("job")
      .set({
        status: "done",
        result: JSON.stringify(result ?? null),
        finished_at: at.getTime(),
        lease_until: null,
      })
      .where("id", "=", id)
      .where("locked_by", "=", workerId)
      .where("status", "=", "running")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  });
}

/** Records a failure: `retryAt` puts it back in the queue, null fails it for good. */
export async function failJob(
  trx: Trx,
  id: string,
  workerId: string,
  error: string,
  retryAt: Date | null,
  at: Date,
): Promise<boolean> {
  return acrossTenants("the job queue: a claimed job, by id", async () => {
    const r = await trx
      .updateTable("job")
      .set(
        retryAt
          ? {
              status: "queued",
              run_at: retryAt.getTime(),
              last_error: error,
              lease_until: null,
              locked_by: null,
            }
          : { status: "failed", last_error: error, finished_at: at.getTime(), lease_until: null },
      )
      .where("id", "=", id)
      .where("locked_by", "=", workerId)
      .where("status", "=", "running")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  });
}

export async function findJob(db: Db, id: string): Promise<QueuedJob | undefined> {
  return acrossTenants("the job queue: a job by id", async () => {
    const row = await db.selectFrom("job").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? rowToJob(row) : undefined;
  });
}

export async function listTenantJobs(
  db: Db,
  tenantId: string,
  options: { limit: number; name?: string },
): Promise<QueuedJob[]> {
  return withTenant(tenantId, async () => {
    let query = db.selectFrom("job").selectAll().where("tenant_id", "=", tenantId);
    if (options.name) query = query.where("name", "like", `${options.name}%`);
    const rows = await query.orderBy("created_at", "desc").limit(options.limit).execute();
    return rows.map(rowToJob);
  });
}

/** Jobs per status, for the queue-depth gauge. */
export async function countJobsByStatus(db: Db): Promise<Record<JobStatus, number>> {
  return acrossTenants("the job queue: counts for metrics", async () => {
    const rows = await db
      .selectFrom("job")
      .select(["status", sql<number>`count(*)`.as("n")])
      .groupBy("status")
      .execute();
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of rows) if (r.status in counts) counts[r.status as JobStatus] = Number(r.n);
    return counts;
  });
}

/** Keeps a long job's lease alive; false when the worker lost it (another worker reclaimed the job). */
export async function extendLease(
  trx: Trx,
  id: string,
  workerId: string,
  leaseUntil: Date,
): Promise<boolean> {
  return acrossTenants("the job queue: a claimed job, by id", async () => {
    const r = await trx
      .updateTable("job")
      .set({ lease_until: leaseUntil.getTime() })
      .where("id", "=", id)
      .where("locked_by", "=", workerId)
      .where("status", "=", "running")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  });
}

/** When each tenant last finished a job of this name successfully (for the sync-lag gauge). */
export async function lastSuccessByTenant(db: Db, name: string): Promise<Map<string, Date>> {
  return acrossTenants("the scheduler: last success per tenant", async () => {
    const rows = await db
      .selectFrom("job")
      .select(["tenant_id", sql<number>`max(finished_at)`.as("at")])
      .where("name", "=", name)
      .where("status", "=", "done")
      .where("tenant_id", "is not", null)
      .groupBy("tenant_id")
      .execute();
    return new Map(
      rows.filter((r) => r.tenant_id !== null).map((r) => [r.tenant_id as string, new Date(Number(r.at))]),
    );
  });
}

/** Deletes finished jobs older than `before`; their idempotency keys belong to past schedule slots. */
export async function deleteFinishedJobs(trx: Trx, before: Date): Promise<number> {
  return acrossTenants("the job queue: clean-up of finished jobs", async () => {
    const r = await trx
      .deleteFrom("job")
      .where("status", "in", ["done", "failed"])
      .where("finished_at", "<", before.getTime())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}

export async function upsertTelemetryRollup(
  trx: Trx,
  tenantId: string,
  day: string,
  figures: Record<string, number>,
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    const values = { figures: JSON.stringify(figures), computed_at: at.getTime() };
    await trx
      .insertInto("telemetry_rollup")
      .values({ tenant_id: tenantId, day, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "day"]).doUpdateSet(values))
      .execute();
  });
}

/** Operational figures for a tenant's daily roll-up (never personal data). */
export async function readTenantFigures(
  db: Db,
  tenantId: string,
  since: Date,
): Promise<Record<string, number>> {
  return withTenant(tenantId, async () => {
    const count = async (q: Promise<{ n: number } | undefined>) => Number((await q)?.n ?? 0);
    const users = await count(
      db
        .selectFrom("app_user")
        .select(sql<number>`count(*)`.as("n"))
        .where("tenant_id", "=", tenantId)
        .where("deleted_at", "is", null)
        .executeTakeFirst(),
    );
    const auditEntries = await count(
      db
        .selectFrom("audit_log")
        .select(sql<number>`count(*)`.as("n"))
        .where("tenant_id", "=", tenantId)
        .where("at", ">=", since.getTime())
        .executeTakeFirst(),
    );
    const jobsFailed = await count(
      db
        .selectFrom("job")
        .select(sql<number>`count(*)`.as("n"))
        .where("tenant_id", "=", tenantId)
        .where("status", "=", "failed")
        .where("finished_at", ">=", since.getTime())
        .executeTakeFirst(),
    );
    const jobsDone = await count(
      db
        .selectFrom("job")
        .select(sql<number>`count(*)`.as("n"))
        .where("tenant_id", "=", tenantId)
        .where("status", "=", "done")
        .where("finished_at", ">=", since.getTime())
        .executeTakeFirst(),
    );
    return { users, auditEntries, jobsDone, jobsFailed };
  });
}
