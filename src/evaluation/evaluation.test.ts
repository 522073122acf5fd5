import { describe, expect, it } from "vitest";
import {
  bootstrapMeanInterval,
  evaluateRankers,
  formatEvaluationTable,
  scoreRanking,
  type EvalTarget,
} from "./evaluation";
import { buildEvalTargets, buildPooledEvalTargets, rankWithTies, type EvalTouch } from "./eval-targets";
import { defaultStrengthParams } from "../insights/strength";

const targets: EvalTarget[] = [
  {
    targetId: "t1",
    candidateCount: 3,
    truth: new Set(["b"]),
    rankings: { model: ["b", "a"], freq: ["a", "b"] },
  },
  { targetId: "t2", candidateCount: 1, truth: new Set(["c"]), rankings: { model: ["c"], freq: ["c"] } },
  { targetId: "t3", candidateCount: 2, truth: new Set(["d"]), rankings: { model: ["a", "e"], freq: [] } },
  { targetId: "t4", candidateCount: 2, truth: new Set(), rankings: { model: ["a"], freq: ["a"] } },
];

describe("scoreRanking", () => {
  it.each([
    [["x", "y", "t"], 0, 1, 1 / 3],
    [["t"], 1, 1, 1],
    [["a", "b", "c", "d", "e", "t"], 0, 0, 0], // only the 5 listed count
    [[["x", "t"]], 0.5, 1, 0.5 * 1 + 0.5 * (1 / 2)], // a tie of two: either order equally likely
    [["x", ["a", "t", "b"]], 0, 1, (1 / 3) * (1 / 2 + 1 / 3 + 1 / 4)],
    [["a", "b", "c", ["d", "e", "t"]], 0, 2 / 3, (1 / 3) * (1 / 4 + 1 / 5)], // place 6 is not listed
    [[], 0, 0, 0],
  ])("%j", (ranked, hit1, hit5, rr) => {
    const r = scoreRanking(ranked, new Set(["t"]));
    expect(r.hit1).toBeCloseTo(hit1, 12);
    expect(r.hit5).toBeCloseTo(hit5, 12);
    expect(r.mrr).toBeCloseTo(rr, 12);
    expect(r.covered).toBe(ranked.length > 0 ? 1 : 0);
  });
});

describe("scoreRanking with several true colleagues tied", () => {
  it("takes the first true one's place in expectation", () => {
    // g = 3, t = 2: first true at place 1 with 2/3, at place 2 with 1/3
    const r = scoreRanking([["a", "t", "u"]], new Set(["t", "u"]));
    expect(r.hit1).toBeCloseTo(2 / 3, 12);
    expect(r.mrr).toBeCloseTo(2 / 3 + 1 / 6, 12);
  });
});

describe("evaluateRankers (hand-computed)", () => {
  const report = evaluateRankers(targets, { rankers: ["model", "freq"], resamples: 2000, seed: 3 });

  it("skips targets nobody corresponded with and finds the contested ones", () => {
    expect(report).toMatchObject({ evaluated: 3, contested: 2, skippedNoTruth: 1 });
  });

  it("computes hit@1, hit@5, MRR and coverage on all targets", () => {
    expect(report.metrics.all.model).toEqual({
      targets: 3,
      hit1: 2 / 3,
      hit5: 2 / 3,
      mrr: 2 / 3,
      coverage: 1,
    });
    expect(report.metrics.all.freq).toEqual({
      targets: 3,
      hit1: 1 / 3,
      hit5: 2 / 3,
      mrr: 0.5,
      coverage: 2 / 3,
    });
  });

  it("and on contested targets", () => {
    expect(report.metrics.contested.model).toEqual({
      targets: 2,
      hit1: 0.5,
      hit5: 0.5,
      mrr: 0.5,
      coverage: 1,
    });
    expect(report.metrics.contested.freq).toEqual({
      targets: 2,
      hit1: 0,
      hit5: 0.5,
      mrr: 0.25,
      coverage: 0.5,
    });
  });

  it("gives paired differences with a bootstrap interval", () => {
    const hit1 = report.comparisons.find((c) => c.subset === "all" && c.metric === "hit1");
    expect(hit1).toMatchObject({ a: "model", b: "freq", targets: 3 });
    expect(hit1?.meanDiff).toBeCloseTo(1 / 3, 12);
    // per-target differences are [1, 0, 0]: resampled means lie in {0, 1/3, 2/3, 1}
    expect(hit1?.ci?.[0]).toBe(0);
    expect([2 / 3, 1]).toContain(hit1?.ci?.[1]);
    const hit5 = report.comparisons.find((c) => c.subset === "all" && c.metric === "hit5");
    expect(hit5?.meanDiff).toBe(0);
    expect(hit5?.ci).toEqual([0, 0]);
    expect(report.comparisons).toHaveLength(6);
  });

  it("is reproducible with a seed", () => {
    expect(evaluateRankers(targets, { rankers: ["model", "freq"], seed: 3 })).toEqual(report);
  });

  it("formats a plain-text table", () => {
    const text = formatEvaluationTable(report);
    expect(text).toContain(
      "Targets evaluated: 3 (contested: 2; skipped, no correspondence after the split: 1)",
    );
    expect(text).toMatch(/^model\s+all\s+3\s+0\.667\s+0\.667\s+0\.667\s+1\.000$/m);
    expect(text).toMatch(/^freq\s+contested\s+2\s+0\.000\s+0\.500\s+0\.250\s+0\.500$/m);
    expect(text).toMatch(/^model − freq\s+all\s+hit1\s+3\s+\+0\.333\s+\[\+0\.000, \+(0\.667|1\.000)\]$/m);
  });
});

