/**
 * `kith eval` (SPEC §6): load a tenant's stored interactions once as strength touches, then score
 * Kith's ranking (fitted, and untuned beside a fitted tenant) against the frequency-only,
 * recency-only and Interactions-Rank baselines at one split date or several pooled.
 */
import { isPersonalDomain } from "../domain/identity";
import { buildPooledEvalTargets, evalRankers, type AccountAggregation, type EvalTouch } from "./eval-targets";
import { evaluateRankers, type EvaluationReport } from "./evaluation";
import { organisationOfAddress } from "../insights/organisation";
import type { StrengthParams } from "../insights/strength";
import { iterateInteractions } from "../store/interaction-read.repository";
import type { ServiceContext } from "../services/context";
import { AccessScope } from "../services/insight-access";
import { readTenantOptions } from "../services/tenant-options";
import { bulkTouchesOfStored, touchesOfStored } from "../services/touches";
import { readStrengthFit } from "../services/strength-fit.service";

export interface EvalCorpus {
  tenantId: string;
  touches: EvalTouch[];
  interactions: number;
  params: StrengthParams;
}

/** Every (person, colleague) touch of the tenant, time-ordered, derived as at collection. */
export async function loadEvalCorpus(ctx: ServiceContext, tenantId: string): Promise<EvalCorpus> {
  const db = ctx.store.db;
  const options = await readTenantOptions(db, tenantId);
  const touches: EvalTouch[] = [];
  let interactions = 0;
  for await (const i of iterateInteractions(db, tenantId)) {
    interactions++;
    for (const t of touchesOfStored(i, options.noiseFilters).touches) touches.push(t);
    for (const t of bulkTouchesOfStored(i, options.noiseFilters)) touches.push({ ...t, bulk: true });
  }
  return { tenantId, touches, interactions, params: options.strength };
}

export interface EvalRunOptions {
  /** One split, or several whose targets are pooled (each target once per split). */
  splits: readonly Date[];
  horizonDays: number;
  level: "person" | "account";
  params?: StrengthParams;
  accountAggregation?: AccountAggregation;
  /** List colleagues with bulk evidence only after the direct ones (default true). */
  bulkTier?: boolean;
  /** Also rank with these parameters, by name (e.g. "kith-untuned": the parameters before a fit). */
  otherParams?: Readonly<Record<string, StrengthParams>>;
  /** External addresses at these domains are no targets (a mailing list's own address). */
  excludeDomains?: readonly string[];
  resamples?: number;
}

export interface EvalRun {
  /** The split day, or the pooled split days joined by commas. */
  split: string;
  horizonDays: number;
  level: "person" | "account";
  params: StrengthParams;
  report: EvaluationReport;
}

export function evaluateCorpus(corpus: EvalCorpus, options: EvalRunOptions): EvalRun {
  const params = options.params ?? corpus.params;
  if (options.splits.length === 0) throw new RangeError("name at least one split");
  const excluded = new Set(options.excludeDomains ?? []);
  const touches =
    excluded.size === 0
      ? corpus.touches
      : corpus.touches.filter((t) => !excluded.has(t.person.slice(t.person.lastIndexOf("@") + 1)));
  const targets = buildPooledEvalTargets(
    touches,
    options.splits.map((d) => d.getTime()),
    {
      horizonDays: options.horizonDays,
      level: options.level,
      params,
      organisationOf: (person) => organisationOfAddress(person, isPersonalDomain),
      accountAggregation: options.accountAggregation ?? "sum",
      bulkTier: options.bulkTier ?? true,
      ...(options.otherParams ? { otherParams: options.otherParams } : {}),
    },
  );
  return {
    split: options.splits.map((d) => d.toISOString().slice(0, 10)).join(","),
    horizonDays: options.horizonDays,
    level: options.level,
    params,
    report: evaluateRankers(targets, {
      rankers: [
        "kith",
        ...Object.keys(options.otherParams ?? {}),
        ...evalRankers.filter((r) => r !== "kith"),
      ],
      leaders: ["kith", ...Object.keys(options.otherParams ?? {})],
      ...(options.resamples ? { resamples: options.resamples } : {}),
    }),
  };
}

/**
 * Runs the evaluation on a tenant's data. It reads every colleague's data for a measurement that
 * names nobody in its output; it still requires a collection consent in force and drops
 * colleagues who opted out (their data is deleted anyway).
 */
export async function runEvaluation(
  ctx: ServiceContext,
  tenantId: string,
  options: EvalRunOptions,
): Promise<EvalRun & { interactions: number }> {
  const scope = await AccessScope.load(ctx.store.db, tenantId, ctx.now());
  const who = await scope.resolveViewer(ctx.store.db, null, "account_engagement");
  scope.requireAccess(who.viewer, "account_engagement");
  const corpus = await loadEvalCorpus(ctx, tenantId);
  // A tenant whose parameters were fitted: rank with the untuned ones too, side by side.
  const fit = await readStrengthFit(ctx, tenantId);
  if (fit?.status === "fitted" && !options.params && !options.otherParams)
    options = { ...options, otherParams: { "kith-untuned": fit.base } };
  const users = [...new Set(corpus.touches.map((t) => t.userId))];
  const { allowed } = scope.allowedUsers(who.viewer, "account_engagement", users);
  corpus.touches = corpus.touches.filter((t) => allowed.has(t.userId));
  return { ...evaluateCorpus(corpus, options), interactions: corpus.interactions };
}
