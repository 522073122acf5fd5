/**
 * Deletion requests by external people (issue 18): one request removes the address from every
 * tenant table, the receipt does not name it, no read yields the person afterwards, and their
 * mail and CRM rows imported again later stay out (the suppression list of keyed hashes).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { beforeAll, expect, it } from "vitest";
import { collectedRows } from "../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { findPerson } from "../store/insight.repository";
import { tenantNum } from "../store/collected-keys";
import type { Store } from "../store/store";
import { grantConsent, setRelationshipIntelligence } from "./consent.service";
import { importCrmFile } from "./crm.service";
import { forgetPerson, forgetRequestsFor, listForgetRequests } from "./forget.service";
import { importRecords } from "./ingest.service";
import { recordKpis } from "./kpis.service";
import { myNetwork } from "./my-network.service";
import { setCaptureLevel } from "./ri-settings.service";
import { accountIntroducers, whoKnowsWhom } from "./who-knows-whom.service";

const admin = "admin@contoso.com";
const megan = "meganb@contoso.com";
const alex = "alexw@contoso.com";
const lee = "lee.gu@fabrikam.com";
const other = "other@fabrikam.com";

const crmFile = (dir: string) => {
  const path = join(dir, "crm.json");
  writeFileSync(
    path,
    JSON.stringify({
      format: "kith-crm/1",
      accounts: [
        { id: "acc-fabrikam", name: "Fabrikam", domains: ["fabrikam.com"], primaryContactId: "con-lee" },
      ],
      contacts: [
        { id: "con-lee", email: "Lee.Gu@Fabrikam.com", name: "Lee Gu", accountId: "acc-fabrikam" },
        { id: "con-other", email: other, name: "Oscar Other", accountId: "acc-fabrikam" },
      ],
      leads: [],
      opportunities: [
        {
          id: "opp-1",
          name: "Fabrikam renewal",
          accountId: "acc-fabrikam",
          ownerEmail: megan,
          salesTeam: [alex],
          stakeholders: ["con-lee", "con-other"],
          customerContactId: "con-lee",
          status: "open",
          estimatedCloseDate: "2026-09-30",
          estimatedRevenue: 1000,
        },
      ],
      activities: [
        {
          id: "act-1",
          kind: "phonecall",
          regarding: { type: "opportunity", id: "opp-1" },
          direction: "outgoing",
          from: megan,
          to: [lee],
          start: "2026-05-05T15:00:00Z",
          end: "2026-05-05T15:20:00Z",
          durationMinutes: 20,
          state: "completed",
          subject: "Pricing with Lee",
        },
        {
          id: "act-2",
          kind: "phonecall",
          regarding: { type: "opportunity", id: "opp-1" },
          direction: "outgoing",
          from: megan,
          to: [other],
          start: "2026-05-06T15:00:00Z",
          end: "2026-05-06T15:20:00Z",
          durationMinutes: 20,
          state: "completed",
          subject: "Pricing",
        },
      ],
    }),
  );
  return path;
};

/**
 * Every row of the tenant in every tenant table, as text: tables keyed by tenant id as stored,
 * collected data (keyed by the tenant's number, addresses and names sealed) both as stored (blobs
 * as UTF-8: the readable cipher's sealed bytes are the text) and opened, address book included.
 */
async function tenantText(store: Store, tenantId: string): Promise<Record<string, string>> {
  const db = store.db;
  const tables = await inspect(() => db.introspection.getTables());
  const t = await inspect(() => tenantNum(db, tenantId));
  const blobs = (_k: string, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("utf8") : v);
  const out: Record<string, string> = {};
  for (const table of tables) {
    const key = table.columns.some((c) => c.name === "tenant_id")
      ? "tenant_id"
      : table.columns.some((c) => c.name === "tenant_num")
        ? "tenant_num"
        : null;
    if (key === null) continue;
    const rows = await inspect(() =>
      db
        .selectFrom(table.name as "interaction")
        .selectAll()
        .where(sql.ref(key), "=", key === "tenant_id" ? tenantId : t)
        .execute(),
    );
    out[key === "tenant_id" ? table.name : `${table.name} (stored)`] = JSON.stringify(rows, blobs);
  }
  const opened = await collectedRows(store, tenantId);
  out.interaction = JSON.stringify(opened.interactions);
  out.interaction_party = JSON.stringify(opened.parties);
  out.person = JSON.stringify(opened.persons);
  out.pair_state = JSON.stringify(opened.pairs.map((r) => ({ ...r, state: "<state>" })));
  out.internal_pair_state = JSON.stringify(opened.internal.map((r) => ({ ...r, state: "<state>" })));
  out.address_book = JSON.stringify(opened.addresses);
  return out;
}

const mail = (day = 1) => [
  // Megan and Lee alone: nothing relates two people once Lee is gone, the message goes whole.
  emailRecord(`2026-05-${String(day + 0).padStart(2, "0")}T10:00:00Z`, megan, [lee], {
    subject: "Lunch, Lee?",
  }),
  // Lee to both colleagues: the message stays for Megan ↔ Alex, without Lee and without its subject.
  emailRecord(`2026-05-${String(day + 1).padStart(2, "0")}T10:00:00Z`, lee, [megan, alex], {
    subject: "Lee's renewal",
  }),
  emailRecord(`2026-05-${String(day + 2).padStart(2, "0")}T10:00:00Z`, megan, [lee, other], {
    subject: "Intro Lee and Oscar",
  }),
  emailRecord(`2026-05-${String(day + 3).padStart(2, "0")}T10:00:00Z`, alex, [other], {
    subject: "Follow-up",
  }),
];

