import { Type, type Static } from "@sinclair/typebox";
import { expectedFrequencies } from "../../insights/health";
import type { AccountIntroducer } from "../../insights/who-knows-whom";
import { accountIntroducers, myNetwork, readIntroductionTemplate } from "../../services/insights.service";
import { accountEngagement, parsePeriod } from "../../services/engagement.service";
import { figureNames } from "../../insights/engagement";
import { myOpenOpportunities, recordKpis } from "../../services/kpis.service";
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
import { isoDay } from "../../insights/time";
import type { RouteSpec } from "../route";
import { adminRoles, defineRoute } from "../route";
import { DateTime, NullableDateTime, iso, isoOrNull } from "../schemas";

/**
 * Insight routes: who knows whom, the account view, My network, and the relationship
 * intelligence settings and ingest progress the System administrator's screen shows. Role grants,
 * consent and opt-outs are decided inside the services (`decideAccess`), which refuse with
 * `insufficient_privileges`, `consent_required` or `insights_disabled` — never an empty list.
 */

const Json = Type.Record(Type.String(), Type.Unknown());
const Draft = Type.Object({ to: Type.String(), subject: Type.String(), body: Type.String() });
const LastInteraction = Type.Union([Type.Object({ date: Type.String(), type: Type.String() }), Type.Null()]);

const IntroducerView = Type.Object({
  name: Type.String(),
  email: Type.String(),
  strength: Type.Number({ description: "0–100" }),
  label: Type.String({ description: "strong ≥ 70, moderate 40–69, weak < 40" }),
  evidence: Type.Union([Type.Literal("direct"), Type.Literal("bulk")], {
    description:
      "direct: mail or meetings counted towards strength; bulk: only mail to more people than the large-distribution cap in common (listed only when nobody has direct evidence, always weak)",
  }),
  lastInteraction: LastInteraction,
  explanation: Type.String(),
  factors: Json,
  introductionDraft: Draft,
});

const AccountIntroducerView = Type.Object({
  name: Type.String(),
  email: Type.String(),
  score: Type.Number(),
  label: Type.String(),
  knows: Type.Array(
    Type.Object({
      personId: Type.String(),
      name: Type.Optional(Type.String()),
      score: Type.Number(),
      label: Type.String(),
    }),
  ),
  peopleKnown: Type.Number(),
  lastInteraction: LastInteraction,
  explanation: Type.String(),
});

const IntroPathView = Type.Object({
  via: Type.Array(Type.String()),
  score: Type.Number(),
  hops: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      strength: Type.Number(),
      label: Type.String(),
      explanation: Type.String(),
    }),
  ),
});

const presentAccountIntroducer = (
  a: Omit<AccountIntroducer, "userId">,
): Static<typeof AccountIntroducerView> => ({
  name: a.name,
  email: a.email,
  score: a.score,
  label: a.label,
  knows: a.knows.map((k) => ({ ...k })),
  peopleKnown: a.peopleKnown,
  lastInteraction: a.lastInteraction
    ? { date: isoDay(a.lastInteraction.at), type: a.lastInteraction.kind }
    : null,
  explanation: a.explanation,
});

const AsOf = Type.Optional(DateTime);
const asOfDate = (value: string | undefined) => (value ? new Date(value) : undefined);

const TieView = Type.Object({
  personId: Type.String(),
  name: Type.Optional(Type.String()),
  score: Type.Number(),
  label: Type.String(),
  lastInteraction: NullableDateTime,
  explanation: Type.String(),
});
const ResponseFiguresView = Type.Object({
  replies: Type.Number(),
  averageHours: Type.Union([Type.Number(), Type.Null()]),
  medianHours: Type.Union([Type.Number(), Type.Null()]),
  rate: Type.Union([Type.Number(), Type.Null()]),
});

const presentTie = (t: {
  personId: string;
  name?: string;
  score: number;
  label: string;
  lastInteraction: number | null;
  explanation: string;
}) => ({
  personId: t.personId,
  ...(t.name ? { name: t.name } : {}),
  score: t.score,
  label: t.label,
  lastInteraction: t.lastInteraction === null ? null : iso(new Date(t.lastInteraction)),
  explanation: t.explanation,
});

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

const SettingsView = Type.Object({
  captureLevel: Type.String(),
  noiseFilters: Json,
  strength: Json,
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

const RecordType = Type.Union(["contact", "lead", "opportunity", "account"].map((t) => Type.Literal(t)));
const HealthView = Type.Union([Json, Type.Null()], {
  description: "score 0–100, grade, state, trend and factors (src/insights/health.ts HealthResult)",
});
const KpiAnswerView = Type.Object({
  record: Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() }),
  kpis: Type.Record(Type.String(), Type.Unknown(), {
    description:
      "both sides' KPIs, last/next interaction, 60-day series, summary (src/insights/kpis.ts RecordKpis)",
  }),
  health: HealthView,
});

