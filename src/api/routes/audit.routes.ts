import { Type } from "@sinclair/typebox";
import { listAuditEntries, verifyAuditChain } from "../../services/audit.service";
import { adminRoles, defineRoute } from "../route";
import { DateTime, iso } from "../schemas";

export const auditRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/audit",
    summary: "Audit log entries, newest first (System Administrator)",
    tags: ["audit"],
    access: adminRoles.system,
    schema: {
      querystring: Type.Object(
        {
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
          beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
          action: Type.Optional(Type.String({ description: "action prefix, e.g. consent." })),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        entries: Type.Array(
          Type.Object({
            seq: Type.Number(),
            at: DateTime,
            actor: Type.String(),
            action: Type.String(),
            subject: Type.String(),
            details: Type.Record(Type.String(), Type.Unknown()),
            hash: Type.String(),
          }),
        ),
      }),
    },
    handler: async ({ ctx, user, query }) => {
      const entries = await listAuditEntries(ctx, user.tenantId, {
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.beforeSeq !== undefined ? { beforeSeq: query.beforeSeq } : {}),
        ...(query.action ? { action: query.action } : {}),
      });
      return {
        entries: entries.map((e) => ({
          seq: e.seq,
          at: iso(e.at),
          actor: e.actor,
          action: e.action,
          subject: e.subject,
          details: e.details,
          hash: e.hash,
        })),
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/audit/verify",
    summary: "Verify the hash chain; ok false names each edited or removed entry (System Administrator)",
    tags: ["audit"],
    access: adminRoles.system,
    schema: {
      response: Type.Object({
        ok: Type.Boolean(),
        checked: Type.Number(),
        headHash: Type.String(),
        problems: Type.Array(
          Type.Object({ seq: Type.Number(), problem: Type.String(), message: Type.String() }),
        ),
      }),
    },
    handler: ({ ctx, user }) => verifyAuditChain(ctx, user.tenantId),
  }),
];
