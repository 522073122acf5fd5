import { Type, type Static } from "@sinclair/typebox";
import { environmentPurposes, partnerConsentStatuses } from "../../domain/partner-consent";
import type { TelemetryInsight } from "../../insights/telemetry";
import {
  cancelPartnerRequest,
  createPartnerRequest,
  decideAsReviewer,
  decideByLink,
  dismissPartnerInsight,
  getPartnerRequest,
  listMyReviews,
  listRequestsOfPartner,
  listSharedWithPartners,
  partnerMailDeps,
  readPartnerTelemetry,
  readReviewByLink,
  replacePartnerReviewer,
  resubmitPartnerRequest,
  revokePartnerRequest,
  type Delivery,
  type PartnerRequestView,
  type ReviewerView,
} from "../../services/partner.service";
import { adminRoles, defineRoute, type Access } from "../route";
import { DateTime, NullableDateTime, iso, isoOrNull } from "../schemas";

/**
 * Partner data sharing (SPEC §5). Three audiences: the partner's Partner Administrators (requests,
 * cancel, edit reviewer, telemetry insights), the customer's reviewers (by emailed link without a
 * session, or signed in on the data-consent page), and the customer's Global Administrators (see and
 * revoke what is shared). The link's secret travels in the body, never in a URL the server logs.
 */
export const partnerAdmin = { anyRole: ["Partner Administrator"] } as const satisfies Access;

const literalUnion = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Decision = Type.Union([Type.Literal("approve"), Type.Literal("reject")]);
const ReviewerDecisionSchema = literalUnion(["pending", "approved", "rejected", "cancelled"]);

const ReviewerSchema = Type.Object({
  slot: Type.Integer({ minimum: 1, maximum: 2 }),
  email: Type.String(),
  decision: ReviewerDecisionSchema,
  invitedAt: DateTime,
  decidedAt: NullableDateTime,
  linkExpiresAt: NullableDateTime,
});

const RequestSchema = Type.Object({
  id: Type.String(),
  partnerTenantId: Type.String(),
  partnerName: Type.String(),
  customerTenantId: Type.String(),
  customerName: Type.Union([Type.String(), Type.Null()], {
    description: "null while the request is not Allowed: the name is not resolved from the tenant id",
  }),
  environmentId: Type.String(),
  purpose: literalUnion(environmentPurposes),
  project: Type.Union([Type.String(), Type.Null()]),
  status: literalUnion(partnerConsentStatuses),
  statusLabel: Type.String(),
  closedReason: Type.Union([Type.Literal("rejected"), Type.Literal("revoked"), Type.Null()]),
  requestedBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  reviewers: Type.Array(ReviewerSchema),
});

const DeliverySchema = Type.Object({
  slot: Type.Integer(),
  to: Type.String(),
  sent: Type.Boolean(),
  error: Type.Optional(Type.String()),
});

const ChangeSchema = Type.Object({ request: RequestSchema, deliveries: Type.Array(DeliverySchema) });

const InsightSchema = Type.Object({
  id: Type.String(),
  rule: Type.String(),
  title: Type.String(),
  description: Type.String(),
  impact: literalUnion(["high", "medium", "low"]),
  category: Type.String(),
  scope: Type.String(),
  detectedAt: DateTime,
  unit: Type.String(),
  detail: Type.Array(Type.Object({ day: Type.String(), value: Type.Number() })),
});

const presentReviewer = (r: ReviewerView): Static<typeof ReviewerSchema> => ({
  slot: r.slot,
  email: r.email,
  decision: r.decision,
  invitedAt: iso(r.invitedAt),
  decidedAt: isoOrNull(r.decidedAt),
  linkExpiresAt: isoOrNull(r.linkExpiresAt),
});

export const presentPartnerRequest = (r: PartnerRequestView): Static<typeof RequestSchema> => ({
  ...r,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  reviewers: r.reviewers.map(presentReviewer),
});

const presentChange = (c: { request: PartnerRequestView; deliveries: Delivery[] }) => ({
  request: presentPartnerRequest(c.request),
  deliveries: c.deliveries,
});

const presentInsight = (i: TelemetryInsight): Static<typeof InsightSchema> => ({
  ...i,
  detectedAt: iso(i.detectedAt),
});

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Emails = Type.Array(Type.String({ maxLength: 320 }), { maxItems: 10 });
const TokenBody = { token: Type.String({ minLength: 10, maxLength: 200 }) };

