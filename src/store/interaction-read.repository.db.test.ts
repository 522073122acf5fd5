/**
 * `iterateInteractions` on the lean schema: fingerprints are stored as signed 64-bit integers, yet
 * the stream keeps its order (time, then the 16-hex-digit id as text, where ids from 8… on are the
 * negative integers), across page boundaries inside one instant, with every interaction once.
 */
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { emailRecord as email } from "../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { setCaptureLevel } from "../services/ri-settings.service";
import { interactionsWithAddresses } from "./insight.repository";
import { iterateInteractions, type StoredInteraction } from "./interaction-read.repository";

const admin = "admin@us.test";
const seller = "seller@us.test";
const T0 = Date.UTC(2026, 3, 1, 9);
const people = Array.from({ length: 40 }, (_, i) => `p${i}@them.test`);

describeEachEngine("iterateInteractions", (h) => {
  let tenantId = "";

  beforeAll(async () => {
    h.setNow("2026-06-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(ctx, { name: "Us", slug: "us", domain: "us.test", admin }, [
      directoryUser(seller),
    ]);
    await grantConsent(ctx, tenantId, "identifiable", admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    await setCaptureLevel(ctx, tenantId, "subject", admin);
    // 30 messages at one instant, 10 at instants of their own, before and after it.
    const records = people.map((p, i) =>
      email(i < 30 ? T0 : T0 + (i - 34) * 60_000, seller, [p], { subject: `About ${i}` }),
    );
    expect((await importRecords(ctx, tenantId, [{ name: "mail", records }])).stored).toBe(40);
  });

  it("streams every interaction once, by time then id text, across pages inside one instant", async () => {
    const db = h.store().db;
    const streamed: StoredInteraction[] = [];
    for await (const i of iterateInteractions(db, tenantId, 4)) streamed.push(i);
    expect(streamed.length).toBe(40);
    expect(new Set(streamed.map((i) => i.id)).size).toBe(40);
    for (let k = 1; k < streamed.length; k++) {
      const [a, b] = [streamed[k - 1]!, streamed[k]!];
      expect(a.occurredAt < b.occurredAt || (a.occurredAt === b.occurredAt && a.id < b.id), b.id).toBe(true);
    }
    // What the case is about: ids on both sides of the sign bit at one instant.
    const atOnce = streamed.filter((i) => i.occurredAt === T0).map((i) => i.id);
    expect(atOnce.some((id) => id < "8")).toBe(true);
    expect(atOnce.some((id) => id >= "8")).toBe(true);
    // The same values as the read by address, in the same order.
    expect(streamed).toEqual(await interactionsWithAddresses(db, tenantId, people));
    expect(streamed[0]!.subject).toMatch(/^About /);
    expect(streamed[0]!.parties).toEqual([
      { address: seller, role: "from", userId: expect.any(String) as string },
      { address: expect.stringMatching(/@them\.test$/) as string, role: "to", userId: null },
    ]);
  });
});
