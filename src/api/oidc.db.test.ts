/**
 * OpenID Connect against a real provider process on loopback: the `oidc-provider` package (a
 * certified OpenID Provider) configured here, not a mock of Kith's code. Kith listens on a real
 * port; the test plays the browser (redirects followed by hand, cookies in a jar).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { createOidcClient } from "../auth/oidc";
import type { ServiceContext } from "../services/context";
import type { Store } from "../store/store";
import { createTenantFixture, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";
import { returnPathCases } from "./return-path.fixture";

const resource = "urn:kith:api";
const accounts: Record<string, { email?: string }> = {
  // Found by email.
  "idp-user-1": { email: "seller@alpha.example" },
  // No email claim: found by sub as the directory user's external id.
  "alpha-seller-ext": {},
  // Unknown to the directory.
  "stranger-1": { email: "stranger@elsewhere.example" },
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A browser: follows redirects by hand, keeps cookies (both servers are on 127.0.0.1). */
class Browser {
  readonly jar = new Map<string, string>();
  async get(url: string, stopAt?: (url: string) => boolean): Promise<{ url: string; response: Response }> {
    let current = url;
    for (let hop = 0; hop < 20; hop++) {
      const response = await fetch(current, {
        redirect: "manual",
        headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ") },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ""] = line.split(";");
        const eq = pair.indexOf("=");
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.jar.delete(name);
        else this.jar.set(name, value);
      }
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      const next = new URL(location, current).href;
      if (stopAt?.(next)) return { url: next, response };
      current = next;
    }
    throw new Error("too many redirects");
  }
}

/** Each engine gets its own provider and Kith server on ports of their own. */
describeEachEngine("OpenID Connect", (h) => {
  let loginAs = "idp-user-1";

  let store: Store;
  let ctx: ServiceContext;
  let app: App;
  let provider: Provider;
  let providerServer: Server;
  let issuer: string;
  let kithUrl: string;

  beforeAll(async () => {
    store = h.store();
    ctx = h.ctx();
    await createTenantFixture(ctx, "alpha");

    const kithPort = await freePort();
    kithUrl = `http://127.0.0.1:${kithPort}`;
    const providerPort = await freePort();
    issuer = `http://127.0.0.1:${providerPort}`;
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: "kith",
          client_secret: "kith-test-secret",
          redirect_uris: [`${kithUrl}/auth/oidc/callback`],
          grant_types: ["authorization_code"],
          response_types: ["code"],
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: ["test-cookie-key"] },
      claims: { openid: ["sub"], email: ["email", "email_verified"] },
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      findAccount: (_ctx, id) => ({
        accountId: id,
        claims: () => ({
          sub: id,
          ...(accounts[id]?.email ? { email: accounts[id].email, email_verified: true } : {}),
        }),
      }),
      extraTokenClaims: (_ctx, token) => {
        const email = accounts[(token as { accountId?: string }).accountId ?? ""]?.email;
        return email ? { email } : undefined;
      },
      features: {
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => resource,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: "openid email",
            audience: resource,
            accessTokenFormat: "jwt",
          }),
        },
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      // First-party client: consent is implied, so the only interaction is the login below.
      loadExistingGrant: async (octx) => {
        const accountId = octx.oidc.session?.accountId;
        const clientId = octx.oidc.client?.clientId;
        if (!accountId || !clientId) return undefined;
        const grant = new octx.oidc.provider.Grant({ accountId, clientId });
        grant.addOIDCScope("openid email profile");
        grant.addResourceScope(resource, "openid email");
        await grant.save();
        return grant;
      },
    });
    const callback = provider.callback();
    providerServer = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith("/interaction/")) {
        // The user "types their password": finish the login interaction as `loginAs`.
        void provider
          .interactionFinished(
            req,
            res,
            { login: { accountId: loginAs } },
            { mergeWithLastSubmission: false },
          )
          .catch((error: unknown) => {
            res.statusCode = 500;
            res.end(String(error));
          });
        return;
      }
      void callback(req, res);
    });
    await new Promise<void>((resolve) => providerServer.listen(providerPort, "127.0.0.1", resolve));

    const config = testConfig({
      KITH_PUBLIC_URL: kithUrl,
      KITH_OIDC_ISSUER: issuer,
      KITH_OIDC_CLIENT_ID: "kith",
      KITH_OIDC_CLIENT_SECRET: "kith-test-secret",
      KITH_OIDC_TENANT: "alpha",
      KITH_OIDC_AUDIENCE: resource,
      // Every returnTo case signs in again; the per-address sign-in budget is not under test here.
      KITH_RATE_LIMIT_SIGNIN: "100000",
    });
    app = await buildApp({ ctx, config, auth: { oidc: await createOidcClient(config.oidc!) } });
    await app.listen({ host: "127.0.0.1", port: kithPort });
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => providerServer?.close(resolve));
  });

  describe("OpenID Connect sign-in against a real provider", () => {
    it("signs a browser in with authorization code + PKCE and maps the email to a directory user", async () => {
      loginAs = "idp-user-1";
      const browser = new Browser();
      const first = await fetch(`${kithUrl}/auth/oidc/login?returnTo=/api/tenant`, { redirect: "manual" });
      expect(first.status).toBe(303);
      const authorize = new URL(first.headers.get("location")!);
      expect(authorize.origin).toBe(issuer);
      expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
      expect(authorize.searchParams.get("code_challenge")).toBeTruthy();
      const { url, response } = await browser.get(authorize.href);
      expect(response.status, await response.clone().text()).toBe(200);
      expect(new URL(url).pathname).toBe("/api/tenant");
      expect(await response.json()).toMatchObject({ slug: "alpha" });
      expect(browser.jar.has("kith_session")).toBe(true);
      const session = await fetch(`${kithUrl}/api/session`, {
        headers: { cookie: `kith_session=${browser.jar.get("kith_session")}` },
      });
      expect(await session.json()).toMatchObject({
        user: { email: "seller@alpha.example", roles: ["Salesperson"] },
        via: "session",
      });
    });

    it("maps sub to the user's external id when the provider sends no email", async () => {
      loginAs = "alpha-seller-ext";
      const browser = new Browser();
      const { response } = await browser.get(`${kithUrl}/auth/oidc/login?returnTo=/api/session`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ user: { email: "seller@alpha.example" } });
    });

    it("refuses an identity that is not in the tenant's directory, and a replayed callback", async () => {
      loginAs = "stranger-1";
      const browser = new Browser();
      const { response } = await browser.get(`${kithUrl}/auth/oidc/login`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "not_authenticated" } });
      loginAs = "idp-user-1";
      const again = new Browser();
      const { url } = await again.get(`${kithUrl}/auth/oidc/login`, (next) =>
        next.startsWith(`${kithUrl}/auth/oidc/callback`),
      );
      const ok = await fetch(url, { redirect: "manual" });
      expect(ok.status).toBe(303);
      const replay = await fetch(url, { redirect: "manual" });
      expect(replay.status).toBe(401);
    });

    it("accepts the provider's JWT access token as a bearer and rejects a forged or foreign one", async () => {
      const accessToken = await providerAccessToken();
      const asBearer = (token: string) =>
        fetch(`${kithUrl}/api/session`, { headers: { authorization: `Bearer ${token}` } });
      const ok = await asBearer(accessToken);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ user: { email: "seller@alpha.example" }, via: "bearer" });

      const [h, p] = accessToken.split(".");
      const forgedPayload = Buffer.from(
        JSON.stringify({
          ...JSON.parse(Buffer.from(p!, "base64url").toString()),
          email: "admin@alpha.example",
        }),
      ).toString("base64url");
      const forged = await asBearer(`${h}.${forgedPayload}.${accessToken.split(".")[2]}`);
      expect(forged.status).toBe(401);
      const { privateKey } = await generateKeyPair("RS256");
      const { SignJWT } = await import("jose");
      const foreign = await new SignJWT({ email: "admin@alpha.example" })
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setIssuer(issuer)
        .setAudience(resource)
        .setSubject("x")
        .setExpirationTime("5m")
        .sign(privateKey);
      expect((await asBearer(foreign)).status).toBe(401);
    });

    it("logout with the provider's access token says it cannot be revoked, and ends no cookie session", async () => {
      loginAs = "idp-user-1";
      const browser = new Browser();
      await browser.get(`${kithUrl}/auth/oidc/login?returnTo=/api/session`);
      const cookieSession = browser.jar.get("kith_session")!;
      const accessToken = await providerAccessToken();
      const out = await fetch(`${kithUrl}/auth/logout`, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, cookie: `kith_session=${cookieSession}` },
      });
      expect(out.status).toBe(200);
      expect(out.headers.getSetCookie()).toEqual([]);
      const answer = (await out.json()) as { ok: boolean; revoked: boolean; message: string };
      expect(answer).toMatchObject({ ok: true, revoked: false });
      expect(answer.message).toMatch(
        /cannot be revoked by Kith.*until it expires \(\d{4}-.*identity provider/,
      );
      // Documented: the token stays valid until it expires, and the cookie's session was not touched.
      const asBearer = await fetch(`${kithUrl}/api/session`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(asBearer.status).toBe(200);
      const session = (await asBearer.json()) as { via: string; expiresAt?: string };
      expect(session.via).toBe("bearer");
      expect(session.expiresAt).toMatch(/^\d{4}-/);
      const asCookie = await fetch(`${kithUrl}/api/session`, {
        headers: { cookie: `kith_session=${cookieSession}` },
      });
      expect(asCookie.status).toBe(200);
    });

    // The cases name this server's origin, known only once it listens: they are looked up by name.
    it.each(returnPathCases("http://127.0.0.1:1").map((c) => c.name))(
      "keeps the stored returnTo inside the origin: %s",
      async (name) => {
        const { returnTo: value, location } = returnPathCases(kithUrl).find((c) => c.name === name)!;
        loginAs = "idp-user-1";
        const browser = new Browser();
        const login = new URL(`${kithUrl}/auth/oidc/login`);
        if (value !== undefined) login.searchParams.set("returnTo", value);
        const first = await fetch(login, { redirect: "manual" });
        expect(first.status).toBe(303);
        const state = new URL(first.headers.get("location")!).searchParams.get("state")!;
        const stored = await inspect(() =>
          store.db
            .selectFrom("oidc_request")
            .select("return_to")
            .where("state", "=", state)
            .executeTakeFirstOrThrow(),
        );
        expect(stored.return_to).toBe(location);
        const { url } = await browser.get(first.headers.get("location")!, (next) =>
          next.startsWith(`${kithUrl}/auth/oidc/callback`),
        );
        const callback = await fetch(url, { redirect: "manual" });
        expect(callback.status).toBe(303);
        expect(callback.headers.get("location")).toBe(location);
      },
    );
  });

  /** An access token (a JWT) from the provider for `loginAs`, as an API client obtains one. */
  async function providerAccessToken(): Promise<string> {
    loginAs = "idp-user-1";
    const browser = new Browser();
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const redirectUri = `${kithUrl}/auth/oidc/callback`;
    const authorize = new URL(`${issuer}/auth`);
    for (const [k, v] of Object.entries({
      client_id: "kith",
      response_type: "code",
      redirect_uri: redirectUri,
      scope: "openid email",
      state: "s1",
      code_challenge: challenge,
      code_challenge_method: "S256",
      resource,
    }))
      authorize.searchParams.set(k, v);
    const { url } = await browser.get(authorize.href, (next) => next.startsWith(redirectUri));
    const code = new URL(url).searchParams.get("code");
    expect(code).toBeTruthy();
    const tokenResponse = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("kith:kith-test-secret").toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code!,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        resource,
      }),
    });
    const tokens = (await tokenResponse.json()) as { access_token: string };
    expect(tokens.access_token.split(".")).toHaveLength(3);
    return tokens.access_token;
  }
});
