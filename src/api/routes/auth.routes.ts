import { Type } from "@sinclair/typebox";
import { KithError, notAuthenticated } from "../../domain/errors";
import {
  endSession,
  exchangeLoginLink,
  findUserForClaims,
  rememberOidcRequest,
  startSession,
  takeBackOidcRequest,
} from "../../services/auth.service";
import { getTenantOrThrow } from "../../services/tenant.service";
import { clearSessionCookies, safeReturnPath, sessionCookie, setSessionCookies } from "../cookies";
import { defineRoute, type ApiDeps } from "../route";

const oidcRequestTtlMs = 10 * 60_000;

function requireOidc(deps: ApiDeps) {
  if (!deps.oidc || !deps.config.oidc)
    throw new KithError("not_found", "OpenID Connect sign-in is not configured on this server");
  return { client: deps.oidc, config: deps.config.oidc };
}

const Redirect = Type.Null({ description: "303 redirect" });
const ReturnTo = Type.Optional(
  Type.String({
    description:
      "where to land after signing in: a path or an absolute URL of this server's origin (sent on as its path); anything else lands on /",
  }),
);

const LogoutView = Type.Object({
  ok: Type.Literal(true),
  revoked: Type.Boolean({
    description:
      "true: the session is ended and its token refused from now on; false: the credential was an OpenID Connect access token, which only the identity provider can revoke",
  }),
  message: Type.String(),
});

export const authRoutes = [
  defineRoute({
    method: "GET",
    url: "/auth/link",
    summary: "Exchange a one-time sign-in link for a session cookie, then redirect home",
    tags: ["sign-in"],
    access: "public",
    schema: {
      querystring: Type.Object({
        token: Type.String({ minLength: 1 }),
        returnTo: ReturnTo,
      }),
      response: Redirect,
    },
    handler: async ({ deps, ctx, query, reply }) => {
      const session = await exchangeLoginLink(ctx, query.token, deps.config.sessionTtlMs);
      setSessionCookies(reply, deps.config, session);
      return reply.redirect(safeReturnPath(query.returnTo, deps.config.publicUrl), 303);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/auth/oidc/login",
    summary: "Start OpenID Connect sign-in (authorization code with PKCE)",
    tags: ["sign-in"],
    access: "public",
    schema: { querystring: Type.Object({ returnTo: ReturnTo }), response: Redirect },
    handler: async ({ deps, ctx, query, reply }) => {
      const { client, config } = requireOidc(deps);
      const tenant = await getTenantOrThrow(ctx, config.tenant);
      const request = await client.authorizationUrl(`${deps.config.publicUrl}/auth/oidc/callback`);
      const at = ctx.now();
      await rememberOidcRequest(ctx, {
        tenantId: tenant.id,
        state: request.state,
        codeVerifier: request.codeVerifier,
        nonce: request.nonce,
        returnTo: safeReturnPath(query.returnTo, deps.config.publicUrl),
        expiresAt: new Date(at.getTime() + oidcRequestTtlMs),
      });
      return reply.redirect(request.url.href, 303);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/auth/oidc/callback",
    summary: "OpenID Connect redirect target: exchanges the code, maps the identity to a directory user",
    tags: ["sign-in"],
    access: "public",
    schema: {
      querystring: Type.Object(
        { state: Type.String(), code: Type.Optional(Type.String()), error: Type.Optional(Type.String()) },
        { additionalProperties: true },
      ),
      response: Redirect,
    },
    handler: async ({ deps, ctx, query, request, reply }) => {
      const { client, config } = requireOidc(deps);
      const tenant = await getTenantOrThrow(ctx, config.tenant);
      const pending = await takeBackOidcRequest(ctx, tenant.id, query.state);
      if (!pending) throw notAuthenticated("this sign-in attempt is unknown or expired; start again");
      if (query.error) throw notAuthenticated(`the identity provider refused sign-in: ${query.error}`);
      const claims = await client.finish(new URL(request.url, deps.config.publicUrl), pending);
      const user = await findUserForClaims(ctx, tenant.id, claims);
      const session = await startSession(ctx, tenant.id, user, "oidc", deps.config.sessionTtlMs);
      setSessionCookies(reply, deps.config, session);
      // Checked again on the way out: a row stored by an older version may hold a looser value.
      return reply.redirect(safeReturnPath(pending.returnTo, deps.config.publicUrl), 303);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/auth/logout",
    summary:
      "End the credential that authenticated this request: the bearer session token when an Authorization header is sent, else the session cookie",
    tags: ["sign-in"],
    access: "user",
    schema: { response: LogoutView },
    handler: async ({ deps, ctx, principal, request, reply }) => {
      if (principal?.kind !== "user") throw notAuthenticated();
      const token = principal.sessionToken;
      if (token === null) {
        const until = request.sessionExpiresAt;
        return {
          ok: true as const,
          revoked: false,
          message: `an OpenID Connect access token cannot be revoked by Kith: it stays valid until it expires${until ? ` (${until.toISOString()})` : ""}; revoke it at the identity provider`,
        };
      }
      await endSession(ctx, token);
      deps.readCache.forgetSession(token);
      // The cookie goes when it is what signed out, or when it carries the very session just ended.
      if (principal.via === "session" || request.cookies[sessionCookie] === token)
        clearSessionCookies(reply, deps.config);
      return { ok: true as const, revoked: true, message: "signed out: the session has ended" };
    },
  }),
];
