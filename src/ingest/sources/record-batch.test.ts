import { describe, expect, it } from "vitest";
import type { SourceRecord } from "../../domain/interaction";
import { decodeBatch, encodeBatch } from "./record-batch";

describe("record batches between threads", () => {
  it("round-trips emails, meetings and rejections, each keeping its own file", () => {
    const records: SourceRecord[] = [
      {
        type: "email",
        position: { file: "/mail/cur/1.kith", record: 1 },
        messageId: "a@x",
        conversationId: null,
        inReplyTo: "root@x",
        sentAt: new Date("2001-10-26T14:29:03Z"),
        from: { address: "gthorse@keyad.com", name: "G Thorse" },
        to: [{ address: "k..allen@enron.com" }, { address: "Kenneth Krasny/ENRON_DEVELOPMENT@ENRON" }],
        cc: [],
        subject: "Bishops Corner",
        owner: "phillip.allen@enron.com",
        folder: "INBOX",
        noise: { listId: true, precedence: "bulk", draft: false },
      },
      { type: "rejected", position: { file: "/mail/cur/2.kith", record: 2 }, reason: "empty message" },
      {
        type: "meeting",
        position: { file: "/mail/cur/2.kith", record: 3, line: 40, offset: 1234 },
        uid: "uid-1",
        organizer: null,
        attendees: [{ address: "amber@contoso.com", type: "optional", response: "tentative" }],
        start: new Date("2026-05-01T10:00:00Z"),
        end: new Date("2026-05-01T10:30:00Z"),
        isCancelled: true,
        subject: null,
        owner: null,
      },
      { type: "rejected", position: { file: "/mail/cur/1.kith", record: 4 }, reason: "no usable Date" },
    ];
    const batch = encodeBatch(records);
    expect(batch.values.every((v) => v === null || typeof v !== "object")).toBe(true);
    expect(decodeBatch(structuredClone(batch))).toEqual(records);
  });
});
