import type { FastifyReply, FastifyRequest } from "fastify";
import { KithError, insufficientPrivileges, notAuthenticated } from "../domain/errors";
import { findUserForClaims, loadSignedInUser, resolveSession, secretsEqual } from "../services/auth.service";
import { scimTokenPrefix, tenantOfScimToken } from "../services/scim.service";
import { getTenantOrThrow } from "../services/tenant.service";
import { clearSessionCookies, csrfHeader, sessionCookie } from "./cookies";
import type { Access, ApiDeps, Principal } from "./route";

export const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Who is calling. The Authorization header, when sent, is the credential and the session cookie is
 * not read at all (an API client's bearer wins over whatever cookie the same client carries). A
 * bearer token is tried as the operator token, then (when OpenID Connect is configured and it looks
 * like a JWT) as a provider access token, then as a session token; a bearer that matches nothing is
 * refused outright rather than falling back to a cookie. A cookie that names no live session
 * (expired, signed out, unknown) is refused, and the reply tells the browser to drop it, so the next
 * request arrives signed out instead of failing again. Public routes do not call this (app.ts).
 */
export async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ApiDeps,
): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw notAuthenticated("the Authorization header must be 'Bearer <token>'");
    const token = match[1];
    if (deps.config.operatorToken && secretsEqual(token, deps.config.operatorToken))
      return { kind: "operator" };
    // The metrics scraper's secret identifies nobody: /metrics checks it itself (ops.routes.ts).
    if (deps.config.metricsToken && secretsEqual(token, deps.config.metricsToken)) return null;
    if (token.startsWith(scimTokenPrefix)) {
      const tenantId = await tenantOfScimToken(deps.ctx, token);
      if (!tenantId) throw notAuthenticated("the SCIM token is not valid, has expired or was revoked");
      return { kind: "scim", tenantId };
    }
    if (deps.oidc && deps.config.oidc && jwtShape.test(token)) {
      const claims = await deps.oidc.verifyBearer(token);
      const tenant = await getTenantOrThrow(deps.ctx, deps.config.oidc.tenant);
      const user = await findUserForClaims(deps.ctx, tenant.id, claims);
      if (typeof claims.exp === "number") request.sessionExpiresAt = new Date(claims.exp * 1000);
      return {
        kind: "user",
        user: await loadSignedInUser(deps.ctx, tenant.id, user),
        via: "bearer",
        csrfToken: null,
        sessionToken: null,
      };
    }
    const session = await sessionFor(request, deps, token);
    if (!session) throw notAuthenticated("the bearer token is not valid or has expired");
    request.sessionExpiresAt = session.expiresAt;
    return { kind: "user", user: session.user, via: "bearer", csrfToken: null, sessionToken: token };
  }
  const cookie = request.cookies[sessionCookie];
  if (cookie) {
    const session = await sessionFor(request, deps, cookie);
    if (!session) {
      clearSessionCookies(reply, deps.config);
      throw notAuthenticated("your session has expired or was signed out; sign in again");
    }
    request.sessionExpiresAt = session.expiresAt;
    return {
      kind: "user",
      user: session.user,
      via: "session",
      csrfToken: session.csrfToken,
      sessionToken: cookie,
    };
  }
  return null;
}

/** Read requests may use the short-lived session cache; state changes always read the store. */
function sessionFor(request: FastifyRequest, deps: ApiDeps, token: string) {
  return unsafeMethods.has(request.method)
    ? resolveSession(deps.ctx, token)
    : deps.readCache.session(deps.ctx, token, request);
}

/**
 * Enforces a route's access rule: 401 without credentials, 403 for the wrong kind of caller or
 * role, 403 for a cookie-authenticated state change without the session's CSRF token. Runs before
 * body validation, so an unauthenticated caller learns nothing about the route's input.
 */
export function authorize(access: Access, principal: Principal | null, request: FastifyRequest): void {
  if (access === "public") return;
  if (!principal) throw notAuthenticated();
  if (access === "operator") {
    if (principal.kind !== "operator")
      throw insufficientPrivileges("only the deployment operator may do this");
    return;
  }
  if (access === "scim") {
    if (principal.kind !== "scim") throw insufficientPrivileges("SCIM needs the tenant's SCIM token");
    return;
  }
  if (principal.kind === "scim")
    throw insufficientPrivileges("a SCIM token only provisions users and groups");
  if (principal.kind !== "user")
    throw insufficientPrivileges("the operator token cannot act inside a tenant; sign in as a user");
  if (principal.via === "session" && unsafeMethods.has(request.method)) {
    const sent = request.headers[csrfHeader];
    if (typeof sent !== "string" || !principal.csrfToken || !secretsEqual(sent, principal.csrfToken)) {
      throw new KithError(
        "insufficient_privileges",
        `missing or wrong ${csrfHeader} header; read it from GET /api/session or the kith_csrf cookie`,
        { reason: "csrf" },
      );
    }
  }
  if (access !== "user" && !access.anyRole.some((r) => principal.user.roles.includes(r))) {
    throw insufficientPrivileges(`this needs one of the roles: ${access.anyRole.join(", ")}`, {
      required: access.anyRole,
    });
  }
}
