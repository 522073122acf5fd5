import type { RouteSpec } from "../route";
import { Type, type Static } from "@sinclair/typebox";
import { expectedFrequencies } from "../../insights/health";
import {
  readHealthSettings,
  setCaptureLevel,
  setIntroductionTemplate,
  updateHealthSettings,
  updateNoiseFilters,
  updateStrengthWeights,
} from "../../services/ri-settings.service";
import { readTenantOptions } from "../../services/tenant-options";
import { readStrengthFit } from "../../services/strength-fit.service";
import { listImportBatches } from "../../services/ingest.service";
import { adminRoles, defineRoute } from "../route";
import { DateTime, NullableDateTime, iso, isoOrNull } from "../schemas";

/**
 * Relationship intelligence settings and ingest progress: what the System Administrator's screen
 * reads and changes (capture level, noise filters, strength weights and fit, health scoring, the
 * introduction template). Every change is audited by its service.
 */
const Json = Type.Record(Type.String(), Type.Unknown());

const HealthSettingsView = Type.Object(
  {
    expectedFrequency: Type.String(),
    typeWeightAdjustments: Type.Record(Type.String(), Type.Number()),
    bands: Type.Object({ good: Type.Number(), fair: Type.Number() }),
    editable: Type.Boolean(),
  },
  { description: "Health scoring configuration (PUT /api/ri/settings/health changes it)" },
);

const FitFigures = Type.Object({
  targets: Type.Number({
    description: "contested people scored (two colleagues or more had mail with them)",
  }),
  tuned: Type.Union([Type.Number(), Type.Null()], { description: "MRR@5 with the fitted parameters" }),
  untuned: Type.Union([Type.Number(), Type.Null()], {
    description: "MRR@5 with the administrator's own parameters",
  }),
  frequency: Type.Union([Type.Number(), Type.Null()], { description: "MRR@5 of plain counting" }),
});

const StrengthFitView = Type.Union(
  [
    Type.Object({
      fittedAt: DateTime,
      asOf: DateTime,
      status: Type.Union([
        Type.Literal("fitted"),
        Type.Literal("untuned_kept"),
        Type.Literal("insufficient_history"),
      ]),
      horizonDays: Type.Number(),
      chooseCutOffs: Type.Array(DateTime),
      reportCutOff: DateTime,
      change: Type.Union([Json, Type.Null()]),
      choose: FitFigures,
      report: FitFigures,
      gridSize: Type.Number(),
    }),
    Type.Null(),
  ],
  {
    description:
      "The tenant's self-fitted strength (weekly job insights.fit-strength): chosen on the earlier windows (choose), measured on the latest window not used to choose (report) against plain counting; null before the first fit or after a manual change",
  },
);

const NoiseFiltersView = Type.Object({
  automated: Type.Boolean(),
  calendarNotifications: Type.Boolean(),
  internalOnly: Type.Boolean(),
  largeDistribution: Type.Boolean(),
  largeDistributionDampAbove: Type.Integer(),
  largeDistributionCap: Type.Integer(),
});

const DirectionWeights = Type.Object({ out: Type.Number(), in: Type.Number(), mutual: Type.Number() });
const StrengthWeightsView = Type.Object({ email: DirectionWeights, meeting: DirectionWeights });
/** The tenant's strength parameters (src/insights/strength.ts StrengthParams). */
const StrengthView = Type.Object({
  halfLifeDays: Type.Number(),
  longTailHalfLifeDays: Type.Number(),
  longTailShare: Type.Number(),
  weights: StrengthWeightsView,
  groupDamping: Type.Union([Type.Literal("inverse_sqrt"), Type.Literal("inverse_log"), Type.Literal("none")]),
  groupSizeCap: Type.Number(),
  saturation: Type.Number(),
  oneWayFactor: Type.Number(),
  inboundOnlyFactor: Type.Number(),
  oneWayCap: Type.Number(),
});

const SettingsView = Type.Object({
  captureLevel: Type.Union([Type.Literal("metadata"), Type.Literal("subject")]),
  noiseFilters: NoiseFiltersView,
  strength: StrengthView,
  strengthFit: StrengthFitView,
  health: HealthSettingsView,
  introductionTemplate: Type.Object({ subject: Type.String(), body: Type.String() }),
});

async function presentStrengthFit(
  ctx: Parameters<typeof readStrengthFit>[0],
  tenantId: string,
): Promise<Static<typeof StrengthFitView>> {
  const fit = await readStrengthFit(ctx, tenantId);
  if (!fit) return null;
  return {
    fittedAt: fit.fittedAt,
    asOf: fit.asOf,
    status: fit.status,
    horizonDays: fit.horizonDays,
    chooseCutOffs: fit.chooseCutOffs,
    reportCutOff: fit.reportCutOff,
    change: fit.change ? { ...fit.change } : null,
    choose: { ...fit.choose },
    report: { ...fit.report },
    gridSize: fit.gridSize,
  };
}

