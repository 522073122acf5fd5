import { describe, expect, it } from "vitest";
import {
  activityCountsFor,
  computeRecordKpis,
  dealSimilarity,
  peopleOfInterest,
  similarWonDeals,
  summariseKpis,
  type Activity,
  type KpiCrm,
  type OpportunitySummary,
  type SideKpis,
} from "./kpis";

const hour = 3_600_000;
const day = 24 * hour;
const T = Date.UTC(2024, 4, 6, 9); // a Monday, 09:00 UTC
const now = T + 10 * day;
const isInternal = (a: string) => a.endsWith("@kith.test");

const crm: KpiCrm = {
  users: [
    { id: "u-alice", emails: ["alice@kith.test"] },
    { id: "u-carol", emails: ["carol@kith.test"] },
    { id: "u-dave", emails: ["Dave@kith.test"] },
  ],
  contacts: [
    { id: "c-bob", accountId: "acme", emails: ["bob@acme.test"] },
    { id: "c-eve", accountId: "acme", emails: ["eve@acme.test"] },
    { id: "c-pat", accountId: "acme", emails: ["pat@acme.test"] },
    { id: "c-zoe", accountId: "other", emails: ["zoe@other.test"] },
  ],
  accounts: [{ id: "acme", primaryContactId: "c-pat" }],
};

describe("peopleOfInterest", () => {
  it("account: any user; the primary contact and all its contacts", () => {
    const poi = peopleOfInterest({ type: "account", id: "acme", primaryContactId: "c-pat" }, crm);
    expect(poi.internal).toBe("all");
    expect([...poi.external].sort()).toEqual(["bob@acme.test", "eve@acme.test", "pat@acme.test"]);
  });
  it("opportunity: owner and sales team; customer contact, stakeholders, account's primary contact", () => {
    const poi = peopleOfInterest(
      {
        type: "opportunity",
        id: "o1",
        ownerId: "u-alice",
        salesTeamIds: ["u-dave"],
        customerContactId: "c-bob",
        stakeholderContactIds: ["c-zoe"],
        accountId: "acme",
      },
      crm,
    );
    expect(poi.internal === "all" ? [] : [...poi.internal].sort()).toEqual([
      "alice@kith.test",
      "dave@kith.test",
    ]);
    expect([...poi.external].sort()).toEqual(["bob@acme.test", "pat@acme.test", "zoe@other.test"]);
  });
  it("lead: owner; the lead's own address and stakeholders", () => {
    const poi = peopleOfInterest(
      {
        type: "lead",
        id: "l1",
        ownerId: "u-carol",
        emails: ["Lead@Prospect.test"],
        stakeholderContactIds: ["c-eve"],
      },
      crm,
    );
    expect(poi.internal === "all" ? [] : [...poi.internal]).toEqual(["carol@kith.test"]);
    expect([...poi.external].sort()).toEqual(["eve@acme.test", "lead@prospect.test"]);
  });
  it("contact: any user; the contact", () => {
    const poi = peopleOfInterest({ type: "contact", id: "c-bob" }, crm);
    expect(poi.internal).toBe("all");
    expect([...poi.external]).toEqual(["bob@acme.test"]);
  });
});

const base = { to: [], cc: [], state: "completed" as const };
const act = (a: Partial<Activity> & Pick<Activity, "id" | "kind" | "at">): Activity => ({
  from: null,
  ...base,
  ...a,
});

