/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are JSON checked by value with expect() */
import type { HTTPMethods } from "fastify";
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { verifyAuditChain } from "../services/audit.service";
import { startSession } from "../services/auth.service";
import { createScimToken, listScimTokensOf, scimSchemas } from "../services/scim.service";
import { findTenant, findUserByAddress, listMemberships } from "../store/directory.repository";
import { asSession, createTenantFixture, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";
import { scimRoutes } from "./scim.routes";

describeEachEngine("SCIM 2.0 provisioning", (h) => {
  let app: App;
  let token: string;
  let tenantId: string;
  const scim = (method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });

  beforeAll(async () => {
    await createTenantFixture(h.ctx(), "acme");
    tenantId = (await findTenant(h.store().db, "acme"))!.id;
    token = (await createScimToken(h.ctx(), "acme", "test idp")).token;
    app = await buildApp({ ctx: h.ctx(), config: testConfig() });
  });

  it("creates, finds by userName filter, replaces and patches users", async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const created = await scim("POST", "/scim/v2/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "Kim.Lee@acme.example",
      externalId: "aad-kim",
      name: { givenName: "Kim", familyName: "Lee" },
      emails: [{ value: "kim.lee@acme.example", primary: true }, { value: "k.lee@acme.example" }],
      active: true,
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers["content-type"]).toMatch(/application\/scim\+json/);
    const kim = created.json();
    expect(kim).toMatchObject({
      userName: "kim.lee@acme.example",
      externalId: "aad-kim",
      displayName: "Kim Lee",
      active: true,
      emails: [{ value: "kim.lee@acme.example", primary: true }, { value: "k.lee@acme.example" }],
    });
    const list = await scim(
      "GET",
      `/scim/v2/Users?filter=${encodeURIComponent('userName eq "kim.lee@acme.example"')}`,
    );
    expect(list.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 1,
      Resources: [{ id: kim.id }],
    });
    const none = await scim(
      "GET",
      `/scim/v2/Users?filter=${encodeURIComponent('userName eq "nobody@acme.example"')}`,
    );
    expect(none.json()).toMatchObject({ totalResults: 0, Resources: [] });
    const dup = await scim("POST", "/scim/v2/Users", { userName: "k.lee@acme.example" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
    });

    const replaced = await scim("PUT", `/scim/v2/Users/${kim.id}`, {
      userName: "kim.lee@acme.example",
      displayName: "Kim Lee-Park",
    });
    expect(replaced.json()).toMatchObject({
      displayName: "Kim Lee-Park",
      emails: [{ value: "kim.lee@acme.example" }],
    });
    const patched = await scim("PATCH", `/scim/v2/Users/${kim.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(patched.json()).toMatchObject({ active: false });
    const reactivated = await scim("PATCH", `/scim/v2/Users/${kim.id}`, {
      Operations: [{ op: "replace", value: { active: true, displayName: "Kim Park" } }],
    });
    expect(reactivated.json()).toMatchObject({ active: true, displayName: "Kim Park" });
    const badFilter = await scim("GET", `/scim/v2/Users?filter=${encodeURIComponent('userName sw "k"')}`);
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json()).toMatchObject({ scimType: "invalidFilter" });
  });

  it("manages groups and members with dated membership history and audit entries", async () => {
    h.setNow("2026-06-02T09:00:00Z");
    const users = (await scim("GET", "/scim/v2/Users")).json().Resources as {
      id: string;
      userName: string;
    }[];
    const kim = users.find((u) => u.userName === "kim.lee@acme.example")!;
    const seller = users.find((u) => u.userName === "seller@acme.example")!;
    const created = await scim("POST", "/scim/v2/Groups", {
      displayName: "M&A",
      externalId: "8a1d2e3f-aad-ma",
      members: [{ value: kim.id }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: "8a1d2e3f-aad-ma",
      displayName: "M&A",
      members: [{ value: kim.id }],
    });

    h.setNow("2026-06-03T09:00:00Z");
    const added = await scim("PATCH", "/scim/v2/Groups/8a1d2e3f-aad-ma", {
      Operations: [{ op: "add", path: "members", value: [{ value: seller.id }] }],
    });
    expect((added.json().members as { value: string }[]).map((m) => m.value).sort()).toEqual(
      [kim.id, seller.id].sort(),
    );
    h.setNow("2026-06-04T09:00:00Z");
    const removed = await scim("PATCH", "/scim/v2/Groups/8a1d2e3f-aad-ma", {
      Operations: [
        { op: "remove", path: `members[value eq "${kim.id}"]` },
        { op: "replace", path: "displayName", value: "Mergers & Acquisitions" },
      ],
    });
    expect(removed.json()).toMatchObject({
      displayName: "Mergers & Acquisitions",
      members: [{ value: seller.id }],
    });

    const history = (await listMemberships(h.store().db, tenantId, [kim.id])).get(kim.id)!;
    const ma = history.find((m) => m.groupId === "8a1d2e3f-aad-ma")!;
    expect(ma.from.toISOString()).toBe("2026-06-02T09:00:00.000Z");
    expect(ma.to?.toISOString()).toBe("2026-06-04T09:00:00.000Z");

    const filtered = await scim(
      "GET",
      `/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "Mergers & Acquisitions"')}`,
    );
    expect(filtered.json()).toMatchObject({ totalResults: 1 });
    const replaced = await scim("PUT", "/scim/v2/Groups/8a1d2e3f-aad-ma", {
      displayName: "Mergers & Acquisitions",
      members: [],
    });
    expect(replaced.json()).toMatchObject({ members: [] });
    expect((await scim("DELETE", "/scim/v2/Groups/8a1d2e3f-aad-ma")).statusCode).toBe(204);
    expect((await scim("GET", "/scim/v2/Groups/8a1d2e3f-aad-ma")).statusCode).toBe(404);

    const actions = await inspect(() =>
      h
        .store()
        .db.selectFrom("audit_log")
        .select(["action", "actor"])
        .where("tenant_id", "=", tenantId)
        .where("actor", "=", "scim")
        .execute(),
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "user.created",
        "user.deactivated",
        "group.created",
        "group.member_added",
        "group.member_removed",
        "group.deleted",
      ]),
    );
    expect((await verifyAuditChain(h.ctx(), tenantId)).ok).toBe(true);
  });

  it("deletes a user: gone from SCIM, memberships ended, history kept", async () => {
    h.setNow("2026-06-05T09:00:00Z");
    const group = await scim("POST", "/scim/v2/Groups", { displayName: "Finance" });
    const users = (await scim("GET", "/scim/v2/Users")).json().Resources as {
      id: string;
      userName: string;
    }[];
    const kim = users.find((u) => u.userName === "kim.lee@acme.example")!;
    await scim("PATCH", `/scim/v2/Groups/${group.json().id}`, {
      Operations: [{ op: "add", path: "members", value: [{ value: kim.id }] }],
    });
    h.setNow("2026-06-06T09:00:00Z");
    expect((await scim("DELETE", `/scim/v2/Users/${kim.id}`)).statusCode).toBe(204);
    expect((await scim("GET", `/scim/v2/Users/${kim.id}`)).statusCode).toBe(404);
    const history = (await listMemberships(h.store().db, tenantId, [kim.id])).get(kim.id)!;
    expect(history.every((m) => m.to !== null)).toBe(true);
    expect((await scim("GET", `/scim/v2/Groups/${group.json().id}`)).json().members).toEqual([]);
  });

  it("refuses requests without a valid token in the SCIM error schema", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/scim/v2/Users",
      headers: { authorization: "Bearer kscim_nope.nope" },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "401",
    });
  });
});

