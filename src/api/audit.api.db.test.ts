import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { grantConsent, setHideAsIntroducer, withdrawConsent } from "../services/consent.service";
import { buildApp } from "./app";
import {
  asSession,
  createTenantFixture,
  errorCode,
  testConfig,
  type App,
  type TenantFixture,
} from "./api.fixture";

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
}

describeEachEngine("audit log over HTTP: filter by actor, action and date; CSV export", (h) => {
  let app: App;
  let a: TenantFixture;
  const admin = "admin@alpha.example";
  const seller = "seller@alpha.example";

  beforeAll(async () => {
    h.setNow("2026-03-01T09:00:00Z");
    a = await createTenantFixture(h.ctx(), "alpha");
    h.setNow("2026-03-02T09:00:00Z");
    await grantConsent(h.ctx(), a.tenant.id, "aggregated", admin);
    h.setNow("2026-03-03T09:00:00Z");
    await setHideAsIntroducer(h.ctx(), a.tenant.id, seller, true);
    h.setNow("2026-03-04T09:00:00Z");
    await withdrawConsent(h.ctx(), a.tenant.id, "aggregated", admin);
    // The fixture's sessions last an hour from the first day.
    h.setNow("2026-03-01T09:30:00Z");
    app = await buildApp({ ctx: h.ctx(), config: testConfig() });
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string) => app.inject(asSession(a.admin, { url }));
  const entries = async (q: string) => {
    const res = await get(`/api/audit?${q}`);
    expect(res.statusCode).toBe(200);
    return res.json<{ entries: Entry[] }>().entries;
  };

  it("filters on the server by actor, action prefix and a date range, newest first", async () => {
    const bySeller = await entries(`actor=${encodeURIComponent(seller)}`);
    expect(bySeller.map((e) => e.action)).toEqual(["privacy.introducer_hidden"]);
    const consent = await entries("action=consent.");
    expect(consent.map((e) => e.action)).toEqual(["consent.withdrawn", "consent.granted"]);
    expect(consent.every((e) => e.actor === admin)).toBe(true);
    const day3 = await entries("from=2026-03-03T00:00:00.000Z&to=2026-03-04T00:00:00.000Z");
    expect(day3.map((e) => [e.action, e.at])).toEqual([
      ["privacy.introducer_hidden", "2026-03-03T09:00:00.000Z"],
    ]);
    const combined = await entries(
      `actor=${encodeURIComponent(admin)}&action=consent.&from=2026-03-04T00:00:00.000Z`,
    );
    expect(combined.map((e) => e.action)).toEqual(["consent.withdrawn"]);
  });

  it("refuses a malformed filter with a clear error", async () => {
    const res = await get("/api/audit?from=yesterday");
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe("validation_failed");
    expect(res.body).toContain("from");
  });

  it("exports the filtered entries as CSV with readable details, never to a seller", async () => {
    const res = await get("/api/audit/export?action=consent.");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers["content-disposition"]).toMatch(
      /attachment; filename="kith-audit-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = res.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe("seq,at,actor,action,subject,details,hash");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^\d+,2026-03-04T09:00:00\.000Z,admin@alpha\.example,consent\.withdrawn,aggregated,/,
    );
    // Details in words (key: value), not a JSON object.
    expect(lines[1]).not.toMatch(/,\{"/);
    const forbidden = await app.inject(asSession(a.seller, { url: "/api/audit/export" }));
    expect(forbidden.statusCode).toBe(403);
  });
});
