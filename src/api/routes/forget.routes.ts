import { Type, type Static } from "@sinclair/typebox";
import { notFound } from "../../domain/errors";
import {
  findForgetRequest,
  forgetPerson,
  forgetRequestsFor,
  listForgetRequests,
} from "../../services/forget.service";
import type { ForgetReceipt } from "../../store/forget.repository";
import { adminRoles, defineRoute, type RouteSpec } from "../route";
import { DateTime, iso } from "../schemas";

/**
 * Deletion requests by external people (a customer asks to be forgotten): made and shown by a
 * Global or System Administrator. Receipts name the address only by its keyed hash.
 */
const ForgetReceiptView = Type.Object(
  {
    id: Type.String({ description: "the receipt id" }),
    at: DateTime,
    requestedBy: Type.String({ description: "who made the request in Kith" }),
    reason: Type.String(),
    addressHash: Type.String({
      description: "HMAC-SHA256 of the address under the tenant's key: the receipt never holds the address",
    }),
    counts: Type.Record(Type.String(), Type.Number(), { description: "rows removed, by kind" }),
    durationMs: Type.Number(),
  },
  { description: "What a deletion request removed, when and by whom" },
);

const present = (r: ForgetReceipt): Static<typeof ForgetReceiptView> => ({
  id: r.id,
  at: iso(r.at),
  requestedBy: r.requestedBy,
  reason: r.reason,
  addressHash: r.addressHash,
  counts: r.counts,
  durationMs: Math.round(r.durationMs),
});

export const forgetRoutes: RouteSpec[] = [
  defineRoute({
    method: "POST",
    url: "/api/privacy/forget",
    summary:
      "Forget an external person at their request: their address leaves interactions, people, connection strengths and the CRM copy, and stays out of later imports (Global or System Administrator)",
    tags: ["privacy"],
    access: adminRoles.either,
    status: 201,
    schema: {
      body: Type.Object(
        {
          address: Type.String({ minLength: 1, maxLength: 320 }),
          reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        receipt: ForgetReceiptView,
        alreadyForgotten: Type.Boolean({
          description: "the address had been forgotten before; this request removed what came in since",
        }),
      }),
    },
    handler: async ({ ctx, user, body }) => {
      const outcome = await forgetPerson(ctx, user.tenantId, body.address, user.email, body.reason);
      return { receipt: present(outcome.receipt), alreadyForgotten: outcome.alreadyForgotten };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/privacy/forget-requests",
    summary:
      "Deletion requests by external people, newest first; with ?address= only that address's (checked by its keyed hash)",
    tags: ["privacy"],
    access: adminRoles.either,
    schema: {
      querystring: Type.Object({ address: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })) }),
      response: Type.Object({ requests: Type.Array(ForgetReceiptView) }),
    },
    handler: async ({ ctx, user, query }) => {
      const receipts = query.address
        ? await forgetRequestsFor(ctx, user.tenantId, query.address)
        : await listForgetRequests(ctx, user.tenantId);
      return { requests: receipts.map(present) };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/privacy/forget-requests/:id",
    summary: "One deletion request's receipt",
    tags: ["privacy"],
    access: adminRoles.either,
    schema: {
      params: Type.Object({ id: Type.String({ minLength: 1 }) }),
      response: ForgetReceiptView,
    },
    handler: async ({ ctx, user, params }) => {
      const receipt = await findForgetRequest(ctx, user.tenantId, params.id);
      if (!receipt) throw notFound("deletion request", params.id);
      return present(receipt);
    },
  }),
];
