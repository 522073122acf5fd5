import { Type } from "@sinclair/typebox";
import { exportAuditCsv, listAuditEntries, verifyAuditChain } from "../../services/audit.service";
import { adminRoles, defineRoute } from "../route";
import { DateTime, iso } from "../schemas";

/** The filter both the list and the CSV export take (server-side: a page is never filtered in the browser). */
const AuditFilter = {
  action: Type.Optional(Type.String({ maxLength: 200, description: "action prefix, e.g. consent." })),
  actor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 320,
      description: "who acted, exactly as the log names them (an address)",
    }),
  ),
  from: Type.Optional(Type.String({ format: "date-time", description: "entries at or after this instant" })),
  to: Type.Optional(Type.String({ format: "date-time", description: "entries before this instant" })),
};

const filterOf = (q: { action?: string; actor?: string; from?: string; to?: string }) => ({
  ...(q.action ? { action: q.action } : {}),
  ...(q.actor ? { actor: q.actor } : {}),
  ...(q.from ? { from: new Date(q.from) } : {}),
  ...(q.to ? { to: new Date(q.to) } : {}),
});

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
          ...AuditFilter,
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
        ...filterOf(query),
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
    url: "/api/audit/export",
    summary: "The filtered audit log as CSV, newest first, with readable details (System Administrator)",
    tags: ["audit"],
    access: adminRoles.system,
    schema: {
      querystring: Type.Object(AuditFilter, { additionalProperties: false }),
      response: Type.String({ description: "text/csv: seq, at, actor, action, subject, details, hash" }),
    },
    handler: async ({ ctx, user, query, reply }) => {
      const csv = await exportAuditCsv(ctx, user.tenantId, filterOf(query));
      const day = ctx.now().toISOString().slice(0, 10);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="kith-audit-${day}.csv"`)
        .send(csv);
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
