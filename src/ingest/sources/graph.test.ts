import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readGraph } from "./graph";
import { collect, fixtures, only } from "./test-helpers";
import { parseZonedDateTime } from "./time-zones";

const graph = (name: string) => join(fixtures, "graph", name);

describe("Microsoft Graph messages", () => {
  it("reads a single message object; Bcc never appears", async () => {
    const records = await collect(readGraph(graph("message.json")));
    expect(records).toHaveLength(1);
    expect(records[0]).toEqual({
      type: "email",
      position: { file: graph("message.json"), record: 1, line: 1 },
      messageId: "MWHPR130MB1440B3BE3C8E2D7C2B37EAD1FB20@MWHPR130MB1440.namprd13.prod.outlook.com",
      conversationId: "AAQkAGI1AAAAT6OYnrPA5jlBnQ5iTpMXqQ=",
      inReplyTo: null,
      sentAt: new Date("2017-07-31T18:56:55Z"),
      from: { address: "meganb@contoso.onmicrosoft.com", name: "Megan Bowen" },
      to: [{ address: "lee.gu@fabrikam.com", name: "Lee Gu" }],
      cc: [{ address: "alexw@contoso.onmicrosoft.com", name: "Alex Wilber" }],
      subject: "Q3 renewal for Fabrikam",
      owner: "meganb@contoso.onmicrosoft.com",
      folder: "AAMkAGI1AAAAAAEJAAA=",
      noise: {},
    });
    expect(JSON.stringify(records)).not.toContain("watcher@");
  });

  it("reads an array, rejecting the malformed element with its line and keeping the rest", async () => {
    const records = await collect(readGraph(graph("messages-array.json")));
    expect(records.map((r) => r.type)).toEqual(["email", "email", "rejected", "email"]);
    expect(records[2]).toMatchObject({
      position: { file: graph("messages-array.json"), record: 3, line: 25 },
    });
    expect((records[2] as { reason: string }).reason).toMatch(/^element at line 25: invalid JSON/);
    const [, digest, invite] = only(records, "email");
    expect(digest!.noise).toEqual({ listId: true, listUnsubscribe: true, precedence: "bulk" });
    expect(invite!.noise).toEqual({ calendarNotification: true });
  });

  it("reads a {value, @odata.nextLink} page", async () => {
    const records = only(await collect(readGraph(graph("messages-page.json"))), "email");
    expect(records.map((r) => r.messageId)).toEqual([
      "page1@contoso.onmicrosoft.com",
      "page2@contoso.onmicrosoft.com",
    ]);
    expect(records[1]!.sentAt?.toISOString()).toBe("2017-08-05T09:00:00.000Z");
    expect(records[1]!.subject).toBe("Pricing été");
  });

  it("reads NDJSON with escapes, pages per line, a broken line and a non-message", async () => {
    const records = await collect(readGraph(graph("messages.ndjson")));
    expect(records.map((r) => [r.type, r.position.line])).toEqual([
      ["email", 1],
      ["email", 2],
      ["rejected", 3],
      ["email", 4],
      ["email", 4],
      ["rejected", 5],
    ]);
    expect(records[2]).toMatchObject({ reason: expect.stringMatching(/^line 3: invalid JSON: /) as unknown });
    expect(records[5]).toMatchObject({
      reason: expect.stringMatching(/neither a Graph message nor an event/) as unknown,
    });
    expect(records[1]).toMatchObject({
      subject: "Re: Kickoff — café",
      cc: [{ address: "alexw@contoso.com" }],
    });
    expect(JSON.stringify(records)).not.toContain("hidden@");
  });

  it("gives the same records through the worker pool as inline", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kith-graph-"));
    const file = join(dir, "big.ndjson");
    const lines = readFileSync(graph("messages.ndjson"), "utf8").trimEnd().split("\n");
    writeFileSync(file, `${Array.from({ length: 400 }, () => lines.join("\n")).join("\n")}\n`);
    const inline = await collect(readGraph(file, { workers: 1 }));
    const pooled = await collect(readGraph(file, { workers: 2 }));
    const key = (r: { position: { line?: number } }) => r.position.line!;
    expect(pooled).toHaveLength(inline.length);
    expect([...pooled].sort((a, b) => key(a) - key(b))).toEqual(inline);
    expect(only(pooled, "rejected")).toHaveLength(800);
  });
});

describe("Microsoft Graph events", () => {
  it("converts Windows and IANA zones, maps attendees, keeps cancellations, rejects the rest", async () => {
    const records = await collect(readGraph(graph("events.ndjson")));
    expect(records.map((r) => r.type)).toEqual(["meeting", "meeting", "rejected", "meeting", "rejected"]);
    const [lunch, review, tokyo] = only(records, "meeting");
    expect(lunch!.start.toISOString()).toBe("2017-04-15T19:00:00.000Z");
    expect(lunch!.end.toISOString()).toBe("2017-04-15T21:00:00.000Z");
    expect(lunch!.attendees).toEqual([
      {
        address: "samanthab@contoso.onmicrosoft.com",
        name: "Samantha Booth",
        type: "required",
        response: "accepted",
      },
      { address: "lee.gu@fabrikam.com", name: "Lee Gu", type: "optional", response: "tentative" },
      {
        address: "rainier@contoso.onmicrosoft.com",
        name: "Conf Room Rainier",
        type: "resource",
        response: "accepted",
      },
    ]);
    expect(review!.start.toISOString()).toBe("2017-11-02T08:30:00.000Z");
    expect(review!.isCancelled).toBe(true);
    expect(tokyo!.start.toISOString()).toBe("2017-11-06T00:00:00.000Z");
    expect(records[2]).toMatchObject({ position: { record: 4, line: 4 } });
    expect(records[4]).toMatchObject({
      reason: expect.stringContaining("Olympus Mons Standard Time") as unknown,
    });
  });

  it.each([
    ["2017-04-15T12:00:00.0000000", "Pacific Standard Time", "2017-04-15T19:00:00.000Z"],
    ["2017-01-15T12:00:00.0000000", "Pacific Standard Time", "2017-01-15T20:00:00.000Z"],
    ["2021-10-31T02:30:00", "Europe/Berlin", "2021-10-31T00:30:00.000Z"],
    ["2021-03-28T02:30:00", "Europe/Berlin", "2021-03-28T01:30:00.000Z"],
    ["2021-06-01T12:00:00", "India Standard Time", "2021-06-01T06:30:00.000Z"],
    ["2021-06-01T12:00:00", "UTC", "2021-06-01T12:00:00.000Z"],
    ["2021-06-01T12:00:00Z", "Pacific Standard Time", "2021-06-01T12:00:00.000Z"],
  ])("%s in %s is %s", (dateTime, zone, iso) => {
    expect(parseZonedDateTime(dateTime, zone)?.toISOString()).toBe(iso);
  });
});
