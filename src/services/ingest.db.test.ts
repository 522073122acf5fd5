import { beforeAll, expect, it } from "vitest";
import { collectedRows } from "../../test/helpers/collected-rows";
import { describeEachEngine } from "../../test/helpers/engines";
import type { EmailRecord, MeetingRecord, SourceRecord } from "../domain/interaction";
import { countInteractions } from "../store/interaction-read.repository";
import {
  grantConsent,
  setCollectionRoles,
  setDataSharing,
  setOptedOutGroups,
  withdrawConsent,
} from "./consent.service";
import { importDirectory } from "./directory.service";
import { importRecords } from "./ingest.service";
import { createTenant } from "./tenant.service";

let seq = 0;
function email(at: string, from: string, to: string[], extra: Partial<EmailRecord> = {}): EmailRecord {
  seq++;
  return {
    type: "email",
    position: { file: "test.ndjson", record: seq },
    messageId: `<m${seq}@test>`,
    conversationId: null,
    inReplyTo: null,
    sentAt: new Date(at),
    from: { address: from },
    to: to.map((address) => ({ address })),
    cc: [],
    subject: `subject ${seq}`,
    owner: null,
    folder: null,
    noise: {},
    ...extra,
  };
}

function meeting(
  at: string,
  organizer: string,
  attendees: string[],
  extra: Partial<MeetingRecord> = {},
): MeetingRecord {
  seq++;
  const start = new Date(at);
  return {
    type: "meeting",
    position: { file: "cal.ics", record: seq },
    uid: `uid-${seq}`,
    organizer: { address: organizer },
    attendees: attendees.map((address) => ({ address, type: "required", response: "accepted" })),
    start,
    end: new Date(start.getTime() + 30 * 60_000),
    isCancelled: false,
    subject: "Sync",
    owner: null,
    ...extra,
  };
}

const dir = {
  roles: [],
  groups: [{ id: "g-ma", name: "M&A" }],
  users: [
    {
      email: "admin@contoso.com",
      name: "Admin",
      aliases: [],
      guest: false,
      externalId: null,
      roles: ["Global Administrator", "System Administrator"],
      groups: [],
    },
    {
      email: "sam@contoso.com",
      name: "Sam Seller",
      aliases: ["s.seller@contoso.com"],
      guest: false,
      externalId: null,
      roles: ["Salesperson"],
      groups: [],
    },
    {
      email: "mia@contoso.com",
      name: "Mia Manager",
      aliases: [],
      guest: false,
      externalId: null,
      roles: ["Sales Manager"],
      groups: [],
    },
    {
      email: "oona@contoso.com",
      name: "Oona Optout",
      aliases: [],
      guest: false,
      externalId: null,
      roles: ["Salesperson"],
      groups: [],
    },
    {
      email: "amber@contoso.com",
      name: "Amber Lee",
      aliases: [],
      guest: false,
      externalId: null,
      roles: ["Salesperson"],
      groups: [],
    },
  ],
};

