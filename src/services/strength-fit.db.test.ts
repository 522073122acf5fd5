import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { listAuditEntries } from "./audit.service";
import { grantConsent, setRelationshipIntelligence } from "./consent.service";
import { importBatch } from "./ingest.service";
import { whoKnowsWhom } from "./who-knows-whom.service";
import { fitTenantStrength, readStrengthFit } from "./strength-fit.service";
import { readTenantOptions } from "./tenant-options";

const admin = "admin@corp.test";
const old = "old@corp.test";
const recent = "recent@corp.test";
const day = 86_400_000;
const asOf = Date.UTC(2001, 11, 1);

let n = 0;
function message(at: number, from: string, to: string): string {
  n++;
  return [
    "From MAILER-DAEMON Mon Apr 18 14:23:23 2022",
    `Message-ID: <fit${n}@corp.test>`,
    `Date: ${new Date(at).toUTCString().replace("GMT", "+0000")}`,
    `From: ${from}`,
    `To: ${to}`,
    `Subject: s${n}`,
    "",
    "(body)",
    "",
  ].join("\n");
}

/**
 * Two questions per 90-day window (three to choose on, one to report): "old" had 20 exchanges
 * 200 days before the cut-off, "recent" 5 exchanges 5 days before, and "recent" is who writes
 * with the person next. Only a short half-life ranks "recent" first.
 */
function corpus(): string {
  const parts: string[] = [];
  const reportCut = asOf - 90 * day;
  for (const cut of [reportCut - 270 * day, reportCut - 180 * day, reportCut - 90 * day, reportCut]) {
    for (const i of [1, 2]) {
      const person = `p${cut}-${i}@ext.example`;
      for (let k = 0; k < 20; k++) {
        parts.push(message(cut - 200 * day - k * 3_600_000, old, person));
        parts.push(message(cut - 200 * day - k * 3_600_000 + 60_000, person, old));
      }
      for (let k = 0; k < 5; k++) {
        parts.push(message(cut - 5 * day - k * 3_600_000, recent, person));
        parts.push(message(cut - 5 * day - k * 3_600_000 + 60_000, person, recent));
      }
      parts.push(message(cut + 10 * day, recent, person));
    }
  }
  return parts.join("");
}

describeEachEngine("strength fitted to the tenant, through the service", (h) => {
  let tenantId = "";
  beforeAll(async () => {
    h.setNow("2002-01-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(ctx, { name: "Corp", slug: "corp", domain: "corp.test", admin }, [
      directoryUser(old),
      directoryUser(recent),
    ]);
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const file = join(mkdtempSync(join(tmpdir(), "kith-fit-")), "mail.mbox");
    writeFileSync(file, corpus());
    const summary = await importBatch(ctx, tenantId, [file], {
      owners: new Map([[file, old]]),
      format: "mbox",
    });
    expect(summary.stored).toBe(8 * 51);
  });

  it("measures without saving, then adopts, audits and rebuilds strengths with --save", async () => {
    const ctx = h.ctx();
    const dry = await fitTenantStrength(ctx, tenantId, { asOf: new Date(asOf), minTargets: 4 });
    expect(dry.fit).toMatchObject({
      status: "fitted",
      change: { halfLifeDays: 30 },
      choose: { targets: 6, tuned: 1, untuned: 0.5, frequency: 0.5 },
      report: { targets: 2, tuned: 1, untuned: 0.5, frequency: 0.5 },
      interactions: 408,
    });
    expect(await readStrengthFit(ctx, tenantId)).toBeNull();
    expect((await readTenantOptions(ctx.store.db, tenantId)).strength.halfLifeDays).toBe(90);

    const saved = await fitTenantStrength(ctx, tenantId, {
      asOf: new Date(asOf),
      minTargets: 4,
      save: true,
      by: admin,
    });
    expect(saved.recomputed?.pairs).toBeGreaterThan(0);
    expect((await readTenantOptions(ctx.store.db, tenantId)).strength.halfLifeDays).toBe(30);
    expect(await readStrengthFit(ctx, tenantId)).toMatchObject({
      status: "fitted",
      base: { halfLifeDays: 90 },
    });
    const [entry] = await listAuditEntries(ctx, tenantId, { limit: 1, action: "settings.strength_fitted" });
    expect(entry).toMatchObject({ actor: admin, details: { status: "fitted", reportMrr: 1 } });
    // Who knows whom now ranks with the fitted parameters: the recent colleague first.
    const person = `p${asOf - 90 * day}-1@ext.example`;
    const answer = await whoKnowsWhom(ctx, tenantId, person, null, new Date(asOf - 90 * day));
    expect(answer.introducers.map((i) => i.email)).toEqual([recent, old]);
    // A re-fit starts from the administrator's own parameters, not from the previous fit.
    const again = await fitTenantStrength(ctx, tenantId, { asOf: new Date(asOf), minTargets: 4 });
    expect(again.fit.base.halfLifeDays).toBe(90);
  });
});
