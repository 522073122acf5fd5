/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are JSON checked by value with expect() */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import type { ServiceContext } from "../services/context";
import { importRecords } from "../services/ingest.service";
import { whoKnowsWhom } from "../services/who-knows-whom.service";
import {
  asSession,
  createTenantFixture,
  errorCode,
  testConfig,
  type App,
  type TenantFixture,
} from "./api.fixture";
import { buildApp } from "./app";

const customer = "buyer@customer.example";

/** Deletion requests and retention over HTTP: what an administrator does and shows. */
describeEachEngine("deletion requests and retention over HTTP", (h) => {
  let ctx: ServiceContext;
  let app: App;
  let a: TenantFixture;

  beforeAll(async () => {
    ctx = h.ctx();
    a = await createTenantFixture(ctx, "alpha");
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, a.tenant.id, t, "admin@alpha.example");
    await setRelationshipIntelligence(ctx, a.tenant.id, true, "admin@alpha.example");
    await importRecords(ctx, a.tenant.id, [
      {
        name: "mail",
        records: [
          emailRecord("2026-05-01T10:00:00Z", "seller@alpha.example", [customer]),
          emailRecord("2026-05-02T10:00:00Z", customer, ["seller@alpha.example", "admin@alpha.example"]),
        ],
      },
    ]);
    app = await buildApp({ ctx, config: testConfig() });
  });
  afterAll(async () => {
    await app.close();
  });

  it("forgets the person, answers with the receipt, and lists and shows it", async () => {
    const seller = await app.inject(
      asSession(a.seller, { method: "POST", url: "/api/privacy/forget", payload: { address: customer } }),
    );
    expect(seller.statusCode).toBe(403);
    const res = await app.inject(
      asSession(a.admin, {
        method: "POST",
        url: "/api/privacy/forget",
        payload: { address: customer, reason: "email of 2026-05-30" },
      }),
    );
    expect(res.statusCode).toBe(201);
    const body = res.json<{ receipt: { id: string } }>();
    expect(body).toMatchObject({
      alreadyForgotten: false,
      receipt: {
        requestedBy: "admin@alpha.example",
        reason: "email of 2026-05-30",
        counts: { interactionsDeleted: 1, interactionsRedacted: 1, persons: 1 },
      },
    });
    expect(res.body).not.toContain(customer);
    expect((await whoKnowsWhom(ctx, a.tenant.id, customer, "seller@alpha.example")).introducers).toEqual([]);

    const list = await app.inject(asSession(a.admin, { url: "/api/privacy/forget-requests" }));
    expect(list.json<{ requests: { id: string }[] }>().requests.map((r) => r.id)).toEqual([body.receipt.id]);
    const byAddress = await app.inject(
      asSession(a.admin, { url: `/api/privacy/forget-requests?address=${encodeURIComponent(customer)}` }),
    );
    expect(byAddress.json().requests).toHaveLength(1);
    const other = await app.inject(
      asSession(a.admin, { url: "/api/privacy/forget-requests?address=someone%40else.example" }),
    );
    expect(other.json().requests).toEqual([]);
    const one = await app.inject(
      asSession(a.admin, { url: `/api/privacy/forget-requests/${body.receipt.id}` }),
    );
    expect(one.json()).toEqual(body.receipt);
    const missing = await app.inject(asSession(a.admin, { url: "/api/privacy/forget-requests/nope" }));
    expect(missing.statusCode).toBe(404);
  });

  it("refuses a colleague's address with a validation error", async () => {
    const res = await app.inject(
      asSession(a.admin, {
        method: "POST",
        url: "/api/privacy/forget",
        payload: { address: "seller@alpha.example" },
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe("validation_failed");
  });

  it("shows and changes the retention window, refusing one out of range", async () => {
    const shown = await app.inject(asSession(a.admin, { url: "/api/retention" }));
    expect(shown.json()).toEqual({ months: 24, cutoff: "2024-06-01T09:00:00.000Z" });
    const seller = await app.inject(asSession(a.seller, { url: "/api/retention" }));
    expect(seller.statusCode).toBe(403);
    const put = (months: unknown) =>
      app.inject(asSession(a.admin, { method: "PUT", url: "/api/retention", payload: { months } }));
    expect((await put(12)).json()).toEqual({ months: 12, cutoff: "2025-06-01T09:00:00.000Z" });
    expect((await put("off")).json()).toEqual({ months: null, cutoff: null });
    expect((await put(null)).statusCode).toBe(400);
    expect((await put(0)).statusCode).toBe(400);
  });
});