describeEachEngine("ingest pipeline: gate, dedupe, batches", (h) => {
  let tenantId = "";
  const run = (records: SourceRecord[], owner?: string, name = "batch") =>
    importRecords(h.ctx(), tenantId, [{ name, records, ...(owner ? { owner } : {}) }]);

  beforeAll(async () => {
    h.setNow("2026-06-01T00:00:00Z");
    tenantId = (await createTenant(h.ctx(), { name: "Contoso", domains: ["contoso.com"] })).id;
    await importDirectory(h.ctx(), tenantId, dir, [], "test");
  });

  it("refuses everything while no collection consent is in force", async () => {
    const s = await run([email("2026-05-01T10:00:00Z", "sam@contoso.com", ["jane@fabrikam.com"])]);
    expect(s).toMatchObject({ read: 1, stored: 0, refused: { consent_missing: 1 } });
    await grantConsent(h.ctx(), tenantId, "identifiable", "admin@contoso.com");
  });

  it("stores an email once, folds aliases into one user and builds the strength pair", async () => {
    const m = email("2026-05-02T10:00:00Z", "s.seller@contoso.com", ["Jane <JANE@fabrikam.com>"]);
    const first = await run([m]);
    expect(first).toMatchObject({ status: "done", read: 1, stored: 1, duplicates: 0 });
    // The same message in a recipient's mailbox (same id) and in another folder (another id): one email.
    const copy = await run([
      { ...m, position: { file: "inbox.ndjson", record: 1 } },
      { ...m, messageId: "<other-id@test>" },
    ]);
    expect(copy).toMatchObject({ stored: 0, duplicates: 2 });
    const stored = await collectedRows(h.store(), tenantId);
    expect(stored.pairs.map((p) => p.person)).toEqual(["jane@fabrikam.com"]);
    expect(stored.parties.map((p) => p.address).sort()).toEqual(["jane@fabrikam.com", "sam@contoso.com"]);
  });

  it("never stores an opted-out user, and skips their mailbox without reading it", async () => {
    await setDataSharing(h.ctx(), tenantId, "oona@contoso.com", false);
    const s = await run([
      email("2026-05-03T10:00:00Z", "oona@contoso.com", ["bob@fabrikam.com"]),
      email("2026-05-03T11:00:00Z", "sam@contoso.com", ["bob@fabrikam.com"], {
        cc: [{ address: "oona@contoso.com" }],
      }),
    ]);
    expect(s).toMatchObject({ stored: 1, refused: { sharing_off: 1 } });
    const oona = (await collectedRows(h.store(), tenantId)).parties.filter(
      (p) => p.address === "oona@contoso.com",
    );
    expect(oona).toEqual([]);
    const mailbox = await run(
      [email("2026-05-03T12:00:00Z", "sam@contoso.com", ["bob@fabrikam.com"])],
      "oona@contoso.com",
    );
    expect(mailbox).toMatchObject({ read: 0, stored: 0, refused: { mailbox_sharing_off: 1 } });
    expect(mailbox.files[0]?.skipped?.rule).toBe("sharing_off");
  });

  it("a group opt-out acts on later collections only: earlier data stays", async () => {
    await run([email("2026-05-04T10:00:00Z", "amber@contoso.com", ["kim@northwind.com"])]);
    h.setNow("2026-06-02T00:00:00Z");
    await importDirectory(
      h.ctx(),
      tenantId,
      {
        ...dir,
        users: dir.users.map((u) => (u.email === "amber@contoso.com" ? { ...u, groups: ["g-ma"] } : u)),
      },
      [],
      "test",
    );
    await setOptedOutGroups(h.ctx(), tenantId, ["g-ma"], "admin@contoso.com");
    const after = await run([email("2026-06-01T10:00:00Z", "amber@contoso.com", ["kim@northwind.com"])]);
    expect(after).toMatchObject({ stored: 0, refused: { opted_out_group: 1 } });
    const kept = (await collectedRows(h.store(), tenantId)).pairs.filter(
      (p) => p.person === "kim@northwind.com",
    );
    expect(kept).toHaveLength(1);
  });

  it("collection restricted to roles refuses users without them", async () => {
    await setCollectionRoles(h.ctx(), tenantId, ["Sales Manager"], "admin@contoso.com");
    const s = await run([
      email("2026-05-05T10:00:00Z", "sam@contoso.com", ["lee@tailspin.com"]),
      email("2026-05-05T11:00:00Z", "mia@contoso.com", ["lee@tailspin.com"]),
    ]);
    expect(s).toMatchObject({ stored: 1, refused: { role_restricted: 1 } });
    await setCollectionRoles(h.ctx(), tenantId, null, "admin@contoso.com");
  });

  it("filters noise and counts each reason", async () => {
    const s = await run([
      email("2026-05-06T10:00:00Z", "news@fabrikam.com", ["sam@contoso.com"], {
        noise: { listUnsubscribe: true },
      }),
      email("2026-05-06T10:00:00Z", "no-reply@fabrikam.com", ["sam@contoso.com"]),
      email("2026-05-06T10:00:00Z", "mia@contoso.com", ["sam@contoso.com"]),
    ]);
    expect(s).toMatchObject({ stored: 1, filtered: { automated: 2 }, internalOnly: 1 });
  });

  it("meetings: cancelled ones are not counted; attendees become mutual ties", async () => {
    const s = await run([
      meeting("2026-05-07T15:00:00Z", "mia@contoso.com", ["ann@northwind.com"]),
      meeting("2026-05-08T15:00:00Z", "mia@contoso.com", ["ann@northwind.com"], { isCancelled: true }),
    ]);
    expect(s).toMatchObject({ stored: 1, filtered: { cancelled: 1 } });
  });

  it("a broken record is rejected with file, record and reason; the rest of the batch is kept", async () => {
    const s = await run([
      {
        type: "rejected",
        position: { file: "export.ndjson", record: 7, line: 7 },
        reason: "unterminated string",
      },
      email("2026-05-09T10:00:00Z", "sam@contoso.com", ["zoe@fabrikam.com"]),
      email("2026-05-09T10:00:00Z", "sam@contoso.com", ["zoe@fabrikam.com"], { sentAt: null }),
    ]);
    expect(s).toMatchObject({ status: "done", stored: 1, rejected: 2 });
    expect(s.rejections[0]).toEqual({
      file: "export.ndjson",
      record: 7,
      line: 7,
      reason: "unterminated string",
    });
    expect(s.rejections[1]?.reason).toBe("no usable Date");
  });

  it("a batch that fails part-way is rolled back whole", async () => {
    const before = await countInteractions(h.store().db, tenantId);
    async function* failing(): AsyncGenerator<SourceRecord> {
      yield email("2026-05-10T10:00:00Z", "sam@contoso.com", ["yan@fabrikam.com"]);
      await Promise.resolve();
      throw new Error("disk read error at byte 4096");
    }
    const s = await importRecords(h.ctx(), tenantId, [{ name: "broken.mbox", records: failing() }], {
      chunkSize: 1,
    });
    expect(s).toMatchObject({ status: "failed", failure: "disk read error at byte 4096" });
    expect(await countInteractions(h.store().db, tenantId)).toEqual(before);
  });

  it("turning sharing off deletes the user's data at once, with a receipt", async () => {
    const shared = email("2026-05-11T10:00:00Z", "sam@contoso.com", ["pat@fabrikam.com"], {
      cc: [{ address: "mia@contoso.com" }],
    });
    await run([shared, email("2026-05-11T11:00:00Z", "sam@contoso.com", ["pat@fabrikam.com"])]);
    const change = await setDataSharing(h.ctx(), tenantId, "sam@contoso.com", false);
    expect(change.receipt?.counts.connections).toBeGreaterThan(0);
    expect(change.receipt?.counts.interactions).toBeGreaterThan(0);
    const stored = await collectedRows(h.store(), tenantId);
    expect(stored.pairs).not.toContainEqual(expect.objectContaining({ person: "jane@fabrikam.com" }));
    expect(stored.pairs.length).toBeGreaterThan(0);
    expect(stored.parties.filter((p) => p.address === "sam@contoso.com")).toEqual([]);
    // The message Mia was also on stays, without Sam.
    const remaining = stored.interactions.find(
      (i) => i.occurred_at === new Date("2026-05-11T10:00:00Z").getTime(),
    );
    const addresses = remaining!.participants.map(([a]) => a);
    expect(addresses).not.toContain("sam@contoso.com");
    expect(addresses).toContain("mia@contoso.com");
    // Sam's address is gone from the address book with the rows that named it.
    expect(stored.addresses).not.toContain("sam@contoso.com");
  });

  it("withdrawing the last collection consent deletes everything collected", async () => {
    const change = await withdrawConsent(h.ctx(), tenantId, "identifiable", "admin@contoso.com");
    expect(change.receipt?.counts.interactions).toBeGreaterThan(0);
    expect(await countInteractions(h.store().db, tenantId)).toEqual({
      interactions: 0,
      pairs: 0,
      persons: 0,
    });
  });
});
