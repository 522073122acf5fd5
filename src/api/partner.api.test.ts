/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- response bodies are JSON checked by value with expect() */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewLinkIn, startSmtpCapture, type SmtpCapture } from "../../test/helpers/smtp";
import { startSession } from "../services/auth.service";
import { createContext, type ServiceContext } from "../services/context";
import { importDirectory } from "../services/directory.service";
import { findUserByAddress } from "../store/directory.repository";
import { openStore, type Store } from "../store/store";
import {
  asSession,
  createTenantFixture,
  errorCode,
  testConfig,
  type App,
  type TenantFixture,
} from "./api.fixture";
import { buildApp } from "./app";

let dir: string;
let store: Store;
let ctx: ServiceContext;
let app: App;
let smtp: SmtpCapture;
let partner: TenantFixture;
let customer: TenantFixture;

async function sessionOf(tenantId: string, email: string) {
  const user = await findUserByAddress(store.db, tenantId, email);
  return startSession(ctx, tenantId, user!, "link", 3_600_000);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kith-partner-api-"));
  store = await openStore(join(dir, "kith.db"));
  ctx = createContext(store, () => new Date("2026-06-01T09:00:00Z"));
  smtp = await startSmtpCapture();
  partner = await createTenantFixture(ctx, "northwind");
  customer = await createTenantFixture(ctx, "contoso");
  await importDirectory(
    ctx,
    partner.tenant.id,
    {
      roles: [],
      groups: [],
      users: [
        {
          email: "pa@northwind.example",
          name: "Pat",
          externalId: null,
          aliases: [],
          guest: false,
          roles: ["Partner Administrator"],
          groups: [],
        },
      ],
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
  await store.close();
  rmSync(dir, { recursive: true, force: true });
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
    expect(created.json().deliveries.map((d: { sent: boolean }) => d.sent)).toEqual([true, true]);

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

    const insights = await app.inject({ ...pa, method: "GET", url: `/api/partner/requests/${id}/insights` });
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
