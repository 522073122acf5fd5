import { Type } from "@sinclair/typebox";
import { defaultNoiseFilters, type NoiseFilterSettings } from "../domain/noise";
import { validationError } from "../domain/errors";
import { check, says } from "../domain/validate";
import type { CaptureLevel } from "../ingest/collect";
import {
  defaultHealthConfig,
  expectedFrequencies,
  mergeHealthConfig,
  type HealthConfig,
} from "../insights/health";
import { checkStrengthParams, defaultStrengthParams, type StrengthParams } from "../insights/strength";
import {
  defaultIntroductionTemplate,
  introductionTemplateKey,
  type IntroductionTemplate,
} from "./introduction-template";
import { readOptions, writeOptions } from "../store/consent.repository";
import type { Trx } from "../store/store";

/** A mailbox or calendar source the backfill and live sync read (file-based connectors). */
export interface MailSourceConfig {
  path: string;
  format?: string;
  owner?: string;
  manifest?: string;
}

/** Tenant options stored as data (tenant_settings.options), each with its default. */
export interface TenantOptions {
  captureLevel: CaptureLevel;
  noiseFilters: NoiseFilterSettings;
  strength: StrengthParams;
  sources: MailSourceConfig[];
  /** Fingerprint of the baked-in strength parameters the stored pair states were built with. */
  strengthStatesBuiltWith: string;
  /** Relationship health scoring (stored changes over the defaults). */
  health: HealthConfig;
  /** The "Get introduced" email. */
  introductionTemplate: IntroductionTemplate;
  /** Collected data older than this many months is removed by the retention job; null keeps everything. */
  retentionMonths: number | null;
}

/** Retention when the tenant set none (issue 18; the reference's longest look-back is 12 months). */
export const defaultRetentionMonths = 24;

/** The strength parameters folded into stored pair states; weights are applied at read time. */
export function bakedStrengthFingerprint(p: StrengthParams): string {
  return `${p.halfLifeDays}|${p.longTailHalfLifeDays}|${p.groupDamping}|${p.groupSizeCap}`;
}

export function strengthStatesStale(options: TenantOptions): boolean {
  return bakedStrengthFingerprint(options.strength) !== options.strengthStatesBuiltWith;
}

/** Records that the stored states now follow `params` (after a recompute). */
export async function recordStrengthStatesBuilt(
  trx: Trx,
  tenantId: string,
  params: StrengthParams,
): Promise<void> {
  await writeOptions(trx, tenantId, {
    ...(await readOptions(trx, tenantId)),
    strengthStatesBuiltWith: bakedStrengthFingerprint(params),
  });
}

/**
 * The stored options, one schema per key. Keys this version does not know are kept as they are
 * (another version of Kith may have written them); known keys must fit their schema.
 */
const count = Type.Integer({ minimum: 2, ...says("a whole number, at least 2") });
const optionsSchema = Type.Object(
  {
    captureLevel: Type.Optional(
      Type.Union([Type.Literal("metadata"), Type.Literal("subject")], says('"metadata" or "subject"')),
    ),
    noiseFilters: Type.Optional(
      Type.Partial(
        Type.Object({
          automated: Type.Boolean(),
          calendarNotifications: Type.Boolean(),
          internalOnly: Type.Boolean(),
          largeDistribution: Type.Boolean(),
          largeDistributionDampAbove: count,
          largeDistributionCap: count,
        }),
      ),
    ),
    // Checked as a whole by checkStrengthParams once merged with the defaults.
    strength: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    sources: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String(),
          format: Type.Optional(Type.String()),
          owner: Type.Optional(Type.String()),
          manifest: Type.Optional(Type.String()),
        }),
      ),
    ),
    strengthStatesBuiltWith: Type.Optional(Type.String()),
    // Checked as a whole by checkHealthConfig when an administrator changes it.
    health: Type.Optional(
      Type.Partial(
        Type.Object({
          expectedFrequency: Type.Union(expectedFrequencies.map((f) => Type.Literal(f))),
          typeWeightAdjustments: Type.Record(Type.String(), Type.Number()),
          bands: Type.Partial(Type.Object({ good: Type.Number(), fair: Type.Number() })),
          minActivities: Type.Integer({ minimum: 0 }),
          trendThreshold: Type.Number({ minimum: 0 }),
        }),
      ),
    ),
    [introductionTemplateKey]: Type.Optional(
      Type.Partial(Type.Object({ subject: Type.String(), body: Type.String() })),
    ),
    // Its shape is strength-fit.service.ts's (StoredStrengthFit).
    strengthFit: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    retentionMonths: Type.Optional(
      Type.Union(
        [Type.Integer({ minimum: 1, maximum: 240 }), Type.Null()],
        says("1–240 months, or null to keep everything"),
      ),
    ),
  },
  { additionalProperties: true },
);

/** The stored options checked against their schemas; a stored value that does not fit is a fault. */
function parseOptions(stored: Record<string, unknown>) {
  const result = check(optionsSchema, stored);
  if (!result.ok) throw new Error(`stored tenant options do not fit: ${result.problems.join("; ")}`);
  return result.value;
}

export async function readTenantOptions(db: Trx, tenantId: string): Promise<TenantOptions> {
  const raw = parseOptions(await readOptions(db, tenantId));
  return {
    captureLevel: raw.captureLevel ?? "metadata",
    noiseFilters: { ...defaultNoiseFilters, ...(raw.noiseFilters ?? {}) },
    strength: { ...defaultStrengthParams, ...((raw.strength ?? {}) as Partial<StrengthParams>) },
    sources: raw.sources ?? [],
    // States are folded incrementally at ingest with the parameters of the time; a tenant that never
    // recomputed has only ever used the defaults.
    strengthStatesBuiltWith: raw.strengthStatesBuiltWith ?? bakedStrengthFingerprint(defaultStrengthParams),
    health: mergeHealthConfig(defaultHealthConfig, raw.health ?? {}),
    introductionTemplate: { ...defaultIntroductionTemplate, ...(raw[introductionTemplateKey] ?? {}) },
    retentionMonths: raw.retentionMonths === undefined ? defaultRetentionMonths : raw.retentionMonths,
  };
}

/** Merges a change into the stored options after validating the result as a whole. */
export async function updateTenantOptions(
  trx: Trx,
  tenantId: string,
  change: Record<string, unknown>,
): Promise<TenantOptions> {
  const current = await readOptions(trx, tenantId);
  const next = { ...current, ...change };
  const parsed = check(optionsSchema, next);
  if (!parsed.ok) throw validationError(`invalid settings: ${parsed.problems.join("; ")}`);
  await writeOptions(trx, tenantId, next);
  const options = await readTenantOptions(trx, tenantId);
  const problems = checkStrengthParams(options.strength);
  if (problems.length) throw validationError(`invalid strength settings: ${problems.join("; ")}`);
  return options;
}
