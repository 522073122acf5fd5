import { Type } from "@sinclair/typebox";
import { listJobsOfTenant } from "../../services/jobs.service";
import { adminRoles, defineRoute } from "../route";
import { DateTime, NullableDateTime, iso, isoOrNull } from "../schemas";

export const jobRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/jobs",
    summary: "The tenant's background jobs (sync, backfill, recompute, purge checks) and their state",
    tags: ["jobs"],
    access: adminRoles.system,
    schema: {
      querystring: Type.Object(
        {
          name: Type.Optional(Type.String({ description: "job name prefix, e.g. ingest." })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        jobs: Type.Array(
          Type.Object({
            id: Type.String(),
            name: Type.String(),
            status: Type.String(),
            attempts: Type.Number(),
            runAt: DateTime,
            createdAt: DateTime,
            finishedAt: NullableDateTime,
            lastError: Type.Union([Type.String(), Type.Null()]),
            result: Type.Unknown(),
          }),
        ),
      }),
    },
    handler: async ({ ctx, user, query }) => {
      const jobs = await listJobsOfTenant(ctx, user.tenantId, {
        limit: query.limit ?? 50,
        ...(query.name ? { name: query.name } : {}),
      });
      return {
        jobs: jobs.map((j) => ({
          id: j.id,
          name: j.name,
          status: j.status,
          attempts: j.attempts,
          runAt: iso(j.runAt),
          createdAt: iso(j.createdAt),
          finishedAt: isoOrNull(j.finishedAt),
          lastError: j.lastError,
          result: j.result,
        })),
      };
    },
  }),
];
