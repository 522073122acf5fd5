import { recomputeStrengths } from "../services/strength-recompute.service";
import type { ServiceContext } from "../services/context";
import {
  importBatch,
  listImportBatches,
  ownersOfSources,
  type ImportOptions,
} from "../services/ingest.service";
import {
  readTenantOptions,
  recordStrengthStatesBuilt,
  strengthStatesStale,
} from "../services/tenant-options";
import type { JobHooks } from "./job";
import { TemporaryJobError } from "./job";

/**
 * Live sync (SPEC §2 "backfill and live"): every `KITH_SYNC_INTERVAL` the worker imports what the
 * tenant's configured sources hold since the last successful sync, minus an overlap so mail that
 * arrived late (sent before the last run, delivered after it) is not missed. Re-reading the overlap
 * stores nothing twice: one email is one row by Internet-Message-ID and by fingerprint.
 */
export const syncOverlapMs = 24 * 60 * 60_000;

export type SyncOutcome =
  | { status: "nothing to sync"; reason: string }
  | {
      status: "synced";
      batchId: string;
      since: string | null;
      read: number;
      stored: number;
      duplicates: number;
      durationMs: number;
    };

/**
 * Where this sync starts: the last successful sync's start minus the overlap; before the first
 * sync, the newest finished import or backfill batch's start minus the overlap; with no batch at
 * all, everything the sources hold (dedupe keeps that safe, it is only slower).
 */
async function syncStart(ctx: ServiceContext, tenantId: string, overlapMs: number): Promise<Date | null> {
  const batches = await listImportBatches(ctx, tenantId, { limit: 200 });
  const done = batches.filter((b) => b.status === "done");
  const last = done.find((b) => b.kind === "sync") ?? done[0];
  return last ? new Date(last.startedAt.getTime() - overlapMs) : null;
}

export async function runSync(
  ctx: ServiceContext,
  tenantId: string,
  options: { overlapMs?: number; batch?: Pick<ImportOptions, "onPoint"> } = {},
): Promise<SyncOutcome> {
  const tenantOptions = await readTenantOptions(ctx.store.db, tenantId);
  if (tenantOptions.sources.length === 0)
    return { status: "nothing to sync", reason: "no sync source is configured for this tenant" };
  const since = await syncStart(ctx, tenantId, options.overlapMs ?? syncOverlapMs);
  const summary = await importBatch(
    ctx,
    tenantId,
    tenantOptions.sources.map((s) => s.path),
    {
      kind: "sync",
      label: `sync ${ctx.now().toISOString().slice(0, 16)}Z`,
      owners: await ownersOfSources(tenantOptions.sources),
      ...(since ? { since } : {}),
      ...options.batch,
    },
  );
  // A failed batch kept nothing; the queue retries it with backoff from the same starting point.
  if (summary.status === "failed")
    throw new TemporaryJobError(`sync failed: ${summary.failure ?? "unknown"}`);
  return {
    status: "synced",
    batchId: summary.batchId,
    since: since ? since.toISOString() : null,
    read: summary.read,
    stored: summary.stored,
    duplicates: summary.duplicates,
    durationMs: summary.durationMs,
  };
}

/**
 * Recomputes stored strength states when the parameters baked into them (half-lives, damping, cap)
 * differ from the ones they were built with; weights and other read-time parameters need nothing.
 */
export async function recomputeIfStale(
  ctx: ServiceContext,
  tenantId: string,
  reason: string,
): Promise<Record<string, unknown>> {
  const options = await readTenantOptions(ctx.store.db, tenantId);
  if (!strengthStatesStale(options)) return { status: "up to date", reason };
  const summary = await recomputeStrengths(ctx, tenantId);
  await ctx.store.transaction((trx) => recordStrengthStatesBuilt(trx, tenantId, options.strength));
  return { status: "recomputed", reason, ...summary };
}

/** The hooks `kith serve` plugs into its worker. */
export const defaultJobHooks: JobHooks = {
  sync: async (ctx, tenantId) => {
    const outcome = await runSync(ctx, tenantId);
    return outcome.status === "nothing to sync" ? null : outcome;
  },
  recompute: recomputeIfStale,
};
