/**
 * Retention (issue 18): the scheduled job removes collected data older than the tenant's window
 * (default 24 months) and keeps newer data, on an injected clock; strength states are rebuilt to
 * match exactly the interactions that remain, and people nothing names any more leave.
 */
import { collectedRows, storedStatesText } from "../../test/helpers/collected-rows";
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { jobDefinitions } from "../jobs/definitions";
import { createJobQueue } from "../jobs/queue";
import { JobWorker } from "../jobs/worker";
import { listAudit } from "../store/audit.repository";
import { findPerson, pairStatesForPerson } from "../store/insight.repository";
import { grantConsent, setRelationshipIntelligence } from "./consent.service";
import { importRecords } from "./ingest.service";
import { enforceRetention, readRetention, setRetention } from "./retention.service";
import { recomputeStrengths } from "./strength-recompute.service";
import { whoKnowsWhom } from "./who-knows-whom.service";

const admin = "admin@contoso.com";
const megan = "meganb@contoso.com";
const alex = "alexw@contoso.com";
const old = "old@fabrikam.com";
const both = "both@fabrikam.com";
const fresh = "new@fabrikam.com";

describeEachEngine("retention", (h) => {
  let tenantId = "";

  /** Every strength state of the tenant, as stored (bytes in hex). */
  const states = () => storedStatesText(h.store(), tenantId);
  const times = async () =>
    (await collectedRows(h.store(), tenantId)).interactions
      .map((r) => r.occurred_at)
      .sort((x, y) => x - y)
      .map((at) => new Date(at).toISOString());

  beforeAll(async () => {
    h.setNow("2026-06-15T09:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      [directoryUser(megan), directoryUser(alex)],
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const summary = await importRecords(ctx, tenantId, [
      {
        name: "history",
        records: [
          emailRecord("2024-01-05T10:00:00Z", megan, [alex]),
          emailRecord("2024-03-01T10:00:00Z", megan, [old]),
          emailRecord("2024-06-10T10:00:00Z", megan, [both]),
          emailRecord("2024-06-20T10:00:00Z", both, [megan]),
          emailRecord("2026-01-05T10:00:00Z", alex, [megan]),
          emailRecord("2026-05-01T10:00:00Z", alex, [fresh]),
        ],
      },
    ]);
    expect(summary.stored).toBe(6);
  });

  it("defaults to 24 months and says where the cutoff is", async () => {
    expect(await readRetention(h.ctx(), tenantId)).toEqual({
      months: 24,
      cutoff: new Date("2024-06-15T09:00:00Z"),
    });
  });

  it("the scheduled job removes what is older than the window and keeps the rest", async () => {
    const queue = createJobQueue(h.ctx(), jobDefinitions);
    await queue.enqueue({ name: "retention.enforce", tenantId });
    const worker = new JobWorker(h.ctx(), jobDefinitions);
    const ran = await worker.runOnce();
    expect(ran?.outcome).toBe("done");
    expect(await times()).toEqual([
      "2024-06-20T10:00:00.000Z",
      "2026-01-05T10:00:00.000Z",
      "2026-05-01T10:00:00.000Z",
    ]);
    const db = h.store().db;
    // Known only through removed mail: gone from people and from who-knows-whom.
    expect(await inspect(() => findPerson(db, tenantId, old))).toBeUndefined();
    expect((await whoKnowsWhom(h.ctx(), tenantId, old, megan)).introducers).toEqual([]);
    // The removed person's sealed address leaves the address book; a kept person's stays.
    const book = (await collectedRows(h.store(), tenantId)).addresses;
    expect(book).not.toContain(old);
    expect(book).toContain(both);
    // Known before and after the cutoff: kept, starting at the mail that remains.
    const person = await inspect(() => findPerson(db, tenantId, both));
    expect(person).toBeDefined();
    const [pair] = await inspect(() => pairStatesForPerson(db, tenantId, both));
    expect(pair!.state.firstAt).toBe(Date.parse("2024-06-20T10:00:00Z"));
    expect(Object.values(pair!.state.counts.email).reduce((a, b) => a + b, 0)).toBe(1);
    expect((await whoKnowsWhom(h.ctx(), tenantId, fresh, megan)).introducers.map((i) => i.email)).toEqual([
      alex,
    ]);
    const audit = (await listAudit(db, tenantId, { limit: 1 }))[0];
    expect(audit).toMatchObject({ actor: "system", action: "retention.enforced" });
  });

  it("leaves strength states exactly as a full rebuild from the remaining mail makes them", async () => {
    const afterRetention = await states();
    expect(afterRetention).toContain(both);
    expect(afterRetention).not.toContain(old);
    await recomputeStrengths(h.ctx(), tenantId);
    expect(await states()).toBe(afterRetention);
  });

  it("does nothing when run again at the same time, and follows the clock a month later", async () => {
    const again = await enforceRetention(h.ctx(), tenantId);
    expect(again.counts.interactions).toBe(0);
    expect(again.strengthRebuilt).toBe(false);
    h.setNow("2026-07-16T09:00:00Z");
    const later = await enforceRetention(h.ctx(), tenantId);
    expect(later.counts).toMatchObject({ interactions: 1, persons: 1 });
    expect(await times()).toEqual(["2026-01-05T10:00:00.000Z", "2026-05-01T10:00:00.000Z"]);
    expect(await inspect(() => findPerson(h.store().db, tenantId, both))).toBeUndefined();
  });

  it("a shorter window takes effect at the next run; off keeps everything", async () => {
    const ctx = h.ctx();
    await setRetention(ctx, tenantId, null, admin);
    h.setNow("2027-06-01T09:00:00Z");
    expect((await enforceRetention(ctx, tenantId)).counts.interactions).toBe(0);
    expect(await times()).toHaveLength(2);
    expect((await setRetention(ctx, tenantId, 6, admin)).cutoff).toEqual(new Date("2026-12-01T09:00:00Z"));
    expect((await enforceRetention(ctx, tenantId)).counts.interactions).toBe(2);
    expect(await times()).toEqual([]);
    await expect(setRetention(ctx, tenantId, 0, admin)).rejects.toThrow(/1 to 240/);
  });
});
