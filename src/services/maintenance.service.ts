import { evaluateEnablement, isCollectionConsentInForce, isSharingOn } from "../domain/consent-policy";
import { appendAudit } from "../store/audit.repository";
import { readAllPrivacy, readConsentState, readOptions, writeOptions } from "../store/consent.repository";
import { listTenants } from "../store/directory.repository";
import { deleteFinishedJobs, readTenantFigures, upsertTelemetryRollup } from "../store/job.repository";
import { checkStore } from "../store/health.repository";
import { deleteExpiredSignIns } from "../store/session.repository";
import type { ServiceContext } from "./context";
import { dropEmptyMonthPartitions } from "../store/partitions";
import { purgeTenantData, purgeUserData } from "./purge.service";

/** Scheduled use cases run by the job worker (src/jobs): each safe to run again at any time. */

/**
 * The 14-day rule (SPEC §3): relationship intelligence enabled without identifiable consent switches
 * itself off at the deadline. The state is derived by `evaluateEnablement`; this records the moment
 * once per deadline (tenant option `riSwitchedOff`) with an audit entry, so admins see when and why.
 */
export async function enforceEnablementDeadline(
  ctx: ServiceContext,
  tenantId: string,
): Promise<{ state: string; recorded: boolean }> {
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const state = evaluateEnablement(await readConsentState(trx, tenantId), at);
    if (state.state !== "switched_off") return { state: state.state, recorded: false };
    const options = await readOptions(trx, tenantId);
    const previous = options.riSwitchedOff as { deadline?: number } | undefined;
    if (previous?.deadline === state.deadline.getTime()) return { state: state.state, recorded: false };
    await writeOptions(trx, tenantId, {
      ...options,
      riSwitchedOff: { deadline: state.deadline.getTime(), at: at.getTime() },
    });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: "system",
      action: "ri.switched_off",
      subject: tenantId,
      details: {
        reason: "identifiable consent still missing 14 days after enabling relationship intelligence",
        deadline: state.deadline.toISOString(),
      },
    });
    return { state: state.state, recorded: true };
  });
}

/** Thrown inside a transaction to roll back a purge that found nothing to remove. */
class NothingRemoved extends Error {}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Re-verifies that withdrawals and opt-outs left nothing behind (deletion itself is synchronous in
 * the services). Runs every registered purge again; when a purge still finds rows they are deleted
 * with a receipt and an audit entry, otherwise the check leaves no trace.
 */
export async function reverifyPurges(
  ctx: ServiceContext,
  tenantId: string,
): Promise<{ tenantRemoved: number; usersChecked: number; userRowsRemoved: number }> {
  const at = ctx.now();
  const state = await readConsentState(ctx.store.db, tenantId);
  let tenantRemoved = 0;
  let userRowsRemoved = 0;
  const attempt = async (
    purge: (trx: Parameters<Parameters<typeof ctx.store.transaction>[0]>[0]) => Promise<number>,
  ) => {
    try {
      return await ctx.store.transaction(async (trx) => {
        const n = await purge(trx);
        if (n === 0) throw new NothingRemoved();
        return n;
      });
    } catch (error) {
      if (error instanceof NothingRemoved) return 0;
      throw error;
    }
  };
  if (!isCollectionConsentInForce(state)) {
    tenantRemoved = await attempt(async (trx) => {
      const receipt = await purgeTenantData(trx, tenantId, at, "re-verification after consent withdrawal");
      const n = total(receipt.counts);
      if (n > 0)
        await appendAudit(trx, ctx.store.engine, tenantId, at, {
          actor: "system",
          action: "data.deleted",
          subject: tenantId,
          details: { scope: "tenant", reason: receipt.reason, counts: receipt.counts, receipt: receipt.id },
        });
      return n;
    });
  }
  // PostgreSQL: months left with no row of any tenant lose their partitions (store/partitions.ts).
  if (tenantRemoved > 0) await dropEmptyMonthPartitions(ctx.store);
  const privacy = await readAllPrivacy(ctx.store.db, tenantId);
  let usersChecked = 0;
  for (const [userId, p] of privacy) {
    if (isSharingOn(p, state) || p.sharing !== "off") continue;
    usersChecked++;
    userRowsRemoved += await attempt(async (trx) => {
      const receipt = await purgeUserData(trx, tenantId, userId, at, "re-verification after opt-out");
      const n = total(receipt.counts);
      if (n > 0)
        await appendAudit(trx, ctx.store.engine, tenantId, at, {
          actor: "system",
          action: "data.deleted",
          subject: userId,
          details: { scope: "user", reason: receipt.reason, counts: receipt.counts, receipt: receipt.id },
        });
      return n;
    });
  }
  return { tenantRemoved, usersChecked, userRowsRemoved };
}

/** Daily operational figures per tenant (telemetry insights read them; never personal data). */
export async function rollupTelemetry(
  ctx: ServiceContext,
  tenantId: string,
): Promise<Record<string, number>> {
  const at = ctx.now();
  const day = at.toISOString().slice(0, 10);
  const figures = await readTenantFigures(ctx.store.db, tenantId, new Date(at.getTime() - 86_400_000));
  await ctx.store.transaction((trx) => upsertTelemetryRollup(trx, tenantId, day, figures, at));
  return figures;
}

/** Removes expired sign-in material and finished jobs older than a week. */
export async function cleanupExpired(ctx: ServiceContext): Promise<{ signIns: number; jobs: number }> {
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => ({
    signIns: await deleteExpiredSignIns(trx, at),
    jobs: await deleteFinishedJobs(trx, new Date(at.getTime() - 7 * 86_400_000)),
  }));
}

export async function listTenantIds(ctx: ServiceContext): Promise<string[]> {
  return (await listTenants(ctx.store.db)).map((t) => t.id);
}

/** Readiness: the store answers a query, and which known migrations are not applied yet. */
export function storeHealth(
  ctx: ServiceContext,
): Promise<{ reachable: boolean; pendingMigrations: string[] }> {
  return checkStore(ctx.store.db);
}
