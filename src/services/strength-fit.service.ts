/**
 * The tenant's self-fitted strength (insights/strength-fit.ts): back-test on the tenant's own
 * stored interactions, adopt the chosen parameters when they beat the untuned ones on the earlier
 * windows, and record what was measured on the later window — shown to the System Administrator
 * beside plain counting, with the fit date. Run by the weekly `insights.fit-strength` job and by
 * `kith settings fit-strength`.
 */
import { appendAudit } from "../store/audit.repository";
import { iterateInteractions } from "../store/interaction-read.repository";
import { fitStrengthParams, type FitTouch, type StrengthFit } from "../insights/strength-fit";
import type { StrengthParams } from "../insights/strength";
import type { ServiceContext } from "./context";
import { recomputeStrengths, type RecomputeSummary } from "./strength-recompute.service";
import { bakedStrengthFingerprint, readTenantOptions, updateTenantOptions } from "./tenant-options";
import { touchesOfStored } from "./touches";
import { readOptions } from "../store/consent.repository";

export const strengthFitKey = "strengthFit";

/** What is stored (tenant option `strengthFit`) and shown: instants as ISO strings. */
export interface StoredStrengthFit {
  fittedAt: string;
  asOf: string;
  status: StrengthFit["status"];
  horizonDays: number;
  chooseCutOffs: string[];
  reportCutOff: string;
  change: StrengthFit["change"];
  /** The administrator's own (untuned) parameters the grid started from. */
  base: StrengthParams;
  /** The parameters in use after the fit. */
  params: StrengthParams;
  choose: StrengthFit["choose"];
  report: StrengthFit["report"];
  gridSize: number;
  interactions: number;
}

export async function readStrengthFit(
  ctx: ServiceContext,
  tenantId: string,
): Promise<StoredStrengthFit | null> {
  const raw = (await readOptions(ctx.store.db, tenantId))[strengthFitKey];
  return raw && typeof raw === "object" ? (raw as StoredStrengthFit) : null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Fits the tenant's strength parameters as of `asOf` (default: the latest stored interaction, or
 * now if earlier). With `save`, stores the fit and — when it adopted new parameters — switches the
 * tenant to them (audited as `settings.strength_fitted`, actor `by`) and rebuilds stored strengths
 * when a baked-in parameter changed. Without `save` it only measures.
 */
export async function fitTenantStrength(
  ctx: ServiceContext,
  tenantId: string,
  options: { asOf?: Date; save?: boolean; by?: string; horizonDays?: number; minTargets?: number } = {},
): Promise<{ fit: StoredStrengthFit; recomputed: RecomputeSummary | null }> {
  const db = ctx.store.db;
  const tenantOptions = await readTenantOptions(db, tenantId);
  const previous = await readStrengthFit(ctx, tenantId);
  // Start from the administrator's own parameters, not from an earlier fit.
  const base = previous?.base ?? tenantOptions.strength;
  const touches: FitTouch[] = [];
  let interactions = 0;
  let latest = Number.NEGATIVE_INFINITY;
  const now = ctx.now().getTime();
  for await (const i of iterateInteractions(db, tenantId)) {
    interactions++;
    if (i.occurredAt <= now && i.occurredAt > latest) latest = i.occurredAt;
    for (const t of touchesOfStored(i, tenantOptions.noiseFilters).touches) touches.push(t);
  }
  const asOf = options.asOf?.getTime() ?? (Number.isFinite(latest) ? Math.min(now, latest + 1) : now);
  const result = fitStrengthParams(touches, {
    asOf,
    base,
    ...(options.horizonDays ? { horizonDays: options.horizonDays } : {}),
    ...(options.minTargets !== undefined ? { minTargets: options.minTargets } : {}),
  });
  const fit: StoredStrengthFit = {
    fittedAt: ctx.now().toISOString(),
    asOf: iso(result.asOf),
    status: result.status,
    horizonDays: result.horizonDays,
    chooseCutOffs: result.chooseCutOffs.map(iso),
    reportCutOff: iso(result.reportCutOff),
    change: result.change,
    base,
    params: result.params,
    choose: result.choose,
    report: result.report,
    gridSize: result.gridSize,
    interactions,
  };
  if (!options.save) return { fit, recomputed: null };
  const at = ctx.now();
  const before = await ctx.store.transaction(async (trx) => {
    const current = await readTenantOptions(trx, tenantId);
    await updateTenantOptions(trx, tenantId, { [strengthFitKey]: fit, strength: result.params });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: options.by ?? "scheduler",
      action: "settings.strength_fitted",
      subject: tenantId,
      details: {
        status: fit.status,
        change: fit.change,
        reportMrr: fit.report.tuned,
        reportFrequencyMrr: fit.report.frequency,
      },
    });
    return current;
  });
  const recomputed =
    bakedStrengthFingerprint(result.params) === before.strengthStatesBuiltWith
      ? null
      : await recomputeStrengths(ctx, tenantId);
  return { fit, recomputed };
}
