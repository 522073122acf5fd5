/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- response bodies are JSON checked by value with expect() */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { reviewLinkIn, startSmtpCapture, type SmtpCapture } from "../../test/helpers/smtp";
import { startSession } from "../services/auth.service";
import type { ServiceContext } from "../services/context";
import { importDirectory } from "../services/directory.service";
import { findUserByAddress } from "../store/directory.repository";
import type { Store } from "../store/store";
import {
  asSession,
  createTenantFixture,
  errorCode,
  testConfig,
  type App,
  type TenantFixture,
} from "./api.fixture";
import { buildApp } from "./app";

/** Partner Administrators of the partner tenant: pa (the flows) and four for the rate limit. */
const partnerAdmins = ["pa", "rl1", "rl2", "rl3", "rl4"].map((local) => `${local}@northwind.example`);

describeEachEngine("partner data sharing API", (h) => {
  let store: Store;
  let ctx: ServiceContext;
  let app: App;
  let smtp: SmtpCapture;
  let partner: TenantFixture;
  let customer: TenantFixture;
  let now = new Date("2026-06-01T09:00:00Z");
  /** Moves this suite's clock (the harness's context reads it). */
  const setNow = (at: Date) => {
    now = at;
    h.setNow(at);
  };

  async function sessionOf(tenantId: string, email: string, ttlMs = 3_600_000) {
    const user = await findUserByAddress(store.db, tenantId, email);
    return startSession(ctx, tenantId, user!, "link", ttlMs);
  }

  beforeAll(async () => {
    setNow(now);
    store = h.store();
    ctx = h.ctx();
    smtp = await startSmtpCapture();
    partner = await createTenantFixture(ctx, "northwind");
    customer = await createTenantFixture(ctx, "contoso");
    await importDirectory(
      ctx,
      partner.tenant.id,
      {
        roles: [],
        groups: [],
        users: partnerAdmins.map((email) => ({
          email,
          name: email,
          externalId: null,
          aliases: [],
          guest: false,
          roles: ["Partner Administrator"],
          groups: [],
        })),
      },
      [],
      "test",
    );
    app = await buildApp({
      ctx,
      config: testConfig({
        KITH_SMTP_URL: smtp.url,
        KITH_PUBLIC_URL: "http://kith.test",
        KITH_MAIL_FROM: "kith@kith.test",
      }),
    });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  describe("partner data sharing over HTTP", () => {
    it("request → mail → link approval + signed-in approval → insights → customer revokes", async () => {
      const pa = asSession(await sessionOf(partner.tenant.id, "pa@northwind.example"));
      const bad = await app.inject({
        ...pa,
        method: "POST",
        url: "/api/partner/requests",
        payload: {
          targetTenantId: customer.tenant.id,
          environmentId: "env-1",
          purpose: "uat",
          reviewers: ["admin@contoso.example", "admin@contoso.example"],
          confirmedEmployees: false,
        },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.problems.map((p: { field: string }) => p.field)).toEqual([
        "project",
        "reviewers[1]",
        "confirmedEmployees",
      ]);

      const created = await app.inject({
        ...pa,
        method: "POST",
        url: "/api/partner/requests",
        payload: {
          targetTenantId: customer.tenant.id,
          environmentId: "env-1",
          purpose: "production",
          reviewers: ["admin@contoso.example", "seller@contoso.example"],
          confirmedEmployees: true,
        },
      });
      expect(created.statusCode).toBe(201);
      const id: string = created.json().request.id;
      expect(created.json().request).toMatchObject({
        status: "pending",
        statusLabel: "Pending",
        customerName: null,
      });
      // Nothing about who was mailed: only whether this server can send mail at all (it can here).
      expect(Object.keys(created.json())).toEqual(["request", "mailConfigured"]);
      expect(created.json().mailConfigured).toBe(true);

      const gated = await app.inject({ ...pa, method: "GET", url: `/api/partner/requests/${id}/insights` });
      expect(gated.statusCode).toBe(403);
      expect(errorCode(gated)).toBe("consent_required");

      const adminLink = reviewLinkIn(await smtp.waitFor("admin@contoso.example"));
      const lookup = await app.inject({
        method: "POST",
        url: "/api/partner/review/lookup",
        payload: { token: adminLink.token },
      });
      expect(lookup.statusCode).toBe(200);
      expect(lookup.json()).toMatchObject({
        canDecide: true,
        request: { partnerName: "northwind", customerName: "contoso" },
      });
      const decided = await app.inject({
        method: "POST",
        url: "/api/partner/review/decide",
        payload: { token: adminLink.token, decision: "approve" },
      });
      expect(decided.json()).toEqual({ status: "pending", statusLabel: "Pending" });
      const again = await app.inject({
        method: "POST",
        url: "/api/partner/review/decide",
        payload: { token: adminLink.token, decision: "approve" },
      });
      expect(again.statusCode).toBe(401);

      // The seller answers signed in, from the data-consent page.
      const reviews = await app.inject({
        ...asSession(customer.seller),
        method: "GET",
        url: "/api/partner/reviews",
      });
      expect(reviews.json().reviews).toHaveLength(1);
      const approved = await app.inject({
        ...asSession(customer.seller),
        method: "POST",
        url: `/api/partner/reviews/${id}/decide`,
        payload: { decision: "approve" },
      });
      expect(approved.json().status).toBe("allowed");

      const insights = await app.inject({
        ...pa,
        method: "GET",
        url: `/api/partner/requests/${id}/insights`,
      });
      expect(insights.statusCode).toBe(200);
      expect(insights.json().request.customerName).toBe("contoso");

      const shared = await app.inject({
        ...asSession(customer.admin),
        method: "GET",
        url: "/api/partner/shared",
      });
      expect(shared.json().requests.map((r: { id: string }) => r.id)).toEqual([id]);
      const revoked = await app.inject({
        ...asSession(customer.admin),
        method: "POST",
        url: `/api/partner/shared/${id}/revoke`,
      });
      expect(revoked.json()).toMatchObject({ status: "not_allowed", closedReason: "revoked" });
      const afterRevoke = await app.inject({ ...pa, method: "GET", url: `/api/partner/requests/${id}` });
      expect(afterRevoke.json().customerName).toBeNull();
      // The partner's own tenant cannot revoke it, and the customer's seller is no admin.
      const sellerRevoke = await app.inject({
        ...asSession(customer.seller),
        method: "POST",
        url: `/api/partner/shared/${id}/revoke`,
      });
      expect(sellerRevoke.statusCode).toBe(403);
    });
  });

  describe("a partner learns nothing about another tenant before consent (issue 12, item 9)", () => {
    const unknownTenant = "no-such-tenant";
    const probes = () => [
      { targetTenantId: unknownTenant, reviewers: ["admin@contoso.example", "seller@contoso.example"] },
      { targetTenantId: customer.tenant.id, reviewers: ["eve@evil.example", "mallory@evil.example"] },
      { targetTenantId: customer.tenant.id, reviewers: ["admin@contoso.example", "seller@contoso.example"] },
    ];
    /** Masks what differs by construction: ids, dates, the named tenant and the typed addresses. */
    const blind = (text: string, probe: { targetTenantId: string; reviewers: string[] }) => {
      let out = text.replaceAll(probe.targetTenantId, "<target>");
      probe.reviewers.forEach((r, i) => (out = out.replaceAll(r, `<reviewer${i + 1}>`)));
      return out.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>");
    };
    const answerOf = (
      res: { statusCode: number; headers: Record<string, unknown>; body: string },
      probe: ReturnType<typeof probes>[number],
    ) => `${res.statusCode} ${String(res.headers["content-type"])} ${blind(res.body, probe)}`;
    const post = (pa: object, probe: ReturnType<typeof probes>[number], confirmedEmployees: boolean) =>
      app.inject({
        ...pa,
        method: "POST",
        url: "/api/partner/requests",
        payload: { ...probe, environmentId: "env-probe", purpose: "production", confirmedEmployees },
      });

    it("answers a missing tenant, strangers and real employees alike, on every partner route", async () => {
      const pa = asSession(await sessionOf(partner.tenant.id, "pa@northwind.example"));
      const refusals = new Set<string>();
      const answers = new Set<string>();
      const reads = new Set<string>();
      for (const probe of probes()) {
        refusals.add(answerOf(await post(pa, probe, false), probe));
        const created = await post(pa, probe, true);
        expect(created.statusCode).toBe(201);
        answers.add(answerOf(created, probe));
        const id: string = created.json().request.id;
        const one = await app.inject({ ...pa, method: "GET", url: `/api/partner/requests/${id}` });
        const insights = await app.inject({
          ...pa,
          method: "GET",
          url: `/api/partner/requests/${id}/insights`,
        });
        const list = await app.inject({ ...pa, method: "GET", url: "/api/partner/requests" });
        const listed = JSON.stringify(list.json().requests.find((r: { id: string }) => r.id === id));
        reads.add([answerOf(one, probe), answerOf(insights, probe), blind(listed, probe)].join("\n"));
      }
      expect(refusals.size).toBe(1);
      expect([...refusals][0]).toMatch(/^400 .*confirm that the reviewers/);
      expect(answers.size).toBe(1);
      expect(reads.size).toBe(1);
      for (const text of [...answers, ...reads]) {
        expect(text).not.toMatch(/contoso"|not a user|no tenant|directoryUser/);
        expect(text).toContain('"customerName":null');
      }
      expect([...reads][0]).toContain("403 ");
      // Only the real employees were mailed.
      await smtp.waitFor("admin@contoso.example");
      await smtp.waitFor("seller@contoso.example");
      expect(smtp.messages.some((m) => m.to.some((to) => to.endsWith("@evil.example")))).toBe(false);
    });

    it("limits attempts per user and per partner tenant, whatever they name", async () => {
      const sessions = [];
      for (const email of partnerAdmins.slice(1))
        sessions.push(asSession(await sessionOf(partner.tenant.id, email, 7 * 86_400_000)));
      const [first, second, third, fourth] = sessions;
      const probe = probes()[0]!;
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push((await post(first!, probe, false)).statusCode);
      expect(statuses.every((s) => s === 400)).toBe(true);
      const limited = await post(first!, probes()[2]!, true);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe("rate_limited");
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      // The budget is the user's: a colleague still gets through, until the tenant's is spent.
      expect((await post(second!, probe, false)).statusCode).toBe(400);
      for (let i = 0; i < 19; i++) await post(second!, probe, false);
      for (let i = 0; i < 20; i++) await post(third!, probe, false);
      expect((await post(fourth!, probe, false)).statusCode).toBe(429);
      // Resubmits and reviewer edits draw on the same budget.
      const edit = await app.inject({
        ...fourth!,
        method: "PUT",
        url: "/api/partner/requests/00000000-0000-4000-8000-000000000000/reviewers/1",
        payload: { email: "x@contoso.example", confirmedEmployee: true },
      });
      expect(edit.statusCode).toBe(429);
      // A new hour, a new budget.
      setNow(new Date(now.getTime() + 3_600_000));
      expect((await post(first!, probe, false)).statusCode).toBe(400);
    });
  });
});