const activities: Activity[] = [
  act({
    id: "e1",
    kind: "email",
    at: T,
    from: "alice@kith.test",
    to: ["bob@acme.test"],
    conversationId: "c1",
  }),
  act({
    id: "e2",
    kind: "email",
    at: T + 2 * hour,
    from: "bob@acme.test",
    to: ["alice@kith.test"],
    conversationId: "c1",
  }),
  act({
    id: "e3",
    kind: "email",
    at: T + day,
    from: "alice@kith.test",
    to: ["bob@acme.test"],
    cc: ["carol@kith.test"],
    conversationId: "c2",
  }),
  act({
    id: "e4",
    kind: "email",
    at: T + 2 * day,
    from: "bob@acme.test",
    to: ["alice@kith.test", "dave@kith.test"],
    subject: "Pricing",
  }),
  act({
    id: "e5",
    kind: "email",
    at: T + 2 * day + 5 * hour,
    from: "alice@kith.test",
    to: ["bob@acme.test"],
    subject: "RE: pricing",
  }),
  act({
    id: "m1",
    kind: "meeting",
    at: T + 3 * day,
    durationMin: 60,
    from: "alice@kith.test",
    attendees: [
      { address: "alice@kith.test", response: "organizer" },
      { address: "carol@kith.test", response: "accepted" },
      { address: "bob@acme.test", response: "accepted" },
      { address: "eve@acme.test", response: "declined" },
    ],
  }),
  act({
    id: "m2",
    kind: "meeting",
    at: T + 4 * day,
    end: T + 4 * day + 30 * 60_000,
    from: "bob@acme.test",
    attendees: [
      { address: "bob@acme.test", response: "organizer" },
      { address: "alice@kith.test", response: "accepted" },
    ],
  }),
  act({
    id: "c1",
    kind: "call",
    at: T + 5 * day,
    durationMin: 10,
    direction: "out",
    from: "alice@kith.test",
    to: ["bob@acme.test"],
  }),
  act({
    id: "c2",
    kind: "call",
    at: T + 5 * day + hour,
    durationMin: 20,
    direction: "in",
    from: "bob@acme.test",
    to: ["alice@kith.test"],
  }),
  act({
    id: "m3",
    kind: "meeting",
    at: now + 2 * day,
    state: "planned",
    subject: "Next steps",
    from: "alice@kith.test",
    attendees: [{ address: "bob@acme.test", response: "none" }],
  }),
  // Not about Bob: left out.
  act({ id: "x1", kind: "email", at: T, from: "alice@kith.test", to: ["zoe@other.test"] }),
  act({ id: "x2", kind: "email", at: T, from: "alice@kith.test", to: ["carol@kith.test"] }),
];

describe("activityCountsFor", () => {
  const poi = peopleOfInterest({ type: "contact", id: "c-bob" }, crm);
  const rec = { type: "contact" as const, id: "c-bob" };
  it.each([
    [
      "regarding the record",
      act({ id: "r", kind: "task", at: T, regarding: { type: "contact", id: "c-bob" } }),
      true,
    ],
    [
      "regarding another record",
      act({ id: "r", kind: "task", at: T, regarding: { type: "lead", id: "c-bob" } }),
      false,
    ],
    ["email with the contact", activities[0], true],
    ["internal-only email", activities[11], false],
    ["email with someone else", activities[10], false],
    ["meeting where the contact attends", activities[5], true],
  ])("%s", (_name, a, expected) => {
    expect(activityCountsFor(a as Activity, rec, poi, isInternal)).toBe(expected);
  });

  it("opportunity: an email from a colleague outside the sales team does not count", () => {
    const opp = peopleOfInterest(
      {
        type: "opportunity",
        id: "o",
        ownerId: "u-alice",
        salesTeamIds: [],
        customerContactId: "c-bob",
        stakeholderContactIds: [],
        accountId: null,
      },
      crm,
    );
    const fromCarol = act({ id: "k", kind: "email", at: T, from: "carol@kith.test", to: ["bob@acme.test"] });
    expect(activityCountsFor(fromCarol, { type: "opportunity", id: "o" }, opp, isInternal)).toBe(false);
    expect(
      activityCountsFor(activities[0] as Activity, { type: "opportunity", id: "o" }, opp, isInternal),
    ).toBe(true);
  });
});

