/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are JSON checked by value with expect() */
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { verifyAuditChain } from "../services/audit.service";
import { createScimToken } from "../services/scim.service";
import { findTenant, listMemberships } from "../store/directory.repository";
import { createTenantFixture, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";

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

    const actions = await h
      .store()
      .db.selectFrom("audit_log")
      .select(["action", "actor"])
      .where("tenant_id", "=", tenantId)
      .where("actor", "=", "scim")
      .execute();
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
