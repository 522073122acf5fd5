import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isKithError } from "../domain/errors";
import {
  createGroupScim,
  createUserScim,
  deleteGroupScim,
  deleteUserScim,
  getGroupScim,
  getUserScim,
  listGroupsScim,
  listUsersScim,
  patchGroupScim,
  patchUserScim,
  replaceGroupScim,
  replaceUserScim,
  ScimError,
  scimSchemas,
} from "../services/scim.service";
import { defineRoute, type ApiDeps, type HandlerArgs, type RouteSchema } from "./route";

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

export const scimRoutes = [
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
