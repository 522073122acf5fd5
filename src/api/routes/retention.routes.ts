import { Type, type Static } from "@sinclair/typebox";
import { readRetention, setRetention, type RetentionSetting } from "../../services/retention.service";
import { adminRoles, defineRoute, type RouteSpec } from "../route";
import { NullableDateTime, isoOrNull } from "../schemas";

/** The tenant's retention window (issue 18): shown and changed by a Global or System Administrator. */
const RetentionView = Type.Object({
  months: Type.Union([Type.Integer(), Type.Null()], {
    description: "collected data older than this many months is removed daily; null keeps everything",
  }),
  cutoff: NullableDateTime,
});

const present = (s: RetentionSetting): Static<typeof RetentionView> => ({
  months: s.months,
  cutoff: isoOrNull(s.cutoff),
});

export const retentionRoutes: RouteSpec[] = [
  defineRoute({
    method: "GET",
    url: "/api/retention",
    summary: "The retention window and where its cutoff is now (default 24 months)",
    tags: ["privacy"],
    access: adminRoles.either,
    schema: { response: RetentionView },
    handler: async ({ ctx, user }) => present(await readRetention(ctx, user.tenantId)),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/retention",
    summary:
      "Change the retention window (1–240 months, or off to keep everything); the daily job applies it",
    tags: ["privacy"],
    access: adminRoles.either,
    schema: {
      body: Type.Object(
        {
          // "off" rather than null: the validator's type coercion would read a 0 as null.
          months: Type.Union([Type.Integer({ minimum: 1, maximum: 240 }), Type.Literal("off")], {
            description: "1–240 months, or off to keep everything",
          }),
        },
        { additionalProperties: false },
      ),
      response: RetentionView,
    },
    handler: async ({ ctx, user, body }) =>
      present(await setRetention(ctx, user.tenantId, body.months === "off" ? null : body.months, user.email)),
  }),
];
