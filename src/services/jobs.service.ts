import type { ServiceContext } from "./context";
import {
  claimNextJob,
  completeJob,
  countJobsByStatus,
  extendLease,
  failJob,
  insertJob,
  lastSuccessByTenant,
  listTenantJobs,
  type JobStatus,
  type NewJob,
  type QueuedJob,
} from "../store/job.repository";

/**
 * The durable job queue's use cases: what `jobs/` (queue, worker) and the API (job list, ops
 * gauges) do with the queue, each in its own transaction. The SQL stays in `store/job.repository.ts`.
 */

export type { JobStatus, QueuedJob };

/** Enqueues a job; null when its idempotency key was already used. */
export function enqueueJob(ctx: ServiceContext, job: NewJob): Promise<string | null> {
  const at = ctx.now();
  return ctx.store.transaction((trx) => insertJob(trx, job, at));
}

/** Claims the next due job of these names for `workerId` for `leaseMs`; undefined when none is due. */
export function claimJob(
  ctx: ServiceContext,
  workerId: string,
  names: string[],
  leaseMs: number,
): Promise<QueuedJob | undefined> {
  return ctx.store.transaction((trx) =>
    claimNextJob(trx, ctx.store.engine, workerId, names, ctx.now(), leaseMs),
  );
}

/** Keeps a claim alive; false when another worker has taken the job over. */
export function renewJobLease(
  ctx: ServiceContext,
  jobId: string,
  workerId: string,
  leaseMs: number,
): Promise<boolean> {
  return ctx.store.transaction((trx) =>
    extendLease(trx, jobId, workerId, new Date(ctx.now().getTime() + leaseMs)),
  );
}

export async function finishJob(
  ctx: ServiceContext,
  jobId: string,
  workerId: string,
  result: unknown,
): Promise<void> {
  await ctx.store.transaction((trx) => completeJob(trx, jobId, workerId, result, ctx.now()));
}

/** Records a failure; with `retryAt` the job is queued again for then, without it the job has failed for good. */
export async function recordJobFailure(
  ctx: ServiceContext,
  jobId: string,
  workerId: string,
  message: string,
  retryAt: Date | null,
): Promise<void> {
  const at = ctx.now();
  await ctx.store.transaction((trx) => failJob(trx, jobId, workerId, message, retryAt, at));
}

export function listJobsOfTenant(
  ctx: ServiceContext,
  tenantId: string,
  options: { limit: number; name?: string },
): Promise<QueuedJob[]> {
  return listTenantJobs(ctx.store.db, tenantId, options);
}

/** Queue depth per status and, per tenant, when a job of `name` last succeeded (ops gauges). */
export async function queueFigures(
  ctx: ServiceContext,
  name: string,
): Promise<{ depth: Record<JobStatus, number>; lastSuccess: Map<string, Date> }> {
  return {
    depth: await countJobsByStatus(ctx.store.db),
    lastSuccess: await lastSuccessByTenant(ctx.store.db, name),
  };
}
