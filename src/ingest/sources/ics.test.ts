import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readIcs } from "./ics";
import { collect, fixtures, only } from "./test-helpers";

const file = join(fixtures, "recurring.ics");
const window = { since: new Date("2024-01-01T00:00:00Z"), until: new Date("2024-12-31T00:00:00Z") };

describe("iCalendar", () => {
  it("expands a weekly series with EXDATE, a moved occurrence and a cancelled one", async () => {
    const records = await collect(readIcs(file, window));
    const series = only(records, "meeting").filter((m) => m.uid?.startsWith("weekly-sync-001@contoso.com/"));
    expect(series.map((m) => [m.start.toISOString(), m.isCancelled])).toEqual([
      ["2024-03-04T15:00:00.000Z", false], // EST
      ["2024-03-12T19:00:00.000Z", false], // moved to Tuesday 15:00 EDT
      ["2024-03-18T14:00:00.000Z", false], // EDT after the DST change
      ["2024-04-01T14:00:00.000Z", true], // 25 March is an EXDATE; 1 April is cancelled
      ["2024-04-08T14:00:00.000Z", false],
    ]);
    expect(series[1]!.uid).toBe("weekly-sync-001@contoso.com/2024-03-11T14:00:00.000Z");
    expect(series[1]!.subject).toBe("Weekly pipeline sync (moved to Tuesday)");
    expect(series[1]!.attendees).toEqual([
      { address: "lee.gu@fabrikam.com", name: "Lee Gu", type: "required", response: "declined" },
    ]);
    expect(series[0]!.end.getTime() - series[0]!.start.getTime()).toBe(30 * 60_000);
    expect(series[0]!.organizer).toEqual({ address: "meganb@contoso.com", name: "Megan Bowen" });
    expect(series[0]!.attendees).toEqual([
      { address: "meganb@contoso.com", name: "Megan Bowen", type: "required", response: "accepted" },
      { address: "lee.gu@fabrikam.com", name: "Lee Gu", type: "required", response: "accepted" },
      { address: "alexw@contoso.com", name: "Alex Wilber", type: "optional", response: "tentative" },
      { address: "room4@contoso.com", name: "Room 4", type: "resource", response: "accepted" },
      { address: "pradeep@tailspintoys.com", name: "Gupta, Pradeep", type: "required", response: "none" },
    ]);
  });

  it("expands only inside the backfill window", async () => {
    const records = await collect(
      readIcs(file, { since: new Date("2024-03-15T00:00:00Z"), until: new Date("2024-04-05T00:00:00Z") }),
    );
    const series = only(records, "meeting").filter((m) => m.uid?.startsWith("weekly-sync-001"));
    expect(series.map((m) => m.start.toISOString())).toEqual([
      "2024-03-18T14:00:00.000Z",
      "2024-04-01T14:00:00.000Z",
    ]);
  });

  it("uses the file's VTIMEZONE for a TZID Intl does not know, and keeps STATUS:CANCELLED", async () => {
    const offsite = only(await collect(readIcs(file, window)), "meeting").find(
      (m) => m.uid === "offsite-002@contoso.com",
    )!;
    expect(offsite.start.toISOString()).toBe("2024-07-05T07:00:00.000Z");
    expect(offsite.isCancelled).toBe(true);
  });

  it("rejects an event without DTSTART, naming file, record and line", async () => {
    const rejected = only(await collect(readIcs(file, window)), "rejected");
    expect(rejected).toEqual([
      {
        type: "rejected",
        position: { file, record: 5, line: 65 },
        reason: "VEVENT broken-003@contoso.com has no DTSTART",
      },
    ]);
  });
});
