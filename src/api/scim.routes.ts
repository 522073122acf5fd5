import { Type, type Static } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseDuration } from "../config/config";
import { isKithError, validationError } from "../domain/errors";
import {
  createGroupScim,
  createScimToken,
  createUserScim,
  deleteGroupScim,
  deleteUserScim,
  getGroupScim,
  getUserScim,
  listGroupsScim,
  listScimTokensOf,
  listUsersScim,
  patchGroupScim,
  patchUserScim,
  replaceGroupScim,
  replaceUserScim,
  revokeScimTokenOf,
  ScimError,
  scimSchemas,
  type ScimTokenView,
} from "../services/scim.service";
import { adminRoles, defineRoute, type ApiDeps, type HandlerArgs, type RouteSchema } from "./route";
import { DateTime, NullableDateTime, iso, isoOrNull } from "./schemas";

/** SCIM 2.0 (RFC 7644) Users and Groups for identity providers, with a tenant-scoped bearer token. */

const scimContentType = "application/scim+json";
const Resource = Type.Record(Type.String(), Type.Unknown(), { description: "a SCIM resource" });
const ListQuery = Type.Object({
  filter: Type.Optional(Type.String({ description: 'attribute eq "value", e.g. userName eq "a@b.com"' })),
  startIndex: Type.Optional(Type.Integer({ minimum: 1 })),
  count: Type.Optional(Type.Integer({ minimum: 0 })),
});
const IdParam = Type.Object({ id: Type.String() });
const Empty = Type.Null({ description: "204 No Content" });

/** SCIM errors use their own schema (RFC 7644 §3.12), not the API's error shape. */
function sendScimError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = 500;
  let scimType: string | null = null;
  let detail = "unexpected error";
  if (error instanceof ScimError) {
    status = error.status;
    scimType = error.scimType;
    detail = error.message;
  } else if (isKithError(error)) {
    status =
      { not_authenticated: 401, insufficient_privileges: 403, not_found: 404, conflict: 409 }[
        error.code as string
      ] ?? (error.code === "validation_failed" ? 400 : 500);
    scimType =
      error.code === "conflict" ? "uniqueness" : error.code === "validation_failed" ? "invalidValue" : null;
    detail = error.message;
  } else if ((error as { validation?: unknown }).validation) {
    status = 400;
    scimType = "invalidSyntax";
    detail = (error as Error).message;
  } else if (typeof (error as { statusCode?: unknown }).statusCode === "number") {
    status = (error as { statusCode: number }).statusCode;
    detail = (error as Error).message;
  } else {
    request.log.error({ err: error }, "unexpected SCIM error");
  }
  return reply
    .status(status)
    .type(scimContentType)
    .send({
      schemas: [scimSchemas.error],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail,
    });
}

function tenantOf(args: { principal: HandlerArgs<RouteSchema>["principal"] }): string {
  if (args.principal?.kind !== "scim") throw new ScimError(401, null, "SCIM token required");
  return args.principal.tenantId;
}

const base = (args: { deps: ApiDeps }) => args.deps.config.publicUrl;

const scimRoute = <S extends RouteSchema>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  summary: string,
  schema: S,
  handler: (args: HandlerArgs<S>, tenantId: string) => Promise<unknown>,
  status: 200 | 201 = 200,
) =>
  defineRoute({
    method,
    url,
    summary,
    tags: ["scim"],
    access: "scim",
    status,
    contentType: scimContentType,
    schema,
    errorHandler: sendScimError,
    handler: async (args) => {
      const result = await handler(args, tenantOf(args));
      if (result === undefined) return args.reply.status(204).send();
      return args.reply.status(status).type(scimContentType).send(result);
    },
  });

const Body = Type.Record(Type.String(), Type.Unknown());

const scimProtocolRoutes = [
  scimRoute(
    "GET",
    "/scim/v2/Users",
    'List users (filter userName eq "…")',
    { querystring: ListQuery, response: Resource },
    (a, t) => listUsersScim(a.ctx, t, a.query, base(a)),
  ),
  scimRoute("GET", "/scim/v2/Users/:id", "One user", { params: IdParam, response: Resource }, (a, t) =>
    getUserScim(a.ctx, t, a.params.id, base(a)),
  ),
  scimRoute(
    "POST",
    "/scim/v2/Users",
    "Create a user",
    { body: Body, response: Resource },
    (a, t) => createUserScim(a.ctx, t, a.body, base(a)),
    201,
  ),
  scimRoute(
    "PUT",
    "/scim/v2/Users/:id",
    "Replace a user",
    { params: IdParam, body: Body, response: Resource },
    (a, t) => replaceUserScim(a.ctx, t, a.params.id, a.body, base(a)),
  ),
  scimRoute(
    "PATCH",
    "/scim/v2/Users/:id",
    "Patch a user (add, remove, replace)",
    { params: IdParam, body: Body, response: Resource },
    (a, t) => patchUserScim(a.ctx, t, a.params.id, a.body, base(a)),
  ),
  scimRoute(
    "DELETE",
    "/scim/v2/Users/:id",
    "Delete a user (memberships end; history stays)",
    { params: IdParam, response: Empty },
    async (a, t) => {
      await deleteUserScim(a.ctx, t, a.params.id);
      return undefined;
    },
  ),
  scimRoute(
    "GET",
    "/scim/v2/Groups",
    'List groups (filter displayName eq "…")',
    { querystring: ListQuery, response: Resource },
    (a, t) => listGroupsScim(a.ctx, t, a.query, base(a)),
  ),
  scimRoute(
    "GET",
    "/scim/v2/Groups/:id",
    "One group with members",
    { params: IdParam, response: Resource },
    (a, t) => getGroupScim(a.ctx, t, a.params.id, base(a)),
  ),
  scimRoute(
    "POST",
    "/scim/v2/Groups",
    "Create a group",
    { body: Body, response: Resource },
    (a, t) => createGroupScim(a.ctx, t, a.body, base(a)),
    201,
  ),
  scimRoute(
    "PUT",
    "/scim/v2/Groups/:id",
    "Replace a group and its members",
    { params: IdParam, body: Body, response: Resource },
    (a, t) => replaceGroupScim(a.ctx, t, a.params.id, a.body, base(a)),
  ),
  scimRoute(
    "PATCH",
    "/scim/v2/Groups/:id",
    "Patch a group (members add/remove/replace, displayName)",
    { params: IdParam, body: Body, response: Resource },
    (a, t) => patchGroupScim(a.ctx, t, a.params.id, a.body, base(a)),
  ),
  scimRoute(
    "DELETE",
    "/scim/v2/Groups/:id",
    "Delete a group (memberships end; history stays)",
    { params: IdParam, response: Empty },
    async (a, t) => {
      await deleteGroupScim(a.ctx, t, a.params.id);
      return undefined;
    },
  ),
];

