import { Type, type Static } from "@sinclair/typebox";
import { describeEnablement, type EnablementState } from "../../domain/consent-policy";
import type { DeletionReceipt } from "../../store/consent.repository";
import {
  consentStatus,
  grantConsent,
  parseConsentType,
  readMyPrivacy,
  setCollectionRoles,
  setDataSharing,
  setHideAsIntroducer,
  setInsightRole,
  setOptedOutGroups,
  setRelationshipIntelligence,
  withdrawConsent,
  isRoleGrantedInsight,
} from "../../services/consent.service";
import { validationError } from "../../domain/errors";
import { adminRoles, defineRoute, type ApiDeps } from "../route";
import {
  ConsentTypeParam,
  DateTime,
  EnablementView,
  NullableDateTime,
  ReceiptView,
  iso,
  isoOrNull,
} from "../schemas";

const presentReceipt = (r: DeletionReceipt): Static<typeof ReceiptView> => ({
  id: r.id,
  scope: r.scope,
  reason: r.reason,
  at: iso(r.at),
  counts: r.counts,
});

const presentEnablement = (e: EnablementState): Static<typeof EnablementView> => {
  const words = describeEnablement(e);
  switch (e.state) {
    case "disabled":
    case "active":
      return { state: e.state, ...words };
    case "awaiting_consent":
      return { state: e.state, deadline: iso(e.deadline), daysLeft: e.daysLeft, ...words };
    case "switched_off":
      return { state: e.state, deadline: iso(e.deadline), ...words };
    case "turned_off":
      return { state: e.state, at: iso(e.at), ...words };
  }
};

/** A configuration change can change every insight: ask the worker to recompute (deduplicated). */
async function requestRecompute(deps: ApiDeps, tenantId: string, reason: string): Promise<void> {
  await deps.jobs?.enqueue({ name: "insights.recompute", tenantId, payload: { reason } });
}

const ConsentChangeView = Type.Object({
  type: Type.String(),
  granted: Type.Boolean(),
  changed: Type.Boolean(),
  receipt: Type.Optional(ReceiptView),
  relationshipIntelligence: Type.Optional(EnablementView),
  collectFrom: Type.Optional(DateTime),
});

const InsightParam = Type.Object({
  insight: Type.Union([Type.Literal("who_knows_whom"), Type.Literal("relationship_analytics")]),
  role: Type.String({ minLength: 1 }),
});