describe("computeRecordKpis (hand-worked contact)", () => {
  const poi = peopleOfInterest({ type: "contact", id: "c-bob" }, crm);
  const k = computeRecordKpis({ type: "contact", id: "c-bob" }, activities, poi, {
    now,
    isInternal,
    replyWindowDays: 7,
  });

  it("counts activities, emails, meetings and calls per side", () => {
    expect(k.activityCount).toBe(9);
    expect(k.ours).toMatchObject({
      emailsSent: 3,
      emailsReceived: 2,
      meetingsInitiated: 1,
      callsMade: 1,
      callsReceived: 1,
    });
    expect(k.theirs).toMatchObject({
      emailsSent: 2,
      emailsReceived: 3,
      meetingsInitiated: 1,
      callsMade: 1,
      callsReceived: 1,
    });
  });

  it("matches replies by conversation id and by subject, and times first responses", () => {
    // c1: Bob answered e1 after 2 h; subject "pricing": Alice answered e4 after 5 h.
    expect(k.theirs.replies).toBe(1);
    expect(k.theirs.averageFirstResponseHours).toBe(2);
    expect(k.ours.replies).toBe(1);
    expect(k.ours.averageFirstResponseHours).toBe(5);
    // Our turns: e1 (answered), e3, e5 (unanswered after 7 days) → Bob answered 1 of 3.
    expect(k.theirs.responseRate).toBeCloseTo(1 / 3, 12);
    // Their turns: e2 (unanswered), e4 (answered) → we answered 1 of 2.
    expect(k.ours.responseRate).toBe(0.5);
  });

  it("counts time spent: meetings per attending team member, email 5 min to write and 2.5 to read", () => {
    expect(k.ours.timeSpentMinutes).toEqual({
      meetings: 120 + 30,
      calls: 30,
      emails: 15 + 10,
      tasks: 0,
      total: 205,
    });
    expect(k.theirs.timeSpentMinutes).toEqual({
      meetings: 60 + 30,
      calls: 30,
      emails: 10 + 7.5,
      tasks: 0,
      total: 137.5,
    });
  });

  it("gives sent/received ratios and the most contacted people each side", () => {
    expect(k.ours.sentReceivedRatio).toBe(1.5);
    expect(k.theirs.sentReceivedRatio).toBeCloseTo(2 / 3, 12);
    expect(k.ours.mostContacted).toEqual([{ address: "bob@acme.test", count: 5 }]);
    expect(k.ours.mostContactedBy).toEqual([{ address: "bob@acme.test", count: 4 }]);
    expect(k.theirs.mostContacted).toEqual([
      { address: "alice@kith.test", count: 4 },
      { address: "dave@kith.test", count: 1 },
    ]);
    expect(k.theirs.mostContactedBy).toEqual([{ address: "alice@kith.test", count: 5 }]);
  });

  it("gives last and next interaction, without subjects unless allowed", () => {
    expect(k.lastInteraction).toEqual({ at: T + 5 * day + hour, kind: "call", direction: "in" });
    expect(k.nextInteraction).toEqual({ at: now + 2 * day, kind: "meeting", direction: "out" });
    const allowed = computeRecordKpis({ type: "contact", id: "c-bob" }, activities, poi, {
      now,
      isInternal,
      maySeeSubject: (a) => a.kind === "meeting",
    });
    expect(allowed.nextInteraction?.subject).toBe("Next steps");
  });

  it("builds a 60-day daily series by type and direction", () => {
    expect(k.dailySeries).toHaveLength(60);
    expect(k.dailySeries.at(-1)?.date).toBe("2024-05-16");
    const first = k.dailySeries.find((d) => d.date === "2024-05-06");
    expect(first?.email).toEqual({ out: 1, in: 1 });
    const calls = k.dailySeries.find((d) => d.date === "2024-05-11");
    expect(calls?.call).toEqual({ out: 1, in: 1 });
    const total = k.dailySeries.reduce(
      (n, d) => n + d.email.out + d.email.in + d.meeting.out + d.meeting.in + d.call.out + d.call.in,
      0,
    );
    expect(total).toBe(9);
  });

  it("summarises in words", () => {
    expect(k.summary).toBe("You sent 1 more email than the customer");
  });
});