// --- the tenant's administrators manage the tokens (the API's own error shape, not SCIM's) ------

const TokenView = Type.Object({
  id: Type.String(),
  label: Type.String(),
  status: Type.Union([Type.Literal("active"), Type.Literal("expired"), Type.Literal("revoked")]),
  createdAt: DateTime,
  createdBy: Type.String({ description: '"operator" (CLI) or the administrator\'s email' }),
  expiresAt: Type.Union([DateTime, Type.Null()], { description: "null: never expires" }),
  lastUsedAt: Type.Union([DateTime, Type.Null()], {
    description: "when the token last authenticated (kept to the minute)",
  }),
  revokedAt: NullableDateTime,
  revokedBy: Type.Union([Type.String(), Type.Null()]),
});

const presentToken = (t: ScimTokenView): Static<typeof TokenView> => ({
  id: t.id,
  label: t.label,
  status: t.status,
  createdAt: iso(t.createdAt),
  createdBy: t.createdBy,
  expiresAt: isoOrNull(t.expiresAt),
  lastUsedAt: isoOrNull(t.lastUsedAt),
  revokedAt: isoOrNull(t.revokedAt),
  revokedBy: t.revokedBy,
});

function ttlMsOrThrow(ttl: string): number {
  try {
    return parseDuration(ttl);
  } catch {
    throw validationError(`ttl: "${ttl}" is not a duration like 90d, 12h or 30m`, { field: "ttl" });
  }
}

const scimTokenRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/scim/tokens",
    summary: "The tenant's SCIM tokens: label, creator, expiry, last use, state; never a secret",
    tags: ["scim"],
    access: adminRoles.either,
    schema: { response: Type.Object({ tokens: Type.Array(TokenView) }) },
    handler: async ({ ctx, user }) => ({
      tokens: (await listScimTokensOf(ctx, user.tenantId)).map(presentToken),
    }),
  }),
  defineRoute({
    method: "POST",
    url: "/api/scim/tokens",
    summary:
      "Create a SCIM bearer token for an identity provider, optionally expiring; the secret is shown only now",
    tags: ["scim"],
    access: adminRoles.either,
    status: 201,
    schema: {
      body: Type.Object(
        {
          label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          ttl: Type.Optional(
            Type.String({ maxLength: 20, description: "lifetime like 90d, 12h, 30m; omit for never" }),
          ),
          expiresAt: Type.Optional(Type.String({ format: "date-time", description: "instead of ttl" })),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        ...TokenView.properties,
        token: Type.String({ description: "the bearer secret; stored hashed, never shown again" }),
        baseUrl: Type.String({ description: "the SCIM base URL for the identity provider" }),
      }),
    },
    handler: async ({ deps, ctx, user, body }) => {
      const created = await createScimToken(ctx, user.tenantId, {
        ...(body.label === undefined ? {} : { label: body.label }),
        ...(body.ttl === undefined ? {} : { ttlMs: ttlMsOrThrow(body.ttl) }),
        ...(body.expiresAt === undefined ? {} : { expiresAt: new Date(body.expiresAt) }),
        createdBy: user.email,
      });
      return { ...presentToken(created), token: created.token, baseUrl: `${deps.config.publicUrl}/scim/v2` };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/scim/tokens/:id/revoke",
    summary: "Revoke a SCIM token at once: every SCIM request with it is refused with 401",
    tags: ["scim"],
    access: adminRoles.either,
    schema: {
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: TokenView,
    },
    handler: async ({ ctx, user, params }) =>
      presentToken(await revokeScimTokenOf(ctx, user.tenantId, params.id, user.email)),
  }),
];

/** SCIM 2.0 for identity providers, and its token management for administrators. */
export const scimRoutes = [...scimProtocolRoutes, ...scimTokenRoutes];

/** SCIM clients send `application/scim+json`; parse it as JSON. */
export function registerScimContentType(app: FastifyInstance): void {
  app.addContentTypeParser(scimContentType, { parseAs: "string" }, (_request, body, done) => {
    try {
      // Some identity providers send the content type on DELETE with no body.
      done(null, body === "" ? undefined : JSON.parse(body as string));
    } catch (error) {
      (error as { statusCode?: number }).statusCode = 400;
      done(error as Error, undefined);
    }
  });
}
