import { describe, expect, it } from "vitest";
import { analyseTurns, assignThreadKeys, normaliseSubject, threadKeysOf } from "./threads";

const hour = 3_600_000;
const day = 24 * hour;
const T0 = Date.UTC(2024, 0, 1);

describe("normaliseSubject", () => {
  it.each([
    ["Re: Pricing", "pricing"],
    ["RE: Fwd: re:  Pricing   update", "pricing update"],
    ["AW: SV: Angebot", "angebot"],
    ["[Python-Dev] Re: PEP 8", "pep 8"],
    ["Re[2]: Contract", "contract"],
    ["Relations", "relations"],
  ])("%s → %s", (raw, expected) => {
    expect(normaliseSubject(raw)).toBe(expected);
  });
});

describe("assignThreadKeys", () => {
  it("joins by conversation id, by In-Reply-To chains, and by subject within the window", () => {
    const keys = assignThreadKeys([
      { id: "a", at: T0, conversationId: "c1" },
      { id: "b", at: T0 + hour, conversationId: "c1" },
      { id: "c", at: T0 + 2 * hour, inReplyTo: "b" },
      { id: "d", at: T0 + 3 * hour, inReplyTo: "c" },
      { id: "e", at: T0, subject: "Pricing" },
      { id: "f", at: T0 + 5 * day, subject: "Re: pricing" },
      { id: "g", at: T0 + 30 * day, subject: "RE: Pricing" },
      { id: "h", at: T0 },
      { id: "i", at: T0 },
    ]);
    expect(new Set(["a", "b", "c", "d"].map((id) => keys.get(id))).size).toBe(1);
    expect(keys.get("e")).toBe(keys.get("f"));
    expect(keys.get("g")).not.toBe(keys.get("f"));
    expect(keys.get("h")).not.toBe(keys.get("i"));
  });
});

describe("threadKeysOf", () => {
  it("keys each message by position as assignThreadKeys keys it by id, messages sharing an id as one", () => {
    const messages = [
      { id: "z", at: T0, subject: "Pricing" },
      { id: "b", at: T0 + day, subject: "Re: Pricing" },
      { id: "z", at: T0 + 40 * day, conversationId: "c9" },
      { id: "y", at: T0 + 41 * day, conversationId: "c9" },
      { id: "x", at: T0 + 42 * day, inReplyTo: "y" },
      { id: "w", at: T0 + 43 * day, inReplyTo: "elsewhere" },
    ];
    const keys = threadKeysOf(messages);
    const byId = assignThreadKeys(messages);
    expect(keys).toEqual(messages.map((m) => byId.get(m.id)));
    // The two "z" are one message: tied by the conversation, it stays out of the subject fallback
    // (so "b" is alone), and its thread is keyed by the smallest id in it.
    expect(keys).toEqual(["x", "b", "x", "x", "x", "w"]);
  });

  it("leaves mail without subjects or thread ids as threads of their own", () => {
    expect(
      threadKeysOf([
        { id: "b", at: T0 },
        { id: "a", at: T0 },
        { id: "b", at: T0 + day },
      ]),
    ).toEqual(["b", "a", "b"]);
  });
});

describe("analyseTurns", () => {
  it("lists responses by thread key, then time, whatever the order of the messages", () => {
    const now = T0 + 30 * day;
    const messages = [
      { threadKey: "t2", at: T0 + 2 * hour, side: "theirs" as const },
      { threadKey: "t1", at: T0 + 5 * hour, side: "ours" as const },
      { threadKey: "t2", at: T0, side: "ours" as const },
      { threadKey: "t1", at: T0, side: "theirs" as const },
      { threadKey: "t1", at: T0 + 9 * hour, side: "theirs" as const },
    ];
    for (const order of [messages, [...messages].reverse()]) {
      const summary = analyseTurns(order, now);
      expect(summary.responses.map((r) => [r.threadKey, r.hours])).toEqual([
        ["t1", 5],
        ["t1", 4],
        ["t2", 2],
      ]);
      expect(summary.turns).toEqual({ ours: 2, theirs: 3 });
      expect(summary.answered).toEqual({ ours: 2, theirs: 1 });
    }
  });

  it("measures first responses per turn and leaves young unanswered turns out of the rate", () => {
    const now = T0 + 30 * day;
    const summary = analyseTurns(
      [
        { threadKey: "t1", at: T0, side: "ours" },
        { threadKey: "t1", at: T0 + hour, side: "ours" },
        { threadKey: "t1", at: T0 + 4 * hour, side: "theirs", sender: "bob@acme.test" },
        { threadKey: "t2", at: T0, side: "ours" },
        { threadKey: "t3", at: now - day, side: "theirs" },
      ],
      now,
    );
    expect(summary.responses).toEqual([
      {
        by: "theirs",
        threadKey: "t1",
        askedAt: T0,
        answeredAt: T0 + 4 * hour,
        hours: 4,
        responder: "bob@acme.test",
      },
    ]);
    // ours: t1 answered, t2 unanswered; theirs: t1's reply unanswered (old), t3 too young to count
    expect(summary.turns).toEqual({ ours: 2, theirs: 1 });
    expect(summary.answered).toEqual({ ours: 1, theirs: 0 });
  });
});