describe("summariseKpis", () => {
  const side = (s: Partial<SideKpis>): SideKpis => ({
    emailsSent: 0,
    emailsReceived: 0,
    meetingsInitiated: 0,
    callsMade: 0,
    callsReceived: 0,
    replies: 0,
    timeSpentMinutes: { meetings: 0, calls: 0, emails: 0, tasks: 0, total: 0 },
    averageFirstResponseHours: null,
    responseRate: null,
    sentReceivedRatio: null,
    mostContacted: [],
    mostContactedBy: [],
    ...s,
  });
  it.each([
    [{}, {}, "No interactions with the customer yet"],
    [{ meetingsInitiated: 5 }, { meetingsInitiated: 2 }, "You started 3 more meetings than the customer"],
    [{ emailsSent: 1 }, { emailsSent: 5, callsMade: 1 }, "The customer sent 4 more emails than you"],
    [{ emailsSent: 2 }, { emailsSent: 2 }, "You and the customer are evenly engaged"],
    [{ callsMade: 1 }, {}, "You made 1 more call than the customer"],
  ])("%o vs %o", (ours, theirs, text) => {
    expect(summariseKpis(side(ours), side(theirs))).toBe(text);
  });
});

describe("similar won deals", () => {
  const opp = (
    id: string,
    status: OpportunitySummary["status"],
    revenue: number,
    cycleDays: number,
    accountId = "x",
  ): OpportunitySummary => ({
    id,
    accountId,
    status,
    revenue,
    createdAt: T - cycleDays * day,
    closedAt: status === "open" ? null : T,
    estimatedCloseAt: status === "open" ? T : null,
  });
  const open = opp("open", "open", 10_000, 30, "acme");

  it("scores similarity by revenue band, cycle length and account", () => {
    expect(dealSimilarity(open, opp("w", "won", 10_000, 30, "acme"))?.similarity).toBeCloseTo(1, 12);
    // revenue 10× → 0; same cycle → 1; same account → 1: (0.35 + 0.2) / 1
    expect(dealSimilarity(open, opp("w", "won", 100_000, 30, "acme"))?.similarity).toBeCloseTo(0.55, 12);
  });

  const lost = Array.from({ length: 30 }, (_, i) => opp(`l${i}`, "lost", 5000, 20));
  it("needs 30 won and 30 lost deals", () => {
    const won = Array.from({ length: 29 }, (_, i) => opp(`w${i}`, "won", 10_000, 30));
    expect(similarWonDeals(open, [open, ...won, ...lost])).toMatchObject({
      available: false,
      reason: "not_enough_history",
      won: 29,
    });
    expect(similarWonDeals({ ...open, status: "won" }, [...won, ...lost])).toMatchObject({
      available: false,
      reason: "not_open",
    });
  });

  it("returns the most similar won deals, or falls back to the top 100 won by revenue", () => {
    const far = Array.from({ length: 120 }, (_, i) =>
      opp(`f${String(i).padStart(3, "0")}`, "won", 1_000_000 + i, 400),
    );
    const near = Array.from({ length: 6 }, (_, i) =>
      opp(`n${i}`, "won", 10_000 * (1 + i / 10), 30, i === 0 ? "acme" : "x"),
    );
    const similar = similarWonDeals(open, [...far, ...near, ...lost]);
    expect(similar.available && similar.basis).toBe("similar");
    expect(similar.available && similar.deals[0]?.id).toBe("n0");
    expect(similar.available && similar.deals.length).toBe(6);

    const fallback = similarWonDeals(open, [...far, ...near.slice(0, 2), ...lost]);
    expect(fallback.available && fallback.basis).toBe("top_won");
    expect(fallback.available && fallback.deals.length).toBe(100);
    expect(fallback.available && fallback.deals[0]?.id).toBe("f119");
  });
});
