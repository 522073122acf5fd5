/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- response bodies are JSON checked by value with expect() */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { createLoginLink } from "../services/auth.service";
import type { ServiceContext } from "../services/context";
import type { Store } from "../store/store";
import {
  asSession,
  createTenantFixture,
  errorCode,
  operatorToken,
  testConfig,
  type App,
  type TenantFixture,
} from "./api.fixture";
import { buildApp } from "./app";

describeEachEngine("HTTP API", (h) => {
  let store: Store;
  let ctx: ServiceContext;
  let app: App;
  let a: TenantFixture;
  let now = new Date("2026-06-01T09:00:00Z");
  /** Moves this suite's clock (the harness's context reads it). */
  const setNow = (at: Date) => {
    now = at;
    h.setNow(at);
  };

  beforeAll(async () => {
    setNow(now);
    store = h.store();
    ctx = h.ctx();
    a = await createTenantFixture(ctx, "alpha");
    app = await buildApp({ ctx, config: testConfig() });
  });
  afterAll(async () => {
    await app.close();
  });

  describe("HTTP API basics", () => {
    it("serves an OpenAPI 3.1 document listing every route", async () => {
      const res = await app.inject({ method: "GET", url: "/openapi.json" });
      expect(res.statusCode).toBe(200);
      const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
      expect(doc.openapi).toBe("3.1.0");
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(["/api/consent", "/api/me/privacy", "/scim/v2/Users", "/api/audit/verify"]),
      );
      const docs = await app.inject({ method: "GET", url: "/docs/" });
      expect([200, 302]).toContain(docs.statusCode);
    });

    it("answers health, readiness and metrics", async () => {
      expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
      expect((await app.inject({ method: "GET", url: "/readyz" })).json()).toMatchObject({ status: "ready" });
      const metrics = await app.inject({ method: "GET", url: "/metrics" });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain("kith_http_request_duration_seconds");
      expect(metrics.body).toContain("kith_job_queue_depth");
      expect(metrics.body).toContain("kith_ingest_records_read_total");
      expect(metrics.body).toContain("kith_sync_lag_seconds");
    });

    it("answers errors in one shape with a stable code and no stack trace", async () => {
      const missing = await app.inject({ method: "GET", url: "/api/nothing-here" });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
      const invalid = await app.inject(
        asSession(a.admin, { method: "PUT", url: "/api/ri", payload: { enabled: "maybe" } }),
      );
      expect(invalid.statusCode).toBe(400);
      expect(errorCode(invalid)).toBe("validation_failed");
      expect(invalid.body).not.toMatch(/at .*\.ts:\d+/);
      const unknownField = await app.inject(
        asSession(a.admin, { method: "PUT", url: "/api/ri", payload: { enabled: true, extra: 1 } }),
      );
      expect(unknownField.statusCode).toBe(400);
      const badJson = await app.inject(
        asSession(a.admin, {
          method: "PUT",
          url: "/api/ri",
          payload: "{not json",
          headers: { "content-type": "application/json", "x-csrf-token": a.admin.csrfToken },
        }),
      );
      expect(badJson.statusCode).toBe(400);
      expect(errorCode(badJson)).toBe("validation_failed");
    });

    it("maps domain refusals to status codes: consent_required, insufficient_privileges, not_found", async () => {
      const notGlobal = await app.inject(
        asSession(a.seller, { method: "POST", url: "/api/consent/identifiable/grant" }),
      );
      expect(notGlobal.statusCode).toBe(403);
      expect(errorCode(notGlobal)).toBe("insufficient_privileges");
      const unknownUser = await app.inject(
        asSession(a.admin, { method: "GET", url: "/api/directory/users/nobody" }),
      );
      expect(unknownUser.statusCode).toBe(404);
      expect(errorCode(unknownUser)).toBe("not_found");
      const unknownRole = await app.inject(
        asSession(a.admin, { method: "PUT", url: "/api/ri/insight-roles/who_knows_whom/Nope" }),
      );
      expect(unknownRole.statusCode).toBe(400);
    });
  });

  describe("sign-in links and sessions", () => {
    it("exchanges a link once for an HTTP-only SameSite session cookie", async () => {
      const link = await createLoginLink(ctx, "alpha", "seller@alpha.example", 15 * 60_000);
      const res = await app.inject({
        method: "GET",
        url: `/auth/link?token=${encodeURIComponent(link.token)}`,
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe("/");
      const cookie = res.cookies.find((c) => c.name === "kith_session");
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
      expect(cookie?.secure).toBeFalsy();
      const session = await app.inject({
        method: "GET",
        url: "/api/session",
        cookies: { kith_session: cookie!.value },
      });
      expect(session.statusCode).toBe(200);
      expect(session.json()).toMatchObject({
        user: { email: "seller@alpha.example", roles: ["Salesperson"], tenantSlug: "alpha" },
        via: "session",
        csrfToken: expect.any(String),
      });
      const again = await app.inject({
        method: "GET",
        url: `/auth/link?token=${encodeURIComponent(link.token)}`,
      });
      expect(again.statusCode).toBe(401);
      expect(again.json().error.message).toMatch(/already used/);
    });

    it("refuses an expired link and an expired session", async () => {
      const link = await createLoginLink(ctx, "alpha", "seller@alpha.example", 60_000);
      setNow(new Date(now.getTime() + 120_000));
      const res = await app.inject({
        method: "GET",
        url: `/auth/link?token=${encodeURIComponent(link.token)}`,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toMatch(/expired/);
      const saved = now;
      setNow(new Date(a.seller.expiresAt.getTime() + 1));
      const expired = await app.inject(asSession(a.seller, { method: "GET", url: "/api/session" }));
      expect(expired.statusCode).toBe(401);
      setNow(saved);
    });

    it("stores only hashes of link and session secrets", async () => {
      const link = await createLoginLink(ctx, "alpha", "admin@alpha.example", 60_000);
      const secret = link.token.split(".")[1]!;
      const links = await inspect(() => store.db.selectFrom("login_link").selectAll().execute());
      const sessions = await inspect(() => store.db.selectFrom("web_session").selectAll().execute());
      expect(JSON.stringify(links)).not.toContain(secret);
      expect(JSON.stringify(sessions)).not.toContain(a.admin.token.split(".")[1]!);
    });

    it("demands the session's CSRF token on state-changing requests made with the cookie", async () => {
      const withoutHeader = await app.inject({
        method: "PUT",
        url: "/api/me/privacy/introducer",
        cookies: { kith_session: a.seller.token },
        payload: { hidden: true },
      });
      expect(withoutHeader.statusCode).toBe(403);
      expect(withoutHeader.json().error.details).toEqual({ reason: "csrf" });
      const wrong = await app.inject({
        method: "PUT",
        url: "/api/me/privacy/introducer",
        cookies: { kith_session: a.seller.token },
        headers: { "x-csrf-token": "guess" },
        payload: { hidden: true },
      });
      expect(wrong.statusCode).toBe(403);
      const right = await app.inject(
        asSession(a.seller, { method: "PUT", url: "/api/me/privacy/introducer", payload: { hidden: true } }),
      );
      expect(right.statusCode).toBe(200);
      expect(right.json()).toEqual({ hidden: true, changed: true });
      // A bearer token is not ambient, so it needs no CSRF header.
      const bearer = await app.inject({
        method: "PUT",
        url: "/api/me/privacy/introducer",
        headers: { authorization: `Bearer ${a.seller.token}` },
        payload: { hidden: false },
      });
      expect(bearer.statusCode).toBe(200);
    });

    it("logs out: the session stops working", async () => {
      const link = await createLoginLink(ctx, "alpha", "seller@alpha.example", 60_000);
      const res = await app.inject({
        method: "GET",
        url: `/auth/link?token=${encodeURIComponent(link.token)}`,
      });
      const token = res.cookies.find((c) => c.name === "kith_session")!.value;
      const csrf = res.cookies.find((c) => c.name === "kith_csrf")!.value;
      const out = await app.inject({
        method: "POST",
        url: "/auth/logout",
        cookies: { kith_session: token },
        headers: { "x-csrf-token": csrf },
      });
      expect(out.statusCode).toBe(200);
      const after = await app.inject({
        method: "GET",
        url: "/api/session",
        cookies: { kith_session: token },
      });
      expect(after.statusCode).toBe(401);
    });
  });

  describe("the CLI capabilities over HTTP", () => {
    it("runs the consent, privacy, RI and audit flow of a tenant", async () => {
      const grant = await app.inject(
        asSession(a.admin, { method: "POST", url: "/api/consent/identifiable/grant" }),
      );
      expect(grant.json()).toMatchObject({ type: "identifiable", granted: true, changed: true });
      const ri = await app.inject(
        asSession(a.admin, { method: "PUT", url: "/api/ri", payload: { enabled: true } }),
      );
      expect(ri.json()).toMatchObject({ state: "active", restore: null });
      const status = await app.inject(asSession(a.admin, { method: "GET", url: "/api/consent" }));
      expect(status.json()).toMatchObject({ relationshipIntelligence: { state: "active" } });
      const roles = await app.inject(
        asSession(a.admin, {
          method: "PUT",
          url: "/api/ri/insight-roles/who_knows_whom/Global%20Administrator",
        }),
      );
      expect(roles.json().roles).toContain("Global Administrator");
      const groups = await app.inject(
        asSession(a.admin, {
          method: "PUT",
          url: "/api/consent/opt-out-groups",
          payload: { groupIds: ["alpha-sales"] },
        }),
      );
      expect(groups.json()).toEqual({ optedOutGroupIds: ["alpha-sales"] });
      const off = await app.inject(
        asSession(a.seller, { method: "PUT", url: "/api/me/privacy/sharing", payload: { on: false } }),
      );
      expect(off.json()).toMatchObject({ sharing: false, changed: true, receipt: { scope: "user" } });
      const mine = await app.inject(asSession(a.seller, { method: "GET", url: "/api/me/privacy" }));
      expect(mine.json()).toMatchObject({
        sharing: "off",
        sharingEffective: false,
        receipts: [{ scope: "user" }],
      });
      const users = await app.inject(asSession(a.admin, { method: "GET", url: "/api/directory/users" }));
      expect(users.json().users.map((u: { email: string }) => u.email)).toEqual([
        "admin@alpha.example",
        "seller@alpha.example",
      ]);
      const audit = await app.inject(
        asSession(a.admin, { method: "GET", url: "/api/audit?limit=3&action=privacy." }),
      );
      expect(audit.json().entries[0]).toMatchObject({
        action: "privacy.sharing_off",
        actor: "seller@alpha.example",
      });
      const verify = await app.inject(asSession(a.admin, { method: "GET", url: "/api/audit/verify" }));
      expect(verify.json()).toMatchObject({ ok: true, problems: [] });
      const imported = await app.inject(
        asSession(a.admin, {
          method: "POST",
          url: "/api/directory/import",
          payload: { users: [{ email: "new.hire@alpha.example", name: "New Hire", roles: ["Salesperson"] }] },
        }),
      );
      expect(imported.json()).toMatchObject({ users: { created: 1 } });
      const broken = await app.inject(
        asSession(a.admin, {
          method: "POST",
          url: "/api/directory/import",
          payload: { users: [{ email: "not-an-address" }] },
        }),
      );
      expect(broken.statusCode).toBe(400);
      // Refusals are 400s naming the record and reason, never a 500 (issue 12, items 13 and 14).
      const refusal = async (users: unknown[]) => {
        const response = await app.inject(
          asSession(a.admin, { method: "POST", url: "/api/directory/import", payload: { users } }),
        );
        expect(response.statusCode).toBe(400);
        return response.json<{ error: { message: string } }>().error.message;
      };
      expect(await refusal([{ email: "bob@@alpha.example" }])).toContain(
        'request body record 1: email "bob@@alpha.example" is not a valid address: it has 2 @ signs',
      );
      expect(await refusal([{ email: "new.hire@alpha.example", roles: ["Salesprson"] }])).toContain(
        'request body record 1: unknown role "Salesprson" (did you mean "Salesperson"?)',
      );
      expect(await refusal([{ email: "admin@alpha.example", roles: [] }])).toContain(
        "it would leave the tenant without an active Global Administrator",
      );
    });

    it("lets only the operator create and list tenants", async () => {
      const created = await app.inject({
        method: "POST",
        url: "/api/tenants",
        headers: { authorization: `Bearer ${operatorToken}` },
        payload: { name: "Gamma", domains: ["gamma.example"], admin: { email: "boss@gamma.example" } },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ slug: "gamma", domains: ["gamma.example"] });
      const dup = await app.inject({
        method: "POST",
        url: "/api/tenants",
        headers: { authorization: `Bearer ${operatorToken}` },
        payload: { name: "Gamma", domains: ["gamma.example"] },
      });
      expect(dup.statusCode).toBe(409);
      expect(errorCode(dup)).toBe("conflict");
      const own = await app.inject(asSession(a.seller, { method: "GET", url: "/api/tenant" }));
      expect(own.json()).toMatchObject({ slug: "alpha" });
    });
  });
});
