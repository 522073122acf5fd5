import type { RouteSpec } from "../route";
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { isoDay } from "../../insights/time";
import {
  accountOverview,
  leadDetail,
  opportunityDetail,
  type OpportunityLine,
} from "../../services/records.service";
import { search, searchKinds, type SearchKind } from "../../services/search.service";
import { oneOf } from "../../domain/validate";
import { defineRoute } from "../route";

/**
 * Finding and opening CRM records (issue 17): one search over people Kith knows, accounts,
 * contacts, leads and opportunities (an empty term with one kind is that kind's list), and the
 * account, opportunity and lead a result opens. Access is decided in the services: a kind the
 * viewer may not search is reported under `refused`, never as "no match".
 */
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const Day = Type.Union([Type.String({ format: "date", description: "YYYY-MM-DD" }), Type.Null()]);
const Section = <T extends TSchema>(row: T) =>
  Type.Object({
    rows: Type.Array(row),
    total: Type.Integer({ description: "every match, beyond this page" }),
  });

const OpportunityLineView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: oneOf(["open", "won", "lost"]),
  stage: NullableString,
  estimatedClose: Day,
  estimatedRevenue: NullableNumber,
  currency: Type.Union([Type.String({ description: "ISO 4217" }), Type.Null()]),
});

const presentLine = (o: OpportunityLine): Static<typeof OpportunityLineView> => ({
  id: o.id,
  name: o.name,
  status: o.status,
  stage: o.stage,
  estimatedClose: o.estimatedCloseAt === null ? null : isoDay(o.estimatedCloseAt),
  estimatedRevenue: o.estimatedRevenue,
  currency: o.currency,
});

const PersonLineView = Type.Object({ email: Type.String(), name: NullableString });

const SearchAnswerView = Type.Object({
  query: Type.String(),
  people: Type.Optional(
    Section(
      Type.Object({
        email: Type.String(),
        name: NullableString,
        domain: Type.String(),
        knownBy: Type.Integer({ description: "colleagues the viewer may see who know this person" }),
      }),
    ),
  ),
  accounts: Type.Optional(
    Section(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        domains: Type.Array(Type.String()),
        contacts: Type.Integer(),
        openOpportunities: Type.Integer(),
      }),
    ),
  ),
  contacts: Type.Optional(
    Section(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        email: NullableString,
        accountId: NullableString,
        accountName: NullableString,
      }),
    ),
  ),
  leads: Type.Optional(
    Section(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        email: NullableString,
        company: NullableString,
        ownerEmail: NullableString,
        status: Type.String(),
      }),
    ),
  ),
  opportunities: Type.Optional(
    Section(
      Type.Composite([
        OpportunityLineView,
        Type.Object({ accountId: NullableString, accountName: NullableString }),
      ]),
    ),
  ),
  refused: Type.Array(
    Type.Object({
      kinds: Type.Array(oneOf(searchKinds)),
      code: oneOf(["consent_required", "insufficient_privileges", "insights_disabled"]),
      reason: Type.String(),
    }),
    { description: "kinds the viewer may not search, and why (not the same as finding nothing)" },
  ),
});

export const recordRoutes: RouteSpec[] = [
  defineRoute({
    method: "GET",
    url: "/api/search",
    summary:
      "Find people Kith knows, accounts, contacts, leads and opportunities by part of a name, email, company or domain; an empty q with one kind lists that kind (paged). Only what the viewer may see: people only when a colleague the viewer may see knows them",
    tags: ["insights"],
    access: "user",
    schema: {
      querystring: Type.Object(
        {
          q: Type.Optional(Type.String({ maxLength: 200, default: "" })),
          kind: Type.Optional(Type.Union([oneOf(searchKinds), Type.Literal("all")], { default: "all" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        },
        { additionalProperties: false },
      ),
      response: SearchAnswerView,
    },
    handler: async ({ ctx, user, query }) => {
      const kind = query.kind ?? "all";
      const kinds: readonly SearchKind[] = kind === "all" ? searchKinds : [kind];
      const answer = await search(ctx, user.tenantId, user.email, {
        term: query.q ?? "",
        kinds,
        page: { limit: query.limit ?? 10, offset: query.offset ?? 0 },
      });
      const { opportunities, ...rest } = answer;
      return {
        ...rest,
        ...(opportunities
          ? {
              opportunities: {
                total: opportunities.total,
                rows: opportunities.rows.map((o) => ({
                  ...presentLine({
                    ...o,
                    status: o.status === "won" || o.status === "lost" ? o.status : "open",
                  }),
                  accountId: o.accountId,
                  accountName: o.accountName,
                })),
              },
            }
          : {}),
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/accounts/:account",
    summary:
      "An account (CRM id or domain) with its contacts and opportunities; a domain Kith knows people at but no CRM account lists is answered with inCrm false",
    tags: ["insights"],
    access: "user",
    schema: {
      params: Type.Object({ account: Type.String({ minLength: 1 }) }),
      response: Type.Object({
        account: Type.Object({
          id: NullableString,
          name: Type.String(),
          domains: Type.Array(Type.String()),
          inCrm: Type.Boolean(),
        }),
        contacts: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), email: NullableString })),
        opportunities: Type.Array(OpportunityLineView),
      }),
    },
    handler: async ({ ctx, user, params }) => {
      const answer = await accountOverview(ctx, user.tenantId, params.account, user.email);
      return { ...answer, opportunities: answer.opportunities.map(presentLine) };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/opportunities/:id",
    summary:
      "An opportunity: name, stage, amount and currency, close date, account, owner, sales team and buying committee",
    tags: ["insights"],
    access: "user",
    schema: {
      params: Type.Object({ id: Type.String({ minLength: 1 }) }),
      response: Type.Intersect([
        OpportunityLineView,
        Type.Object({
          account: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
          owner: Type.Union([PersonLineView, Type.Null()]),
          salesTeam: Type.Array(PersonLineView),
          buyingCommittee: Type.Array(
            Type.Object({
              contactId: Type.String(),
              name: Type.String(),
              email: NullableString,
              roles: Type.Array(oneOf(["customer contact", "stakeholder", "primary contact"])),
            }),
          ),
        }),
      ]),
    },
    handler: async ({ ctx, user, params }) => {
      const o = await opportunityDetail(ctx, user.tenantId, params.id, user.email);
      return {
        ...presentLine(o),
        account: o.account,
        owner: o.owner,
        salesTeam: o.salesTeam,
        buyingCommittee: o.buyingCommittee.map((m) => ({ ...m, roles: [...m.roles] })),
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/leads/:id",
    summary: "A lead (CRM id or email): name, email, company, status and owner",
    tags: ["insights"],
    access: "user",
    schema: {
      params: Type.Object({ id: Type.String({ minLength: 1 }) }),
      response: Type.Object({
        id: Type.String(),
        name: Type.String(),
        email: NullableString,
        company: NullableString,
        status: Type.String(),
        owner: Type.Union([PersonLineView, Type.Null()]),
      }),
    },
    handler: async ({ ctx, user, params }) => leadDetail(ctx, user.tenantId, params.id, user.email),
  }),
];
