import { validationError } from "../domain/errors";
import type { NoiseFilterSettings } from "../domain/noise";
import type { CaptureLevel } from "../ingest/collect";
import { checkHealthConfig, mergeHealthConfig, type HealthConfig } from "../insights/health";
import type { StrengthParams } from "../insights/strength";
import { appendAudit } from "../store/audit.repository";
import { clearInteractionSubjects } from "../store/interaction-purge.repository";
import type { ServiceContext } from "./context";
import { requireSystemAdministrator } from "./insight-access";
import {
  checkIntroductionTemplate,
  introductionTemplateKey,
  type IntroductionTemplate,
} from "./introduction-template";
import { readTenantOptions, updateTenantOptions } from "./tenant-options";

/**
 * The System administrator's relationship intelligence tuning (SPEC §2, §4.1, §4.4): health scoring,
 * capture level, noise filters, strength weights and the introduction template. Every change and
 * its audit entry (actor, what changed, before and after) land in one transaction. Callers check
 * the System Administrator role (the HTTP route's access rule).
 */

export interface HealthSettingsChange {
  expectedFrequency?: HealthConfig["expectedFrequency"];
  typeWeightAdjustments?: Partial<HealthConfig["typeWeightAdjustments"]>;
  bands?: Partial<HealthConfig["bands"]>;
}

/** The tenant's health configuration: stored option `health` over the defaults. */
export async function readHealthSettings(ctx: ServiceContext, tenantId: string): Promise<HealthConfig> {
  return (await readTenantOptions(ctx.store.db, tenantId)).health;
}

export async function updateHealthSettings(
  ctx: ServiceContext,
  tenantId: string,
  change: HealthSettingsChange,
  byEmail: string,
): Promise<HealthConfig> {
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = (await readTenantOptions(trx, tenantId)).health;
    const next = mergeHealthConfig(before, change);
    const problems = checkHealthConfig(next);
    if (problems.length) throw validationError(`invalid health settings: ${problems.join("; ")}`);
    await updateTenantOptions(trx, tenantId, { health: next });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "settings.health_changed",
      subject: tenantId,
      details: { before: { ...before }, after: { ...next } },
    });
    return next;
  });
}

export async function setCaptureLevel(
  ctx: ServiceContext,
  tenantId: string,
  level: CaptureLevel,
  byEmail: string,
): Promise<CaptureLevel> {
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = (await readTenantOptions(trx, tenantId)).captureLevel;
    if (before === level) return level;
    await updateTenantOptions(trx, tenantId, { captureLevel: level });
    // Back to metadata: subjects captured so far go too, so no route can show them any more.
    if (level === "metadata") await clearInteractionSubjects(trx, tenantId);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "settings.capture_level_changed",
      subject: tenantId,
      details: { before, after: level },
    });
    return level;
  });
}

export async function updateNoiseFilters(
  ctx: ServiceContext,
  tenantId: string,
  change: Partial<NoiseFilterSettings>,
  byEmail: string,
): Promise<NoiseFilterSettings> {
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = (await readTenantOptions(trx, tenantId)).noiseFilters;
    const next = { ...before, ...change };
    if (next.largeDistributionCap < next.largeDistributionDampAbove)
      throw validationError("largeDistributionCap must be at least largeDistributionDampAbove");
    const after = (await updateTenantOptions(trx, tenantId, { noiseFilters: next })).noiseFilters;
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "settings.noise_filters_changed",
      subject: tenantId,
      details: { before: { ...before }, after: { ...after } },
    });
    return after;
  });
}

/**
 * Strength weights per activity type and direction. Weights are applied when strengths are read,
 * so nothing stored needs rebuilding; baked-in parameters go through `updateStrengthParams`.
 */
export async function updateStrengthWeights(
  ctx: ServiceContext,
  tenantId: string,
  change: {
    email?: Partial<StrengthParams["weights"]["email"]>;
    meeting?: Partial<StrengthParams["weights"]["meeting"]>;
  },
  byEmail: string,
): Promise<StrengthParams["weights"]> {
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = (await readTenantOptions(trx, tenantId)).strength;
    const weights: StrengthParams["weights"] = {
      email: { ...before.weights.email, ...(change.email ?? {}) },
      meeting: { ...before.weights.meeting, ...(change.meeting ?? {}) },
    };
    const after = await updateTenantOptions(trx, tenantId, {
      strength: { ...before, weights },
      strengthFit: null,
    });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "settings.strength_weights_changed",
      subject: tenantId,
      details: { before: before.weights, after: after.strength.weights },
    });
    return after.strength.weights;
  });
}

/** The introduction email template of "Get introduced" (System Administrator), with its audit entry. */
export async function setIntroductionTemplate(
  ctx: ServiceContext,
  tenantId: string,
  template: IntroductionTemplate,
  byEmail: string,
): Promise<IntroductionTemplate> {
  const problems = checkIntroductionTemplate(template);
  if (problems.length) throw validationError(`invalid introduction template: ${problems.join("; ")}`);
  await requireSystemAdministrator(ctx, tenantId, byEmail);
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    await updateTenantOptions(trx, tenantId, { [introductionTemplateKey]: template });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "settings.introduction_template_changed",
      subject: tenantId,
      details: { subject: template.subject },
    });
  });
  return template;
}
