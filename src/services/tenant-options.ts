import { z } from "zod";
import { defaultNoiseFilters, type NoiseFilterSettings } from "../domain/noise";
import { validationError } from "../domain/errors";
import type { CaptureLevel } from "../ingest/collect";
import { checkStrengthParams, defaultStrengthParams, type StrengthParams } from "../insights/strength";
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
}

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

const optionsSchema = z
  .object({
    captureLevel: z.enum(["metadata", "subject"]).optional(),
    noiseFilters: z
      .object({
        automated: z.boolean(),
        calendarNotifications: z.boolean(),
        internalOnly: z.boolean(),
        largeDistribution: z.boolean(),
        largeDistributionDampAbove: z.number().int().min(2),
        largeDistributionCap: z.number().int().min(2),
      })
      .partial()
      .optional(),
    strength: z.record(z.string(), z.unknown()).optional(),
    sources: z
      .array(
        z.object({
          path: z.string(),
          format: z.string().optional(),
          owner: z.string().optional(),
          manifest: z.string().optional(),
        }),
      )
      .optional(),
  })
  .passthrough();

export async function readTenantOptions(db: Trx, tenantId: string): Promise<TenantOptions> {
  const raw = optionsSchema.parse(await readOptions(db, tenantId));
  return {
    captureLevel: raw.captureLevel ?? "metadata",
    noiseFilters: { ...defaultNoiseFilters, ...(raw.noiseFilters ?? {}) },
    strength: { ...defaultStrengthParams, ...((raw.strength ?? {}) as Partial<StrengthParams>) },
    sources: raw.sources ?? [],
    // States are folded incrementally at ingest with the parameters of the time; a tenant that never
    // recomputed has only ever used the defaults.
    strengthStatesBuiltWith:
      typeof raw.strengthStatesBuiltWith === "string"
        ? raw.strengthStatesBuiltWith
        : bakedStrengthFingerprint(defaultStrengthParams),
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
  const parsed = optionsSchema.safeParse(next);
  if (!parsed.success)
    throw validationError(
      `invalid settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  await writeOptions(trx, tenantId, next);
  const options = await readTenantOptions(trx, tenantId);
  const problems = checkStrengthParams(options.strength);
  if (problems.length) throw validationError(`invalid strength settings: ${problems.join("; ")}`);
  return options;
}
