import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import type { EmailRecord } from "../domain/interaction";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import {
  interactionPartiesWithAddresses,
  interactionsWithAddresses,
  withPartyTuples,
} from "./insight.repository";

const admin = "admin@us.test";
const seller = "seller@us.test";
const T0 = Date.UTC(2026, 0, 5, 9);
const hour = 3_600_000;

function email(n: number, at: number, from: string, to: string[], cc: string[] = []): EmailRecord {
  return {
    type: "email",
    position: { file: "test", record: n },
    messageId: `m${n}@test`,
    conversationId: n % 3 === 0 ? `conv${n % 4}` : null,
    inReplyTo: null,
    sentAt: new Date(at),
    from: { address: from },
    to: to.map((address) => ({ address })),
    cc: cc.map((address) => ({ address })),
    subject: n % 2 === 0 ? `Subject ${n % 5}` : null,
    owner: null,
    folder: null,
    noise: {},
  };
}

describeEachEngine("interactionPartiesWithAddresses", (h) => {
  let tenantId = "";
  // 450 people: two slices of the 400-address statement, with mail naming people of both.
  const people = Array.from({ length: 450 }, (_, i) => `p${i}@them.test`);

  beforeAll(async () => {
    h.setNow("2026-06-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(ctx, { name: "Us", slug: "us", domain: "us.test", admin }, [
      directoryUser(seller),
    ]);
    await grantConsent(ctx, tenantId, "identifiable", admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const records: EmailRecord[] = [];
    for (let n = 0; n < 120; n++) {
      // Every fifth mail shares its minute with the one before: ties on time, ordered by id.
      const at = T0 + (n - (n % 5 === 4 ? 1 : 0)) * hour;
      const a = people[(n * 7) % 450]!;
      const b = people[(n * 7 + 400) % 450]!;
      records.push(
        n % 2 === 0 ? email(n, at, seller, [a], n % 4 === 0 ? [b] : []) : email(n, at, a, [seller, b]),
      );
    }
    const summary = await importRecords(ctx, tenantId, [{ name: "mail", owner: seller, records }]);
    expect(summary.stored).toBe(120);
  });

  it("reads what interactionsWithAddresses reads, in the same order, parties as stored tuples", async () => {
    const db = h.store().db;
    const light = await interactionPartiesWithAddresses(db, tenantId, [...people, people[3]!]);
    const full = await interactionsWithAddresses(db, tenantId, people);
    expect(light.length).toBe(120);
    expect(light).toEqual(full.map(withPartyTuples));
    for (let k = 1; k < light.length; k++) {
      const [a, b] = [light[k - 1]!, light[k]!];
      expect(a.occurredAt < b.occurredAt || (a.occurredAt === b.occurredAt && a.id < b.id)).toBe(true);
    }
  });

  it("reads nothing for people without mail", async () => {
    expect(await interactionPartiesWithAddresses(h.store().db, tenantId, ["nobody@them.test"])).toEqual([]);
  });
});
