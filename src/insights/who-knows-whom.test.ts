import { describe, expect, it } from "vitest";
import { buildPairState, defaultStrengthParams, emptyPairState, type Touch } from "./strength";
import {
  bulkEvidenceParams,
  compareEvidence,
  evidenceKeyOf,
  findIntroPaths,
  rankAccountIntroducers,
  dormantAfterDays,
  rankBulkIntroducers,
  rankCurrentAndDormant,
  rankIntroducers,
  type BulkCandidate,
  type EvidenceKey,
  type IntroducerCandidate,
} from "./who-knows-whom";

const day = 86_400_000;
const T0 = Date.UTC(2024, 5, 1);

/** n two-way exchanges (one sent, one received), the last at `lastAt`, one day apart. */
function exchanges(n: number, lastAt = T0): Touch[] {
  return Array.from({ length: n }, (_, i): Touch[] => [
    { at: lastAt - i * day - 1000, kind: "email", direction: "out", groupSize: 2 },
    { at: lastAt - i * day, kind: "email", direction: "in", groupSize: 2 },
  ]).flat();
}

const candidate = (userId: string, touches: Touch[]): IntroducerCandidate => ({
  userId,
  name: userId.toUpperCase(),
  email: `${userId}@kith.test`,
  state: buildPairState(touches),
});

describe("rankIntroducers", () => {
  const candidates = [
    candidate("u1", exchanges(1)),
    candidate("u2", exchanges(8)),
    candidate("u3", exchanges(3)),
    candidate("u4", exchanges(5)),
    candidate("u5", exchanges(2)),
    candidate("u6", exchanges(4)),
    candidate("u7", exchanges(6)),
  ];

  it("returns at most five, strongest first, with label, last interaction and explanation", () => {
    const ranked = rankIntroducers(candidates, T0);
    expect(ranked.map((r) => r.userId)).toEqual(["u2", "u7", "u4", "u6", "u3"]);
    const top = ranked[0];
    expect(top?.score).toBeGreaterThan(ranked[1]?.score ?? 100);
    expect(top?.lastInteraction).toEqual({ at: T0, kind: "email" });
    expect(top?.explanation).toMatch(/^16 emails \(8 sent, 8 received\)/);
    expect(top?.label).toBe("strong");
  });

  it("honours the limit and the exclude set", () => {
    const ranked = rankIntroducers(candidates, T0, undefined, 2, new Set(["u2"]));
    expect(ranked.map((r) => r.userId)).toEqual(["u7", "u4"]);
  });

  it("breaks exact ties by name and address, never by id or input order, and keeps one entry per user", () => {
    const same = exchanges(2);
    const named = (userId: string, name: string, touches: Touch[]): IntroducerCandidate => ({
      ...candidate(userId, touches),
      name,
    });
    for (const order of [
      [named("id-1", "Zed", same), named("id-2", "Amy", same), named("id-2", "Amy", exchanges(1))],
      [named("id-2", "Amy", exchanges(1)), named("id-2", "Amy", same), named("id-1", "Zed", same)],
    ]) {
      const ranked = rankIntroducers(order, T0);
      expect(ranked.map((r) => r.name)).toEqual(["Amy", "Zed"]);
      expect(ranked[0]?.score).toBe(ranked[1]?.score);
      expect(ranked[0]?.strength.factors.emails.total).toBe(4);
    }
  });

  it("keeps a colleague whose score rounds to 0: any direct interaction is evidence", () => {
    const faint = candidate("u1", [{ at: T0 - 900 * day, kind: "email", direction: "in", groupSize: 40 }]);
    const ranked = rankIntroducers([faint], T0);
    expect(ranked.map((r) => [r.userId, r.score, r.label, r.evidence])).toEqual([
      ["u1", 0, "weak", "direct"],
    ]);
  });

  it("breaks equal rounded scores by the unrounded score, then recency", () => {
    const older = exchanges(2, T0 - 1000 * 60);
    const ranked = rankIntroducers([candidate("a", older), candidate("b", exchanges(2))], T0);
    expect(ranked.map((r) => r.userId)).toEqual(["b", "a"]);
  });

  it("leaves out colleagues with no strength at all", () => {
    const only = candidate("u9", [{ at: T0, kind: "email", direction: "out", groupSize: 500 }]);
    expect(rankIntroducers([only, { ...candidate("u8", []), state: emptyPairState() }], T0)).toEqual([]);
  });
});

