import { describe, expect, it } from "vitest";
import { emailKeys, isPersonalDomain, meetingKey, monthOf, organisationDomain } from "./identity";
import { classifyNoise, defaultNoiseFilters } from "./noise";

describe("classifyNoise", () => {
  const f = defaultNoiseFilters;
  it.each([
    ["list mail", "dev@lists.example", { listId: true }, "automated"],
    ["unsubscribe header", "shop@store.example", { listUnsubscribe: true }, "automated"],
    ["bulk precedence", "x@y.example", { precedence: "bulk" }, "automated"],
    ["auto-submitted", "x@y.example", { autoSubmitted: "auto-replied" }, "automated"],
    ["no-reply sender", "no-reply@vendor.example", {}, "automated"],
    ["donotreply sender", "DoNotReply@vendor.example".toLowerCase(), {}, "automated"],
    ["calendar notification", "bob@contoso.com", { calendarNotification: true }, "calendar_notification"],
    ["a person's mail", "jane@fabrikam.com", {}, null],
    ["a draft never sent", "jane@fabrikam.com", { draft: true }, "draft"],
    ["auto-submitted: no", "jane@fabrikam.com", { autoSubmitted: "no" }, null],
  ] as const)("%s", (_name, sender, signals, expected) => {
    expect(classifyNoise(sender, signals, f)).toBe(expected);
  });
  it("each filter can be switched off", () => {
    expect(classifyNoise("x@y.example", { listId: true }, { ...f, automated: false })).toBeNull();
    expect(
      classifyNoise("b@c.com", { calendarNotification: true }, { ...f, calendarNotifications: false }),
    ).toBeNull();
  });
});

describe("identity", () => {
  it("never maps personal providers to an organisation", () => {
    expect(isPersonalDomain("gmail.com")).toBe(true);
    expect(organisationDomain("pat@aol.com")).toBeNull();
    expect(organisationDomain("pat@fabrikam.com")).toBe("fabrikam.com");
  });
  it("gives copies of one email the same fingerprint whatever their ids and recipient order", () => {
    const base = {
      sentAt: new Date("2001-05-14T16:39:00Z"),
      from: "phillip.allen@enron.com",
      subject: "Re:  Meeting",
    };
    const a = emailKeys({ ...base, messageId: "<1@a>", recipients: ["b@x.com", "a@x.com"] });
    const b = emailKeys({
      ...base,
      messageId: "<2@b>",
      recipients: ["a@x.com", "b@x.com", "a@x.com"],
      subject: "re: meeting",
    });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.messageKey).not.toBe(b.messageKey);
    const reply = emailKeys({ ...base, messageId: null, recipients: ["a@x.com"], subject: "Meeting" });
    expect(reply.fingerprint).not.toBe(a.fingerprint);
  });
  it("keys a meeting occurrence by uid and start", () => {
    const start = new Date("2026-03-02T10:00:00Z");
    expect(meetingKey({ uid: "abc", start, organizer: null, subject: null })).not.toBe(
      meetingKey({ uid: "abc", start: new Date("2026-03-09T10:00:00Z"), organizer: null, subject: null }),
    );
  });
  it("months are UTC YYYYMM", () => {
    expect(monthOf(new Date("2026-01-31T23:59:59Z"))).toBe(202601);
    expect(monthOf(new Date("2026-02-01T00:00:00Z"))).toBe(202602);
  });
});