export const riSettingsRoutes: RouteSpec[] = [
  defineRoute({
    method: "GET",
    url: "/api/ri/settings",
    summary:
      "Relationship intelligence tuning: capture level, noise filters, strength weights, health scoring, introduction template (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: { response: SettingsView },
    handler: async ({ ctx, user }) => {
      const options = await readTenantOptions(ctx.store.db, user.tenantId);
      return {
        captureLevel: options.captureLevel,
        noiseFilters: { ...options.noiseFilters },
        strength: options.strength,
        strengthFit: await presentStrengthFit(ctx, user.tenantId),
        health: { ...(await readHealthSettings(ctx, user.tenantId)), editable: true },
        introductionTemplate: options.introductionTemplate,
      };
    },
  }),
  defineRoute({
    method: "PUT",
    url: "/api/ri/settings/weights",
    summary: "Change the strength weights per activity type and direction (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: {
      body: Type.Object(
        {
          email: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 10 }))),
          meeting: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 10 }))),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({ weights: StrengthWeightsView, recomputed: Type.Boolean() }),
    },
    handler: async ({ deps, ctx, user, body }) => {
      const weights = await updateStrengthWeights(ctx, user.tenantId, body, user.email);
      // Weights are applied at read time; the worker's recompute checks whether anything baked changed.
      await deps.jobs?.enqueue({
        name: "insights.recompute",
        tenantId: user.tenantId,
        payload: { reason: "strength weights changed" },
      });
      return { weights: { ...weights }, recomputed: false };
    },
  }),
  defineRoute({
    method: "PUT",
    url: "/api/ri/settings/introduction-template",
    summary: "Set the introduction email template used by 'Get introduced' (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: {
      body: Type.Object(
        { subject: Type.String({ maxLength: 500 }), body: Type.String({ maxLength: 10_000 }) },
        { additionalProperties: false },
      ),
      response: Type.Object({ subject: Type.String(), body: Type.String() }),
    },
    handler: async ({ ctx, user, body }) => setIntroductionTemplate(ctx, user.tenantId, body, user.email),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/ri/settings/health",
    summary:
      "Health scoring: expected communication frequency, grade band minimums, activity type weights ±50 % (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: {
      body: Type.Object(
        {
          expectedFrequency: Type.Optional(Type.Union(expectedFrequencies.map((f) => Type.Literal(f)))),
          typeWeightAdjustments: Type.Optional(
            Type.Object(
              Object.fromEntries(
                ["email", "meeting", "call", "task"].map((k) => [
                  k,
                  Type.Optional(Type.Number({ minimum: 0.5, maximum: 1.5 })),
                ]),
              ),
              { additionalProperties: false, description: "multipliers of the default weights, 0.5–1.5" },
            ),
          ),
          bands: Type.Optional(
            Type.Object(
              {
                good: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
                fair: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      response: HealthSettingsView,
    },
    handler: async ({ ctx, user, body }) => {
      const health = await updateHealthSettings(ctx, user.tenantId, body, user.email);
      return { ...health, editable: true };
    },
  }),
  defineRoute({
    method: "PUT",
    url: "/api/ri/settings/capture-level",
    summary: "Capture level: metadata (default) or subject lines too (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: {
      body: Type.Object(
        { captureLevel: Type.Union([Type.Literal("metadata"), Type.Literal("subject")]) },
        { additionalProperties: false },
      ),
      response: Type.Object({ captureLevel: Type.String() }),
    },
    handler: async ({ ctx, user, body }) => ({
      captureLevel: await setCaptureLevel(ctx, user.tenantId, body.captureLevel, user.email),
    }),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/ri/settings/noise-filters",
    summary: "Switch noise filters on or off and set the large-distribution limits (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: {
      body: Type.Object(
        {
          automated: Type.Optional(Type.Boolean()),
          calendarNotifications: Type.Optional(Type.Boolean()),
          internalOnly: Type.Optional(Type.Boolean()),
          largeDistribution: Type.Optional(Type.Boolean()),
          largeDistributionDampAbove: Type.Optional(Type.Integer({ minimum: 2 })),
          largeDistributionCap: Type.Optional(Type.Integer({ minimum: 2 })),
        },
        { additionalProperties: false },
      ),
      response: NoiseFiltersView,
    },
    handler: async ({ deps, ctx, user, body }) => {
      const filters = await updateNoiseFilters(ctx, user.tenantId, body, user.email);
      await deps.jobs?.enqueue({
        name: "insights.recompute",
        tenantId: user.tenantId,
        payload: { reason: "noise filters changed" },
      });
      return { ...filters };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/ri/ingest",
    summary:
      "Import and backfill batches, newest first: the monthly backfill progress (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: {
      querystring: Type.Object(
        { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
        { additionalProperties: false },
      ),
      response: Type.Object({
        batches: Type.Array(
          Type.Object({
            id: Type.String(),
            kind: Type.String(),
            label: Type.String(),
            status: Type.String(),
            startedAt: DateTime,
            finishedAt: NullableDateTime,
            summary: Json,
          }),
        ),
      }),
    },
    handler: async ({ ctx, user, query }) => ({
      batches: (await listImportBatches(ctx, user.tenantId, { limit: query.limit ?? 100 })).map((b) => ({
        id: b.id,
        kind: b.kind,
        label: b.label,
        status: b.status,
        startedAt: iso(b.startedAt),
        finishedAt: isoOrNull(b.finishedAt),
        summary: b.summary,
      })),
    }),
  }),
];
