import {
  cleanupExpired,
  enforceEnablementDeadline,
  reverifyPurges,
  rollupTelemetry,
} from "../services/maintenance.service";
import { enforceRetention } from "../services/retention.service";
import { fitTenantStrength } from "../services/strength-fit.service";
import { exponentialBackoff, PermanentJobError, type JobDefinition, type JobRun } from "./job";

function tenantOf(run: JobRun): string {
  if (!run.job.tenantId) throw new PermanentJobError(`${run.job.name} needs a tenant`);
  return run.job.tenantId;
}

/**
 * Every named job. Names are stable (they are stored in the queue): `ingest.backfill*` jobs are
 * added by the ingest pipeline (src/jobs/backfill*), the rest live here.
 */
export const jobDefinitions: JobDefinition[] = [
  {
    name: "ingest.sync",
    maxAttempts: 5,
    backoffMs: exponentialBackoff(30_000),
    async run(run) {
      const tenantId = tenantOf(run);
      const outcome = run.hooks.sync ? await run.hooks.sync(run.ctx, tenantId) : null;
      return outcome ?? { status: "nothing to sync", reason: "no sync source is configured for this tenant" };
    },
  },
  {
    name: "insights.recompute",
    maxAttempts: 3,
    backoffMs: exponentialBackoff(60_000),
    async run(run) {
      const tenantId = tenantOf(run);
      const reason = typeof run.job.payload.reason === "string" ? run.job.payload.reason : "scheduled";
      if (!run.hooks.recompute) return { status: "nothing to recompute", reason };
      return run.hooks.recompute(run.ctx, tenantId, reason);
    },
  },
  {
    name: "consent.enablement-deadline",
    maxAttempts: 3,
    backoffMs: exponentialBackoff(60_000),
    run: (run) => enforceEnablementDeadline(run.ctx, tenantOf(run)),
  },
  {
    name: "purge.verify",
    maxAttempts: 5,
    backoffMs: exponentialBackoff(60_000),
    run: (run) => reverifyPurges(run.ctx, tenantOf(run)),
  },
  {
    name: "telemetry.rollup",
    maxAttempts: 3,
    backoffMs: exponentialBackoff(300_000),
    run: (run) => rollupTelemetry(run.ctx, tenantOf(run)),
  },
  {
    // Re-fit the tenant's strength parameters on its own history (weekly; insights/strength-fit.ts).
    name: "insights.fit-strength",
    maxAttempts: 2,
    backoffMs: exponentialBackoff(600_000),
    run: async (run) => {
      const { fit, recomputed } = await fitTenantStrength(run.ctx, tenantOf(run), {
        save: true,
        by: "scheduler",
      });
      return {
        status: fit.status,
        change: fit.change,
        reportMrr: fit.report.tuned,
        reportFrequencyMrr: fit.report.frequency,
        recomputedPairs: recomputed?.pairs ?? 0,
      };
    },
  },
  {
    // Collected data older than the tenant's retention window leaves (services/retention.service.ts).
    name: "retention.enforce",
    maxAttempts: 3,
    backoffMs: exponentialBackoff(600_000),
    run: async (run) => {
      const r = await enforceRetention(run.ctx, tenantOf(run));
      return {
        months: r.months,
        cutoff: r.cutoff?.toISOString() ?? null,
        ...r.counts,
        durationMs: Math.round(r.durationMs),
      };
    },
  },
  {
    name: "maintenance.cleanup",
    maxAttempts: 3,
    backoffMs: exponentialBackoff(300_000),
    run: (run) => cleanupExpired(run.ctx),
  },
];