describeEachEngine("SCIM token lifecycle (issue 12, item 10)", (h) => {
  let app: App;
  let tenantId: string;
  let kimId: string;
  const t0 = "2026-07-01T09:00:00Z";

  /** A fresh session at the harness's current time (the clock moves by days in these cases). */
  async function sessionOf(email: string) {
    const user = await findUserByAddress(h.store().db, tenantId, email);
    return asSession(await startSession(h.ctx(), tenantId, user!, "link", 3_600_000));
  }
  const asAdmin = async () => sessionOf("admin@lifecycle.example");
  const scimWith = (token: string, method: HTTPMethods, url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });

  /** One concrete request for every SCIM protocol route, taken from the route table itself. */
  const everyScimRoute = () =>
    scimRoutes
      .filter((r) => r.access === "scim")
      .map((r) => ({
        method: r.method,
        url: r.url.replace(":id", r.url.includes("Groups") ? "lifecycle-sales" : kimId),
        payload:
          r.method === "POST" || r.method === "PUT"
            ? r.url.includes("Groups")
              ? { displayName: "Probe group" }
              : { userName: "probe@lifecycle.example" }
            : r.method === "PATCH"
              ? { Operations: [{ op: "replace", path: "displayName", value: "Probe" }] }
              : undefined,
      }));

  beforeAll(async () => {
    h.setNow(t0);
    await createTenantFixture(h.ctx(), "lifecycle");
    await createTenantFixture(h.ctx(), "otherco");
    tenantId = (await findTenant(h.store().db, "lifecycle"))!.id;
    kimId = (await findUserByAddress(h.store().db, tenantId, "seller@lifecycle.example"))!.id;
    app = await buildApp({ ctx: h.ctx(), config: testConfig({ KITH_PUBLIC_URL: "http://kith.test" }) });
  });

  it("every SCIM route refuses a revoked token and an expired one with 401; a live token still works", async () => {
    h.setNow(t0);
    const live = (await createScimToken(h.ctx(), "lifecycle", "live")).token;
    const revoked = await createScimToken(h.ctx(), "lifecycle", "to revoke");
    const expiring = await createScimToken(h.ctx(), "lifecycle", { label: "to expire", ttlMs: 3_600_000 });
    for (const token of [live, revoked.token, expiring.token])
      expect((await scimWith(token, "GET", "/scim/v2/Users")).statusCode).toBe(200);

    const revoke = await app.inject({
      ...(await asAdmin()),
      method: "POST",
      url: `/api/scim/tokens/${revoked.id}/revoke`,
    });
    expect(revoke.statusCode).toBe(200);
    h.setNow("2026-07-01T10:00:00Z"); // the expiring token's last moment has passed
    const routes = everyScimRoute();
    expect(routes.length).toBe(12);
    for (const token of [revoked.token, expiring.token])
      for (const route of routes) {
        const res = await scimWith(token, route.method, route.url, route.payload);
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(res.json()).toMatchObject({ schemas: [scimSchemas.error], status: "401" });
      }
    // Nothing was written with them: the probe user and group do not exist; Kim is still there.
    const users = (await scimWith(live, "GET", "/scim/v2/Users")).json().Resources as { userName: string }[];
    expect(users.map((u) => u.userName)).not.toContain("probe@lifecycle.example");
    expect(users.map((u) => u.userName)).toContain("seller@lifecycle.example");
    expect((await scimWith(live, "GET", "/scim/v2/Groups")).json().totalResults).toBe(1);
  });

  it("administrators create (with expiry), list and revoke tokens; each is audited; last use is stamped once a minute", async () => {
    h.setNow(t0);
    const admin = await asAdmin();
    const created = await app.inject({
      ...admin,
      method: "POST",
      url: "/api/scim/tokens",
      payload: { label: "Okta", ttl: "90d" },
    });
    expect(created.statusCode).toBe(201);
    const token = created.json<{ id: string; token: string }>();
    expect(token).toMatchObject({
      label: "Okta",
      status: "active",
      createdAt: "2026-07-01T09:00:00.000Z",
      createdBy: "admin@lifecycle.example",
      expiresAt: "2026-09-29T09:00:00.000Z",
      lastUsedAt: null,
      revokedAt: null,
      baseUrl: "http://kith.test/scim/v2",
    });
    expect(token.token).toMatch(/^kscim_/);

    const listed = async () => {
      const res = await app.inject({ ...(await asAdmin()), method: "GET", url: "/api/scim/tokens" });
      expect(res.body).not.toContain(token.token.split(".")[1]);
      return (res.json().tokens as { id: string; lastUsedAt: string | null; status: string }[]).find(
        (t) => t.id === token.id,
      )!;
    };
    expect(await listed()).toMatchObject({ label: "Okta", createdBy: "admin@lifecycle.example" });

    // Last use: stamped at the first request, not again within the minute, again after it.
    const use = () => scimWith(token.token, "GET", "/scim/v2/Users");
    h.setNow("2026-07-02T09:00:00Z");
    expect((await use()).statusCode).toBe(200);
    expect((await listed()).lastUsedAt).toBe("2026-07-02T09:00:00.000Z");
    h.setNow("2026-07-02T09:00:59Z");
    await use();
    expect((await listed()).lastUsedAt).toBe("2026-07-02T09:00:00.000Z");
    h.setNow("2026-07-02T09:01:00Z");
    await use();
    expect((await listed()).lastUsedAt).toBe("2026-07-02T09:01:00.000Z");

    // Expiry shows in the list, and the token stops working at that moment.
    h.setNow("2026-09-29T09:00:00Z");
    expect((await use()).statusCode).toBe(401);
    expect((await listed()).status).toBe("expired");

    // Revoke: by an administrator of the tenant only; a second revoke is a conflict.
    const other = await createScimToken(h.ctx(), "lifecycle", "Entra ID");
    const seller = await sessionOf("seller@lifecycle.example");
    const otherTenantId = (await findTenant(h.store().db, "otherco"))!.id;
    const otherAdmin = asSession(
      await startSession(
        h.ctx(),
        otherTenantId,
        (await findUserByAddress(h.store().db, otherTenantId, "admin@otherco.example"))!,
        "link",
        3_600_000,
      ),
    );
    const revokeAs = async (options: object, id = other.id) =>
      app.inject({ ...options, method: "POST", url: `/api/scim/tokens/${id}/revoke` });
    expect((await revokeAs(seller)).statusCode).toBe(403);
    expect((await revokeAs(otherAdmin)).statusCode).toBe(404);
    const otherList = await app.inject({ ...otherAdmin, method: "GET", url: "/api/scim/tokens" });
    expect(otherList.json().tokens).toEqual([]);
    expect((await scimWith(other.token, "GET", "/scim/v2/Users")).statusCode).toBe(200);
    const revoked = await revokeAs(await asAdmin());
    expect(revoked.json()).toMatchObject({
      status: "revoked",
      revokedAt: "2026-09-29T09:00:00.000Z",
      revokedBy: "admin@lifecycle.example",
    });
    expect((await scimWith(other.token, "GET", "/scim/v2/Users")).statusCode).toBe(401);
    expect((await revokeAs(await asAdmin())).statusCode).toBe(409);
    expect((await revokeAs(await asAdmin(), "no-such-token")).statusCode).toBe(404);

    const audit = await inspect(() =>
      h
        .store()
        .db.selectFrom("audit_log")
        .select(["action", "actor", "subject", "details"])
        .where("tenant_id", "=", tenantId)
        .where("action", "like", "scim.token_%")
        .where("subject", "in", [token.id, other.id])
        .orderBy("seq")
        .execute(),
    );
    expect(audit.map((a) => [a.action, a.actor, a.subject])).toEqual([
      ["scim.token_created", "admin@lifecycle.example", token.id],
      ["scim.token_created", "operator", other.id],
      ["scim.token_revoked", "admin@lifecycle.example", other.id],
    ]);
    expect(JSON.parse(audit[0]!.details)).toEqual({ label: "Okta", expiresAt: "2026-09-29T09:00:00.000Z" });
    expect((await verifyAuditChain(h.ctx(), tenantId)).ok).toBe(true);
  });

  it("refuses a bad expiry with a clear error and stores nothing", async () => {
    h.setNow(t0);
    const before = (await listScimTokensOf(h.ctx(), "lifecycle")).length;
    const bodies = [
      [{ ttl: "soon" }, /ttl: "soon" is not a duration/],
      [{ ttl: "0d" }, /ttl: a duration above zero/],
      [{ expiresAt: "2026-06-30T09:00:00Z" }, /expiresAt: a time in the future/],
      [{ ttl: "1d", expiresAt: "2026-08-01T00:00:00Z" }, /either a ttl or an expiry/],
      [{ label: "" }, /label/],
      [{ lifetime: "1d" }, /additional properties/],
    ] as const;
    for (const [payload, message] of bodies) {
      const res = await app.inject({
        ...(await asAdmin()),
        method: "POST",
        url: "/api/scim/tokens",
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toMatch(message);
    }
    expect((await listScimTokensOf(h.ctx(), "lifecycle")).length).toBe(before);
  });
});
