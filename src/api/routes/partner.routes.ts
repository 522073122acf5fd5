import { Type, type Static } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
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
  type PartnerRequestView,
  type RequestChange,
  type ReviewerView,
} from "../../services/partner.service";
import type { SignedInUser } from "../../services/auth.service";
import { errorPayload } from "../errors";
import { RateLimiter } from "../rate-limit";
import { adminRoles, defineRoute, type Access, type ApiDeps } from "../route";
import { DateTime, NullableDateTime, iso, isoOrNull } from "../schemas";

/**
 * Partner data sharing (SPEC §5). Three audiences: the partner's Partner Administrators (requests,
 * cancel, edit reviewer, telemetry insights), the customer's reviewers (by emailed link without a
 * session, or signed in on the data-consent page), and the customer's Global Administrators (see and
 * revoke what is shared). The link's secret travels in the body, never in a URL the server logs.
 */
export const partnerAdmin = { anyRole: ["Partner Administrator"] } as const satisfies Access;

/**
 * Attempts to invite reviewers (a new request, a resubmission, a reviewer edit) per hour, per acting
 * user and per partner tenant, refused ones included, in this API process's memory. Keyed by
 * the requester alone: a budget per customer would tell one partner about another's requests.
 */
export const partnerRequestLimits = { actor: 20, tenant: 60 } as const;
const partnerLimitWindowMs = 3_600_000;
const partnerLimiters = new WeakMap<ApiDeps, RateLimiter<keyof typeof partnerRequestLimits>>();

/** Counts one attempt; the 429 reply when the user or the tenant is over its budget, else null. */
function throttlePartnerRequest(deps: ApiDeps, user: SignedInUser, reply: FastifyReply): FastifyReply | null {
  let limiter = partnerLimiters.get(deps);
  if (!limiter) {
    limiter = new RateLimiter(partnerRequestLimits, () => deps.ctx.now().getTime(), partnerLimitWindowMs);
    partnerLimiters.set(deps, limiter);
  }
  const waits = [
    limiter.hit("actor", `${user.tenantId}\u0000${user.userId}`),
    limiter.hit("tenant", user.tenantId),
  ].filter((w): w is number => w !== null);
  if (waits.length === 0) return null;
  const wait = Math.max(...waits);
  return reply
    .status(429)
    .header("retry-after", String(wait))
    .send(
      errorPayload("rate_limited", `too many partner requests; try again in ${wait} s`, {
        retryAfterSeconds: wait,
      }),
    );
}

/** Mail goes out after the answer; an invitation that failed is for the operator's log only. */
function logUndelivered(request: FastifyRequest, change: RequestChange): void {
  void change.invitations.then((deliveries) => {
    for (const d of deliveries)
      if (!d.sent)
        request.log.warn(
          { partnerRequest: change.request.id, slot: d.slot, error: d.error },
          "partner reviewer invitation not sent",
        );
  });
}

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
  directoryUser: Type.Optional(
    Type.Boolean({
      description:
        "the customer's views only: whether the address is an employee in its directory (only those get a link)",
    }),
  ),
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

/**
 * The answer to a change that invites reviewers. It never says who was mailed: only reviewers who
 * are employees in the customer's directory get a link, and that is the customer's to know.
 */
const ChangeSchema = Type.Object({
  request: RequestSchema,
  mailConfigured: Type.Boolean({
    description:
      "false: this server has no SMTP server (KITH_SMTP_URL), so no reviewer was mailed; they can answer when signed in (a server setting, the same for every request)",
  }),
});

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
  ...(r.directoryUser === undefined ? {} : { directoryUser: r.directoryUser }),
});

export const presentPartnerRequest = (r: PartnerRequestView): Static<typeof RequestSchema> => ({
  ...r,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  reviewers: r.reviewers.map(presentReviewer),
});

/** Answers a change; its mail goes out in the background (see logUndelivered). */
function presentChange(request: FastifyRequest, change: RequestChange, deps: ApiDeps) {
  logUndelivered(request, change);
  return { request: presentPartnerRequest(change.request), mailConfigured: Boolean(deps.config.smtpUrl) };
}

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
      "Ask a customer tenant for its telemetry insights (Partner Administrator). The answer never depends on the customer: reviewers who are its employees are mailed a link; the request is created either way. At most 20 attempts an hour per user and 60 per tenant (429 beyond)",
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
    handler: async ({ deps, ctx, user, body, request, reply }) =>
      throttlePartnerRequest(deps, user, reply) ??
      presentChange(
        request,
        await createPartnerRequest(
          ctx,
          partnerMailDeps(deps.config),
          { tenantId: user.tenantId, email: user.email },
          body,
        ),
        deps,
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
    summary:
      "Send a cancelled request again to two (edited) reviewers (Partner Administrator; counts toward the request limit)",
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
    handler: async ({ deps, ctx, user, params, body, request, reply }) =>
      throttlePartnerRequest(deps, user, reply) ??
      presentChange(
        request,
        await resubmitPartnerRequest(
          ctx,
          partnerMailDeps(deps.config),
          { tenantId: user.tenantId, email: user.email },
          params.id,
          body,
        ),
        deps,
      ),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/partner/requests/:id/reviewers/:slot",
    summary:
      "Replace one reviewer of a pending request: the old link dies, the new reviewer is mailed if an employee of the customer (Partner Administrator; counts toward the request limit)",
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
    handler: async ({ deps, ctx, user, params, body, request, reply }) =>
      throttlePartnerRequest(deps, user, reply) ??
      presentChange(
        request,
        await replacePartnerReviewer(
          ctx,
          partnerMailDeps(deps.config),
          { tenantId: user.tenantId, email: user.email },
          params.id,
          { slot: params.slot, ...body },
        ),
        deps,
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
