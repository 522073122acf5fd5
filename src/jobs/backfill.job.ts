import { randomUUID } from "node:crypto";
import { validationError } from "../domain/errors";
import type { ServiceContext } from "../services/context";
import {
  importBatch,
  listImportBatches,
  ownersOfSources,
  type ImportSummary,
} from "../services/ingest.service";
import { readTenantOptions } from "../services/tenant-options";

/**
 * The consent-time backfill (SPEC §2): the last 12 calendar months, one batch per month, newest
 * first so recent relationships appear soonest. Each month is one transaction (it lands whole or
 * not at all) and is checkpointed as done; `resume` continues an interrupted run with the months
 * not yet done. Re-running a finished month stores nothing new (dedupe by key).
 */
export interface BackfillMonth {
  label: string;
  since: Date;
  until: Date;
}

export function backfillMonths(now: Date, count = 12): BackfillMonth[] {
  const months: BackfillMonth[] = [];
  for (let i = 0; i < count; i++) {
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i + 1, 1));
    months.push({ label: since.toISOString().slice(0, 7), since, until });
  }
  return months;
}

export interface BackfillProgress {
  runId: string;
  month: string;
  monthIndex: number;
  months: number;
  read: number;
  stored: number;
  /** Months already done when this run started (resume). */
  skipped: number;
}

export interface BackfillResult {
  runId: string;
  resumed: boolean;
  months: (ImportSummary | { label: string; status: "already_done" })[];
}

export async function runBackfill(
  ctx: ServiceContext,
  tenantId: string,
  options: { resume?: boolean; months?: number; onProgress?: (p: BackfillProgress) => void } = {},
): Promise<BackfillResult> {
  const tenantOptions = await readTenantOptions(ctx.store.db, tenantId);
  if (tenantOptions.sources.length === 0) {
    throw validationError(
      "no mail sources configured for this tenant: add one with `kith sources add PATH --tenant T`",
    );
  }
  const owners = await ownersOfSources(tenantOptions.sources);
  const now = ctx.now();
  let runId = randomUUID().slice(0, 8);
  let done = new Set<string>();
  let plan = backfillMonths(now, options.months ?? 12);
  let resumed = false;
  if (options.resume) {
    const previous = (await listImportBatches(ctx, tenantId, { kind: "backfill", limit: 500 })).filter(
      (b) => b.checkpoint?.runId,
    );
    const latest = previous[0];
    if (latest) {
      runId = String(latest.checkpoint!.runId);
      const run = previous.filter((b) => b.checkpoint?.runId === runId);
      done = new Set(run.filter((b) => b.status === "done").map((b) => b.label));
      // Resume the same months the run planned, even if the calendar has moved on since.
      const plannedFrom = run.map((b) => b.checkpoint?.planned).find((p) => Array.isArray(p)) as
        string[] | undefined;
      if (plannedFrom) plan = plannedFrom.map((label) => monthFromLabel(label));
      resumed = true;
    }
  }
  const planned = plan.map((m) => m.label);
  const result: BackfillResult = { runId, resumed, months: [] };
  let index = 0;
  for (const month of plan) {
    index++;
    if (done.has(month.label)) {
      result.months.push({ label: month.label, status: "already_done" });
      continue;
    }
    const summary = await importBatch(
      ctx,
      tenantId,
      tenantOptions.sources.map((s) => s.path),
      {
        kind: "backfill",
        label: month.label,
        batchId: `backfill:${runId}:${month.label}`,
        checkpoint: { runId, planned },
        since: month.since,
        until: month.until,
        owners,
        onProgress: (p) =>
          options.onProgress?.({
            runId,
            month: month.label,
            monthIndex: index,
            months: plan.length,
            read: p.read,
            stored: p.stored,
            skipped: done.size,
          }),
      },
    );
    result.months.push(summary);
    options.onProgress?.({
      runId,
      month: month.label,
      monthIndex: index,
      months: plan.length,
      read: summary.read,
      stored: summary.stored,
      skipped: done.size,
    });
  }
  return result;
}

function monthFromLabel(label: string): BackfillMonth {
  const [y, m] = label.split("-").map(Number) as [number, number];
  return { label, since: new Date(Date.UTC(y, m - 1, 1)), until: new Date(Date.UTC(y, m, 1)) };
}
