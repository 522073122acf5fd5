import type { RouteSpec } from "../route";
import { Type, type Static } from "@sinclair/typebox";
import type { AccountIntroducer } from "../../insights/who-knows-whom";
import { accountIntroducers } from "../../services/who-knows-whom.service";
import { myNetwork } from "../../services/my-network.service";
import { isoDay } from "../../insights/time";
import { defineRoute } from "../route";
import { DateTime, NullableDateTime, iso } from "../schemas";

/**
 * Insight routes: who knows whom, the account view and My network. Role grants, consent and
 * opt-outs are decided inside the services (`decideAccess`), which refuse with
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

const DormantIntroducerView = Type.Intersect([
  IntroducerView,
  Type.Object({
    strengthThen: Type.Number({ description: "0–100: the strength at the last interaction" }),
    labelThen: Type.String({ description: "the label at the last interaction" }),
  }),
]);

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

export const insightRoutes: RouteSpec[] = [
  defineRoute({
    method: "GET",
    url: "/api/who-knows-whom",
    summary:
      "Up to 5 colleagues who know an external person, strongest first, each explained with an introduction draft; dormant ties (over a year old) below them; alternatives when nobody knows them currently",
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
        dormant: Type.Array(DormantIntroducerView, {
          description:
            "Colleagues who knew the person but whose last counted interaction is over a year old, strongest then first; listed below the current introducers",
        }),
        introPaths: Type.Optional(
          Type.Array(IntroPathView, {
            description:
              "Only when every current introducer is weak: up to 3 warmer ways to reach one of them through the viewer's colleagues (viewer → [colleague →] introducer), each hop explained",
          }),
        ),
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
    handler: async ({ deps, ctx, user, query, request }) => {
      const reader = await deps.readCache.whoKnowsWhomReader(ctx, user.tenantId, user.email, request);
      const answer = await reader.ask(query.email, asOfDate(query.asOf) ?? ctx.now());
      return {
        target: answer.target,
        asOf: answer.asOf,
        introducers: answer.introducers.map((i) => ({ ...i, factors: { ...i.factors } })),
        dormant: answer.dormant.map((i) => ({ ...i, factors: { ...i.factors } })),
        ...(answer.introPaths ? { introPaths: answer.introPaths } : {}),
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
];