export const partnerRoutes = [
  // --- the partner's Data consent page -----------------------------------------------------
  defineRoute({
    method: "GET",
    url: "/api/partner/requests",
    summary: "My tenant's data-sharing requests with their consent status (Partner Administrator)",
    tags: ["partner"],
    access: partnerAdmin,
    schema: { response: Type.Object({ requests: Type.Array(RequestSchema) }) },
    handler: async ({ ctx, user }) => ({
      requests: (await listRequestsOfPartner(ctx, user.tenantId)).map(presentPartnerRequest),
    }),
  }),
  defineRoute({
    method: "POST",
    url: "/api/partner/requests",
    summary:
      "Ask a customer tenant for its telemetry insights; both reviewers are mailed a link (Partner Administrator)",
    tags: ["partner"],
    access: partnerAdmin,
    status: 201,
    schema: {
      body: Type.Object(
        {
          targetTenantId: Type.String({ maxLength: 64 }),
          environmentId: Type.String({ maxLength: 200 }),
          purpose: Type.String({ maxLength: 20 }),
          project: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
          reviewers: Emails,
          confirmedEmployees: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
      response: ChangeSchema,
    },
    handler: async ({ deps, ctx, user, body }) =>
      presentChange(
        await createPartnerRequest(
          ctx,
          partnerMailDeps(deps.config),
          { tenantId: user.tenantId, email: user.email },
          body,
        ),
      ),
  }),
  defineRoute({
    method: "GET",
    url: "/api/partner/requests/:id",
    summary: "One data-sharing request (Partner Administrator)",
    tags: ["partner"],
    access: partnerAdmin,
    schema: { params: IdParam, response: RequestSchema },
    handler: async ({ ctx, user, params }) =>
      presentPartnerRequest(await getPartnerRequest(ctx, user.tenantId, params.id)),
  }),
  defineRoute({
    method: "POST",
    url: "/api/partner/requests/:id/cancel",
    summary: "Cancel both reviewer requests; the reviewers become editable again (Partner Administrator)",
    tags: ["partner"],
    access: partnerAdmin,
    schema: { params: IdParam, response: RequestSchema },
    handler: async ({ ctx, user, params }) =>
      presentPartnerRequest(
        await cancelPartnerRequest(ctx, { tenantId: user.tenantId, email: user.email }, params.id),
      ),
  }),
  defineRoute({
    method: "POST",
    url: "/api/partner/requests/:id/resubmit",
    summary: "Send a cancelled request again to two (edited) reviewers (Partner Administrator)",
    tags: ["partner"],
    access: partnerAdmin,
    schema: {
      params: IdParam,
      body: Type.Object(
        { reviewers: Emails, confirmedEmployees: Type.Boolean() },
        { additionalProperties: false },
      ),
      response: ChangeSchema,
    },
    handler: async ({ deps, ctx, user, params, body }) =>
      presentChange(
        await resubmitPartnerRequest(
          ctx,
          partnerMailDeps(deps.config),
          { tenantId: user.tenantId, email: user.email },
          params.id,
          body,
        ),
      ),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/partner/requests/:id/reviewers/:slot",
    summary:
      "Replace one reviewer of a pending request: the old link dies, the new reviewer is mailed (Partner Administrator)",
    tags: ["partner"],
    access: partnerAdmin,
    schema: {
      params: Type.Object({
        id: IdParam.properties.id,
        slot: Type.Union([Type.Literal(1), Type.Literal(2)]),
      }),
      body: Type.Object(
        { email: Type.String({ maxLength: 320 }), confirmedEmployee: Type.Boolean() },
        { additionalProperties: false },
      ),
      response: ChangeSchema,
    },
    handler: async ({ deps, ctx, user, params, body }) =>
      presentChange(
        await replacePartnerReviewer(
          ctx,
          partnerMailDeps(deps.config),
          { tenantId: user.tenantId, email: user.email },
          params.id,
          { slot: params.slot, ...body },
        ),
      ),
  }),
  defineRoute({
    method: "GET",
    url: "/api/partner/requests/:id/insights",
    summary:
      "The customer's telemetry insights (last 7 results, 30 days of detail); only while Allowed (Partner Administrator)",
    tags: ["partner"],
    access: partnerAdmin,
    schema: {
      params: IdParam,
      response: Type.Object({
        request: RequestSchema,
        windowDays: Type.Integer(),
        insights: Type.Array(InsightSchema),
      }),
    },
    handler: async ({ ctx, user, params }) => {
      const t = await readPartnerTelemetry(ctx, user.tenantId, params.id);
      return {
        request: presentPartnerRequest(t.request),
        windowDays: t.windowDays,
        insights: t.insights.map(presentInsight),
      };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/partner/requests/:id/insights/:insightId/dismiss",
    summary: "Dismiss one telemetry insight result (Partner Administrator)",
    tags: ["partner"],
    access: partnerAdmin,
    schema: {
      params: Type.Object({
        id: IdParam.properties.id,
        insightId: Type.String({ minLength: 1, maxLength: 200 }),
      }),
      response: Type.Object({ dismissed: Type.Boolean() }),
    },
    handler: async ({ ctx, user, params }) =>
      dismissPartnerInsight(ctx, { tenantId: user.tenantId, email: user.email }, params.id, params.insightId),
  }),

  // --- the customer's reviewers -------------------------------------------------------------
  defineRoute({
    method: "POST",
    url: "/api/partner/review/lookup",
    summary: "What a reviewer's emailed link asks for; does not spend the link (the link is the credential)",
    tags: ["partner"],
    access: "public",
    schema: {
      body: Type.Object(TokenBody, { additionalProperties: false }),
      response: Type.Object({ request: RequestSchema, reviewer: ReviewerSchema, canDecide: Type.Boolean() }),
    },
    handler: async ({ ctx, body }) => {
      const review = await readReviewByLink(ctx, body.token);
      return {
        request: presentPartnerRequest(review.request),
        reviewer: presentReviewer(review.reviewer),
        canDecide: review.canDecide,
      };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/partner/review/decide",
    summary: "Approve or reject from a reviewer's emailed link; the link works once",
    tags: ["partner"],
    access: "public",
    schema: {
      body: Type.Object({ ...TokenBody, decision: Decision }, { additionalProperties: false }),
      response: Type.Object({ status: literalUnion(partnerConsentStatuses), statusLabel: Type.String() }),
    },
    handler: async ({ ctx, body }) => {
      // The reviewer learns the outcome, not the partner-side view of the request.
      const r = await decideByLink(ctx, body.token, body.decision);
      return { status: r.status, statusLabel: r.statusLabel };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/partner/reviews",
    summary: "Partner requests that name me as a reviewer (the data-consent page)",
    tags: ["partner"],
    access: "user",
    schema: {
      response: Type.Object({
        reviews: Type.Array(
          Type.Object({
            request: RequestSchema,
            slot: Type.Integer(),
            decision: ReviewerDecisionSchema,
            canDecide: Type.Boolean(),
          }),
        ),
      }),
    },
    handler: async ({ ctx, user }) => ({
      reviews: (await listMyReviews(ctx, user)).map((r) => ({
        request: presentPartnerRequest(r.request),
        slot: r.slot,
        decision: r.decision,
        canDecide: r.canDecide,
      })),
    }),
  }),
  defineRoute({
    method: "POST",
    url: "/api/partner/reviews/:id/decide",
    summary: "Approve or reject a request that names me as a reviewer (signed in)",
    tags: ["partner"],
    access: "user",
    schema: {
      params: IdParam,
      body: Type.Object({ decision: Decision }, { additionalProperties: false }),
      response: RequestSchema,
    },
    handler: async ({ ctx, user, params, body }) => {
      const r = await decideAsReviewer(ctx, user, params.id, body.decision);
      return presentPartnerRequest(r);
    },
  }),

  // --- the customer's administrators --------------------------------------------------------
  defineRoute({
    method: "GET",
    url: "/api/partner/shared",
    summary: "Partner requests for this tenant's telemetry and their status (Global Administrator)",
    tags: ["partner"],
    access: adminRoles.global,
    schema: { response: Type.Object({ requests: Type.Array(RequestSchema) }) },
    handler: async ({ ctx, user }) => ({
      requests: (await listSharedWithPartners(ctx, user.tenantId)).map(presentPartnerRequest),
    }),
  }),
  defineRoute({
    method: "POST",
    url: "/api/partner/shared/:id/revoke",
    summary: "Revoke an Allowed partner request at any time (Global Administrator)",
    tags: ["partner"],
    access: adminRoles.global,
    schema: { params: IdParam, response: RequestSchema },
    handler: async ({ ctx, user, params }) =>
      presentPartnerRequest(await revokePartnerRequest(ctx, user, params.id)),
  }),
];
