import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import type { KithError } from "../domain/errors";
import { grantConsent, setDataSharing, setRelationshipIntelligence } from "./consent.service";
import { accountEngagement } from "./engagement.service";
import { importBatch } from "./ingest.service";
import { defaultStrengthParams } from "../insights/strength";
import { recomputeIfStale } from "../jobs/sync.job";
import { listAuditEntries } from "./audit.service";
import { accountIntroducers, whoKnowsWhom } from "./who-knows-whom.service";
import { myNetwork } from "./my-network.service";
import { recomputeStrengths, updateStrengthParams } from "./strength-recompute.service";
import { setIntroductionTemplate } from "./ri-settings.service";
import { recordKpis } from "./kpis.service";

const fixture = new URL("../../test/fixtures/insights/enron-allen-excerpt.mbox", import.meta.url).pathname;
const admin = "admin@enron.com";
const allen = "phillip.allen@enron.com";
const seller = "seller@enron.com";
const clerk = "clerk@enron.com";
const target = "jsmith@austintx.com";

const user = directoryUser;

async function expectCode(p: Promise<unknown>, code: KithError["code"]) {
  await expect(p).rejects.toMatchObject({ code } satisfies Partial<KithError>);
}

describeEachEngine("insights on a real Enron excerpt", (h) => {
  let tenantId = "";
  beforeAll(async () => {
    h.setNow("2001-06-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Enron", slug: "enron", domain: "enron.com", admin },
      [
        user(allen, ["Salesperson"], ["k..allen@enron.com", "pallen@enron.com"]),
        user(seller, ["Salesperson"]),
        user(clerk, []),
      ],
    );
  });

  it("refuses before consent: consent_required, not an empty list", async () => {
    await expectCode(whoKnowsWhom(h.ctx(), tenantId, target, seller), "consent_required");
    await expectCode(recordKpis(h.ctx(), tenantId, "contact", target, seller), "consent_required");
    await expectCode(myNetwork(h.ctx(), tenantId, allen), "consent_required");
  });

  it("answers every insight once consented, with the viewer never their own introducer", async () => {
    const ctx = h.ctx();
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const summary = await importBatch(ctx, tenantId, [fixture], { owner: allen, format: "mbox" });
    expect(summary.status).toBe("done");
    expect(summary.stored).toBeGreaterThan(10);

    const answer = await whoKnowsWhom(ctx, tenantId, target, seller);
    expect(answer.introducers.map((i) => i.email)).toEqual([allen]);
    expect(answer.introducers[0]!.explanation).toMatch(/email/);
    expect(answer.introducers[0]!.introductionDraft.body).toContain(target);
    // The same answer for the operator, and none for Allen himself (he is the only one who knows them).
    const asOperator = (await whoKnowsWhom(ctx, tenantId, target, null)).introducers;
    expect(asOperator.map((i) => [i.email, i.strength])).toEqual(
      answer.introducers.map((i) => [i.email, i.strength]),
    );
    expect((await whoKnowsWhom(ctx, tenantId, target, allen)).introducers).toEqual([]);

    const account = await accountIntroducers(ctx, tenantId, "austintx.com", seller);
    expect(account.introducers.map((i) => i.email)).toEqual([allen]);
    const kpis = await recordKpis(ctx, tenantId, "contact", target, seller);
    expect(kpis.kpis.activityCount).toBeGreaterThan(0);
    expect(
      kpis.kpis.theirs.mostContactedBy
        .map((m) => m.address)
        .concat(kpis.kpis.ours.mostContacted.map((m) => m.address)),
    ).toContain(target);
    const mine = await myNetwork(ctx, tenantId, allen);
    expect(mine.strongestTies.length).toBeGreaterThan(0);
    const engagement = await accountEngagement(
      ctx,
      tenantId,
      "austintx.com",
      { unit: "year", year: 2000 },
      seller,
    );
    expect(engagement.engagement.figures.emailsToAccount.value).toBeNull(); // one colleague < k = 5
    expect((await recomputeStrengths(ctx, tenantId)).pairs).toBeGreaterThan(0);
    expect((await whoKnowsWhom(ctx, tenantId, target, seller)).introducers[0]!.strength).toBe(
      answer.introducers[0]!.strength,
    );
  });

  it("audits strength and template changes, and records what a recompute built the states with", async () => {
    const ctx = h.ctx();
    const changed = await updateStrengthParams(ctx, tenantId, { halfLifeDays: 75 }, admin);
    expect(changed.recomputed?.pairs).toBeGreaterThan(0);
    // The worker finds the states up to date: the recompute recorded its parameters.
    expect(await recomputeIfStale(ctx, tenantId, "test")).toMatchObject({ status: "up to date" });
    await setIntroductionTemplate(ctx, tenantId, { subject: "Intro {{target.name}}", body: "Hi" }, admin);
    const actions = (await listAuditEntries(ctx, tenantId, { limit: 5, action: "settings." })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(["settings.strength_params_changed", "settings.introduction_template_changed"]),
    );
    await updateStrengthParams(ctx, tenantId, { halfLifeDays: defaultStrengthParams.halfLifeDays }, admin);
  });

  it("refuses a role without the grant, and My network for anyone but its user", async () => {
    await expectCode(whoKnowsWhom(h.ctx(), tenantId, target, clerk), "insufficient_privileges");
    await expectCode(recordKpis(h.ctx(), tenantId, "contact", target, clerk), "insufficient_privileges");
  });

  it("never shows an opted-out colleague in any insight", async () => {
    const ctx = h.ctx();
    await setDataSharing(ctx, tenantId, allen, false);
    const answer = await whoKnowsWhom(ctx, tenantId, target, seller);
    expect(JSON.stringify(answer)).not.toContain(allen);
    expect(JSON.stringify(await accountIntroducers(ctx, tenantId, "austintx.com", seller))).not.toContain(
      allen,
    );
    expect(
      JSON.stringify(await recordKpis(ctx, tenantId, "contact", target, seller).catch(() => ({}))),
    ).not.toContain(allen);
    expect(
      JSON.stringify(
        await accountEngagement(ctx, tenantId, "austintx.com", { unit: "year", year: 2000 }, seller).catch(
          () => ({}),
        ),
      ),
    ).not.toContain(allen);
    await expectCode(myNetwork(ctx, tenantId, allen), "consent_required");
  });
});

describe("fixture", () => {
  it("is a real excerpt", () => expect(fixture).toMatch(/enron-allen-excerpt/));
});
