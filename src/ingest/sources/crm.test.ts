import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCrm } from "./crm";
import { collect, fixtures, only } from "./test-helpers";

const crm = (name: string) => join(fixtures, "crm", name);

describe("CRM files", () => {
  it("reads every entity of the JSON format and rejects bad rows with their reasons", async () => {
    const records = await collect(readCrm(crm("crm.json")));
    expect(records.map((r) => r.type)).toEqual([
      "crm-account",
      "rejected",
      "crm-contact",
      "crm-contact",
      "crm-lead",
      "crm-opportunity",
      "crm-activity",
      "crm-activity",
      "rejected",
    ]);
    expect(records[0]).toMatchObject({
      domains: ["fabrikam.com", "fabrikam.co.uk"],
      primaryContactId: "con-lee",
    });
    expect(records[1]).toEqual({
      type: "rejected",
      position: { file: crm("crm.json"), record: 2 },
      reason: 'invalid account: name: must not be empty; domains.0: not a domain: "not a domain"',
    });
    expect(records[5]).toMatchObject({
      type: "crm-opportunity",
      status: "open",
      salesTeam: ["alexw@contoso.com"],
      estimatedCloseDate: new Date("2024-09-30T00:00:00Z"),
      estimatedRevenue: 120000,
    });
    expect(records[6]).toMatchObject({
      kind: "phonecall",
      direction: "outgoing",
      durationMinutes: 20,
      regarding: { type: "opportunity", id: "opp-renewal" },
    });
    expect((records[8] as { reason: string }).reason).toMatch(/^invalid activity: kind: /);
  });

  it("reads activities CSV (quotes, lists, regarding columns), rejecting bad rows with line numbers", async () => {
    const records = await collect(readCrm(crm("activities.csv")));
    const [mail, meeting] = only(records, "crm-activity");
    expect(mail).toMatchObject({
      to: ["meganb@contoso.com", "alexw@contoso.com"],
      subject: "Re: Renewal pricing, revised",
      direction: "incoming",
    });
    expect(meeting).toMatchObject({
      subject: 'Quarterly "QBR" review',
      end: new Date("2024-03-12T16:00:00Z"),
      state: "planned",
    });
    expect(only(records, "rejected")).toEqual([
      {
        type: "rejected",
        position: { file: crm("activities.csv"), record: 3, line: 4 },
        reason: 'invalid activity: from: not an email address: "not-an-email"',
      },
      {
        type: "rejected",
        position: { file: crm("activities.csv"), record: 4, line: 5 },
        reason: "row has 3 fields, header has 13",
      },
    ]);
  });

  it("reads a mixed CSV by its entity column", async () => {
    const records = await collect(readCrm(crm("mixed.csv")));
    expect(records.map((r) => r.type)).toEqual(["crm-account", "crm-contact", "rejected"]);
    expect(records[0]).toMatchObject({ domains: ["contoso.com", "contoso.net"] });
  });
});