export const consentRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/consent",
    summary:
      "Consents with what each allows, history, opt-out groups, role grants, who shares, the 14-day enablement state",
    tags: ["consent"],
    access: adminRoles.either,
    schema: {
      response: Type.Object({
        consents: Type.Array(
          Type.Object({
            type: Type.Union([
              Type.Literal("personal"),
              Type.Literal("aggregated"),
              Type.Literal("identifiable"),
            ]),
            title: Type.String(),
            produces: Type.String(),
            visibleTo: Type.String(),
            granted: Type.Boolean(),
            changedAt: NullableDateTime,
            changedBy: Type.Union([Type.String(), Type.Null()]),
          }),
        ),
        history: Type.Array(
          Type.Object({ type: Type.String(), granted: Type.Boolean(), at: DateTime, by: Type.String() }),
        ),
        optedOutGroupIds: Type.Array(Type.String()),
        collectionRoles: Type.Union([Type.Array(Type.String()), Type.Null()]),
        insightRoles: Type.Object({
          who_knows_whom: Type.Array(Type.String()),
          relationship_analytics: Type.Array(Type.String()),
        }),
        relationshipIntelligence: EnablementView,
        collectFrom: Type.Union([DateTime, Type.Null()], {
          description: "collection restarted here after a re-grant; nothing dated earlier is collected",
        }),
        users: Type.Object({
          total: Type.Number(),
          sharing: Type.Number({ description: "users whose mail is collected now" }),
          optedOutByUser: Type.Number(),
          inOptedOutGroups: Type.Number(),
          outsideCollectionRoles: Type.Number(),
        }),
      }),
    },
    handler: async ({ ctx, user }) => {
      const s = await consentStatus(ctx, user.tenantId);
      return {
        consents: s.consents.map((c) => ({ ...c, changedAt: isoOrNull(c.changedAt) })),
        history: s.history.map((h) => ({ type: h.type, granted: h.granted, at: iso(h.at), by: h.by })),
        optedOutGroupIds: [...s.optedOutGroupIds],
        collectionRoles: s.collectionRoles === null ? null : [...s.collectionRoles],
        insightRoles: {
          who_knows_whom: [...s.insightRoles.who_knows_whom],
          relationship_analytics: [...s.insightRoles.relationship_analytics],
        },
        relationshipIntelligence: presentEnablement(s.relationshipIntelligence),
        collectFrom: isoOrNull(s.collectFrom),
        users: s.users,
      };
    },
  }),
  ...(["grant", "withdraw"] as const).map((action) =>
    defineRoute({
      method: "POST",
      url: `/api/consent/:type/${action}`,
      summary:
        action === "grant"
          ? "Grant a consent type (Global Administrator); every user not personally opted out is opted in"
          : "Withdraw a consent type (Global Administrator); withdrawing the last collection consent deletes collected data at once",
      tags: ["consent"],
      access: adminRoles.global,
      schema: { params: Type.Object({ type: ConsentTypeParam }), response: ConsentChangeView },
      handler: async ({ deps, ctx, user, params }) => {
        const type = parseConsentType(params.type);
        const change =
          action === "grant"
            ? await grantConsent(ctx, user.tenantId, type, user.email)
            : await withdrawConsent(ctx, user.tenantId, type, user.email);
        if (change.changed) {
          await requestRecompute(deps, user.tenantId, `consent ${action}: ${type}`);
          if (action === "withdraw")
            await deps.jobs?.enqueue({ name: "purge.verify", tenantId: user.tenantId, payload: { type } });
        }
        return {
          type: change.type,
          granted: change.granted,
          changed: change.changed,
          ...(change.receipt ? { receipt: presentReceipt(change.receipt) } : {}),
          ...(change.relationshipIntelligence
            ? { relationshipIntelligence: presentEnablement(change.relationshipIntelligence) }
            : {}),
          ...(change.collectFrom ? { collectFrom: iso(change.collectFrom) } : {}),
        };
      },
    }),
  ),
  defineRoute({
    method: "PUT",
    url: "/api/consent/opt-out-groups",
    summary: "Replace the opted-out security group ids (Global Administrator; future collections only)",
    tags: ["consent"],
    access: adminRoles.global,
    schema: {
      body: Type.Object({ groupIds: Type.Array(Type.String()) }, { additionalProperties: false }),
      response: Type.Object({ optedOutGroupIds: Type.Array(Type.String()) }),
    },
    handler: async ({ ctx, user, body }) => ({
      optedOutGroupIds: [...(await setOptedOutGroups(ctx, user.tenantId, body.groupIds, user.email))],
    }),
  }),
  defineRoute({
    method: "GET",
    url: "/api/me/privacy",
    summary: "My data-sharing settings and my deletion receipts",
    tags: ["privacy"],
    access: "user",
    schema: {
      response: Type.Object({
        email: Type.String(),
        sharing: Type.Union([Type.Literal("default"), Type.Literal("on"), Type.Literal("off")]),
        sharingChangedAt: NullableDateTime,
        sharingEffective: Type.Boolean(),
        hideAsIntroducer: Type.Boolean(),
        receipts: Type.Array(ReceiptView),
      }),
    },
    handler: async ({ ctx, user }) => {
      const view = await readMyPrivacy(ctx, user.tenantId, user.email);
      return {
        email: view.email,
        sharing: view.privacy.sharing,
        sharingChangedAt: isoOrNull(view.privacy.sharingChangedAt),
        sharingEffective: view.sharingEffective,
        hideAsIntroducer: view.privacy.hideAsIntroducer,
        receipts: view.receipts.map(presentReceipt),
      };
    },
  }),
  defineRoute({
    method: "PUT",
    url: "/api/me/privacy/sharing",
    summary: "Turn my data sharing on or off; off deletes my collected data at once and returns a receipt",
    tags: ["privacy"],
    access: "user",
    schema: {
      body: Type.Object({ on: Type.Boolean() }, { additionalProperties: false }),
      response: Type.Object({
        email: Type.String(),
        sharing: Type.Boolean(),
        changed: Type.Boolean(),
        receipt: Type.Optional(ReceiptView),
      }),
    },
    handler: async ({ deps, ctx, user, body }) => {
      const change = await setDataSharing(ctx, user.tenantId, user.email, body.on);
      if (change.changed) await requestRecompute(deps, user.tenantId, "user data sharing changed");
      return {
        email: change.email,
        sharing: change.sharing,
        changed: change.changed,
        ...(change.receipt ? { receipt: presentReceipt(change.receipt) } : {}),
      };
    },
  }),
  defineRoute({
    method: "PUT",
    url: "/api/me/privacy/introducer",
    summary: "Hide me from introductions (or show me again) without stopping data sharing",
    tags: ["privacy"],
    access: "user",
    schema: {
      body: Type.Object({ hidden: Type.Boolean() }, { additionalProperties: false }),
      response: Type.Object({ hidden: Type.Boolean(), changed: Type.Boolean() }),
    },
    handler: async ({ ctx, user, body }) => ({
      hidden: body.hidden,
      changed: await setHideAsIntroducer(ctx, user.tenantId, user.email, body.hidden),
    }),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/ri",
    summary: "Enable or disable relationship intelligence (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: {
      body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
      response: EnablementView,
    },
    handler: async ({ deps, ctx, user, body }) => {
      const state = await setRelationshipIntelligence(ctx, user.tenantId, body.enabled, user.email);
      await requestRecompute(deps, user.tenantId, body.enabled ? "ri enabled" : "ri disabled");
      return presentEnablement(state);
    },
  }),
  defineRoute({
    method: "PUT",
    url: "/api/ri/collection-roles",
    summary: "Collect only holders of these roles, or every user with null (System Administrator)",
    tags: ["relationship intelligence"],
    access: adminRoles.system,
    schema: {
      body: Type.Object(
        { roles: Type.Union([Type.Array(Type.String()), Type.Null()]) },
        { additionalProperties: false },
      ),
      response: Type.Object({ collectionRoles: Type.Union([Type.Array(Type.String()), Type.Null()]) }),
    },
    handler: async ({ ctx, user, body }) => {
      const roles = await setCollectionRoles(ctx, user.tenantId, body.roles, user.email);
      return { collectionRoles: roles === null ? null : [...roles] };
    },
  }),
  ...(["PUT", "DELETE"] as const).map((method) =>
    defineRoute({
      method,
      url: "/api/ri/insight-roles/:insight/:role",
      summary:
        method === "PUT"
          ? "Grant an identifiable insight to a role (System Administrator)"
          : "Revoke an identifiable insight from a role (System Administrator)",
      tags: ["relationship intelligence"],
      access: adminRoles.system,
      schema: {
        params: InsightParam,
        response: Type.Object({ insight: Type.String(), roles: Type.Array(Type.String()) }),
      },
      handler: async ({ deps, ctx, user, params }) => {
        // The schema admits only role-granted insights; this keeps the type narrow for the service.
        if (!isRoleGrantedInsight(params.insight)) throw validationError("unknown insight", { params });
        const roles = await setInsightRole(
          ctx,
          user.tenantId,
          params.insight,
          params.role,
          method === "PUT",
          user.email,
        );
        await requestRecompute(deps, user.tenantId, "insight role grants changed");
        return { insight: params.insight, roles: [...roles] };
      },
    }),
  ),
];
