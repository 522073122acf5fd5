import { validationError } from "../domain/errors";
import { retentionCutoff } from "../domain/retention";
import { appendAudit } from "../store/audit.repository";
import { dropEmptyMonthPartitions } from "../store/partitions";
import { lockTenantImports } from "../store/scope-lock";
import {
  monthStart,
  nextMonthStart,
  oldestInteractionAt,
  prunePersonsAfterRetention,
  purgeCrmActivitiesBefore,
  purgeInteractionMonth,
} from "../store/retention.repository";
import type { ServiceContext } from "./context";
import { rebuildStrengthStates } from "./strength-recompute.service";
import { readTenantOptions, updateTenantOptions } from "./tenant-options";

/**
 * Retention (issue 18): each tenant keeps collected data for `retentionMonths` (default 24; null
 * keeps everything). The scheduled job `retention.enforce` removes older interactions a calendar
 * month at a time, the CRM activities before the cutoff, then rebuilds every strength state from
 * the interactions that remain (a state folds its touches, so a trimmed one must be rebuilt to
 * match) and prunes people nothing names any more — all in one transaction, under the tenant's
 * import lock. On PostgreSQL, months left with no row of any tenant then lose their partitions.
 */

export interface RetentionSetting {
  months: number | null;
  /** Data before this instant is removed by the next run; null when everything is kept. */
  cutoff: Date | null;
}

export interface RetentionRun extends RetentionSetting {
  counts: Record<string, number>;
  /** Strength states were rebuilt (something was removed). */
  strengthRebuilt: boolean;
  durationMs: number;
}

/** A SQLite import may hold the write lock for a while; the job waits rather than fails. */
const lockWaitMs = 10 * 60_000;

export async function readRetention(ctx: ServiceContext, tenantId: string): Promise<RetentionSetting> {
  const months = (await readTenantOptions(ctx.store.db, tenantId)).retentionMonths;
  return { months, cutoff: months === null ? null : retentionCutoff(ctx.now(), months) };
}

/** Changes the window (an administrator), with an audit entry; takes effect at the next run. */
export async function setRetention(
  ctx: ServiceContext,
  tenantId: string,
  months: number | null,
  byEmail: string,
): Promise<RetentionSetting> {
  if (months !== null && (!Number.isInteger(months) || months < 1 || months > 240))
    throw validationError(`retention: ${months} is not a whole number of months from 1 to 240 (or off)`);
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const before = (await readTenantOptions(trx, tenantId)).retentionMonths;
    if (before === months) return;
    await updateTenantOptions(trx, tenantId, { retentionMonths: months });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "settings.retention_changed",
      subject: tenantId,
      details: { before, after: months },
    });
  });
  return readRetention(ctx, tenantId);
}

/** One retention run for a tenant (the scheduled job; `kith retention run`). Safe to repeat. */
export async function enforceRetention(ctx: ServiceContext, tenantId: string): Promise<RetentionRun> {
  const at = ctx.now();
  const started = performance.now();
  const purgedMonths: number[] = [];
  const run = await ctx.store.transaction(
    async (trx) => {
      // PostgreSQL: one at a time with the tenant's imports (SQLite's write lock already does
      // this). Otherwise an import merging while the run purges deadlocks with it (seen on
      // `person` rows), or commits rows the rebuild below never read, leaving states that do not
      // match the interactions (retention-race.db.test.ts). The lock comes first, before any
      // read, so every read below sees an import that went before in full. An import's batch
      // takes no lock on the collected tables before this one (its chunks go to staging tables).
      await lockTenantImports(trx, ctx.store, tenantId);
      const months = (await readTenantOptions(trx, tenantId)).retentionMonths;
      const counts: Record<string, number> = { interactions: 0, participations: 0 };
      if (months === null)
        return {
          months,
          cutoff: null,
          counts,
          strengthRebuilt: false,
          durationMs: performance.now() - started,
        };
      const cutoff = retentionCutoff(at, months).getTime();
      const oldest = await oldestInteractionAt(trx, tenantId);
      let monthRanges = 0;
      // Strength states are rebuilt from what stays before anything goes: on PostgreSQL a purged
      // month may be a truncated partition, whose lock (other tenants' reads of every month wait on
      // it) is then held only for the rest of the run, not through the rebuild.
      const purging = oldest !== null && oldest < cutoff;
      const rebuilt = purging ? await rebuildStrengthStates(trx, tenantId, cutoff) : null;
      if (purging) {
        for (let from = monthStart(oldest); from < cutoff;) {
          const to = Math.min(nextMonthStart(from), cutoff);
          const removed = await purgeInteractionMonth(trx, tenantId, from, to);
          counts.interactions! += removed.interactions;
          counts.participations! += removed.participations;
          purgedMonths.push(from);
          monthRanges++;
          from = to;
        }
      }
      counts.months = monthRanges;
      counts.crmActivities = await purgeCrmActivitiesBefore(trx, tenantId, cutoff);
      let strengthRebuilt = false;
      if (rebuilt && counts.interactions! > 0) {
        counts.connectionsKept = rebuilt.pairs;
        counts.persons = await prunePersonsAfterRetention(trx, tenantId, cutoff);
        strengthRebuilt = true;
      }
      if (counts.interactions! > 0 || counts.crmActivities > 0)
        await appendAudit(trx, ctx.store.engine, tenantId, at, {
          actor: "system",
          action: "retention.enforced",
          subject: tenantId,
          details: { months, cutoff: new Date(cutoff).toISOString(), counts },
        });
      return {
        months,
        cutoff: new Date(cutoff),
        counts,
        strengthRebuilt,
        durationMs: performance.now() - started,
      };
    },
    { lockWaitMs },
  );
  // PostgreSQL: months the run left with no row of any tenant lose their partitions, in a short
  // transaction of its own after the commit (partitions.ts says why not in the one above).
  if (purgedMonths.length > 0) {
    const dropped = await dropEmptyMonthPartitions(ctx.store, purgedMonths);
    if (dropped.length > 0) run.counts.partitionsDropped = dropped.length;
    run.durationMs = performance.now() - started;
  }
  return run;
}
