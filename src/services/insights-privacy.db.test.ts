import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
/**
 * Insights on a small generated tenant, on both engines: the engagement differencing case through
 * the service, intro paths and KPI top-3 lists without opted-out colleagues, CRM import, and
 * "my open opportunities" / pipeline bubbles.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { emailRecord as email } from "../../test/helpers/records";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import type { SourceRecord } from "../domain/interaction";
import { grantConsent, setDataSharing, setRelationshipIntelligence } from "./consent.service";
import { importCrmFile } from "./crm.service";
import { accountEngagement, parsePeriod } from "./engagement.service";
import { importRecords } from "./ingest.service";
import { whoKnowsWhom } from "./who-knows-whom.service";
import { myOpenOpportunities, pipelineBubbles, recordKpis } from "./kpis.service";
import { buildApp } from "../api/app";
import { testConfig } from "../api/api.fixture";
import { startSession } from "./auth.service";
import { findUserByAddress } from "../store/directory.repository";

const crmDir = new URL("../../test/fixtures/ingest/crm/", import.meta.url).pathname;
const admin = "admin@contoso.com";
const seller = "meganb@contoso.com";
const carl = "carl@contoso.com";
const anna = "anna@contoso.com";
const olga = "olga@contoso.com";
const crowd = ["u1", "u2", "u3", "u4", "u5"].map((u) => `${u}@contoso.com`);
const lee = "lee.gu@fabrikam.com";
const day = 86_400_000;

const user = directoryUser;

describeEachEngine("insights privacy, CRM and opportunities", (h) => {
  let tenantId = "";
  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      [...[seller, carl, anna, olga, "alexw@contoso.com", ...crowd].map((e) => user(e))],
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const base = Date.UTC(2026, 3, 1);
    const records: SourceRecord[] = [
      // Olga knows Lee best; Anna once, weakly (one mail each way).
      ...Array.from({ length: 6 }, (_, i) => [
        email(base + i * 3 * day, olga, [lee]),
        email(base + i * 3 * day + 3600_000, lee, [olga]),
      ]).flat(),
      email(base - 300 * day, anna, [lee]),
      email(base - 299 * day, lee, [anna]),
      // The internal graph: Megan ↔ Carl ↔ Anna, and Megan ↔ Olga.
      ...Array.from({ length: 5 }, (_, i) => [
        email(base + i * day, seller, [carl]),
        email(base + i * day + 1, carl, [seller]),
        email(base + i * day + 2, carl, [anna]),
        email(base + i * day + 3, anna, [carl]),
        email(base + i * day + 4, seller, [olga]),
        email(base + i * day + 5, olga, [seller]),
      ]).flat(),
      // Engagement: five colleagues mail Fabrikam in week 1 of January, Olga alone in week 3.
      ...crowd.map((u) => email("2026-01-03T10:00:00Z", u, ["buyer@fabrikam.com"])),
      email("2026-01-17T10:00:00Z", olga, ["buyer@fabrikam.com"]),
    ];
    const summary = await importRecords(ctx, tenantId, [{ name: "generated", records }]);
    expect(summary.status).toBe("done");
    await importCrmFile(ctx, tenantId, `${crmDir}crm.json`);
  });

  it("imports CRM files: one transaction each, bad rows named, idempotent", async () => {
    const ctx = h.ctx();
    const again = await importCrmFile(ctx, tenantId, `${crmDir}crm.json`);
    expect(again.status).toBe("done");
    expect(again.imported).toEqual({ accounts: 1, contacts: 2, leads: 1, opportunities: 1, activities: 2 });
    expect(again.rejected.map((r) => r.record)).toEqual([2, 9]);
    expect(again.rejected[1]?.reason).toMatch(/invalid activity: kind/);
    const mixed = await importCrmFile(ctx, tenantId, `${crmDir}mixed.csv`);
    expect(mixed.skippedDomains).toEqual([
      { account: "acc-contoso", domain: "contoso.com", reason: "internal_domain" },
    ]);
    expect(mixed.rejected).toEqual([
      expect.objectContaining({ record: 3, line: 4, reason: 'unknown entity "robot"' }),
    ]);
    const acts = await importCrmFile(ctx, tenantId, `${crmDir}activities.csv`);
    expect(acts.imported.activities).toBe(2);
    expect(acts.rejected.map((r) => r.line)).toEqual([4, 5]);
    const rows = await inspect(() =>
      ctx.store.db
        .selectFrom("account_domain")
        .select(["domain", "account_id"])
        .where("tenant_id", "=", tenantId)
        .orderBy("domain")
        .execute(),
    );
    expect(rows).toEqual([
      { domain: "contoso.net", account_id: "acc-contoso" },
      { domain: "fabrikam.co.uk", account_id: "acc-fabrikam" },
      { domain: "fabrikam.com", account_id: "acc-fabrikam" },
    ]);
  });

  it("fails a file it cannot read whole, keeping nothing of it", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "kith-crm-")), "broken.json");
    writeFileSync(path, '{"format":"kith-crm/1","accounts":[{"id":"acc-new","name":"New"}');
    const s = await importCrmFile(h.ctx(), tenantId, path);
    expect(s).toMatchObject({ status: "failed", imported: { accounts: 0 } });
    expect(s.failure).toMatch(/invalid JSON/);
  });

  it("releases engagement figures only where 5 colleagues stand behind them, always noised", async () => {
    const ctx = h.ctx();
    const figure = async (period: string) =>
      (await accountEngagement(ctx, tenantId, "fabrikam.com", parsePeriod(period), seller)).engagement.figures
        .emailsToAccount;
    expect(await figure("week:2026-01-1")).toMatchObject({ noised: true });
    expect(await figure("week:2026-01-3")).toEqual({ value: null, reason: "suppressed" });
    // January − week 1 is Olga's mail alone, but both are noised: the difference is too.
    expect(await figure("month:2026-01")).toMatchObject({ noised: true });
  });

  it("lists my open opportunities by relationship and places them on the pipeline chart", async () => {
    const ctx = h.ctx();
    const mine = await myOpenOpportunities(ctx, tenantId, seller, "health");
    expect(mine.opportunities.map((o) => o.id)).toEqual(["opp-renewal"]);
    expect(mine.opportunities[0]?.health.state).toBeDefined();
    expect((await myOpenOpportunities(ctx, tenantId, carl)).opportunities).toEqual([]);
    const chart = await pipelineBubbles(ctx, tenantId, seller);
    expect(chart.bubbles.length + chart.unplaced.length).toBe(1);
    for (const b of chart.bubbles) {
      expect(b).toMatchObject({ id: "opp-renewal", x: "2024-09-30", size: 120000 });
      expect(["good", "fair", "poor"]).toContain(b.colour);
    }
    const kpis = await recordKpis(ctx, tenantId, "opportunity", "opp-renewal", seller);
    expect(kpis.similarWonDeals).toMatchObject({ available: false, reason: "not_enough_history" });
  });

  it("offers warm intro paths next to weak introducers, and never an opted-out colleague", async () => {
    const ctx = h.ctx();
    const before = await whoKnowsWhom(ctx, tenantId, lee, seller);
    expect(before.introducers.map((i) => i.email)).toEqual([olga, anna]);
    const kpisBefore = await recordKpis(ctx, tenantId, "contact", lee, seller);
    const top3 = (k: typeof kpisBefore.kpis) =>
      [
        ...k.ours.mostContacted,
        ...k.ours.mostContactedBy,
        ...k.theirs.mostContacted,
        ...k.theirs.mostContactedBy,
      ].map((m) => m.address);
    expect(top3(kpisBefore.kpis)).toContain(olga);

    await setDataSharing(ctx, tenantId, olga, false);
    const after = await whoKnowsWhom(ctx, tenantId, lee, seller);
    expect(after.introducers.map((i) => i.email)).toEqual([anna]);
    expect(after.introducers[0]?.label).toBe("weak");
    // Anna is a weak tie: the way in is Megan → Carl → Anna, each hop explained.
    expect(after.introPaths?.[0]?.via.slice(0, 3)).toEqual(["meganb", "carl", "anna"]);
    expect(after.introPaths?.[0]?.hops.every((hop) => hop.explanation.length > 0)).toBe(true);
    // The API answers the same paths (the web app and API clients see what the CLI shows).
    const app = await buildApp({ ctx, config: testConfig() });
    const viewer = await findUserByAddress(ctx.store.db, tenantId, seller);
    const { token } = await startSession(ctx, tenantId, viewer!, "link", 3_600_000);
    const res = await app.inject({
      url: `/api/who-knows-whom?email=${encodeURIComponent(lee)}`,
      headers: { authorization: `Bearer ${token}` },
    });
    await app.close();
    expect(res.statusCode).toBe(200);
    const overHttp = res.json<{ introPaths?: unknown; introducers: { email: string }[] }>();
    expect(overHttp.introducers.map((i) => i.email)).toEqual([anna]);
    expect(overHttp.introPaths).toEqual(JSON.parse(JSON.stringify(after.introPaths)));
    const kpis = await recordKpis(ctx, tenantId, "contact", lee, seller);
    expect(top3(kpis.kpis)).not.toContain(olga);
    for (const answer of [
      after,
      overHttp,
      kpis,
      await accountEngagement(ctx, tenantId, "fabrikam.com", parsePeriod("month:2026-04"), seller),
    ])
      expect(JSON.stringify(answer)).not.toContain(olga);
  });

  it("leaves a colleague's CRM-logged calls out of every KPI once they turn data sharing off", async () => {
    const ctx = h.ctx();
    // crm.json logs a 20-minute call from Megan to Lee on the Fabrikam renewal; Megan has no mail
    // with Lee, so the call is her only trace in Lee's figures.
    const calls = async () => {
      const answer = await recordKpis(ctx, tenantId, "opportunity", "opp-renewal", carl);
      return {
        answer,
        minutes: answer.kpis.ours.timeSpentMinutes.calls + answer.kpis.theirs.timeSpentMinutes.calls,
      };
    };
    const before = await calls();
    expect(before.minutes).toBeGreaterThan(0);
    expect(JSON.stringify(before.answer)).toContain(seller);

    await setDataSharing(ctx, tenantId, seller, false);
    const after = await calls();
    expect(after.minutes).toBe(0);
    expect(after.answer.kpis.activityCount).toBe(before.answer.kpis.activityCount - 1);
    const contact = await recordKpis(ctx, tenantId, "contact", lee, null);
    for (const answer of [after.answer, contact]) expect(JSON.stringify(answer.kpis)).not.toContain(seller);
  });
});
