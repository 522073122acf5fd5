/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-explicit-any -- response bodies are JSON checked by value with expect() */
/**
 * The API's read cache (read-cache.ts) never serves an answer a change has made wrong, on both
 * engines: who-knows-whom over HTTP with a warm cached reader, then a change made through the
 * services (as another process or the CLI would: this app's own forget-on-write never runs), then
 * the very next request. The cache's lifetime is set to an hour, so only invalidation, never
 * expiry, can explain a fresh answer.
 */
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { emailRecord as email } from "../../test/helpers/records";
import { startSession } from "../services/auth.service";
import {
  grantConsent,
  setDataSharing,
  setHideAsIntroducer,
  setInsightRole,
  setRelationshipIntelligence,
  withdrawConsent,
} from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { findUserByAddress } from "../store/directory.repository";
import { testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";
import { ReadCache } from "./read-cache";

const day = 86_400_000;
const lee = "lee.gu@fabrikam.com";

describeEachEngine("read cache freshness", (h) => {
  let app: App;
  const cache = new ReadCache(3_600_000);
  let n = 0;

  /** A tenant where Olga knows Lee well and Anna a little; returns what a case needs. */
  async function tenant() {
    const ctx = h.ctx();
    const slug = `rc${++n}`;
    const domain = `${slug}.test`;
    const [admin, seller, olga, anna, carl] = ["admin", "seller", "olga", "anna", "carl"].map(
      (u) => `${u}@${domain}`,
    ) as [string, string, string, string, string];
    const tenantId = await createTenantWithUsers(ctx, { name: slug, slug, domain, admin }, [
      directoryUser(seller),
      directoryUser(olga),
      directoryUser(anna),
      directoryUser(carl),
    ]);
    await grantConsent(ctx, tenantId, "identifiable", admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const base = Date.UTC(2026, 3, 1);
    const records = [
      ...Array.from({ length: 6 }, (_, i) => [
        email(base + i * 3 * day, olga, [lee]),
        email(base + i * 3 * day + 3_600_000, lee, [olga]),
      ]).flat(),
      email(base - 200 * day, anna, [lee]),
      email(base - 199 * day, lee, [anna]),
    ];
    expect((await importRecords(ctx, tenantId, [{ name: "mail", records }])).status).toBe("done");
    const user = await findUserByAddress(ctx.store.db, tenantId, seller);
    const { token } = await startSession(ctx, tenantId, user!, "link", 3_600_000 * 24 * 365);
    const ask = async () => {
      const res = await app.inject({
        method: "GET",
        url: `/api/who-knows-whom?email=${encodeURIComponent(lee)}`,
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.statusCode, body: res.json<Record<string, any>>() };
    };
    const names = async () => {
      const r = await ask();
      expect(r.status).toBe(200);
      return (r.body.introducers as { email: string }[]).map((i) => i.email).sort();
    };
    // Warm: the second answer comes from the cached reader (checked below, per case).
    expect(await names()).toEqual([anna, olga]);
    const reader = await cache.whoKnowsWhomReader(ctx, tenantId, seller);
    expect(await cache.whoKnowsWhomReader(ctx, tenantId, seller)).toBe(reader);
    expect(await names()).toEqual([anna, olga]);
    const cachedStill = async () => (await cache.whoKnowsWhomReader(ctx, tenantId, seller)) === reader;
    return { ctx, tenantId, admin, seller, olga, anna, carl, ask, names, cachedStill };
  }

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    app = await buildApp({ ctx: h.ctx(), config: testConfig(), readCache: cache });
  });

  it("shows new mail in the very next answer (stored strengths are never cached)", async () => {
    const t = await tenant();
    const at = Date.UTC(2026, 4, 20);
    await importRecords(t.ctx, t.tenantId, [
      { name: "more", records: [email(at, t.carl, [lee]), email(at + 3_600_000, lee, [t.carl])] },
    ]);
    expect(await t.cachedStill()).toBe(true); // no audit entry: the same reader answers
    expect(await t.names()).toEqual([t.anna, t.carl, t.olga].sort());
  });

  it("decays strength with the clock in the next answer, with the same cached reader", async () => {
    const t = await tenant();
    const strength = async () =>
      ((await t.ask()).body.introducers as { email: string; strength: number }[]).find(
        (i) => i.email === t.olga,
      )?.strength;
    const now = await strength();
    h.setNow("2026-10-01T09:00:00Z");
    try {
      const later = await strength();
      expect(await t.cachedStill()).toBe(true);
      expect(later).toBeLessThan(now!);
      expect((await t.ask()).body.asOf).toBe("2026-10-01T09:00:00.000Z");
    } finally {
      h.setNow("2026-06-01T09:00:00Z");
    }
  });

  it("drops a colleague who hides as an introducer or stops sharing, at once", async () => {
    const t = await tenant();
    await setHideAsIntroducer(t.ctx, t.tenantId, t.olga, true);
    expect(await t.cachedStill()).toBe(false);
    expect(await t.names()).toEqual([t.anna]);
    await setDataSharing(t.ctx, t.tenantId, t.anna, false);
    expect(await t.names()).toEqual([]);
  });

  it("refuses at once when the viewer's role loses the grant", async () => {
    const t = await tenant();
    await setInsightRole(t.ctx, t.tenantId, "who_knows_whom", "Salesperson", false, t.admin);
    const r = await t.ask();
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("insufficient_privileges");
  });

  it("refuses at once when the tenant withdraws its consent", async () => {
    const t = await tenant();
    await withdrawConsent(t.ctx, t.tenantId, "identifiable", t.admin);
    const r = await t.ask();
    expect(r.status).toBe(403);
    expect(["consent_required", "insights_disabled"]).toContain(r.body.error.code);
  });
});
