import { randomBytes } from "node:crypto";
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are JSON checked by value with expect() */
/**
 * Authorization, generated from the route table: every route the app serves must be in the
 * registry with an access rule and must have a case below, so a new route without one fails
 * this suite. For each route: no credentials → 401; the wrong kind of credential → 403; a user
 * without the role → 403; a user (or SCIM token) of tenant B aiming at tenant A's objects → 403/404
 * or an answer about B only — and tenant A is unchanged afterwards.
 */
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../services/auth.service";
import type { ServiceContext } from "../services/context";
import { createScimToken } from "../services/scim.service";
import { readAuditHead } from "../store/audit.repository";
import { findUserByAddress, listMemberships, listUsers } from "../store/directory.repository";
import type { Store } from "../store/store";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import {
  asSession,
  createTenantFixture,
  operatorToken,
  testConfig,
  type App,
  type TenantFixture,
} from "./api.fixture";
import { buildApp, routeRegistry, servedRoutesOf } from "./app";
import type { RouteSpec } from "./route";

interface Ids {
  sellerId: string;
  groupId: string;
  tenantAId: string;
  scimTokenIdA: string;
}
type Case = (ids: Ids) => { url: string; payload?: unknown };

/** One case per non-public route: a concrete request naming tenant A's objects. */
const cases: Record<string, Case> = {
  "POST /auth/logout": () => ({ url: "/auth/logout" }),
  "POST /api/tenants": () => ({ url: "/api/tenants", payload: { name: "Zeta", domains: ["zeta.example"] } }),
  "GET /api/tenants": () => ({ url: "/api/tenants" }),
  "GET /api/doctor": () => ({ url: "/api/doctor" }),
  "POST /api/backups": () => ({ url: "/api/backups" }),
  "GET /api/backups": () => ({ url: "/api/backups" }),
  "GET /api/tenant": () => ({ url: "/api/tenant" }),
  "GET /api/session": () => ({ url: "/api/session" }),
  "GET /api/directory/users": () => ({ url: "/api/directory/users" }),
  "GET /api/directory/users/:userId": ({ sellerId }) => ({ url: `/api/directory/users/${sellerId}` }),
  "POST /api/directory/import": () => ({
    url: "/api/directory/import",
    payload: { users: [{ email: "seller@beta.example", id: "alpha-seller-ext" }] },
  }),
  "GET /api/consent": () => ({ url: "/api/consent" }),
  "POST /api/consent/:type/grant": () => ({ url: "/api/consent/identifiable/grant" }),
  "POST /api/consent/:type/withdraw": () => ({ url: "/api/consent/identifiable/withdraw" }),
  "PUT /api/consent/opt-out-groups": ({ groupId }) => ({
    url: "/api/consent/opt-out-groups",
    payload: { groupIds: [groupId] },
  }),
  "GET /api/me/privacy": () => ({ url: "/api/me/privacy" }),
  "PUT /api/me/privacy/sharing": () => ({ url: "/api/me/privacy/sharing", payload: { on: false } }),
  "PUT /api/me/privacy/introducer": () => ({ url: "/api/me/privacy/introducer", payload: { hidden: true } }),
  "PUT /api/ri": () => ({ url: "/api/ri", payload: { enabled: true } }),
  "PUT /api/ri/collection-roles": () => ({
    url: "/api/ri/collection-roles",
    payload: { roles: ["Salesperson"] },
  }),
  "PUT /api/ri/insight-roles/:insight/:role": () => ({
    url: "/api/ri/insight-roles/who_knows_whom/Salesperson",
  }),
  "DELETE /api/ri/insight-roles/:insight/:role": () => ({
    url: "/api/ri/insight-roles/who_knows_whom/Salesperson",
  }),
  "GET /api/audit": () => ({ url: "/api/audit" }),
  "POST /api/privacy/forget": () => ({
    url: "/api/privacy/forget",
    payload: { address: "buyer@customer.example" },
  }),
  "GET /api/privacy/forget-requests": () => ({ url: "/api/privacy/forget-requests" }),
  "GET /api/privacy/forget-requests/:id": () => ({ url: "/api/privacy/forget-requests/none" }),
  "GET /api/retention": () => ({ url: "/api/retention" }),
  "PUT /api/retention": () => ({ url: "/api/retention", payload: { months: 36 } }),
  "GET /api/sources": () => ({ url: "/api/sources" }),
  "POST /api/sources": () => ({
    url: "/api/sources",
    payload: {
      kind: "imap",
      name: "Mail server",
      settings: { host: "127.0.0.1", port: 1, tls: "none", auth: "password" },
      mailboxes: [{ address: "seller@contoso.com", secret: "a-password-for-the-test" }],
    },
  }),
  "POST /api/sources/:id/resume": () => ({ url: "/api/sources/none/resume", payload: {} }),
  "DELETE /api/sources/:id": () => ({ url: "/api/sources/none" }),
  "GET /api/audit/verify": () => ({ url: "/api/audit/verify" }),
  "GET /api/audit/export": () => ({ url: "/api/audit/export" }),
  "GET /api/jobs": () => ({ url: "/api/jobs" }),
  // Insight routes: an external person/account both tenants could know; tenant A's colleagues
  // (addresses on alpha.example) must never appear in tenant B's answer.
  "GET /api/who-knows-whom": () => ({ url: "/api/who-knows-whom?email=buyer%40customer.example" }),
  "GET /api/accounts/:account/introducers": () => ({ url: "/api/accounts/customer.example/introducers" }),
  "GET /api/me/network": () => ({ url: "/api/me/network" }),
  "GET /api/ri/settings": () => ({ url: "/api/ri/settings" }),
  "PUT /api/ri/settings/weights": () => ({ url: "/api/ri/settings/weights", payload: { email: {} } }),
  "PUT /api/ri/settings/health": () => ({ url: "/api/ri/settings/health", payload: { bands: { good: 65 } } }),
  "PUT /api/ri/settings/capture-level": () => ({
    url: "/api/ri/settings/capture-level",
    payload: { captureLevel: "subject" },
  }),
  "PUT /api/ri/settings/noise-filters": () => ({
    url: "/api/ri/settings/noise-filters",
    payload: { automated: false },
  }),
  "PUT /api/ri/settings/introduction-template": () => ({
    url: "/api/ri/settings/introduction-template",
    payload: { subject: "Intro", body: "Hello {{introducer.firstName}}" },
  }),
  "GET /api/ri/ingest": () => ({ url: "/api/ri/ingest" }),
  "GET /api/kpis/:type/:id": () => ({ url: "/api/kpis/contact/buyer%40customer.example" }),
  "GET /api/me/opportunities": () => ({ url: "/api/me/opportunities" }),
  "GET /api/search": () => ({ url: "/api/search?q=customer" }),
  "GET /api/accounts/:account": () => ({ url: "/api/accounts/customer.example" }),
  "GET /api/opportunities/:id": () => ({ url: "/api/opportunities/opp-1" }),
  "GET /api/leads/:id": () => ({ url: "/api/leads/lead-1" }),
  "GET /api/accounts/:account/engagement": () => ({
    url: "/api/accounts/customer.example/engagement?period=month:2020-01",
  }),
  // Partner data sharing: tenant A's request id stands in; tenant A is the customer where one is named.
  "GET /api/partner/requests": () => ({ url: "/api/partner/requests" }),
  "POST /api/partner/requests": ({ tenantAId }) => ({
    url: "/api/partner/requests",
    payload: {
      targetTenantId: tenantAId,
      environmentId: "env-1",
      purpose: "production",
      reviewers: ["admin@alpha.example", "seller@alpha.example"],
      confirmedEmployees: true,
    },
  }),
  "GET /api/partner/requests/:id": () => ({ url: `/api/partner/requests/${partnerRequestId}` }),
  "POST /api/partner/requests/:id/cancel": () => ({
    url: `/api/partner/requests/${partnerRequestId}/cancel`,
  }),
  "POST /api/partner/requests/:id/resubmit": () => ({
    url: `/api/partner/requests/${partnerRequestId}/resubmit`,
    payload: { reviewers: ["admin@alpha.example", "seller@alpha.example"], confirmedEmployees: true },
  }),
  "PUT /api/partner/requests/:id/reviewers/:slot": () => ({
    url: `/api/partner/requests/${partnerRequestId}/reviewers/1`,
    payload: { email: "seller@alpha.example", confirmedEmployee: true },
  }),
  "GET /api/partner/requests/:id/insights": () => ({
    url: `/api/partner/requests/${partnerRequestId}/insights`,
  }),
  "POST /api/partner/requests/:id/insights/:insightId/dismiss": () => ({
    url: `/api/partner/requests/${partnerRequestId}/insights/sync-lag:2026-06-01/dismiss`,
  }),
  "GET /api/partner/reviews": () => ({ url: "/api/partner/reviews" }),
  "POST /api/partner/reviews/:id/decide": () => ({
    url: `/api/partner/reviews/${partnerRequestId}/decide`,
    payload: { decision: "approve" },
  }),
  "GET /api/partner/shared": () => ({ url: "/api/partner/shared" }),
  "POST /api/partner/shared/:id/revoke": () => ({ url: `/api/partner/shared/${partnerRequestId}/revoke` }),
  "GET /scim/v2/Users": () => ({
    url: `/scim/v2/Users?filter=${encodeURIComponent('userName eq "seller@alpha.example"')}`,
  }),
  "GET /scim/v2/Users/:id": ({ sellerId }) => ({ url: `/scim/v2/Users/${sellerId}` }),
  "POST /scim/v2/Users": () => ({ url: "/scim/v2/Users", payload: { userName: "new.person@beta.example" } }),
  "PUT /scim/v2/Users/:id": ({ sellerId }) => ({
    url: `/scim/v2/Users/${sellerId}`,
    payload: { userName: "hijack@beta.example" },
  }),
  "PATCH /scim/v2/Users/:id": ({ sellerId }) => ({
    url: `/scim/v2/Users/${sellerId}`,
    payload: { Operations: [{ op: "replace", path: "active", value: false }] },
  }),
  "DELETE /scim/v2/Users/:id": ({ sellerId }) => ({ url: `/scim/v2/Users/${sellerId}` }),
  "GET /scim/v2/Groups": () => ({ url: "/scim/v2/Groups" }),
  "GET /scim/v2/Groups/:id": ({ groupId }) => ({ url: `/scim/v2/Groups/${groupId}` }),
  "POST /scim/v2/Groups": () => ({ url: "/scim/v2/Groups", payload: { displayName: "Beta team" } }),
  "PUT /scim/v2/Groups/:id": ({ groupId }) => ({
    url: `/scim/v2/Groups/${groupId}`,
    payload: { displayName: "Taken" },
  }),
  "PATCH /scim/v2/Groups/:id": ({ groupId, sellerId }) => ({
    url: `/scim/v2/Groups/${groupId}`,
    payload: { Operations: [{ op: "remove", path: `members[value eq "${sellerId}"]` }] },
  }),
  "DELETE /scim/v2/Groups/:id": ({ groupId }) => ({ url: `/scim/v2/Groups/${groupId}` }),
  // SCIM token management: tenant A's token id stands in.
  "GET /api/scim/tokens": () => ({ url: "/api/scim/tokens" }),
  "POST /api/scim/tokens": () => ({ url: "/api/scim/tokens", payload: { label: "probe", ttl: "1d" } }),
  "POST /api/scim/tokens/:id/revoke": ({ scimTokenIdA }) => ({
    url: `/api/scim/tokens/${scimTokenIdA}/revoke`,
  }),
};