describe("bootstrapMeanInterval", () => {
  it("covers the mean and is null without data", () => {
    const values = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const ci = bootstrapMeanInterval(values, 1);
    expect(ci?.[0]).toBeLessThan(0.25);
    expect(ci?.[1]).toBeGreaterThan(0.25);
    expect((ci?.[1] ?? 0) - (ci?.[0] ?? 0)).toBeLessThan(0.2);
    expect(bootstrapMeanInterval([], 1)).toBeNull();
  });
});

describe("rankWithTies", () => {
  it("groups equal keys, drops keys ≤ 0, and stops once 5 are listed", () => {
    const keys = new Map([
      ["a", 3],
      ["b", 5],
      ["c", 3],
      ["d", 0],
      ["e", 1],
      ["f", 1],
      ["g", 1],
      ["h", 0.5],
    ]);
    expect(rankWithTies(keys)).toEqual(["b", ["a", "c"], ["e", "f", "g"]]);
  });
});

describe("buildEvalTargets: evidence tiers and the documented order", () => {
  const day = 86_400_000;
  const split = Date.UTC(2001, 5, 1);
  const touch = (
    person: string,
    userId: string,
    daysBefore: number,
    direction: "in" | "out",
    bulk = false,
  ): EvalTouch => ({
    person,
    userId,
    touch: { at: split - daysBefore * day, kind: "email", direction, groupSize: bulk ? 120 : 2 },
    ...(bulk ? { bulk: true } : {}),
  });
  const params = defaultStrengthParams;

  it("ranks bulk-only colleagues after direct ones, counts them as candidates, and keeps bulk out of the truth", () => {
    const touches = [
      touch("p@x.com", "direct", 10, "in"),
      ...Array.from({ length: 9 }, (_, i) => touch("p@x.com", "lister", 5 + i, "in", true)),
      touch("p@x.com", "lister", -5, "in", true), // after the split, bulk: not truth
      touch("p@x.com", "direct", -3, "out"), // after the split, direct: truth
    ];
    const [target] = buildEvalTargets(touches, { split, horizonDays: 90, level: "person", params });
    expect(target?.candidateCount).toBe(2);
    expect([...(target?.truth ?? [])]).toEqual(["direct"]);
    expect(target?.rankings.kith).toEqual(["direct", "lister"]);
    // Counting sees all mail: the list member comes first.
    expect(target?.rankings.frequency).toEqual(["lister", "direct"]);
    const without = buildEvalTargets(touches, {
      split,
      horizonDays: 90,
      level: "person",
      params,
      bulkTier: false,
    });
    expect(without[0]?.rankings.kith).toEqual(["direct"]);
  });

  it("answers from the weak tier when nobody has direct evidence", () => {
    const touches = [
      touch("q@x.com", "a", 5, "in", true),
      touch("q@x.com", "b", 40, "in", true),
      touch("q@x.com", "b", -1, "out"),
    ];
    const [target] = buildEvalTargets(touches, { split, horizonDays: 90, level: "person", params });
    expect(target?.rankings.kith).toEqual(["a", "b"]);
  });

  it("breaks equal scores by reciprocity, then recency, then count — never by id", () => {
    // Same single received email each: a tie the recency decides; ids sort the other way.
    const touches = [
      touch("r@x.com", "a-older", 20, "in"),
      touch("r@x.com", "z-newer", 19, "in"),
      touch("r@x.com", "a-older", -1, "out"),
    ];
    const [target] = buildEvalTargets(touches, { split, horizonDays: 90, level: "person", params });
    expect(target?.rankings.kith).toEqual(["z-newer", "a-older"]);
    // Identical evidence stays a tie group (scored in expectation), not id order.
    const twins = [
      touch("s@x.com", "b", 20, "in"),
      touch("s@x.com", "a", 20, "in"),
      touch("s@x.com", "a", -1, "out"),
    ];
    const [tied] = buildEvalTargets(twins, { split, horizonDays: 90, level: "person", params });
    expect(tied?.rankings.kith).toEqual([["a", "b"]]);
  });

  it("pools several splits, each target once per split", () => {
    const touches = [
      touch("p@x.com", "u", 200, "in"),
      touch("p@x.com", "u", 100, "out"),
      touch("p@x.com", "u", -1, "in"),
    ];
    const pooled = buildPooledEvalTargets(touches, [split - 150 * day, split], {
      horizonDays: 90,
      level: "person",
      params,
    });
    expect(pooled.map((t) => t.targetId)).toEqual(["2001-01-02 p@x.com", "2001-06-01 p@x.com"]);
  });
});
