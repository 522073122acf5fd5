import type { RouteSpec } from "../route";
import { Type } from "@sinclair/typebox";
import { accountEngagement, parsePeriod } from "../../services/engagement.service";
import { figureNames } from "../../insights/engagement";
import { myOpenOpportunities, recordKpis } from "../../services/kpis.service";
import { adminRoles, defineRoute } from "../route";
import { oneOf } from "../../domain/validate";
import { DateTime, NullableDateTime, iso } from "../schemas";

/**
 * Relationship analytics: KPIs and health of a record, my open opportunities, and account
 * engagement (differentially private; the ε budget only for administrators).
 */
const RecordType = Type.Union(["contact", "lead", "opportunity", "account"].map((t) => Type.Literal(t)));
const ActivityKind = oneOf(["email", "meeting", "call", "task"]);
const byKind = (value: ReturnType<typeof Type.Number>) =>
  Type.Object({ email: value, meeting: value, call: value, task: value });
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

const HealthComponentView = Type.Object({
  value: Type.Union([Type.Number({ description: "0–1" }), Type.Null()]),
  weight: Type.Number({ description: "effective weight after re-weighting (0 when value is null)" }),
  explanation: Type.String(),
});

/** src/insights/health.ts HealthResult. */
const HealthResultView = Type.Object({
  state: oneOf([
    "good",
    "fair",
    "poor",
    "not_enough_info",
    "no_closed_activities",
    "computing",
    "error",
    "older_than_2_years",
  ]),
  score: Type.Union([Type.Number({ description: "0–100" }), Type.Null()]),
  grade: Type.Union([oneOf(["good", "fair", "poor"]), Type.Null()]),
  trend: oneOf(["improving", "steady", "declining", "not_enough_info"]),
  previousScore: NullableNumber,
  factors: Type.Union([
    Type.Object({
      expectedIntervalDays: Type.Number(),
      windowDays: Type.Number(),
      daysSinceLast: Type.Number(),
      completedInWindow: byKind(Type.Number()),
      typeWeights: byKind(Type.Number()),
      recency: HealthComponentView,
      frequency: HealthComponentView,
      reciprocity: HealthComponentView,
      responsiveness: HealthComponentView,
    }),
    Type.Null(),
  ]),
  reason: Type.Optional(Type.String({ description: "why there is no score" })),
});
const HealthView = Type.Union([HealthResultView, Type.Null()]);

const Ranked = Type.Object({
  address: Type.String(),
  count: Type.Integer(),
  name: Type.Optional(Type.String({ description: "a colleague's display name (our side's people)" })),
});
/** src/insights/kpis.ts SideKpis: one side's figures (ours or the customer's). */
const SideKpisView = Type.Object({
  emailsSent: Type.Integer(),
  emailsReceived: Type.Integer(),
  meetingsInitiated: Type.Integer(),
  callsMade: Type.Integer(),
  callsReceived: Type.Integer(),
  replies: Type.Integer(),
  timeSpentMinutes: Type.Object({
    meetings: Type.Number(),
    calls: Type.Number(),
    emails: Type.Number(),
    tasks: Type.Number(),
    total: Type.Number(),
  }),
  averageFirstResponseHours: NullableNumber,
  responseRate: NullableNumber,
  sentReceivedRatio: NullableNumber,
  mostContacted: Type.Array(Ranked, {
    description: "the other side's people this side contacted most (top 3)",
  }),
  mostContactedBy: Type.Array(Ranked, {
    description: "the other side's people who contacted this side most (top 3); on `theirs`: our colleagues",
  }),
});
const InteractionRefView = Type.Object({
  at: Type.Number({ description: "epoch milliseconds" }),
  kind: ActivityKind,
  direction: Type.Union([oneOf(["out", "in"]), Type.Null()]),
  subject: Type.Optional(Type.String({ description: "only when the viewer may see it" })),
});
const DirectionCounts = Type.Object({ out: Type.Integer(), in: Type.Integer() });
/** src/insights/kpis.ts RecordKpis. */
const RecordKpisView = Type.Object({
  record: Type.Object({ type: RecordType, id: Type.String() }),
  activityCount: Type.Integer(),
  ours: SideKpisView,
  theirs: SideKpisView,
  lastInteraction: Type.Union([InteractionRefView, Type.Null()]),
  nextInteraction: Type.Union([InteractionRefView, Type.Null()]),
  dailySeries: Type.Array(
    Type.Object({
      date: Type.String(),
      email: DirectionCounts,
      meeting: DirectionCounts,
      call: DirectionCounts,
      task: DirectionCounts,
    }),
    { description: "last 60 days, oldest first" },
  ),
  summary: Type.String(),
});

const KpiAnswerView = Type.Object({
  record: Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() }),
  kpis: RecordKpisView,
  health: HealthView,
});

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

export const kpiRoutes: RouteSpec[] = [
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
        kpis: answer.kpis,
        health: answer.health,
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
            currency: Type.Union([Type.String({ description: "ISO 4217" }), Type.Null()]),
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
          currency: o.currency,
          health: o.health,
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
