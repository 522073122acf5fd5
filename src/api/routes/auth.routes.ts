import { Type } from "@sinclair/typebox";
import { KithError, isKithError, notAuthenticated } from "../../domain/errors";
import {
  endSession,
  exchangeLoginLink,
  findUserForClaims,
  loginLinksForAddress,
  rememberOidcRequest,
  startSession,
  takeBackOidcRequest,
} from "../../services/auth.service";
import { getTenantOrThrow } from "../../services/tenant.service";
import { clearSessionCookies, safeReturnPath, sessionCookie, setSessionCookies } from "../cookies";
import { mailerFor } from "../../services/mailer";
import { RateLimiter } from "../rate-limit";
import { defineRoute, type ApiDeps } from "../route";

const oidcRequestTtlMs = 10 * 60_000;

function requireOidc(deps: ApiDeps) {
  if (!deps.oidc || !deps.config.oidc)
    throw new KithError("not_found", "OpenID Connect sign-in is not configured on this server");
  return { client: deps.oidc, config: deps.config.oidc };
}

const Redirect = Type.Null({ description: "303 redirect" });

/** Emailed sign-in links per address: a few per quarter hour, so the form cannot flood a mailbox. */
export const linkMailsPerAddress = 3;
const linkMailWindowMs = 15 * 60_000;
const addressLimiters = new WeakMap<ApiDeps, RateLimiter<"address">>();
function addressLimiter(deps: ApiDeps): RateLimiter<"address"> {
  let limiter = addressLimiters.get(deps);
  if (!limiter) {
    limiter = new RateLimiter(
      { address: linkMailsPerAddress },
      () => deps.ctx.now().getTime(),
      linkMailWindowMs,
    );
    addressLimiters.set(deps, limiter);
  }
  return limiter;
}

/** Why a sign-in link was refused, in the words of the web app's sign-in page (`/app/signin?link=…`). */
function linkProblem(message: string): "used" | "expired" | "invalid" {
  if (/already used/.test(message)) return "used";
  if (/expired/.test(message)) return "expired";
  return "invalid";
}
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
    handler: async ({ deps, ctx, query, request, reply }) => {
      let session;
      try {
        session = await exchangeLoginLink(ctx, query.token, deps.config.sessionTtlMs);
      } catch (error) {
        // A person who followed a link lands on a page that says what happened and offers a new
        // link; an API client keeps the JSON error.
        const browser = /text\/html/.test(request.headers.accept ?? "");
        if (browser && isKithError(error) && error.code === "not_authenticated")
          return reply.redirect(`/app/signin?link=${linkProblem(error.message)}`, 303);
        throw error;
      }
      setSessionCookies(reply, deps.config, session);
      return reply.redirect(safeReturnPath(query.returnTo, deps.config.publicUrl), 303);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/auth/link/request",
    summary:
      "Email me a sign-in link: sends a one-time link to the address when it belongs to a user (one per tenant), and answers the same whether or not it does",
    tags: ["sign-in"],
    access: "public",
    schema: {
      body: Type.Object(
        { email: Type.String({ minLength: 3, maxLength: 320 }), returnTo: ReturnTo },
        { additionalProperties: false },
      ),
      response: Type.Object({
        ok: Type.Literal(true),
        sent: Type.Boolean({
          description:
            "false only when this server cannot send email (no SMTP configured): a property of the server, never of the address",
        }),
        message: Type.String(),
      }),
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- the mail goes out after the answer, on purpose
    handler: async ({ deps, ctx, body, request }) => {
      const mailer = mailerFor(deps.config);
      if (!mailer)
        return {
          ok: true as const,
          sent: false,
          message:
            "This server cannot send email. Ask your administrator for a sign-in link (kith login-link).",
        };
      const email = body.email.trim().toLowerCase();
      const minutes = Math.round(deps.config.loginLinkTtlMs / 60_000);
      const answer = {
        ok: true as const,
        sent: true,
        message: `If ${email} belongs to a Kith user, a sign-in link is on its way. It works once, within ${minutes} minutes.`,
      };
      // Over the budget for this address: the same answer, and nothing sent.
      if (addressLimiter(deps).hit("address", email) !== null) return answer;
      // Looked up and sent after answering, so neither the answer nor its timing depends on the address.
      const returnTo = body.returnTo ? `&returnTo=${encodeURIComponent(body.returnTo)}` : "";
      const send = async () => {
        for (const link of await loginLinksForAddress(ctx, email, deps.config.loginLinkTtlMs)) {
          const url = `${deps.config.publicUrl}/auth/link?token=${encodeURIComponent(link.token)}${returnTo}`;
          await mailer.send({
            to: link.email,
            subject: `Your Kith sign-in link (${link.tenantName})`,
            text: [
              `Open this link to sign in to Kith (${link.tenantName}) as ${link.email}:`,
              "",
              url,
              "",
              `It works once, until ${link.expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC.`,
              "If you did not ask for it, ignore this email: nobody can sign in without opening the link.",
            ].join("\n"),
          });
        }
      };
      send().catch((error: unknown) => request.log.error({ err: error }, "sending a sign-in link failed"));
      return answer;
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
