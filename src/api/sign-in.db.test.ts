/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are JSON checked by value with expect() */
/**
 * Sign-in by link, logout and stale session cookies over HTTP, on both engines: where a sign-in may
 * send the browser (no open redirect), which credential a logout ends, and that a cookie naming no
 * live session never locks anyone out.
 */
import type { LightMyRequestResponse } from "fastify";
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { createLoginLink } from "../services/auth.service";
import { createTenantFixture, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";
import { returnPathCases } from "./return-path.fixture";

// Every case signs in by link; the per-address sign-in budget is not what these cases test.
const config = testConfig({ KITH_RATE_LIMIT_SIGNIN: "100000" });

function cookieOf(res: LightMyRequestResponse, name: string) {
  return res.cookies.find((c) => c.name === name);
}

/** The response tells the browser to drop both session cookies. */
function expectCookiesCleared(res: LightMyRequestResponse): void {
  for (const name of ["kith_session", "kith_csrf"]) {
    const cookie = cookieOf(res, name);
    expect(cookie, `${name} cleared`).toBeDefined();
    expect(cookie?.value).toBe("");
    expect(cookie?.expires?.getTime()).toBeLessThanOrEqual(0);
    expect(cookie?.path).toBe("/");
  }
}

describeEachEngine("sign-in, logout and stale cookies over HTTP", (h) => {
  let app: App;
  const start = new Date("2026-06-01T09:00:00Z");

  beforeAll(async () => {
    h.setNow(start);
    await createTenantFixture(h.ctx(), "alpha");
    app = await buildApp({ ctx: h.ctx(), config });
  });

  const linkFor = async (email = "seller@alpha.example") =>
    (await createLoginLink(h.ctx(), "alpha", email, 15 * 60_000)).token;

  /** Signs in through a link as a browser would; returns the session cookie and its CSRF token. */
  const signIn = async (email = "seller@alpha.example") => {
    const res = await app.inject({
      method: "GET",
      url: `/auth/link?token=${encodeURIComponent(await linkFor(email))}`,
    });
    expect(res.statusCode).toBe(303);
    return { token: cookieOf(res, "kith_session")!.value, csrf: cookieOf(res, "kith_csrf")!.value };
  };

  const sessionBy = {
    bearer: (token: string) =>
      app.inject({ method: "GET", url: "/api/session", headers: { authorization: `Bearer ${token}` } }),
    cookie: (token: string) =>
      app.inject({ method: "GET", url: "/api/session", cookies: { kith_session: token } }),
  };

  it.each(returnPathCases(config.publicUrl))(
    "/auth/link redirects only inside the origin: $name",
    async ({ returnTo, location }) => {
      const query = new URLSearchParams({ token: await linkFor() });
      if (returnTo !== undefined) query.set("returnTo", returnTo);
      const res = await app.inject({ method: "GET", url: `/auth/link?${query.toString()}` });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(location);
      expect(cookieOf(res, "kith_session")?.value).toBeTruthy();
    },
  );

  it("answers the reported request `returnTo=%2F%09%2Fevil.com` with Location /", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/auth/link?token=${encodeURIComponent(await linkFor())}&returnTo=%2F%09%2Fevil.com`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/");
  });

  it("logout with a bearer session token revokes that token, even one a read had cached", async () => {
    const b = await signIn();
    expect((await sessionBy.bearer(b.token)).statusCode).toBe(200);
    const out = await app.inject({
      method: "POST",
      url: "/auth/logout",
      headers: { authorization: `Bearer ${b.token}` },
    });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toMatchObject({ ok: true, revoked: true });
    expect(cookieOf(out, "kith_session")).toBeUndefined();
    expect((await sessionBy.bearer(b.token)).statusCode).toBe(401);
    const change = await app.inject({
      method: "PUT",
      url: "/api/me/privacy/introducer",
      headers: { authorization: `Bearer ${b.token}` },
      payload: { hidden: true },
    });
    expect(change.statusCode).toBe(401);
  });

  it("logout with a bearer B and a cookie A ends B only: the bearer is the authenticating credential", async () => {
    const a = await signIn();
    const b = await signIn("admin@alpha.example");
    const out = await app.inject({
      method: "POST",
      url: "/auth/logout",
      headers: { authorization: `Bearer ${b.token}` },
      cookies: { kith_session: a.token },
    });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toMatchObject({ revoked: true });
    expect(cookieOf(out, "kith_session")).toBeUndefined();
    expect((await sessionBy.bearer(b.token)).statusCode).toBe(401);
    const stillA = await sessionBy.cookie(a.token);
    expect(stillA.statusCode).toBe(200);
    expect(stillA.json()).toMatchObject({ user: { email: "seller@alpha.example" }, via: "session" });
  });

  it("logout with the cookie ends that session and clears the cookies; a bearer of the same session clears them too", async () => {
    const a = await signIn();
    const out = await app.inject({
      method: "POST",
      url: "/auth/logout",
      cookies: { kith_session: a.token },
      headers: { "x-csrf-token": a.csrf },
    });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toMatchObject({ ok: true, revoked: true });
    expectCookiesCleared(out);
    expect((await sessionBy.cookie(a.token)).statusCode).toBe(401);

    const c = await signIn();
    const both = await app.inject({
      method: "POST",
      url: "/auth/logout",
      headers: { authorization: `Bearer ${c.token}` },
      cookies: { kith_session: c.token },
    });
    expect(both.statusCode).toBe(200);
    expectCookiesCleared(both);
    expect((await sessionBy.cookie(c.token)).statusCode).toBe(401);
  });

  it("logout with the cookie still needs the CSRF token, and ends nothing without it", async () => {
    const a = await signIn();
    const out = await app.inject({ method: "POST", url: "/auth/logout", cookies: { kith_session: a.token } });
    expect(out.statusCode).toBe(403);
    expect((await sessionBy.cookie(a.token)).statusCode).toBe(200);
  });

  const staleCookies: [string, () => Promise<string>][] = [
    [
      "signed out",
      async () => {
        const a = await signIn();
        await app.inject({
          method: "POST",
          url: "/auth/logout",
          cookies: { kith_session: a.token },
          headers: { "x-csrf-token": a.csrf },
        });
        return a.token;
      },
    ],
    ["unknown", () => Promise.resolve(`${"0".repeat(8)}-0000-0000-0000-000000000000.bm9zdWNoc2Vzc2lvbg`)],
    ["malformed", () => Promise.resolve("not-a-session")],
  ];

  it.each(staleCookies)(
    "a %s session cookie fails no public route, and sign-in replaces it",
    async (_kind, staleToken) => {
      const stale = await staleToken();
      const cookies = { kith_session: stale, kith_csrf: "old" };
      const link = await app.inject({
        method: "GET",
        url: `/auth/link?token=${encodeURIComponent(await linkFor())}`,
        cookies,
      });
      expect(link.statusCode).toBe(303);
      const fresh = cookieOf(link, "kith_session")?.value;
      expect(fresh).toBeTruthy();
      expect(fresh).not.toBe(stale);
      expect((await sessionBy.cookie(fresh!)).statusCode).toBe(200);
      // Each answers as it does without any cookie (the web app's files: 200 once built, 503 in a
      // bare checkout; `/auth/oidc/login`: 404, OpenID Connect is not configured here).
      for (const request of [
        { method: "GET", url: "/healthz" },
        { method: "GET", url: "/readyz" },
        { method: "GET", url: "/" },
        { method: "GET", url: "/app" },
        { method: "GET", url: "/app/accounts" },
        { method: "GET", url: "/openapi.json" },
        { method: "GET", url: "/auth/oidc/login" },
        { method: "POST", url: "/api/partner/review/lookup", payload: { token: "nope.nope" } },
      ] as const) {
        const anonymous = await app.inject(request);
        const withStale = await app.inject({ ...request, cookies });
        expect(withStale.statusCode, request.url).toBe(anonymous.statusCode);
        expect(withStale.statusCode, request.url).not.toBe(401);
      }
    },
  );

  it.each(staleCookies)(
    "a %s session cookie on a signed-in route answers 401 and clears the cookies",
    async (_kind, staleToken) => {
      const cookies = { kith_session: await staleToken(), kith_csrf: "old" };
      const read = await app.inject({ method: "GET", url: "/api/session", cookies });
      expect(read.statusCode).toBe(401);
      expect(read.json().error.code).toBe("not_authenticated");
      expectCookiesCleared(read);
      const logout = await app.inject({
        method: "POST",
        url: "/auth/logout",
        cookies,
        headers: { "x-csrf-token": "old" },
      });
      expect(logout.statusCode).toBe(401);
      expectCookiesCleared(logout);
    },
  );

  it("an expired session cookie: public routes still answer, signed-in routes clear it", async () => {
    const a = await signIn();
    h.setNow(new Date(start.getTime() + config.sessionTtlMs + 60_000));
    try {
      const cookies = { kith_session: a.token };
      expect((await app.inject({ method: "GET", url: "/healthz", cookies })).statusCode).toBe(200);
      const link = await app.inject({
        method: "GET",
        url: `/auth/link?token=${encodeURIComponent(await linkFor())}`,
        cookies,
      });
      expect(link.statusCode).toBe(303);
      const read = await app.inject({ method: "GET", url: "/api/session", cookies });
      expect(read.statusCode).toBe(401);
      expectCookiesCleared(read);
    } finally {
      h.setNow(start);
    }
  });

  it("a valid bearer is not refused for a stale cookie beside it", async () => {
    const b = await signIn();
    const res = await app.inject({
      method: "GET",
      url: "/api/session",
      headers: { authorization: `Bearer ${b.token}` },
      cookies: { kith_session: "not-a-session" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ via: "bearer" });
  });
});