/** A request id of no tenant: the partner cases must fail on access, never find a request. */
const partnerRequestId = "00000000-0000-4000-8000-00000000a11a";

/** Served by libraries, public by design: the API documentation. */
const frameworkRoutes = (url: string) =>
  url === "/openapi.json" || url === "/docs" || url.startsWith("/docs/");

const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

const registry = new Map(routeRegistry.map((r) => [keyOf(r), r]));
const guarded = routeRegistry.filter((r) => r.access !== "public");

/**
 * The whole suite runs on SQLite and on PostgreSQL: the HTTP layer and its authorization answer the
 * same on both engines.
 */
describeEachEngine("authorization", (h) => {
  let store: Store;
  let ctx: ServiceContext;
  let app: App;
  let a: TenantFixture;
  let b: TenantFixture;
  let ids: Ids;
  let scimA: string;
  let scimB: string;

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    store = h.store();
    ctx = h.ctx();
    a = await createTenantFixture(ctx, "alpha");
    b = await createTenantFixture(ctx, "beta");
    const seller = await findUserByAddress(store.db, a.tenant.id, "seller@alpha.example");
    const tokenA = await createScimToken(ctx, "alpha", "test");
    scimA = tokenA.token;
    ids = { sellerId: seller!.id, groupId: "alpha-sales", tenantAId: a.tenant.id, scimTokenIdA: tokenA.id };
    scimB = (await createScimToken(ctx, "beta", "test")).token;
    app = await buildApp({
      ctx,
      config: testConfig({ KITH_SECRET_KEY: randomBytes(32).toString("base64") }),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  /** A new session of tenant B's administrator, so a case that logs out spends only its own. */
  async function betaAdmin(): Promise<InjectOptions> {
    const user = await findUserByAddress(store.db, b.tenant.id, "admin@beta.example");
    return asSession(await startSession(ctx, b.tenant.id, user!, "link", 3_600_000));
  }

  function request(spec: RouteSpec, options: InjectOptions = {}): InjectOptions {
    const c = cases[keyOf(spec)];
    if (!c) throw new Error(`no authorization case for ${keyOf(spec)}`);
    const { url, payload } = c(ids);
    return {
      ...options,
      method: spec.method,
      url,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    };
  }

  describe("the route table", () => {
    it("registers every served route with an access rule", () => {
      const unregistered = servedRoutesOf(app)
        .filter((r) => r.method !== "HEAD" && !frameworkRoutes(r.url))
        .filter((r) => !registry.has(keyOf(r)))
        .map(keyOf);
      expect(unregistered).toEqual([]);
    });
    it("has an authorization case for every guarded route", () => {
      expect(guarded.map(keyOf).filter((k) => !cases[k])).toEqual([]);
    });
  });

  describe.each(guarded.map((r) => [keyOf(r), r] as const))("%s", (_key, spec) => {
    it("refuses a caller without credentials (401)", async () => {
      const res = await app.inject(request(spec));
      expect(res.statusCode).toBe(401);
    });

    it("refuses the wrong kind of credential (403)", async () => {
      const wrong: InjectOptions[] =
        spec.access === "operator"
          ? [await betaAdmin(), { headers: { authorization: `Bearer ${scimB}` } }]
          : spec.access === "scim"
            ? [await betaAdmin(), { headers: { authorization: `Bearer ${operatorToken}` } }]
            : [
                { headers: { authorization: `Bearer ${operatorToken}` } },
                { headers: { authorization: `Bearer ${scimA}` } },
              ];
      for (const options of wrong) {
        const res = await app.inject(request(spec, options));
        expect(res.statusCode, `${keyOf(spec)} with ${JSON.stringify(options.headers ?? "session")}`).toBe(
          403,
        );
      }
    });

    if (typeof spec.access === "object") {
      it("refuses a user without the role (403)", async () => {
        const res = await app.inject(request(spec, asSession(a.seller)));
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe("insufficient_privileges");
      });
    }

    if (spec.access !== "operator") {
      it("never lets tenant B reach tenant A", async () => {
        const options =
          spec.access === "scim" ? { headers: { authorization: `Bearer ${scimB}` } } : await betaAdmin();
        const res = await app.inject(request(spec, options));
        if (res.statusCode < 400) {
          for (const secret of [a.tenant.id, ids.sellerId, "alpha.example"])
            expect(res.body).not.toContain(secret);
        } else {
          expect([403, 404], res.body).toContain(res.statusCode);
        }
      });
    }
  });

  describe("tenant A after every route was called by tenant B", () => {
    it("is unchanged: no audit entry, same users, same memberships", async () => {
      // Runs last (vitest keeps file order): compare with a snapshot of the fixture's known state.
      const head = await readAuditHead(store.db, a.tenant.id);
      const users = await listUsers(store.db, a.tenant.id);
      const memberships = await listMemberships(store.db, a.tenant.id);
      expect(users.map((u) => u.email)).toEqual(["admin@alpha.example", "seller@alpha.example"]);
      expect(memberships.get(ids.sellerId)?.map((m) => [m.groupId, m.to])).toEqual([["alpha-sales", null]]);
      const entries = await inspect(() =>
        store.db
          .selectFrom("audit_log")
          .select(["action", "actor"])
          .where("tenant_id", "=", a.tenant.id)
          .orderBy("seq")
          .execute(),
      );
      expect(entries.every((e) => ["system", "test", "operator"].includes(e.actor))).toBe(true);
      expect(head.seq).toBe(entries.length);
    });
  });
});
