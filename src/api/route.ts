import type { Static, TSchema } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config/config";
import type { OidcClient } from "../auth/oidc";
import type { ServiceContext } from "../services/context";
import type { SignedInUser } from "../services/auth.service";
import type { JobQueue } from "../jobs/queue";
import type { ReadCache } from "./read-cache";

/**
 * A route is data: method, path, who may call it, schemas, handler. The app registers every entry
 * of the registry (routes/index.ts), the OpenAPI document is generated from the schemas, and the
 * authorization suite iterates the same registry, so a route cannot exist without an access rule.
 */

/**
 * - `public`: anyone (health, sign-in endpoints).
 * - `operator`: the deployment's operator token only; it never acts inside a tenant.
 * - `user`: a signed-in user; the tenant is always the user's own.
 * - `{ anyRole }`: a signed-in user holding one of these roles now.
 * - `scim`: a tenant's SCIM provisioning token (identity providers), nothing else.
 */
export type Access = "public" | "operator" | "user" | "scim" | { anyRole: readonly string[] };

export type Principal =
  | {
      kind: "user";
      user: SignedInUser;
      via: "session" | "bearer";
      csrfToken: string | null;
      /** The Kith session token that authenticated the request; null for an OpenID Connect access token. */
      sessionToken: string | null;
    }
  | { kind: "operator" }
  | { kind: "scim"; tenantId: string };

export interface ApiDeps {
  ctx: ServiceContext;
  config: Readonly<Config>;
  oidc: OidcClient | null;
  /** Enqueues follow-up work (recompute after a configuration change); absent in some tests. */
  jobs: JobQueue | null;
  /** Sessions and viewers for read requests (see read-cache.ts for how fresh they are). */
  readCache: ReadCache;
}

export interface RouteSchema {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  /** The success response. */
  response: TSchema;
  /** Other statuses answered with their own body rather than the error shape (doctor's 503). */
  otherResponses?: Record<number, TSchema>;
}

type StaticOf<T> = T extends TSchema ? Static<T> : undefined;

export interface HandlerArgs<S extends RouteSchema> {
  deps: ApiDeps;
  ctx: ServiceContext;
  principal: Principal | null;
  /** The signed-in user; present on `user` and role routes (reading it elsewhere throws). */
  user: SignedInUser;
  params: StaticOf<S["params"]>;
  query: StaticOf<S["querystring"]>;
  body: StaticOf<S["body"]>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteSpec<S extends RouteSchema = RouteSchema> {
  method: HttpMethod;
  url: string;
  summary: string;
  /** More than the summary says, for the OpenAPI document (the access rule is added after it). */
  description?: string;
  tags: string[];
  access: Access;
  /** Success status; 200 unless stated. */
  status?: 200 | 201;
  schema: S;
  /** Not JSON (HTML, Prometheus text): the response schema documents it but does not serialize it. */
  contentType?: string;
  /** Replaces the shared error handler (SCIM answers errors in its own schema). */
  errorHandler?: (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply;
  /** Returns the payload, or the reply itself after a redirect. */
  handler(args: HandlerArgs<S>): Promise<Static<S["response"]> | FastifyReply>;
}

/** Keeps each route's handler typed by its own schemas while the registry holds them all. */
export function defineRoute<S extends RouteSchema>(spec: RouteSpec<S>): RouteSpec {
  // Handlers are declared with method syntax, so the registry accepts them by bivariance.
  return spec;
}

export const adminRoles = {
  global: { anyRole: ["Global Administrator"] },
  system: { anyRole: ["System Administrator"] },
  either: { anyRole: ["Global Administrator", "System Administrator"] },
} as const satisfies Record<string, Access>;

export function describeAccess(access: Access): string {
  if (access === "public") return "public";
  if (access === "operator") return "operator token";
  if (access === "user") return "any signed-in user of the tenant";
  if (access === "scim") return "the tenant's SCIM bearer token";
  return `roles: ${access.anyRole.join(" or ")}`;
}