describe("rankCurrentAndDormant: old relationships read as dormant, not as nobody", () => {
  const yearsAgo = (y: number) => T0 - Math.round(y * 365.25) * day;

  it("lists a colleague emailed 40 times years ago as dormant, with the last date and how strong it was then", () => {
    const old = candidate("old", exchanges(20, yearsAgo(6)));
    const { current, dormant } = rankCurrentAndDormant([old], T0);
    expect(current).toEqual([]);
    expect(dormant.map((d) => d.userId)).toEqual(["old"]);
    const d = dormant[0]!;
    expect(d.lastInteraction?.at).toBe(yearsAgo(6));
    // Decayed to (almost) nothing today, strong at the time.
    expect(d.score).toBeLessThan(20);
    expect(d.peak.label).toBe("strong");
    expect(d.peak.score).toBeGreaterThanOrEqual(70);
    expect(d.explanation).toMatch(
      /^Dormant: no contact for 6 years \(last \d{4}-\d{2}-\d{2}\); strong \(\d+\) then\. 40 emails/,
    );
  });

  it("puts every current introducer above every dormant one, however strong the old tie was", () => {
    const weakNow = candidate("now", exchanges(1));
    const strongThen = candidate("then", exchanges(30, yearsAgo(2)));
    const r = rankCurrentAndDormant([strongThen, weakNow], T0);
    expect(r.current.map((i) => i.userId)).toEqual(["now"]);
    expect(r.dormant.map((i) => i.userId)).toEqual(["then"]);
  });

  it("orders dormant ties by their strength then, then by the latest, and honours limit and exclude", () => {
    const a = candidate("a", exchanges(2, yearsAgo(3)));
    const b = candidate("b", exchanges(25, yearsAgo(5)));
    const c = candidate("c", exchanges(25, yearsAgo(4)));
    const r = rankCurrentAndDormant([a, b, c], T0, undefined, 2);
    expect(r.dormant.map((i) => i.userId)).toEqual(["c", "b"]);
    const without = rankCurrentAndDormant([a, b, c], T0, undefined, 5, new Set(["c"]));
    expect(without.dormant.map((i) => i.userId)).toEqual(["b", "a"]);
  });

  it("draws the line at dormantAfterDays before asOf", () => {
    const inside = candidate("in", exchanges(3, T0 - (dormantAfterDays - 1) * day));
    const outside = candidate("out", exchanges(3, T0 - (dormantAfterDays + 1) * day));
    const r = rankCurrentAndDormant([inside, outside], T0);
    expect(r.current.map((i) => i.userId)).toEqual(["in"]);
    expect(r.dormant.map((i) => i.userId)).toEqual(["out"]);
  });
});

describe("compareEvidence: the documented order", () => {
  const base: EvidenceKey = { evidence: "direct", score: 30, twoWay: true, lastAt: T0, count: 5, raw: 30.2 };
  const sorted = (keys: EvidenceKey[]) => [...keys].sort(compareEvidence);

  it("puts direct evidence above bulk evidence whatever the scores", () => {
    const bulk = { ...base, evidence: "bulk" as const, score: 39, raw: 39 };
    const faint = { ...base, score: 0, raw: 0.1, twoWay: false, count: 1 };
    expect(sorted([bulk, faint])).toEqual([faint, bulk]);
  });

  it("orders by the score shown, then reciprocity, then recency, then count, then the unrounded score", () => {
    const higher = { ...base, score: 31, twoWay: false, lastAt: T0 - 100 * day, count: 1 };
    const oneWay = { ...base, twoWay: false, raw: 30.4 };
    const older = { ...base, lastAt: T0 - day, count: 50, raw: 30.4 };
    const fewer = { ...base, count: 4, raw: 30.4 };
    const lowerRaw = { ...base, raw: 29.6 };
    expect(sorted([lowerRaw, fewer, oneWay, older, base, higher])).toEqual([
      higher,
      base,
      lowerRaw,
      fewer,
      older,
      oneWay,
    ]);
  });

  it("calls equal keys a tie (up to a relative 1e-9 in the unrounded score)", () => {
    expect(compareEvidence(base, { ...base, raw: base.raw * (1 + 1e-12) })).toBe(0);
    expect(evidenceKeyOf(rankIntroducers([candidate("u", exchanges(2))], T0)[0]!.strength)).toMatchObject({
      evidence: "direct",
      twoWay: true,
      lastAt: T0,
      count: 4,
    });
  });
});