describeEachEngine("deletion requests by external people", (h) => {
  let tenantId = "";
  let dir = "";
  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const ctx = h.ctx();
    dir = mkdtempSync(join(tmpdir(), "kith-forget-"));
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      [directoryUser(megan), directoryUser(alex)],
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    await setCaptureLevel(ctx, tenantId, "subject", admin);
    expect((await importRecords(ctx, tenantId, [{ name: "mail", records: mail() }])).stored).toBe(4);
    expect((await importCrmFile(ctx, tenantId, crmFile(dir))).status).toBe("done");
    // The person is there before the request.
    expect((await whoKnowsWhom(ctx, tenantId, lee, megan)).introducers.length).toBeGreaterThan(0);
  });

  it("removes the address everywhere and writes a receipt that does not name it", async () => {
    const ctx = h.ctx();
    const { receipt, alreadyForgotten } = await forgetPerson(ctx, tenantId, " Lee.Gu@Fabrikam.com ", admin);
    expect(alreadyForgotten).toBe(false);
    expect(receipt.counts).toMatchObject({
      interactionsDeleted: 1,
      interactionsRedacted: 2,
      participations: 3,
      persons: 1,
      crmContacts: 1,
      crmActivities: 1,
    });
    expect(receipt.counts.connections).toBeGreaterThanOrEqual(2);
    expect(receipt.requestedBy).toBe(admin);
    expect(receipt.addressHash).toMatch(/^[0-9a-f]{64}$/);
    const text = await tenantText(h.store(), tenantId);
    expect(Object.keys(text)).toEqual(
      expect.arrayContaining([
        "interaction",
        "interaction (stored)",
        "address_book",
        "forget_request",
        "audit_log",
      ]),
    );
    // Oscar's sealed address is still in the book (the check above reads it).
    expect(text.address_book).toContain(other);
    for (const [table, rows] of Object.entries(text)) {
      expect(rows.toLowerCase(), table).not.toContain(lee);
      expect(rows, table).not.toContain("Lee");
      expect(rows, table).not.toContain("con-lee");
    }
    // Oscar and the colleagues' own mail stay.
    expect(text.person).toContain(other);
    expect(text.crm_contact).toContain("con-other");
    expect(text.crm_activity).toContain("act-2");
    expect(text.interaction).toContain("Follow-up");
    expect(await listForgetRequests(ctx, tenantId)).toHaveLength(1);
    expect((await forgetRequestsFor(ctx, tenantId, lee)).map((r) => r.id)).toEqual([receipt.id]);
    expect(await forgetRequestsFor(ctx, tenantId, other)).toEqual([]);
  });

  it("leaves no read that yields the person", async () => {
    const ctx = h.ctx();
    const wkw = await whoKnowsWhom(ctx, tenantId, lee, megan);
    expect(wkw.introducers).toEqual([]);
    expect(wkw.target.name).toBeNull();
    expect(await inspect(() => findPerson(h.store().db, tenantId, lee))).toBeUndefined();
    await expect(recordKpis(ctx, tenantId, "contact", "con-lee", megan)).rejects.toThrow(
      /not found|unknown/i,
    );
    const kpis = await recordKpis(ctx, tenantId, "account", "acc-fabrikam", megan);
    expect(JSON.stringify(kpis).toLowerCase()).not.toContain(lee);
    expect(JSON.stringify(kpis)).not.toContain("Lee");
    const account = await accountIntroducers(ctx, tenantId, "fabrikam.com", megan);
    expect(JSON.stringify(account).toLowerCase()).not.toContain(lee);
    expect(account.introducers.length).toBeGreaterThan(0);
    for (const viewer of [megan, alex]) {
      const network = await myNetwork(ctx, tenantId, viewer);
      expect(JSON.stringify(network).toLowerCase(), viewer).not.toContain(lee);
    }
  });

  it("keeps the person out when their mail and CRM rows are imported again", async () => {
    const ctx = h.ctx();
    // The same messages again are duplicates; new mail with Lee on it (a later export) is gated.
    expect((await importRecords(ctx, tenantId, [{ name: "same", records: mail() }])).stored).toBe(0);
    const again = await importRecords(ctx, tenantId, [{ name: "later", records: mail(10) }]);
    // Megan ↔ Lee alone is refused; the others are stored without Lee and without the subject.
    expect(again.refused.forgotten_person).toBe(1);
    expect(again.stored).toBe(3);
    expect((await importCrmFile(ctx, tenantId, crmFile(dir))).status).toBe("done");
    const text = await tenantText(h.store(), tenantId);
    for (const [table, rows] of Object.entries(text)) {
      expect(rows.toLowerCase(), table).not.toContain(lee);
      expect(rows, table).not.toContain("con-lee");
    }
    expect((await whoKnowsWhom(ctx, tenantId, lee, megan)).introducers).toEqual([]);
    // A second request finds nothing new and says it was forgotten before.
    const second = await forgetPerson(ctx, tenantId, lee, admin);
    expect(second.alreadyForgotten).toBe(true);
    expect(Object.values(second.receipt.counts).every((n) => n === 0)).toBe(true);
  });

  it("refuses a colleague's address and a malformed one, naming why", async () => {
    const ctx = h.ctx();
    await expect(forgetPerson(ctx, tenantId, megan, admin)).rejects.toThrow(/tenant's own domain/);
    await expect(forgetPerson(ctx, tenantId, "not an address", admin)).rejects.toThrow(/not an address/);
  });
});