export const insightRoutes: RouteSpec[] = [
  defineRoute({
    method: "GET",
    url: "/api/who-knows-whom",
    summary:
      "Up to 5 colleagues who know an external person, strongest first, each explained with an introduction draft; alternatives when nobody does",
    tags: ["insights"],
    access: "user",
    schema: {
      querystring: Type.Object(
        { email: Type.String({ minLength: 3 }), asOf: AsOf },
        { additionalProperties: false },
      ),
      response: Type.Object({
        target: Type.Object({
          email: Type.String(),
          name: Type.Union([Type.String(), Type.Null()]),
          organisation: Type.Union([Type.String(), Type.Null()]),
          account: Type.Union([Type.String(), Type.Null()]),
        }),
        asOf: DateTime,
        introducers: Type.Array(IntroducerView),
        alternatives: Type.Optional(
          Type.Object({
            accountIntroducers: Type.Array(
              Type.Intersect([AccountIntroducerView, Type.Object({ introductionDraft: Draft })]),
            ),
            introPaths: Type.Array(IntroPathView),
          }),
        ),
      }),
    },
    handler: async ({ deps, ctx, user, query }) => {
      const reader = await deps.readCache.whoKnowsWhomReader(ctx, user.tenantId, user.email);
      const answer = await reader.ask(query.email, asOfDate(query.asOf) ?? ctx.now());
      return {
        target: answer.target,
        asOf: answer.asOf,
        introducers: answer.introducers.map((i) => ({ ...i, factors: { ...i.factors } })),
        ...(answer.alternatives
          ? {
              alternatives: {
                accountIntroducers: answer.alternatives.accountIntroducers.map((a) => ({
                  ...presentAccountIntroducer(a),
                  introductionDraft: a.introductionDraft,
                })),
                introPaths: answer.alternatives.introPaths,
              },
            }
          : {}),
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/accounts/:account/introducers",
    summary: "Account view: colleagues who know anyone at an account (CRM account id or domain)",
    tags: ["insights"],
    access: "user",
    schema: {
      params: Type.Object({ account: Type.String({ minLength: 1 }) }),
      querystring: Type.Object({ asOf: AsOf }, { additionalProperties: false }),
      response: Type.Object({
        account: Type.Object({
          id: Type.Union([Type.String(), Type.Null()]),
          name: Type.String(),
          domains: Type.Array(Type.String()),
        }),
        asOf: DateTime,
        introducers: Type.Array(AccountIntroducerView),
      }),
    },
    handler: async ({ ctx, user, params, query }) => {
      const answer = await accountIntroducers(
        ctx,
        user.tenantId,
        params.account,
        user.email,
        asOfDate(query.asOf),
      );
      return { ...answer, introducers: answer.introducers.map(presentAccountIntroducer) };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/me/network",
    summary: "My network: my strongest ties, fading relationships and response times (only I see them)",
    tags: ["insights"],
    access: "user",
    schema: {
      response: Type.Object({
        user: Type.Object({ email: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
        asOf: DateTime,
        strongestTies: Type.Array(TieView),
        fading: Type.Array(
          Type.Intersect([TieView, Type.Object({ scoreThen: Type.Number(), drop: Type.Number() })]),
        ),
        responseTimes: Type.Object({ mine: ResponseFiguresView, theirs: ResponseFiguresView }),
      }),
    },
    handler: async ({ ctx, user }) => {
      const answer = await myNetwork(ctx, user.tenantId, user.email);
      return {
        user: answer.user,
        asOf: answer.asOf,
        strongestTies: answer.strongestTies.map(presentTie),
        fading: answer.fading.map((f) => ({ ...presentTie(f), scoreThen: f.scoreThen, drop: f.drop })),
        responseTimes: {
          mine: { ...answer.responseTimes.mine },
          theirs: { ...answer.responseTimes.theirs },
        },
      };
    },
  }),
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
        strength: JSON.parse(JSON.stringify(options.strength)) as Record<string, unknown>,
        strengthFit: await presentStrengthFit(ctx, user.tenantId),
        health: { ...(await readHealthSettings(ctx, user.tenantId)), editable: true },
        introductionTemplate: await readIntroductionTemplate(ctx.store.db, user.tenantId),
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
      response: Type.Object({ weights: Json, recomputed: Type.Boolean() }),
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
      response: Json,
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
  defineRoute({
    method: "GET",
    url: "/api/kpis/:type/:id",
    summary:
      "Relationship analytics (KPIs) and health of a contact, lead, opportunity or account (CRM id, email or domain)",
    tags: ["insights"],
    access: "user",
    schema: {
      params: Type.Object({ type: RecordType, id: Type.String({ minLength: 1 }) }),
      response: KpiAnswerView,
    },
    handler: async ({ ctx, user, params }) => {
      const answer = await recordKpis(
        ctx,
        user.tenantId,
        params.type as "contact" | "lead" | "opportunity" | "account",
        params.id,
        user.email,
      );
      return {
        record: answer.record,
        kpis: answer.kpis as unknown as Record<string, unknown>,
        health: answer.health as unknown as Record<string, unknown> | null,
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/me/opportunities",
    summary: "My open opportunities by relationship: each with its health (sort and chart them client-side)",
    tags: ["insights"],
    access: "user",
    schema: {
      response: Type.Object({
        opportunities: Type.Array(
          Type.Object({
            id: Type.String(),
            name: Type.String(),
            account: Type.Union([Type.String(), Type.Null()]),
            estimatedClose: NullableDateTime,
            estimatedRevenue: Type.Union([Type.Number(), Type.Null()]),
            health: HealthView,
          }),
        ),
      }),
    },
    handler: async ({ ctx, user }) => {
      // The viewer's open opportunities (owner or sales team), as the service computes them.
      const answer = await myOpenOpportunities(ctx, user.tenantId, user.email);
      return {
        opportunities: answer.opportunities.map((o) => ({
          id: o.id,
          name: o.name,
          account: o.accountName ?? o.accountId,
          estimatedClose: o.estimatedClose === null ? null : iso(new Date(`${o.estimatedClose}T00:00:00Z`)),
          estimatedRevenue: o.estimatedRevenue,
          health: o.health as unknown as Record<string, unknown> | null,
        })),
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/accounts/:account/engagement",
    summary:
      "Aggregated, de-identified account engagement for a closed period, with differential-privacy noise; figures behind fewer than 5 colleagues are suppressed. Answered from the period's stored release (the same numbers for everyone until it expires); a fresh release spends the tenant's ε budget, and once that is spent a cell never released is refused (409 privacy_budget_exhausted)",
    tags: ["insights"],
    access: "user",
    schema: {
      params: Type.Object({ account: Type.String({ minLength: 1 }) }),
      querystring: Type.Object(
        { period: Type.String({ description: "year:YYYY, month:YYYY-MM or week:YYYY-MM-W" }) },
        { additionalProperties: false },
      ),
      response: engagementAnswerSchema(),
    },
    handler: async ({ ctx, user, params, query }) => {
      const answer = await accountEngagement(
        ctx,
        user.tenantId,
        params.account,
        parsePeriod(query.period),
        user.email,
      );
      // The remaining budget is an administrator's concern.
      const admin = user.roles.some((r) => (adminRoles.either.anyRole as readonly string[]).includes(r));
      return {
        account: answer.account,
        engagement: answer.engagement,
        release: answer.release,
        ...(admin ? { privacyBudget: answer.privacyBudget } : {}),
      };
    },
  }),
];

/** The engagement answer (services/engagement.service.ts `EngagementAnswer`). */
function engagementAnswerSchema() {
  const figure = Type.Union([
    Type.Object({
      value: Type.Integer({ minimum: 0 }),
      noised: Type.Literal(true),
      noiseSd: Type.Optional(
        Type.Number({ description: "standard deviation of the noise added (public: set by ε and the caps)" }),
      ),
    }),
    Type.Object({
      value: Type.Null(),
      reason: Type.Union([Type.Literal("suppressed"), Type.Literal("no_peers")], {
        description: "suppressed: fewer than 5 colleagues behind it; no_peers: no other account released",
      }),
    }),
  ]);
  return Type.Object({
    account: Type.Object({ id: Type.String(), name: Type.String() }),
    engagement: Type.Object({
      accountId: Type.String(),
      period: Type.String({ description: "canonical period: year:YYYY, month:YYYY-MM or week:YYYY-MM-W" }),
      figures: Type.Object(Object.fromEntries(figureNames.map((name) => [name, figure]))),
      // 0–100 against the other accounts released for the period when this was released.
      engagementScore: figure,
    }),
    release: Type.Object({
      generation: Type.Integer({ description: "1 for the period's first release, +1 for each fresh one" }),
      releasedAt: DateTime,
      expiresAt: NullableDateTime,
      epsilon: Type.Number({ description: "ε this release spent" }),
      fresh: Type.Boolean({ description: "this request made the release" }),
      stale: Type.Boolean({ description: "expired, served because the budget cannot pay for a fresh one" }),
    }),
    privacyBudget: Type.Optional(
      Type.Object(
        {
          epsilonBudget: Type.Number(),
          epsilonSpent: Type.Number(),
          epsilonRemaining: Type.Number(),
          releaseEpsilon: Type.Number({ description: "ε a fresh release spends" }),
          releases: Type.Integer(),
        },
        { description: "the tenant's ε ledger: administrators only" },
      ),
    ),
  });
}