describe("rankBulkIntroducers (the weak tier)", () => {
  const bulk = (n: number, direction: "in" | "out", lastAt = T0): Touch[] =>
    Array.from({ length: n }, (_, i) => ({
      at: lastAt - i * 7 * day,
      kind: "email" as const,
      direction,
      groupSize: 120,
    }));
  const bulkCandidate = (userId: string, touches: Touch[]): BulkCandidate => ({
    userId,
    name: userId.toUpperCase(),
    email: `${userId}@kith.test`,
    state: buildPairState(touches, bulkEvidenceParams(defaultStrengthParams)),
    largestGroup: 120,
  });

  it("lists colleagues who only received large-list mail, labelled weak and explained", () => {
    const ranked = rankBulkIntroducers(
      [bulkCandidate("a", bulk(1, "in", T0 - 30 * day)), bulkCandidate("b", bulk(12, "in"))],
      T0,
    );
    expect(ranked.map((r) => [r.userId, r.evidence, r.label])).toEqual([
      ["b", "bulk", "weak"],
      ["a", "bulk", "weak"],
    ]);
    expect(ranked.every((r) => r.score <= 39)).toBe(true);
    expect(ranked[0]?.explanation).toBe(
      "Received their mail to up to 120 people (12 messages, last 2024-06-01); no direct exchange — a weak lead",
    );
  });

  it("scores with the cap lifted only: the same touches give no direct strength", () => {
    const touches = bulk(3, "in");
    expect(rankIntroducers([candidate("a", touches)], T0)).toEqual([]);
    expect(rankBulkIntroducers([bulkCandidate("a", touches)], T0).map((r) => r.userId)).toEqual(["a"]);
  });
});

describe("rankAccountIntroducers", () => {
  const tie = (personId: string, n: number) => ({
    personId,
    name: personId,
    state: buildPairState(exchanges(n)),
  });
  const colleagues = [
    { userId: "ann", name: "Ann", email: "ann@kith.test", ties: [tie("p1", 3)] },
    {
      userId: "bob",
      name: "Bob",
      email: "bob@kith.test",
      ties: [tie("p1", 2), tie("p2", 2), tie("p3", 2), tie("p4", 1)],
    },
  ];

  it("ranks by best tie and names whom each colleague knows", () => {
    const ranked = rankAccountIntroducers(colleagues, T0, undefined, { accountName: "Acme" });
    expect(ranked.map((r) => r.userId)).toEqual(["ann", "bob"]);
    expect(ranked[1]?.peopleKnown).toBe(4);
    expect(ranked[1]?.knows.map((k) => k.personId)).toEqual(["p1", "p2", "p3"]);
    expect(ranked[1]?.explanation).toMatch(/^Knows 4 people at Acme: p1 \(weak, \d+\), .* and 1 more$/);
  });

  it("with sum, values knowing several people (saturating at 100)", () => {
    const ranked = rankAccountIntroducers(colleagues, T0, undefined, { aggregation: "sum" });
    expect(ranked[0]?.userId).toBe("bob");
    expect(ranked[0]?.score).toBeLessThanOrEqual(100);
  });

  it("can leave the target out, to find another way in", () => {
    const ranked = rankAccountIntroducers(colleagues, T0, undefined, { excludePeople: new Set(["p1"]) });
    expect(ranked.map((r) => r.userId)).toEqual(["bob"]);
  });
});

describe("findIntroPaths", () => {
  const introducers = rankIntroducers([candidate("i1", exchanges(8)), candidate("i2", exchanges(3))], T0);
  const graph = new Map([
    [
      "viewer",
      new Map([
        ["c1", 80],
        ["i2", 30],
      ]),
    ],
    ["i1", new Map([["c1", 50]])],
  ]);

  it("finds one- and two-hop paths, best product first, each hop explained", () => {
    const paths = findIntroPaths("viewer", introducers, graph, { names: new Map([["c1", "Carol"]]) });
    const i1 = introducers.find((i) => i.userId === "i1");
    const i2 = introducers.find((i) => i.userId === "i2");
    // i1: 8 exchanges over a week → 86; via Carol 0.8·0.5·86 = 34.4. i2: 3 exchanges → 53; direct 0.3·53 = 15.9.
    expect([i1?.score, i2?.score]).toEqual([86, 53]);
    expect(paths.map((p) => p.hops.map((h) => h.to).join(">"))).toEqual(["c1>i1>target", "i2>target"]);
    expect(paths[1]?.score).toBeCloseTo(0.3 * (i2?.score ?? 0), 9);
    const twoHop = paths.find((p) => p.hops.length === 3);
    expect(twoHop?.score).toBeCloseTo(0.8 * 0.5 * (i1?.score ?? 0), 9);
    expect(twoHop?.weakest).toBe(50);
    expect(twoHop?.hops[0]?.explanation).toBe("viewer and Carol have a strong tie (80)");
  });

  it("never routes through excluded colleagues nor offers the viewer as introducer", () => {
    expect(
      findIntroPaths("viewer", introducers, graph, { exclude: new Set(["c1"]) }).map(
        (p) => p.introducer.userId,
      ),
    ).toEqual(["i2"]);
    expect(findIntroPaths("i1", introducers, graph).every((p) => p.introducer.userId !== "i1")).toBe(true);
  });
});
